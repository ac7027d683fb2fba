package io.sagebench.results.app;

/**
 * Which record brought an event: its topic, its event id (the dedupe key) and the W3C traceparent it carried (null:
 * none, or not a valid one).
 */
public record Delivery(String topic, String eventId, String traceparent) {
}
