package io.sagebench.launcher.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;

class RunSpansTest {
    private static final String RUN = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Test
    void withoutACurrentSpanTheRunsStoredTraceparentIsPassedOnAsItCame() {
        assertEquals(RUN, RunSpans.continuing(RUN));
        assertNull(RunSpans.continuing(null));
        assertNull(RunSpans.continuing("garbage"));
    }

    @Test
    void aCurrentSpanOfTheRunsTraceBecomesTheParentOneOfAnotherTraceDoesNot() {
        var sameTrace = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "1111111111111111",
                TraceFlags.getSampled(), TraceState.getDefault());
        try (var ignored = Span.wrap(sameTrace).makeCurrent()) {
            assertEquals("00-0af7651916cd43dd8448eb211c80319c-1111111111111111-01", RunSpans.continuing(RUN));
            assertEquals("00-0af7651916cd43dd8448eb211c80319c-1111111111111111-01", RunSpans.continuing(null));
        }
        var otherTrace = SpanContext.create("ffffffffffffffffffffffffffffffff", "2222222222222222",
                TraceFlags.getSampled(), TraceState.getDefault());
        try (var ignored = Span.wrap(otherTrace).makeCurrent()) {
            assertEquals(RUN, RunSpans.continuing(RUN), "a job state from another trace does not capture the run");
        }
    }
}
