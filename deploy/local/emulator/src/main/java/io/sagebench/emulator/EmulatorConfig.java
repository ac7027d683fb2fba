package io.sagebench.emulator;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Immutable start-up configuration of the emulator. Build with {@link #builder()}. */
public final class EmulatorConfig {

    /** Instances of one type a new local "account" may run at once, unless {@link Builder#instanceQuota} says otherwise. */
    public static final int DEFAULT_INSTANCE_QUOTA = 64;

    private final String host;
    private final int port;
    private final double clockFactor;
    private final String region;
    private final String accountId;
    private final URI sqsEndpoint;
    private final String queueUrl;
    private final long seed;
    private final double createTrainingJobRatePerSecond;
    private final int createTrainingJobBurst;
    private final int defaultInstanceQuota;
    private final Map<String, Integer> instanceQuotas;
    private final FaultSettings faults;

    private EmulatorConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.clockFactor = b.clockFactor;
        this.region = b.region;
        this.accountId = b.accountId;
        this.sqsEndpoint = b.sqsEndpoint;
        this.queueUrl = b.queueUrl;
        this.seed = b.seed;
        this.createTrainingJobRatePerSecond = b.createTrainingJobRatePerSecond;
        this.createTrainingJobBurst = b.createTrainingJobBurst;
        this.defaultInstanceQuota = b.defaultInstanceQuota;
        this.instanceQuotas = Collections.unmodifiableMap(new LinkedHashMap<>(b.instanceQuotas));
        this.faults = b.faults.copy();
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() { return host; }
    public int port() { return port; }
    public double clockFactor() { return clockFactor; }
    public String region() { return region; }
    public String accountId() { return accountId; }
    /** Null when no SQS delivery is configured. */
    public URI sqsEndpoint() { return sqsEndpoint; }
    public String queueUrl() { return queueUrl; }
    public boolean deliversEvents() { return sqsEndpoint != null && queueUrl != null; }
    public long seed() { return seed; }
    public double createTrainingJobRatePerSecond() { return createTrainingJobRatePerSecond; }
    public int createTrainingJobBurst() { return createTrainingJobBurst; }
    public int defaultInstanceQuota() { return defaultInstanceQuota; }
    public Map<String, Integer> instanceQuotas() { return instanceQuotas; }
    public int instanceQuota(String instanceType) { return instanceQuotas.getOrDefault(instanceType, defaultInstanceQuota); }
    /** A copy of the fault settings the emulator starts with. */
    public FaultSettings faults() { return faults.copy(); }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 4599;
        private double clockFactor = 1.0;
        private String region = "us-east-1";
        private String accountId = "000000000000";
        private URI sqsEndpoint;
        private String queueUrl;
        private long seed = 42L;
        // SageMaker's documented CreateTrainingJob limit: 1 TPS per account and region.
        private double createTrainingJobRatePerSecond = 1.0;
        private int createTrainingJobBurst = 1;
        private int defaultInstanceQuota = DEFAULT_INSTANCE_QUOTA;
        private final Map<String, Integer> instanceQuotas = new LinkedHashMap<>();
        private FaultSettings faults = new FaultSettings();

        private Builder() {
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** 0 picks a free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535: " + port);
            this.port = port;
            return this;
        }

        /** Simulated seconds per real second (e.g. 100 = a 50-minute job takes 30 s). */
        public Builder clockFactor(double clockFactor) {
            if (!(clockFactor > 0) || Double.isInfinite(clockFactor)) {
                throw new IllegalArgumentException("clockFactor must be a positive number: " + clockFactor);
            }
            this.clockFactor = clockFactor;
            return this;
        }

        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        public Builder accountId(String accountId) {
            this.accountId = Objects.requireNonNull(accountId, "accountId");
            return this;
        }

        /** Deliver EventBridge "SageMaker Training Job State Change" events to this SQS queue. */
        public Builder events(URI sqsEndpoint, String queueUrl) {
            this.sqsEndpoint = Objects.requireNonNull(sqsEndpoint, "sqsEndpoint");
            this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
            return this;
        }

        /** Seeds the metrics noise, the start-up jitter and every fault decision. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** CreateTrainingJob token bucket; {@code ratePerSecond <= 0} switches the limit off. */
        public Builder createTrainingJobRateLimit(double ratePerSecond, int burst) {
            if (burst < 1) throw new IllegalArgumentException("burst must be >= 1: " + burst);
            this.createTrainingJobRatePerSecond = ratePerSecond;
            this.createTrainingJobBurst = burst;
            return this;
        }

        /** The "ml.<type> for training job usage" quota for every type not set with {@link #instanceQuota}. */
        public Builder defaultInstanceQuota(int instances) {
            if (instances < 0) throw new IllegalArgumentException("quota must be >= 0: " + instances);
            this.defaultInstanceQuota = instances;
            return this;
        }

        public Builder instanceQuota(String instanceType, int instances) {
            if (instances < 0) throw new IllegalArgumentException("quota must be >= 0: " + instances);
            this.instanceQuotas.put(Objects.requireNonNull(instanceType, "instanceType"), instances);
            return this;
        }

        /** Faults active from start-up; they can be changed later with {@link SageMakerEmulator#faults()} or the admin endpoint. */
        public Builder faults(FaultSettings faults) {
            this.faults = Objects.requireNonNull(faults, "faults").copy();
            return this;
        }

        public EmulatorConfig build() {
            return new EmulatorConfig(this);
        }
    }
}
