package io.sagebench.results.client;

import software.amazon.awssdk.http.apache.ApacheHttpClient;

import java.time.Duration;

/** The HTTP client of results-service's AWS clients: short connect, a socket timeout longer than any answer takes. */
final class HttpClients {

    private HttpClients() {
    }

    static ApacheHttpClient.Builder apache() {
        return ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30));
    }
}
