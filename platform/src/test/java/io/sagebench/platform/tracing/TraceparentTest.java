package io.sagebench.platform.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

class TraceparentTest {

    private static final String GOOD = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aWellFormedTraceparentIsKeptAndNormalised() {
        assertEquals(GOOD, Traceparent.valid(" " + GOOD.toUpperCase() + " "));
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", Traceparent.traceId(GOOD));
    }

    @Test
    void malformedOrZeroTraceparentsStartNoTrace() {
        assertNull(Traceparent.valid(null));
        assertNull(Traceparent.valid("garbage"));
        assertNull(Traceparent.valid("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        assertNull(Traceparent.valid("00-" + "0".repeat(32) + "-00f067aa0ba902b7-01"));
        assertNull(Traceparent.valid("00-4bf92f3577b34da6a3ce929d0e0e4736-" + "0".repeat(16) + "-01"));
    }

    @Test
    void aParentRoundTripsThroughTheContext() {
        Context parent = Traceparent.parent(GOOD);
        assertEquals(GOOD, Traceparent.of(Span.fromContext(parent).getSpanContext()));
        assertEquals(Context.root(), Traceparent.parent("not a traceparent"));
        assertEquals("fallback", Traceparent.of(Span.getInvalid(), "fallback"));
    }
}
