package io.sagebench.local;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the services export their spans in the end-to-end test: an OTLP/HTTP endpoint that accepts
 * {@code POST /v1/traces} (protobuf) and counts what arrived. A collector or Jaeger takes this place outside tests.
 */
final class OtlpSink implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger exports = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    OtlpSink() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestURI().getPath().equals("/v1/traces")) {
                exports.incrementAndGet();
                bytes.addAndGet(body.length);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);   // an empty ExportTraceServiceResponse
            exchange.close();
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int exports() { return exports.get(); }

    long bytes() { return bytes.get(); }

    @Override
    public void close() {
        server.stop(0);
    }
}
