package io.sagebench.emulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A SageMaker training API on the AWS JSON 1.1 wire protocol ({@code POST /}, {@code X-Amz-Target: SageMaker.<Op>}),
 * with jobs that walk the real lifecycle on a compressed clock and EventBridge state-change events delivered to SQS.
 * Admin endpoints under {@code /_emulator/} read and set fault injection.
 */
public final class SageMakerEmulator implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SageMakerEmulator.class.getName());
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final long TICK_MILLIS = 20;
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);
    private static final List<String> STATUSES = List.of("InProgress", "Completed", "Failed", "Stopping", "Stopped");
    private static final List<String> SORT_BY = List.of("Name", "CreationTime", "Status");
    private static final List<String> SORT_ORDER = List.of("Ascending", "Descending");

    private final EmulatorConfig config;
    private final VirtualClock clock;
    private final Faults faults;
    private final RateLimiter createRate;
    private final EventDelivery delivery;
    private final HttpServer server;
    private final ExecutorService httpExecutor;
    private final ScheduledExecutorService scheduler;
    private final Object lock = new Object();
    private final Map<String, TrainingJob> jobs = new LinkedHashMap<>();
    private final List<String> createdJobNames = new ArrayList<>();
    /** Self-test only (breakPromise=duplicate-create): the second job created under a name, by name. */
    private final Map<String, TrainingJob> duplicates = new LinkedHashMap<>();
    /**
     * Jobs (and duplicates) with steps still to apply: the clock and the quota check walk these, not every job ever
     * created (a benchmark's 10,000 finished jobs made each 20 ms tick, and every call waiting on the lock, slower).
     */
    private final Set<TrainingJob> unfinished = new LinkedHashSet<>();
    /** Every CreateTrainingJob call and its outcome, faulted ones included (GET /_emulator/jobs). */
    private final List<ObjectNode> createCalls = new ArrayList<>();

    private SageMakerEmulator(EmulatorConfig config) throws IOException {
        this.config = config;
        this.clock = new VirtualClock(config.clockFactor());
        this.faults = new Faults(config.seed(), config.faults());
        this.createRate = new RateLimiter(config.createTrainingJobRatePerSecond(), config.createTrainingJobBurst());
        this.delivery = config.deliversEvents()
                ? new EventDelivery(config.sqsEndpoint(), config.queueUrl(), config.region(), faults) : null;
        this.server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 64);
        this.httpExecutor = Executors.newFixedThreadPool(4, daemon("sagemaker-emulator-http"));
        this.server.setExecutor(httpExecutor);
        this.server.createContext("/", this::handle);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("sagemaker-emulator-clock"));
    }

    public static SageMakerEmulator start(EmulatorConfig config) throws IOException {
        // Without TCP_NODELAY each small JSON answer waits on Nagle's algorithm (~40 ms a call). The JDK reads this
        // once, when its HTTP server is first used; the AWS stand-in JVM also sets it on the command line.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        SageMakerEmulator emulator = new SageMakerEmulator(config);
        emulator.server.start();
        emulator.scheduler.scheduleWithFixedDelay(emulator::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return emulator;
    }

    /** The URL clients use; a wildcard bind address is reached over loopback. */
    public URI endpoint() {
        String host = config.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) host = "127.0.0.1";
        else if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
        return URI.create("http://" + host + ":" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Every job ever created, in creation order. */
    public List<String> createdJobNames() {
        synchronized (lock) {
            return List.copyOf(createdJobNames);
        }
    }

    /** The live fault switches and counters. */
    public Faults faults() {
        return faults;
    }

    /** The simulated clock's current time. */
    public Instant now() {
        return Instant.ofEpochMilli(clock.nowMillis());
    }

    /** Events queued but not yet sent (delayed, held for reordering, or waiting for the queue). */
    public int pendingEvents() {
        return delivery == null ? 0 : delivery.pendingCount();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        server.stop(0);
        httpExecutor.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (delivery != null) delivery.close();
    }

    // ------------------------------------------------------------------ clock

    private void tick() {
        // One thread runs the clock; nothing thrown here may end it.
        try {
            synchronized (lock) {
                advanceAll(clock.nowMillis());
            }
            if (delivery != null) delivery.deliverDue();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "emulator tick failed; continuing", t);
        }
    }

    /** Applies every due step of every job and publishes one event per state change. Caller holds the lock. */
    private void advanceAll(long nowMillis) {
        // In creation order, as before: events of jobs due in the same tick keep that order.
        for (TrainingJob job : List.copyOf(unfinished)) {
            advance(job, nowMillis);
        }
    }

    /** Caller holds the lock. */
    private void advance(TrainingJob job, long nowMillis) {
        List<TrainingJob.Step> changes = job.advanceTo(nowMillis);
        // Several changes can fall due in one tick; each event shows the job as it was right after its own change.
        for (TrainingJob.Step change : changes) {
            publishEvent(job, change);
        }
        if (job.terminal() && !job.hasMoreSteps()) {
            unfinished.remove(job);
        } else {
            unfinished.add(job);
        }
    }

    private void publishEvent(TrainingJob job, TrainingJob.Step step) {
        if (delivery == null || job.duplicate) return;
        ObjectNode event = eventBridgeEvent(job, step);
        int seq = job.eventSequence++;
        boolean hasSuccessor = !step.terminal();
        try {
            delivery.publish(job.name, job.name + "#" + seq, JSON.writeValueAsString(event), hasSuccessor);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/_emulator")) {
                handleAdmin(exchange, path);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                sendError(exchange, requestId, new AwsError(404, "UnknownOperationException",
                        "Only POST / with an X-Amz-Target header is supported"));
                return;
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String op = target != null && target.startsWith("SageMaker.") ? target.substring("SageMaker.".length()) : null;
            try {
                JsonNode body = readBody(exchange.getRequestBody());
                if (op == null) {
                    throw new AwsError(400, "UnknownOperationException",
                            "Unrecognized operation: X-Amz-Target '" + target + "'");
                }
                ObjectNode response = dispatch(op, body);
                send(exchange, 200, requestId, JSON.writeValueAsBytes(response), null);
            } catch (AwsError e) {
                sendError(exchange, requestId, e);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "request " + op + " failed", e);
                sendError(exchange, requestId, AwsError.internalFailure());
            }
        }
    }

    private static JsonNode readBody(InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        if (bytes.length == 0) return JSON.createObjectNode();
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) throw new AwsError(400, "SerializationException", "Request body must be a JSON object");
            return node;
        } catch (JsonProcessingException e) {
            throw new AwsError(400, "SerializationException", "Malformed JSON request body: " + e.getOriginalMessage());
        }
    }

    private ObjectNode dispatch(String op, JsonNode body) {
        boolean known = switch (op) {
            case "CreateTrainingJob", "DescribeTrainingJob", "StopTrainingJob", "ListTrainingJobs", "ListTags", "AddTags" -> true;
            default -> false;
        };
        if (!known) {
            throw new AwsError(400, "UnknownOperationException", "Unrecognized operation: SageMaker." + op
                    + " (the emulator implements CreateTrainingJob, DescribeTrainingJob, StopTrainingJob, ListTrainingJobs,"
                    + " ListTags, AddTags)");
        }
        if (op.equals("CreateTrainingJob")) {
            try {
                ObjectNode response = dispatchKnown(op, body);
                recordCreateCall(body, "created");
                return response;
            } catch (AwsError e) {
                recordCreateCall(body, e.code);
                throw e;
            }
        }
        return dispatchKnown(op, body);
    }

    private void recordCreateCall(JsonNode body, String outcome) {
        ObjectNode call = JSON.createObjectNode();
        call.put("trainingJobName", body.path("TrainingJobName").asText(null));
        body.path("Tags").forEach(t -> {
            if (t.path("Key").asText().equals("sagebench:run-id")) call.put("runId", t.path("Value").asText());
            if (t.path("Key").asText().equals("sagebench:attempt")) call.put("attempt", t.path("Value").asText());
        });
        call.put("outcome", outcome);
        call.put("atMillis", clock.nowMillis());
        synchronized (lock) {
            createCalls.add(call);
        }
    }

    private ObjectNode dispatchKnown(String op, JsonNode body) {
        if (faults.apiFault("throttlePercent")) {
            faults.increment(Faults.THROTTLED);
            throw AwsError.throttling();
        }
        if (faults.apiFault("internalErrorPercent")) {
            faults.increment(Faults.INTERNAL_ERRORS);
            throw AwsError.internalFailure();
        }
        return switch (op) {
            case "CreateTrainingJob" -> createTrainingJob(body);
            case "DescribeTrainingJob" -> describeTrainingJob(body);
            case "StopTrainingJob" -> stopTrainingJob(body);
            case "ListTrainingJobs" -> listTrainingJobs(body);
            case "ListTags" -> listTags(body);
            default -> addTags(body);
        };
    }

    private static void send(HttpExchange exchange, int status, String requestId, byte[] body, String errorType)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        if (errorType != null) exchange.getResponseHeaders().set("X-Amzn-ErrorType", errorType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void sendError(HttpExchange exchange, String requestId, AwsError e) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("__type", e.code).put("message", e.getMessage());
        send(exchange, e.httpStatus, requestId, JSON.writeValueAsBytes(body), e.code);
    }

    // ------------------------------------------------------------------ operations

    private ObjectNode createTrainingJob(JsonNode request) {
        if (!createRate.tryAcquire()) {
            faults.increment(Faults.RATE_LIMITED);
            throw AwsError.throttling();
        }
        CreateTrainingJobValidator.validate(request);
        String name = request.get("TrainingJobName").asText();
        String type = request.get("ResourceConfig").get("InstanceType").asText();
        int count = request.get("ResourceConfig").get("InstanceCount").asInt();
        synchronized (lock) {
            long now = clock.nowMillis();
            advanceAll(now);
            if (jobs.containsKey(name)) {
                throw new AwsError(400, "ResourceInUse", "Training job names must be unique within an AWS account and "
                        + "region, and a training job with this name already exists (" + arn(name) + ")");
            }
            int used = 0;
            for (TrainingJob j : unfinished) {   // a job holding instances is not finished
                if (j.holdsInstances() && j.instanceType.equals(type)) used += j.instanceCount;
            }
            int quota = config.instanceQuota(type);
            if (used + count > quota) {
                faults.increment(Faults.QUOTA_REJECTED);
                throw new AwsError(400, "ResourceLimitExceeded", "The account-level service limit '" + type
                        + " for training job usage' is " + quota + " Instances, with current utilization of " + used
                        + " Instances and a request delta of " + count + " Instances. Please contact AWS support to "
                        + "request an increase for this limit.");
            }
            ObjectNode copy = request.deepCopy();
            LifecyclePlanner.Plan plan = LifecyclePlanner.plan(name, copy, now, config.seed(), faults);
            List<TrainingJob.Tag> tags = new ArrayList<>();
            copy.path("Tags").forEach(t -> tags.add(new TrainingJob.Tag(t.path("Key").asText(), t.path("Value").asText())));
            TrainingJob job = new TrainingJob(name, arn(name), copy, now, type, count,
                    copy.path("EnableManagedSpotTraining").asBoolean(false), plan.workload(), plan.billedFraction(),
                    plan.steps(), plan.metrics(), plan.metricsAtMillis(), tags);
            jobs.put(name, job);
            createdJobNames.add(name);
            String broken = faults.breakPromise();
            job.neverEnds = broken.equals("never-end");
            if (broken.equals("duplicate-create") && !duplicates.containsKey(name)) {
                // The promise AWS keeps and this breaks on purpose: one name, one job. The same request is processed a
                // second time, as if an internal retry had created another job; it runs and bills, silently.
                LifecyclePlanner.Plan again = LifecyclePlanner.plan(name, copy, now, config.seed(), faults);
                TrainingJob twin = new TrainingJob(name, arn(name), copy.deepCopy(), now, type, count,
                        copy.path("EnableManagedSpotTraining").asBoolean(false), again.workload(), again.billedFraction(),
                        again.steps(), again.metrics(), again.metricsAtMillis(), tags);
                twin.duplicate = true;
                duplicates.put(name, twin);
                createdJobNames.add(name);
                advance(twin, now);
            }
            advance(job, now);
            return JSON.createObjectNode().put("TrainingJobArn", job.arn);
        }
    }

    private ObjectNode describeTrainingJob(JsonNode request) {
        String name = requiredName(request);
        synchronized (lock) {
            TrainingJob job = jobs.get(name);
            if (job == null) throw AwsError.notFound();
            advance(job, clock.nowMillis());
            return describe(job);
        }
    }

    private ObjectNode stopTrainingJob(JsonNode request) {
        String name = requiredName(request);
        synchronized (lock) {
            TrainingJob job = jobs.get(name);
            if (job == null) throw AwsError.notFound();
            long now = clock.nowMillis();
            advance(job, now);
            job.stopRequests++;
            if (job.firstStopMillis == null) job.firstStopMillis = now;
            if ("Stopping".equals(job.status)) return JSON.createObjectNode();   // already stopping: nothing to do
            if (job.terminal()) {
                throw AwsError.validation("The request was rejected because the training job is in status "
                        + job.status + ".");
            }
            job.replanFrom(LifecyclePlanner.stop(job, now));
            advance(job, now);
            return JSON.createObjectNode();
        }
    }

    private static String requiredName(JsonNode request) {
        JsonNode n = request.get("TrainingJobName");
        if (n == null || n.isNull()) {
            throw AwsError.validation(List.of(
                    "Value null at 'trainingJobName' failed to satisfy constraint: Member must not be null"));
        }
        return n.asText();
    }

    private ObjectNode listTrainingJobs(JsonNode r) {
        List<String> problems = new ArrayList<>();
        int maxResults = 10;
        if (r.hasNonNull("MaxResults")) {
            maxResults = r.get("MaxResults").asInt();
            if (maxResults < 1 || maxResults > 100) {
                problems.add("Value '" + maxResults + "' at 'maxResults' failed to satisfy constraint: Member must have "
                        + "value " + (maxResults < 1 ? "greater than or equal to 1" : "less than or equal to 100"));
            }
        }
        String sortBy = r.path("SortBy").asText("CreationTime");
        if (!SORT_BY.contains(sortBy)) {
            problems.add("Value '" + sortBy + "' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value "
                    + "set: " + SORT_BY);
        }
        String sortOrder = r.path("SortOrder").asText("Ascending");
        if (!SORT_ORDER.contains(sortOrder)) {
            problems.add("Value '" + sortOrder + "' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum "
                    + "value set: " + SORT_ORDER);
        }
        String status = r.hasNonNull("StatusEquals") ? r.get("StatusEquals").asText() : null;
        if (status != null && !STATUSES.contains(status)) {
            problems.add("Value '" + status + "' at 'statusEquals' failed to satisfy constraint: Member must satisfy enum "
                    + "value set: " + STATUSES);
        }
        if (!problems.isEmpty()) throw AwsError.validation(problems);
        int offset = decodeToken(r.hasNonNull("NextToken") ? r.get("NextToken").asText() : null);
        String nameContains = r.hasNonNull("NameContains") ? r.get("NameContains").asText() : null;
        Long createdAfter = epochMillis(r.get("CreationTimeAfter"));
        Long createdBefore = epochMillis(r.get("CreationTimeBefore"));
        Long modifiedAfter = epochMillis(r.get("LastModifiedTimeAfter"));
        Long modifiedBefore = epochMillis(r.get("LastModifiedTimeBefore"));

        List<TrainingJob> matches = new ArrayList<>();
        synchronized (lock) {
            advanceAll(clock.nowMillis());
            List<TrainingJob> all = new ArrayList<>(jobs.values());
            all.addAll(duplicates.values());   // empty unless the self-test switch breakPromise=duplicate-create is on
            for (TrainingJob j : all) {
                if (status != null && !status.equals(j.status)) continue;
                if (nameContains != null && !j.name.contains(nameContains)) continue;
                if (createdAfter != null && j.creationMillis <= createdAfter) continue;
                if (createdBefore != null && j.creationMillis >= createdBefore) continue;
                if (modifiedAfter != null && j.lastModifiedMillis <= modifiedAfter) continue;
                if (modifiedBefore != null && j.lastModifiedMillis >= modifiedBefore) continue;
                matches.add(j);
            }
            Comparator<TrainingJob> order = switch (sortBy) {
                case "Name" -> Comparator.comparing(j -> j.name);
                case "Status" -> Comparator.comparing((TrainingJob j) -> j.status).thenComparing(j -> j.creationMillis);
                default -> Comparator.comparingLong((TrainingJob j) -> j.creationMillis);
            };
            matches.sort("Descending".equals(sortOrder) ? order.reversed() : order);
            ArrayNode summaries = JSON.createArrayNode();
            int end = Math.min(matches.size(), offset + maxResults);
            for (int i = offset; i < end; i++) {
                TrainingJob j = matches.get(i);
                ObjectNode s = summaries.addObject();
                s.put("TrainingJobName", j.name);
                s.put("TrainingJobArn", j.arn);
                s.put("CreationTime", seconds(j.creationMillis));
                if (j.trainingEndMillis != null) s.put("TrainingEndTime", seconds(j.trainingEndMillis));
                s.put("LastModifiedTime", seconds(j.lastModifiedMillis));
                s.put("TrainingJobStatus", j.status);
                s.put("SecondaryStatus", j.secondaryStatus);
            }
            ObjectNode out = JSON.createObjectNode();
            out.set("TrainingJobSummaries", summaries);
            if (end < matches.size()) out.put("NextToken", encodeToken(end));
            return out;
        }
    }

    private ObjectNode listTags(JsonNode r) {
        TrainingJob job = jobByArn(r);
        int maxResults = r.hasNonNull("MaxResults") ? r.get("MaxResults").asInt() : 50;
        if (maxResults < 50 || maxResults > 10000) {
            throw AwsError.validation(List.of("Value '" + maxResults + "' at 'maxResults' failed to satisfy constraint: "
                    + "Member must have value between 50 and 10000"));
        }
        int offset = decodeToken(r.hasNonNull("NextToken") ? r.get("NextToken").asText() : null);
        synchronized (lock) {
            List<TrainingJob.Tag> tags = new ArrayList<>(job.tags.values());
            ArrayNode out = JSON.createArrayNode();
            int end = Math.min(tags.size(), offset + maxResults);
            for (int i = offset; i < end; i++) {
                out.addObject().put("Key", tags.get(i).key()).put("Value", tags.get(i).value());
            }
            ObjectNode response = JSON.createObjectNode();
            response.set("Tags", out);
            if (end < tags.size()) response.put("NextToken", encodeToken(end));
            return response;
        }
    }

    private ObjectNode addTags(JsonNode r) {
        TrainingJob job = jobByArn(r);
        JsonNode tags = r.get("Tags");
        if (tags == null || !tags.isArray()) {
            throw AwsError.validation(List.of("Value null at 'tags' failed to satisfy constraint: Member must not be null"));
        }
        List<String> problems = CreateTrainingJobValidator.tagProblems(tags, "tags");
        if (!problems.isEmpty()) throw AwsError.validation(problems);
        synchronized (lock) {
            int after = job.tags.size();
            for (JsonNode t : tags) {
                if (!job.tags.containsKey(t.get("Key").asText())) after++;
            }
            if (after > CreateTrainingJobValidator.MAX_TAGS) {
                throw new AwsError(400, "ResourceLimitExceeded", "You can't add more than "
                        + CreateTrainingJobValidator.MAX_TAGS + " tags to a resource.");
            }
            for (JsonNode t : tags) {
                String key = t.get("Key").asText();
                job.tags.put(key, new TrainingJob.Tag(key, t.get("Value").asText()));
            }
            ObjectNode response = JSON.createObjectNode();
            response.set("Tags", tags.deepCopy());
            return response;
        }
    }

    private TrainingJob jobByArn(JsonNode r) {
        JsonNode arnNode = r.get("ResourceArn");
        if (arnNode == null || arnNode.isNull()) {
            throw AwsError.validation(List.of(
                    "Value null at 'resourceArn' failed to satisfy constraint: Member must not be null"));
        }
        String arn = arnNode.asText();
        String prefix = "arn:aws:sagemaker:" + config.region() + ":" + config.accountId() + ":training-job/";
        synchronized (lock) {
            TrainingJob job = arn.startsWith(prefix) ? jobs.get(arn.substring(prefix.length())) : null;
            if (job == null) throw AwsError.notFound();
            return job;
        }
    }

    // ------------------------------------------------------------------ shapes

    private String arn(String name) {
        return "arn:aws:sagemaker:" + config.region() + ":" + config.accountId() + ":training-job/" + name;
    }

    private ObjectNode describe(TrainingJob job) {
        ObjectNode d = JSON.createObjectNode();
        JsonNode req = job.request;
        d.put("TrainingJobName", job.name);
        d.put("TrainingJobArn", job.arn);
        d.putObject("ModelArtifacts").put("S3ModelArtifacts", modelArtifacts(job));
        d.put("TrainingJobStatus", job.status);
        d.put("SecondaryStatus", job.secondaryStatus);
        if (job.failureReason != null) d.put("FailureReason", job.failureReason);
        copy(req, d, "HyperParameters");
        d.set("AlgorithmSpecification", algorithmSpecification(req));
        copy(req, d, "RoleArn");
        copy(req, d, "InputDataConfig");
        copy(req, d, "OutputDataConfig");
        copy(req, d, "ResourceConfig");
        copy(req, d, "VpcConfig");
        d.set("StoppingCondition", stoppingCondition(req));
        d.put("CreationTime", seconds(job.creationMillis));
        if (job.trainingStartMillis != null) d.put("TrainingStartTime", seconds(job.trainingStartMillis));
        if (job.trainingEndMillis != null) d.put("TrainingEndTime", seconds(job.trainingEndMillis));
        d.put("LastModifiedTime", seconds(job.lastModifiedMillis));
        ArrayNode transitions = d.putArray("SecondaryStatusTransitions");
        for (TrainingJob.Transition t : job.transitions) {
            ObjectNode n = transitions.addObject();
            n.put("Status", t.status);
            n.put("StartTime", seconds(t.startMillis));
            if (t.endMillis != null) n.put("EndTime", seconds(t.endMillis));
            n.put("StatusMessage", t.message);
        }
        if (job.finalMetrics != null && !job.finalMetrics.isEmpty()) {
            ArrayNode metrics = d.putArray("FinalMetricDataList");
            job.finalMetrics.forEach((k, v) -> metrics.addObject().put("MetricName", k).put("Value", v)
                    .put("Timestamp", seconds(job.finalMetricsAtMillis)));
        }
        d.put("EnableNetworkIsolation", req.path("EnableNetworkIsolation").asBoolean(false));
        d.put("EnableInterContainerTrafficEncryption", req.path("EnableInterContainerTrafficEncryption").asBoolean(false));
        d.put("EnableManagedSpotTraining", job.spot);
        copy(req, d, "CheckpointConfig");
        Long training = job.trainingTimeSeconds();
        Long billable = job.billableTimeSeconds();
        if (training != null) d.put("TrainingTimeInSeconds", training);
        if (billable != null) d.put("BillableTimeInSeconds", billable);
        copy(req, d, "DebugHookConfig");
        copy(req, d, "ProfilerConfig");
        copy(req, d, "Environment");
        copy(req, d, "RetryStrategy");
        return d;
    }

    private static JsonNode algorithmSpecification(JsonNode req) {
        ObjectNode a = req.get("AlgorithmSpecification").deepCopy();
        if (!a.has("EnableSageMakerMetricsTimeSeries")) a.put("EnableSageMakerMetricsTimeSeries", false);
        return a;
    }

    private static JsonNode stoppingCondition(JsonNode req) {
        ObjectNode s = req.get("StoppingCondition").deepCopy();
        if (!s.hasNonNull("MaxRuntimeInSeconds")) s.put("MaxRuntimeInSeconds", LifecyclePlanner.DEFAULT_MAX_RUNTIME_SECONDS);
        return s;
    }

    private static String modelArtifacts(TrainingJob job) {
        String out = job.request.path("OutputDataConfig").path("S3OutputPath").asText();
        if (out.endsWith("/")) out = out.substring(0, out.length() - 1);
        return out + "/" + job.name + "/output/model.tar.gz";
    }

    /**
     * The EventBridge "SageMaker Training Job State Change" event as SQS receives it. Times in {@code detail} are
     * epoch milliseconds; no billable time or metrics (the real event has neither).
     */
    private ObjectNode eventBridgeEvent(TrainingJob job, TrainingJob.Step step) {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "0");
        // Random like EventBridge's: deterministic ids would collide across runs that reuse job names (a second demo
        // against the same database). A duplicated delivery reuses the body, so it keeps the id.
        e.put("id", UUID.randomUUID().toString());
        e.put("detail-type", "SageMaker Training Job State Change");
        e.put("source", "aws.sagemaker");
        e.put("account", config.accountId());
        e.put("time", Instant.ofEpochMilli(step.atMillis()).truncatedTo(ChronoUnit.SECONDS).toString());
        e.put("region", config.region());
        e.putArray("resources").add(job.arn);
        ObjectNode d = e.putObject("detail");
        JsonNode req = job.request;
        d.put("TrainingJobName", job.name);
        d.put("TrainingJobArn", job.arn);
        d.put("TrainingJobStatus", step.status());
        d.put("SecondaryStatus", step.secondaryStatus());
        if ("Failed".equals(step.status()) && step.failureReason() != null) d.put("FailureReason", step.failureReason());
        copy(req, d, "HyperParameters");
        ObjectNode algorithm = d.putObject("AlgorithmSpecification");
        copy(req.path("AlgorithmSpecification"), algorithm, "TrainingImage");
        copy(req.path("AlgorithmSpecification"), algorithm, "TrainingInputMode");
        copy(req, d, "RoleArn");
        copy(req, d, "InputDataConfig");
        copy(req, d, "OutputDataConfig");
        copy(req, d, "ResourceConfig");
        if (req.has("VpcConfig")) copy(req, d, "VpcConfig");
        else d.putObject("VpcConfig");
        d.set("StoppingCondition", stoppingCondition(req));
        d.put("CreationTime", job.creationMillis);
        if (job.trainingStartMillis != null && job.trainingStartMillis <= step.atMillis()) {
            d.put("TrainingStartTime", job.trainingStartMillis);
        }
        if (step.terminal() && job.trainingStartMillis != null) d.put("TrainingEndTime", step.atMillis());
        d.put("LastModifiedTime", step.atMillis());
        ArrayNode transitions = d.putArray("SecondaryStatusTransitions");
        for (TrainingJob.Transition t : job.transitions) {
            if (t.startMillis > step.atMillis()) break;
            ObjectNode n = transitions.addObject();
            n.put("Status", t.status);
            n.put("StartTime", t.startMillis);
            if (t.endMillis != null && t.endMillis <= step.atMillis()) n.put("EndTime", t.endMillis);
            n.put("StatusMessage", t.message);
        }
        if (step.terminal()) {
            d.putObject("ModelArtifacts").put("S3ModelArtifacts", modelArtifacts(job));
        }
        ArrayNode tags = d.putArray("Tags");
        job.tags.values().forEach(t -> tags.addObject().put("Key", t.key()).put("Value", t.value()));
        return e;
    }

    // ------------------------------------------------------------------ admin

    private void handleAdmin(HttpExchange exchange, String path) throws IOException {
        String requestId = UUID.randomUUID().toString();
        String method = exchange.getRequestMethod();
        try {
            if (path.equals("/_emulator/health")) {
                send(exchange, 200, requestId, JSON.writeValueAsBytes(JSON.createObjectNode().put("status", "UP")
                        .put("simulatedTime", now().toString()).put("clockFactor", clock.factor())), null);
            } else if (path.equals("/_emulator/jobs") && method.equals("GET")) {
                send(exchange, 200, requestId, JSON.writeValueAsBytes(jobsView()), null);
            } else if (path.equals("/_emulator/faults") && method.equals("GET")) {
                send(exchange, 200, requestId, JSON.writeValueAsBytes(faultsView()), null);
            } else if (path.equals("/_emulator/faults") && (method.equals("POST") || method.equals("PUT"))) {
                JsonNode body = readBody(exchange.getRequestBody());
                FaultSettings next = faults.settings();
                List<String> problems = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    if (f.getKey().equals("breakPromise")) {
                        String v = f.getValue().asText();
                        if (!FaultSettings.BREAK_PROMISE_VALUES.contains(v)) {
                            problems.add("breakPromise must be one of " + FaultSettings.BREAK_PROMISE_VALUES + ", got " + f.getValue());
                        } else {
                            next.breakPromise(v);
                        }
                        continue;
                    }
                    if (f.getKey().equals("eventDelayMillis")) {
                        if (!f.getValue().canConvertToLong() || f.getValue().asLong() < 0) {
                            problems.add("eventDelayMillis must be a whole number >= 0, got " + f.getValue());
                        } else {
                            next.eventDelayMillis(f.getValue().asLong());
                        }
                        continue;
                    }
                    if (!f.getValue().isNumber()) {
                        FaultSettings.check(f.getKey(), Double.NaN, problems);
                        continue;
                    }
                    int before = problems.size();
                    FaultSettings.check(f.getKey(), f.getValue().asDouble(), problems);
                    if (problems.size() == before) next.set(f.getKey(), f.getValue().asDouble());
                }
                if (!problems.isEmpty()) {
                    ObjectNode err = JSON.createObjectNode();
                    err.put("message", problems.size() + " problem(s) in the fault settings; nothing was changed");
                    ArrayNode list = err.putArray("problems");
                    problems.forEach(list::add);
                    send(exchange, 400, requestId, JSON.writeValueAsBytes(err), null);
                    return;
                }
                faults.update(next);
                LOG.log(System.Logger.Level.INFO, "fault settings now " + next);
                send(exchange, 200, requestId, JSON.writeValueAsBytes(faultsView()), null);
            } else {
                ObjectNode err = JSON.createObjectNode().put("message", "No admin endpoint " + method + " " + path
                        + "; try GET /_emulator/health, GET /_emulator/jobs, GET or POST /_emulator/faults");
                send(exchange, 404, requestId, JSON.writeValueAsBytes(err), null);
            }
        } catch (AwsError e) {
            sendError(exchange, requestId, e);
        }
    }

    /**
     * The emulator's own record, for the chaos suite's checks: every job (with its tags, billing and the StopTrainingJob
     * calls that reached it; {@code duplicate} marks a second job under one name, which only the self-test switch
     * creates) and every CreateTrainingJob call with its outcome (faulted calls included). Times are simulated epoch ms.
     */
    private ObjectNode jobsView() {
        ObjectNode out = JSON.createObjectNode();
        synchronized (lock) {
            long now = clock.nowMillis();
            advanceAll(now);
            out.put("nowMillis", now);
            ArrayNode list = out.putArray("jobs");
            List<TrainingJob> all = new ArrayList<>(jobs.values());
            all.addAll(duplicates.values());
            for (TrainingJob j : all) {
                ObjectNode n = list.addObject();
                n.put("trainingJobName", j.name);
                n.put("duplicate", j.duplicate);
                n.put("status", j.status);
                n.put("secondaryStatus", j.secondaryStatus);
                if (j.failureReason != null) n.put("failureReason", j.failureReason);
                n.put("instanceType", j.instanceType);
                n.put("instanceCount", j.instanceCount);
                n.put("spot", j.spot);
                n.put("creationMillis", j.creationMillis);
                if (j.trainingStartMillis != null) n.put("trainingStartMillis", j.trainingStartMillis);
                if (j.terminal()) n.put("endMillis", j.lastModifiedMillis);
                Long billable = j.billableTimeSeconds();
                if (billable != null) n.put("billableSeconds", billable);
                n.put("stopRequests", j.stopRequests);
                if (j.firstStopMillis != null) n.put("firstStopMillis", j.firstStopMillis);
                ObjectNode tags = n.putObject("tags");
                j.tags.values().forEach(t -> tags.put(t.key(), t.value()));
            }
            ArrayNode calls = out.putArray("createCalls");
            createCalls.forEach(c -> calls.add(c.deepCopy()));
        }
        return out;
    }

    private ObjectNode faultsView() {
        ObjectNode out = JSON.createObjectNode();
        out.set("settings", JSON.valueToTree(faults.settings().asMap()));
        out.set("counts", JSON.valueToTree(faults.counts()));
        return out;
    }

    // ------------------------------------------------------------------ helpers

    private static void copy(JsonNode from, ObjectNode to, String field) {
        JsonNode v = from.get(field);
        if (v != null && !v.isNull() && !v.isMissingNode()) to.set(field, v.deepCopy());
    }

    /** Epoch seconds with millisecond precision, written as a plain JSON number (e.g. 1645031653.461). */
    static BigDecimal seconds(long epochMillis) {
        return BigDecimal.valueOf(epochMillis, 3);
    }

    private static Long epochMillis(JsonNode n) {
        if (n == null || n.isNull()) return null;
        if (n.isNumber()) return Math.round(n.asDouble() * 1000);
        try {
            return Instant.parse(n.asText()).toEpochMilli();
        } catch (RuntimeException e) {
            throw AwsError.validation("Invalid timestamp: " + n.asText());
        }
    }

    private static String encodeToken(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeToken(String token) {
        if (token == null || token.isEmpty()) return 0;
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!s.startsWith("offset:")) throw new IllegalArgumentException(s);
            int offset = Integer.parseInt(s.substring("offset:".length()));
            if (offset < 0) throw new IllegalArgumentException(s);
            return offset;
        } catch (IllegalArgumentException e) {
            throw AwsError.validation("Invalid pagination token: " + token);
        }
    }

    static Map<String, String> stringMap(JsonNode node) {
        if (node == null || !node.isObject()) return Collections.emptyMap();
        Map<String, String> m = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
