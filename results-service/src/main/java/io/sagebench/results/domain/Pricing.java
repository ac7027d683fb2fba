package io.sagebench.results.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The study's cost rule: billable seconds / 3600 × hourly price × instance count. */
public final class Pricing {

    /** Ten decimals: exact for whole seconds at prices with up to six decimals, far below a cent. */
    public static final int COST_SCALE = 10;

    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

    private Pricing() {
    }

    public static BigDecimal cost(long billableSeconds, BigDecimal hourlyPriceUsd, int instanceCount) {
        if (billableSeconds < 0 || instanceCount < 1) {
            throw new IllegalArgumentException("billableSeconds must be >= 0 and instanceCount >= 1, got "
                    + billableSeconds + " and " + instanceCount);
        }
        // Multiply first, divide once: no intermediate rounding.
        return BigDecimal.valueOf(billableSeconds).multiply(hourlyPriceUsd).multiply(BigDecimal.valueOf(instanceCount))
                .divide(SECONDS_PER_HOUR, COST_SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
    }

    /** Share of training time not billed thanks to managed spot training, in percent; null when it does not apply. */
    public static Double spotSavingsPercent(boolean spot, Long trainingSeconds, Long billableSeconds) {
        if (!spot || trainingSeconds == null || billableSeconds == null || trainingSeconds <= 0) {
            return null;
        }
        return (1.0 - (double) billableSeconds / trainingSeconds) * 100.0;
    }
}
