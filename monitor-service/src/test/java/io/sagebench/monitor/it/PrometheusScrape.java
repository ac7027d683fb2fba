package io.sagebench.monitor.it;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;

/** Reads /q/metrics (open, no token) as Prometheus text and sums the samples of one metric whose labels match. */
final class PrometheusScrape {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String text;

    private PrometheusScrape(String text) {
        this.text = text;
    }

    static PrometheusScrape now() {
        return new PrometheusScrape(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** True if any sample of the metric is exported (whatever its value). */
    boolean has(String name) {
        return text.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " "));
    }

    /** The sum of the metric's samples whose labels include all of {@code labels} (0 when none). */
    double value(String name, Map<String, String> labels) {
        double sum = 0;
        for (String line : text.lines().toList()) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches() || !m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> actual = new java.util.HashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    actual.put(l.group(1), l.group(2));
                }
            }
            if (labels.entrySet().stream().allMatch(e -> e.getValue().equals(actual.get(e.getKey())))) {
                sum += Double.parseDouble(m.group(4));
            }
        }
        return sum;
    }
}
