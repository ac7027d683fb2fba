package io.sagebench.results.messaging;

import java.util.regex.Pattern;

/** W3C trace context as it travels in Kafka headers ({@code traceparent}, version 00). */
public final class Traceparents {

    public static final String HEADER = "traceparent";
    private static final Pattern FORMAT = Pattern.compile("^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$");
    private static final String ZERO_TRACE = "0".repeat(32);

    private Traceparents() {
    }

    /** The header's value if it is a well-formed traceparent of a real trace, else null (a bad header starts no trace). */
    public static String valid(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        return FORMAT.matcher(v).matches() && !v.substring(3, 35).equals(ZERO_TRACE) ? v : null;
    }

    /** The trace id inside a traceparent (32 hex). */
    public static String traceId(String traceparent) {
        return traceparent.substring(3, 35);
    }
}
