package io.sagebench.monitor.it;

import io.sagebench.testkit.SageMakerEmulatorResource;

/**
 * The test kit's SageMakerEmulatorResource, started after ElasticMqResource: it delivers its events only if the queue
 * exists when it starts, and Quarkus orders test resources by {@link #order()} only (the kit's two resources both have
 * 0, so their order was left to chance and the emulator sometimes started without a queue to feed).
 */
public class QueueFedEmulatorResource extends SageMakerEmulatorResource {

    @Override
    public int order() {
        return 10;
    }
}
