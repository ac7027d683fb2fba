package io.sagebench.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A service's /q/metrics (Prometheus text format), summed per metric name over all label sets. */
final class Metrics {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Metrics() { }

    static String text(String serviceUrl) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(serviceUrl + "/q/metrics"))
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError(serviceUrl + "/q/metrics answered HTTP " + r.statusCode());
        }
        return r.body();
    }

    static Map<String, Double> scrape(String serviceUrl) throws IOException, InterruptedException {
        return parse(text(serviceUrl));
    }

    static Map<String, Double> parse(String text) {
        Map<String, Double> sums = new TreeMap<>();
        for (String line : text.lines().toList()) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (m.find()) {
                double v;
                try {
                    v = Double.parseDouble(m.group(3));
                } catch (NumberFormatException e) {
                    continue;
                }
                sums.merge(m.group(1), Double.isNaN(v) ? 0 : v, Double::sum);
            }
        }
        return sums;
    }
}
