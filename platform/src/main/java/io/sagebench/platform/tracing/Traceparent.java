package io.sagebench.platform.tracing;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * W3C trace context as it travels in the {@code traceparent} Kafka header and is stored beside a job or an outbox row:
 * one trace per design (docs/operations.md). W3C is used directly, so the trace travels on even while the OpenTelemetry
 * SDK is switched off (spans are then non-recording ones carrying the caller's context).
 */
public final class Traceparent {

    /** The Kafka header. */
    public static final String HEADER = "traceparent";

    private static final Pattern FORMAT = Pattern.compile("^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);

    private static final TextMapGetter<String> ONE_VALUE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(HEADER);
        }

        @Override
        public String get(String carrier, String key) {
            return HEADER.equals(key) ? carrier : null;
        }
    };

    private Traceparent() {
    }

    /** The value if it is a well-formed version-00 traceparent of a real trace, else null (a bad header starts no trace). */
    public static String valid(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return FORMAT.matcher(v).matches() && !v.substring(3, 35).equals(ZERO_TRACE)
                && !v.substring(36, 52).equals(ZERO_SPAN) ? v : null;
    }

    /** The trace id inside a valid traceparent (32 hex digits). */
    public static String traceId(String traceparent) {
        return traceparent.substring(3, 35);
    }

    /** The span as a traceparent, or null when it carries no valid context. */
    public static String of(SpanContext span) {
        return span.isValid() ? "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex()
                : null;
    }

    /** The span's traceparent, or {@code fallback} when it has none (the SDK off: the stored trace still travels). */
    public static String of(Span span, String fallback) {
        String own = of(span.getSpanContext());
        return own != null ? own : fallback;
    }

    /** The current span's traceparent, or null outside any span. */
    public static String current() {
        return of(Span.current().getSpanContext());
    }

    /**
     * The parent context a traceparent names, on top of the root context (never the current one: poller and scheduler
     * threads carry no design's context); the root itself when there is none.
     */
    public static Context parent(String traceparent) {
        String v = valid(traceparent);
        return v == null ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), v, ONE_VALUE);
    }
}
