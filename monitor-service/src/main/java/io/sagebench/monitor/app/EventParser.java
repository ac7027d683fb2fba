package io.sagebench.monitor.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.monitor.domain.JobStatus;
import io.sagebench.monitor.domain.ParseOutcome;
import io.sagebench.monitor.domain.TrainingJobEvent;
import io.sagebench.monitor.domain.UnparseableEventException;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the SQS message body, which is the whole EventBridge event. Lenient where AWS itself is inconsistent (the docs
 * quote epoch-millisecond times as strings, the schema registry types them as numbers; Tags come as a list of
 * {Key,Value} or as an object) and ignores every field it does not need.
 */
public final class EventParser {

    public static final String SOURCE = "aws.sagemaker";
    public static final String DETAIL_TYPE = "SageMaker Training Job State Change";
    /** Below this a number cannot be epoch milliseconds of this century; read it as epoch seconds. */
    private static final long SMALLEST_EPOCH_MILLIS = 100_000_000_000L;

    private final ObjectMapper mapper;
    private final String jobNamePrefix;
    private final Optional<String> expectedAccount;

    public EventParser(ObjectMapper mapper, String jobNamePrefix, Optional<String> expectedAccount) {
        this.mapper = mapper;
        this.jobNamePrefix = jobNamePrefix;
        this.expectedAccount = expectedAccount;
    }

    /** @throws UnparseableEventException when the body is not JSON or lacks what a state change must carry */
    public ParseOutcome parse(String body) {
        JsonNode root = readTree(body);
        String source = text(root, "source");
        String detailType = text(root, "detail-type");
        if (source == null && detailType == null) {
            throw new UnparseableEventException("not an EventBridge event: no 'source' and no 'detail-type'");
        }
        if (!SOURCE.equals(source)) {
            return new ParseOutcome.Foreign("source '" + source + "' is not " + SOURCE);
        }
        if (!DETAIL_TYPE.equals(detailType)) {
            return new ParseOutcome.Foreign("detail-type '" + detailType + "' is not '" + DETAIL_TYPE + "'");
        }
        String account = text(root, "account");
        if (expectedAccount.isPresent() && !expectedAccount.get().equals(account)) {
            return new ParseOutcome.Foreign("account '" + account + "' is not " + expectedAccount.get());
        }
        JsonNode detail = root.get("detail");
        if (detail == null || !detail.isObject()) {
            throw new UnparseableEventException("'detail' is missing or not an object");
        }
        String jobName = text(detail, "TrainingJobName");
        if (jobName == null || jobName.isBlank()) {
            throw new UnparseableEventException("detail.TrainingJobName is missing");
        }
        if (!jobName.startsWith(jobNamePrefix)) {
            return new ParseOutcome.Foreign("job '" + jobName + "' does not start with '" + jobNamePrefix + "'");
        }
        String rawStatus = text(detail, "TrainingJobStatus");
        if (rawStatus == null) {
            throw new UnparseableEventException("detail.TrainingJobStatus is missing");
        }
        Optional<JobStatus> status = JobStatus.parse(rawStatus);
        if (status.isEmpty()) {
            if ("Deleting".equals(rawStatus)) {
                return new ParseOutcome.Foreign("status Deleting is not part of a job's run");
            }
            throw new UnparseableEventException("detail.TrainingJobStatus '" + rawStatus + "' is not a training job status");
        }
        String secondary = text(detail, "SecondaryStatus");
        Instant lastModified = epochOrIso(detail.get("LastModifiedTime"), "detail.LastModifiedTime")
                .or(() -> epochOrIso(root.get("time"), "time"))
                .orElseThrow(() -> new UnparseableEventException("neither detail.LastModifiedTime nor time is present"));
        String eventId = text(root, "id");
        return new ParseOutcome.Ours(new TrainingJobEvent(
                eventId == null || eventId.isBlank() ? null : eventId,
                account,
                jobName,
                text(detail, "TrainingJobArn"),
                status.get(),
                secondary == null || secondary.isBlank() ? status.get().name() : secondary,
                lastModified,
                blankToNull(text(detail, "FailureReason")),
                tags(detail.get("Tags")),
                maxRunSeconds(detail.get("StoppingCondition"))));
    }

    /** MaxWaitTimeInSeconds (spot: bounds the whole job) or MaxRuntimeInSeconds, as numbers or numeric strings. */
    static Long maxRunSeconds(JsonNode stoppingCondition) {
        if (stoppingCondition == null || !stoppingCondition.isObject()) {
            return null;
        }
        for (String field : new String[] {"MaxWaitTimeInSeconds", "MaxRuntimeInSeconds"}) {
            JsonNode v = stoppingCondition.get(field);
            if (v != null && (v.isNumber() || v.isTextual() && v.asText().trim().matches("\\d{1,10}"))) {
                long seconds = v.isNumber() ? v.asLong() : Long.parseLong(v.asText().trim());
                if (seconds > 0) {
                    return seconds;
                }
            }
        }
        return null;
    }

    private JsonNode readTree(String body) {
        if (body == null || body.isBlank()) {
            throw new UnparseableEventException("empty message body");
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new UnparseableEventException("body is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new UnparseableEventException("body is not a JSON object");
        }
        return root;
    }

    /** Epoch milliseconds as a number or a numeric string (seconds if implausibly small), or an ISO-8601 instant. */
    static Optional<Instant> epochOrIso(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isNumber()) {
            return Optional.of(fromEpoch(node.decimalValue()));
        }
        if (node.isTextual()) {
            String value = node.asText().trim();
            if (value.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(fromEpoch(new BigDecimal(value)));
            } catch (NumberFormatException notANumber) {
                try {
                    return Optional.of(OffsetDateTime.parse(value).toInstant());
                } catch (DateTimeParseException e) {
                    throw new UnparseableEventException(field + " '" + value + "' is neither epoch milliseconds nor ISO-8601");
                }
            }
        }
        throw new UnparseableEventException(field + " is neither a number nor a string");
    }

    /** Like {@link #epochOrIso} but null instead of an error, for optional fields of other events. */
    public static Instant instantOrNull(JsonNode node) {
        try {
            return epochOrIso(node, "instant").orElse(null);
        } catch (UnparseableEventException e) {
            return null;
        }
    }

    private static Instant fromEpoch(BigDecimal value) {
        BigDecimal millis = value.abs().compareTo(BigDecimal.valueOf(SMALLEST_EPOCH_MILLIS)) < 0
                ? value.movePointRight(3) : value;
        return Instant.ofEpochMilli(millis.longValue());
    }

    /** Tags as [{"Key":..,"Value":..}] (the API's shape) or {"k":"v"} (the doc sample's shape); anything else is no tags. */
    static Map<String, String> tags(JsonNode node) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (node == null) {
            return tags;
        }
        if (node.isArray()) {
            for (JsonNode tag : node) {
                String key = text(tag, "Key");
                if (key != null) {
                    tags.put(key, text(tag, "Value"));
                }
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : null));
        }
        return tags;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
