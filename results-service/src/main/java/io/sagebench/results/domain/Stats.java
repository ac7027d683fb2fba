package io.sagebench.results.domain;

import java.util.List;

/** Mean and two-sided 95% confidence interval (Student's t) over replicates. */
public record Stats(int n, double mean, Double ciLow, Double ciHigh) {

    /** t(0.975, df) for df = 1..30; the normal 1.96 beyond. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
            2.056, 2.052, 2.048, 2.045, 2.042};

    public static Stats of(List<Double> values) {
        int n = values.size();
        if (n == 0) {
            return null;
        }
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        if (n == 1) {
            return new Stats(1, mean, null, null);
        }
        double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        double sd = Math.sqrt(ss / (n - 1));
        double half = t975(n - 1) * sd / Math.sqrt(n);
        return new Stats(n, mean, mean - half, mean + half);
    }

    static double t975(int df) {
        return df <= T975.length ? T975[df - 1] : 1.96;
    }
}
