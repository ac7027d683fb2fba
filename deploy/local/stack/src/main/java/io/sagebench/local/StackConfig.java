package io.sagebench.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where and how the local stack runs. Defaults are the documented loopback ports; every value can be overridden by the
 * environment variable named next to it, so the end-to-end test can run a second stack beside a developer's own.
 */
public record StackConfig(
        Path root,              // the repository checkout (jars are taken from its target/ folders)
        Path stateDir,          // pids, logs and Kafka data
        String classpath,       // classpath for the broker and the AWS stand-in JVMs
        int kafkaPort,          // SAGEBENCH_KAFKA_PORT
        int kafkaControllerPort,
        int sqsPort,            // SAGEBENCH_SQS_PORT
        int sageMakerPort,      // SAGEBENCH_SAGEMAKER_PORT
        Map<String, Integer> servicePorts,
        String dbUrl,           // SAGEBENCH_DB_URL, without a schema
        String dbUser,
        String dbPassword,
        String schemaPrefix,    // each service's schema is <prefix><service>, e.g. sagebench_design
        double clockFactor,     // SAGEBENCH_CLOCK_FACTOR: simulated seconds per real second in the emulator
        String serviceJvmOptions) {

    public static final String QUEUE = "sagebench-training-job-events";
    public static final String[] SERVICES = {"design", "launcher", "monitor", "results"};

    /** The stack `deploy/local/sagebench` runs: fixed ports from the architecture, overridable by environment. */
    public static StackConfig fromEnvironment(Path root) {
        return new StackConfig(
                root,
                Path.of(env("SAGEBENCH_STATE_DIR", root.resolve("deploy/local/.state").toString())),
                System.getProperty("java.class.path"),
                intEnv("SAGEBENCH_KAFKA_PORT", 9092),
                intEnv("SAGEBENCH_KAFKA_CONTROLLER_PORT", 9093),
                intEnv("SAGEBENCH_SQS_PORT", 9324),
                intEnv("SAGEBENCH_SAGEMAKER_PORT", 4599),
                Map.of("design", intEnv("SAGEBENCH_DESIGN_PORT", 8081),
                        "launcher", intEnv("SAGEBENCH_LAUNCHER_PORT", 8082),
                        "monitor", intEnv("SAGEBENCH_MONITOR_PORT", 8083),
                        "results", intEnv("SAGEBENCH_RESULTS_PORT", 8084)),
                env("SAGEBENCH_DB_URL", "jdbc:mariadb://127.0.0.1:3306"),
                env("SAGEBENCH_DB_USER", "root"),
                env("SAGEBENCH_DB_PASSWORD", ""),
                env("SAGEBENCH_DB_SCHEMA_PREFIX", "sagebench_"),
                Double.parseDouble(env("SAGEBENCH_CLOCK_FACTOR", "1000")),
                env("SAGEBENCH_SERVICE_JVM_OPTIONS", "-Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"));
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String sqsEndpoint() {
        return "http://127.0.0.1:" + sqsPort;
    }

    public String queueUrl() {
        return sqsEndpoint() + "/000000000000/" + QUEUE;
    }

    public String sageMakerEndpoint() {
        return "http://127.0.0.1:" + sageMakerPort;
    }

    public String serviceUrl(String service) {
        return "http://127.0.0.1:" + servicePorts.get(service);
    }

    public String schema(String service) {
        return schemaPrefix + service;
    }

    public Path serviceJar(String service) {
        return root.resolve(service + "-service/target/quarkus-app/quarkus-run.jar");
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    static int intEnv(String name, int fallback) {
        return Integer.parseInt(env(name, String.valueOf(fallback)));
    }
}
