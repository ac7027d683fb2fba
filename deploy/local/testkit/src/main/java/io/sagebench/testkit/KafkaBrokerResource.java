package io.sagebench.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;
import org.testcontainers.kafka.KafkaContainer;

import java.util.Map;

/**
 * A real Kafka 4.1 broker for a test JVM: KRaft in-process through Kafka's own test kit, or the apache/kafka container
 * where Docker exists. One per JVM, shared by every test class (Quarkus test resources are global).
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    private static volatile String bootstrapServers;
    private KafkaClusterTestKit cluster;
    private KafkaContainer container;

    /** Bootstrap servers of the running broker, for raw clients in tests. */
    public static String bootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("KafkaBrokerResource has not started");
        }
        return bootstrapServers;
    }

    @Override
    public Map<String, String> start() {
        if (Docker.available()) {
            container = new KafkaContainer("apache/kafka:4.1.2");
            container.start();
            bootstrapServers = container.getBootstrapServers();
        } else {
            bootstrapServers = startInJvm();
        }
        return Map.of("kafka.bootstrap.servers", bootstrapServers);
    }

    private String startInJvm() {
        // A broker fault must fail the test, not end the test JVM.
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("Kafka broker asked to exit(" + code + "): " + message);
        });
        Exit.setHaltProcedure((code, message) -> {
            throw new IllegalStateException("Kafka broker asked to halt(" + code + "): " + message);
        });
        Exception last = null;
        // KRaft quorum formation can time out on a loaded two-core machine: try a few times.
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                        // The kit keeps the default replication factor 3, with which no consumer group ever forms.
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("auto.create.topics.enable", "true")
                        .setConfigProp("num.partitions", "3")
                        .build();
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();
                return cluster.bootstrapServers();
            } catch (Exception e) {
                last = e;
                closeQuietly();
            }
        }
        throw new IllegalStateException("could not start the in-JVM Kafka broker", last);
    }

    @Override
    public void stop() {
        closeQuietly();
        if (container != null) {
            container.stop();
            container = null;
        }
        bootstrapServers = null;
    }

    private void closeQuietly() {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception ignored) {
                // the JVM is ending; temp dirs go with it
            }
            cluster = null;
        }
    }
}
