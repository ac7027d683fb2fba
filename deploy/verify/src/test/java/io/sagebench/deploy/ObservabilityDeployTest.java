package io.sagebench.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/observability and where it is deployed: the alert rules are one source (the PrometheusRule is generated from
 * them), every alert has a runbook section in docs/operations.md, the dashboard reads only Prometheus, and compose's
 * `observability` profile and the Kubernetes ServiceMonitor reach every service. That the named metrics really exist
 * is checked against live services by deploy/local/stack's ObservabilityE2EIT.
 */
class ObservabilityDeployTest {

    static final Pattern METRIC = Pattern.compile("\\b((?:sagebench|kafka|agroal|http_server)_[a-z0-9_]+)\\b");

    static JsonNode alerts() {
        return Yaml.parse(Repo.read("deploy/observability/prometheus/alerts.yml"));
    }

    static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(Repo.read("deploy/observability/grafana/dashboards/sagebench.json"));
    }

    /** Every metric name the dashboard's and the rules' expressions use (ObservabilityE2EIT checks them live). */
    static Set<String> metricNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void thePrometheusRuleIsGeneratedFromTheAlertRules() {
        Repo.Run r = Repo.run(Repo.path("deploy/k8s"), KubernetesTest.INSTALL, "kubectl", "kustomize", "overlays/aws");
        assertEquals(0, r.exitCode(), r.stderr());
        JsonNode rule = Yaml.parseAll(r.stdout()).stream().filter(o -> o.path("kind").asText().equals("PrometheusRule"))
                .findFirst().orElseThrow(() -> new AssertionError("aws overlay: no PrometheusRule"));
        assertEquals(alerts().path("groups"), rule.at("/spec/groups"),
                "deploy/k8s/components/monitoring/prometheus-rule.yaml is stale: run deploy/observability/generate-k8s.sh");
    }

    @Test
    void everyAlertHasARunbookInOperationsAndEveryRuleNamesMetrics() {
        String operations = Repo.read("docs/operations.md").toLowerCase();
        int count = 0;
        for (JsonNode group : alerts().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.path("alert").asText();
                String runbook = rule.at("/annotations/runbook").asText();
                assertEquals("docs/operations.md#" + name.toLowerCase(), runbook, name + "'s runbook link");
                assertTrue(operations.contains("#### " + name.toLowerCase()), "docs/operations.md has no section #### " + name);
                assertTrue(List.of("warning", "critical").contains(rule.at("/labels/severity").asText()), name + " severity");
                if (!name.equals("SagebenchServiceDown")) {
                    assertFalse(metricNames(rule.path("expr").asText()).isEmpty(), name + " names no sagebench metric");
                }
                count++;
            }
        }
        assertTrue(count >= 6, "alerts: " + count);
    }

    @Test
    void theDashboardShowsSpendRunsDeferralsLagAndErrorsFromPrometheus() throws IOException {
        JsonNode dash = dashboard();
        StringBuilder exprs = new StringBuilder();
        Set<String> titles = new TreeSet<>();
        for (JsonNode panel : dash.path("panels")) {
            titles.add(panel.path("title").asText().toLowerCase());
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertEquals("prometheus", panel.at("/datasource/uid").asText(), panel.path("title").asText());
            assertFalse(panel.path("targets").isEmpty(), panel.path("title") + " has no query");
            panel.path("targets").forEach(t -> exprs.append(t.path("expr").asText()).append('\n'));
        }
        for (String needed : List.of("spend per day", "billed per design", "runs by state", "deferrals by reason", "consumer lag", "errors")) {
            assertTrue(titles.stream().anyMatch(t -> t.contains(needed)), "the dashboard has no panel on " + needed + ": " + titles);
        }
        Set<String> used = metricNames(exprs.toString());
        for (String m : List.of("sagebench_billed_usd_total", "sagebench_runs_deferred_total", "kafka_consumer_fetch_manager_records_lag_max")) {
            assertTrue(used.contains(m), "the dashboard does not use " + m);
        }
        JsonNode datasource = Yaml.parse(Repo.read("deploy/observability/grafana/provisioning/datasources/prometheus.yml"));
        assertEquals("prometheus", datasource.at("/datasources/0/uid").asText(), "the panels' datasource uid is provisioned");
    }

    @Test
    void composesObservabilityProfileScrapesEveryServiceAndLoadsTheRules() {
        Repo.Run r = Repo.run(Repo.path("deploy/compose"), ComposeTest.INSTALL, "docker-compose", "-f", "docker-compose.yml",
                "--env-file", "local.env", "--profile", "observability", "config");
        assertEquals(0, r.exitCode(), r.stderr());
        JsonNode compose = Yaml.parse(r.stdout());
        assertTrue(compose.at("/services/grafana").isObject(), "grafana in the observability profile");
        JsonNode prometheus = compose.at("/services/prometheus");
        assertTrue(prometheus.isObject(), "prometheus in the observability profile");
        String mounts = prometheus.path("volumes").toString();
        assertTrue(mounts.contains("alerts.yml") && mounts.contains("prometheus.yml"), mounts);

        JsonNode config = Yaml.parse(Repo.read("deploy/observability/prometheus/prometheus.yml"));
        assertEquals("/etc/prometheus/alerts.yml", config.at("/rule_files/0").asText());
        Map<String, Integer> scraped = new HashMap<>();
        for (JsonNode job : config.path("scrape_configs")) {
            assertEquals("/q/metrics", job.path("metrics_path").asText());
            JsonNode sd = job.at("/dns_sd_configs/0");
            scraped.put(sd.at("/names/0").asText(), sd.path("port").asInt());
        }
        for (String s : Repo.SERVICES) {
            assertEquals(ServiceConfig.defaultHttpPort(s), scraped.getOrDefault(s + "-service", -1), s + "-service is not scraped on its port");
            assertTrue(compose.at("/services/" + s + "-service").isObject());
        }
    }

    @Test
    void theServiceMonitorSelectsEveryServicesHttpPort() {
        Repo.Run r = Repo.run(Repo.path("deploy/k8s"), KubernetesTest.INSTALL, "kubectl", "kustomize", "overlays/aws");
        assertEquals(0, r.exitCode(), r.stderr());
        List<JsonNode> objects = Yaml.parseAll(r.stdout());
        JsonNode monitor = objects.stream().filter(o -> o.path("kind").asText().equals("ServiceMonitor")).findFirst()
                .orElseThrow(() -> new AssertionError("aws overlay: no ServiceMonitor"));
        assertEquals("/q/metrics", monitor.at("/spec/endpoints/0/path").asText());
        String port = monitor.at("/spec/endpoints/0/port").asText();
        Set<String> selectedNames = new TreeSet<>();
        monitor.at("/spec/selector/matchExpressions/0/values").forEach(v -> selectedNames.add(v.asText()));
        for (String s : Repo.SERVICES) {
            JsonNode svc = objects.stream().filter(o -> o.path("kind").asText().equals("Service")
                    && o.at("/metadata/name").asText().equals(s + "-service")).findFirst().orElseThrow();
            monitor.at("/spec/selector/matchLabels").fields().forEachRemaining(e ->
                    assertEquals(e.getValue().asText(), svc.at("/metadata/labels/" + e.getKey().replace("/", "~1")).asText(), s + " label " + e.getKey()));
            assertTrue(selectedNames.contains(svc.at("/metadata/labels/app.kubernetes.io~1name").asText()), s + "-service not selected");
            assertTrue(svc.at("/spec/ports").findValuesAsText("name").contains(port), s + "-service has no port named " + port);
        }
    }
}
