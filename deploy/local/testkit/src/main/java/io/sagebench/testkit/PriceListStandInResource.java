package io.sagebench.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sagebench.emulator.PriceListStandIn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The AWS Price List API stand-in on a free port, priced like the seed price book; the service under test reaches it
 * through the unmodified SDK v2 PricingClient ({@code sagebench.aws.pricing-endpoint}). Tests change its prices
 * through {@link #standIn()}.
 */
public class PriceListStandInResource implements QuarkusTestResourceLifecycleManager {

    private static volatile PriceListStandIn standIn;

    public static PriceListStandIn standIn() {
        if (standIn == null) {
            throw new IllegalStateException("PriceListStandInResource has not started");
        }
        return standIn;
    }

    @Override
    public Map<String, String> start() {
        try {
            standIn = PriceListStandIn.start(0).withSeedPrices();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("sagebench.aws.pricing-endpoint", standIn.endpoint().toString());
    }

    @Override
    public void stop() {
        if (standIn != null) {
            standIn.close();
            standIn = null;
        }
    }
}
