package io.sagebench.design.rest;

import io.quarkus.runtime.configuration.MemorySize;
import io.sagebench.design.app.DesignMetrics;
import io.sagebench.design.app.DesignPolicy;
import io.sagebench.platform.tracing.LogContext;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.MDC;

/**
 * A body over quarkus.http.limits.max-body-size is answered 413 with the same JSON error shape as a 400 (rule
 * payload-too-large), before anything reads it: at once when Content-Length says so, and for a chunked body when
 * Quarkus's own limit stops reading it. Also clears the request's design from the logging MDC.
 */
@ApplicationScoped
public class PayloadTooLargeHandler {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;
    @Inject
    DesignMetrics metrics;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::checkLength);
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                tooLarge(ctx);
            } else {
                ctx.next();
            }
        });
    }

    private void checkLength(RoutingContext ctx) {
        ctx.addEndHandler(done -> MDC.remove(LogContext.DESIGN_ID));
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxBodySize.asLongValue()) {
                    tooLarge(ctx);
                    return;
                }
            } catch (NumberFormatException e) {
                // not ours to judge: the HTTP layer answers a malformed Content-Length
            }
        }
        ctx.next();
    }

    private void tooLarge(RoutingContext ctx) {
        if (ctx.request().path().startsWith("/designs")) {
            metrics.designRejected(DesignPolicy.PAYLOAD_TOO_LARGE);
        }
        String body = "{\"errors\":[{\"path\":\"$\",\"message\":\"the request body is larger than the limit of "
                + maxBodySize.asLongValue() + " bytes\",\"rule\":\"" + DesignPolicy.PAYLOAD_TOO_LARGE + "\"}]}";
        ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close").end(body);
    }
}
