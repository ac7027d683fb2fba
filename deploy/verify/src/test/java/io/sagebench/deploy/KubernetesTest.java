package io.sagebench.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** deploy/k8s: each overlay renders with `kubectl kustomize`, and the rendered objects are checked, not the sources. */
class KubernetesTest {

    static final String INSTALL = "apt-get install -y kubectl (or any kubectl with built-in kustomize)";
    static final Pattern IMAGE = Pattern.compile("^(?:[^/]+/)*sagebench/([a-z-]+):(\\S+)$");
    static final Map<String, List<JsonNode>> RENDERED = new HashMap<>();

    @BeforeAll
    static void render() {
        for (String overlay : List.of("local", "aws")) {
            Repo.Run r = Repo.run(Repo.path("deploy/k8s"), INSTALL, "kubectl", "kustomize", "overlays/" + overlay);
            assertEquals(0, r.exitCode(), "kubectl kustomize overlays/" + overlay + " failed:\n" + r.stderr());
            RENDERED.put(overlay, Yaml.parseAll(r.stdout()));
        }
    }

    static List<JsonNode> objects(String overlay, String kind) {
        return RENDERED.get(overlay).stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    static JsonNode object(String overlay, String kind, String name) {
        return objects(overlay, kind).stream().filter(o -> o.at("/metadata/name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no " + kind + " " + name));
    }

    static JsonNode deployment(String overlay, String service) {
        return object(overlay, "Deployment", service + "-service");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "aws"})
    void everyDeploymentHasProbesLimitsNonRootAndAnImageTheBuildProduces(String overlay) {
        List<JsonNode> deployments = objects(overlay, "Deployment");
        assertTrue(deployments.size() >= 4, overlay + ": expected the four services");
        for (JsonNode d : deployments) {
            String name = d.at("/metadata/name").asText();
            JsonNode pod = d.at("/spec/template/spec");
            assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), name + ": runAsNonRoot");
            assertNotEquals(0, pod.at("/securityContext/runAsUser").asInt(0), name + ": runAsUser must not be root");
            assertTrue(pod.at("/securityContext/runAsUser").isInt(), name + ": runAsUser");
            for (JsonNode c : pod.path("containers")) {
                String where = overlay + " " + name + "/" + c.path("name").asText();
                assertFalse(c.at("/livenessProbe").isMissingNode(), where + ": no livenessProbe");
                assertFalse(c.at("/readinessProbe").isMissingNode(), where + ": no readinessProbe");
                assertFalse(c.at("/resources/limits/cpu").isMissingNode(), where + ": no cpu limit");
                assertFalse(c.at("/resources/limits/memory").isMissingNode(), where + ": no memory limit");
                assertFalse(c.at("/resources/requests/memory").isMissingNode(), where + ": no memory request");
                assertFalse(c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true), where + ": privilege escalation");
                assertTrue(c.at("/securityContext/runAsUser").isMissingNode() || c.at("/securityContext/runAsUser").asInt() != 0,
                        where + ": container runs as root");

                Matcher m = IMAGE.matcher(c.path("image").asText());
                assertTrue(m.matches(), where + ": image " + c.path("image").asText() + " is not one the build produces");
                assertEquals(Repo.projectVersion(), m.group(2), where + ": image tag must be the project version");
                String built = m.group(1);
                boolean buildable = built.equals("aws-standin")
                        ? Files.isRegularFile(Repo.path("deploy/compose/aws-standin/Dockerfile"))
                        : Files.isRegularFile(Repo.path(built + "/src/main/docker/Dockerfile.jvm"));
                assertTrue(buildable, where + ": nothing in the repository builds the image sagebench/" + built);
            }
        }
        for (String s : Repo.SERVICES) {
            JsonNode c = deployment(overlay, s).at("/spec/template/spec/containers/0");
            assertEquals("/q/health/live", c.at("/livenessProbe/httpGet/path").asText(), s + " liveness");
            assertEquals("/q/health/ready", c.at("/readinessProbe/httpGet/path").asText(), s + " readiness");
            assertEquals(ServiceConfig.defaultHttpPort(s), c.at("/ports/0/containerPort").asInt(), s + " container port");
            assertTrue(IMAGE.matcher(c.path("image").asText()).replaceAll("$1").equals(s + "-service"), s + " image");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "aws"})
    void everyVariableAServiceReadsHasAValue(String overlay) {
        for (String s : Repo.SERVICES) {
            Map<String, String> env = environment(overlay, deployment(overlay, s));
            for (String v : ServiceConfig.requiredVariables(s)) {
                assertTrue(env.containsKey(v), overlay + ": " + s + "-service is not given " + v);
            }
            assertEquals(String.valueOf(ServiceConfig.defaultHttpPort(s)), env.get("HTTP_PORT"));
            assertEquals("sagebench_" + s, env.get("SAGEBENCH_DB_USER"), "one database user per service");
            assertEquals(env.get("SAGEBENCH_DB_USER"), env.get("QUARKUS_DATASOURCE_USERNAME"));

            // The addresses point at objects of this deployment.
            URI kafka = URI.create("kafka://" + env.get("KAFKA_BOOTSTRAP_SERVERS"));
            JsonNode cluster = objects(overlay, "Kafka").get(0);
            assertEquals(cluster.at("/metadata/name").asText() + "-kafka-bootstrap", kafka.getHost());
            assertEquals(cluster.at("/spec/kafka/listeners/0/port").asInt(), kafka.getPort());
            URI db = URI.create(env.get("SAGEBENCH_DB_URL").substring("jdbc:".length()));
            assertEquals(3306, db.getPort());
            JsonNode dbService = object(overlay, "Service", db.getHost());
            assertEquals("mariadb", dbService.at("/spec/selector/app.kubernetes.io~1name").asText());

            for (String v : ServiceConfig.documentedVariables(s)) {
                // empty endpoints mean the real AWS ones; the stand-in overlay uploads no code and never refreshes prices
                boolean mayBeEmpty = overlay.equals("aws") ? v.matches("SAGEBENCH_(SAGEMAKER|SQS|S3|PRICING)_ENDPOINT")
                        : v.matches("SAGEBENCH_(CODE_BUCKET|S3_ENDPOINT|PRICING_ENDPOINT)");
                if (!mayBeEmpty && !v.equals("SAGEBENCH_DB_PASSWORD")) {
                    assertFalse(env.get(v).isBlank(), overlay + ": " + s + "-service gets an empty " + v);
                }
            }
        }
        Map<String, String> monitor = environment(overlay, deployment(overlay, "monitor"));
        if (overlay.equals("aws")) {
            assertEquals("", monitor.get("SAGEBENCH_SAGEMAKER_ENDPOINT"), "aws: the real SageMaker endpoint");
            assertEquals("", monitor.get("SAGEBENCH_SQS_ENDPOINT"), "aws: the real SQS endpoint");
            assertTrue(monitor.get("SAGEBENCH_EVENTS_QUEUE_URL").matches("https://sqs\\.[a-z0-9-]+\\.amazonaws\\.com/\\d{12}/.+"));
        } else {
            for (String endpoint : List.of("SAGEBENCH_SAGEMAKER_ENDPOINT", "SAGEBENCH_SQS_ENDPOINT")) {
                URI uri = URI.create(monitor.get(endpoint));
                JsonNode svc = object(overlay, "Service", uri.getHost());
                assertTrue(svc.at("/spec/ports").findValuesAsText("port").contains(String.valueOf(uri.getPort())),
                        endpoint + " names a port the stand-in Service does not expose");
            }
            assertTrue(monitor.get("SAGEBENCH_EVENTS_QUEUE_URL").endsWith("/" + ServiceConfig.localStackQueueName()));
        }
    }

    @Test
    void kedaScalesTheLauncherOnTheLagOfBenchRunsForItsConsumerGroup() {
        JsonNode scaled = object("aws", "ScaledObject", "launcher-service");
        assertEquals("launcher-service", scaled.at("/spec/scaleTargetRef/name").asText());
        deployment("aws", "launcher");
        JsonNode trigger = scaled.at("/spec/triggers/0");
        assertEquals("kafka", trigger.path("type").asText());
        assertEquals("bench.runs", trigger.at("/metadata/topic").asText());
        String group = ServiceConfig.property("launcher", "mp.messaging.incoming.runs.group.id").orElse("launcher-service");
        assertEquals(group, trigger.at("/metadata/consumerGroup").asText(), "the launcher's consumer group");
        assertEquals("launcher-service", trigger.at("/metadata/consumerGroup").asText());
        String namespace = scaled.at("/metadata/namespace").asText();
        String cluster = objects("aws", "Kafka").get(0).at("/metadata/name").asText();
        int port = objects("aws", "Kafka").get(0).at("/spec/kafka/listeners/0/port").asInt();
        assertEquals(cluster + "-kafka-bootstrap." + namespace + ".svc:" + port, trigger.at("/metadata/bootstrapServers").asText(),
                "KEDA runs in its own namespace and needs the fully qualified bootstrap address");
        int min = scaled.at("/spec/minReplicaCount").asInt(-1);
        int max = scaled.at("/spec/maxReplicaCount").asInt(-1);
        assertTrue(min >= 1 && max >= min, "min " + min + " max " + max);
        assertTrue(max <= partitions("aws", "bench.runs"), "more launchers than bench.runs partitions would sit idle");
        assertTrue(deployment("aws", "launcher").at("/spec/replicas").isMissingNode(),
                "the autoscaler owns the launcher's replica count");
        assertTrue(objects("aws", "HorizontalPodAutoscaler").isEmpty(), "KEDA and a plain HPA must not both scale it");
    }

    @Test
    void thePlainHpaAlternativeAlsoStaysWithinThePartitions() {
        JsonNode hpa = object("local", "HorizontalPodAutoscaler", "launcher-service");
        assertEquals("launcher-service", hpa.at("/spec/scaleTargetRef/name").asText());
        assertEquals("Deployment", hpa.at("/spec/scaleTargetRef/kind").asText());
        assertTrue(hpa.at("/spec/minReplicas").asInt() >= 1);
        assertTrue(hpa.at("/spec/maxReplicas").asInt() <= partitions("local", "bench.runs"));
        assertTrue(objects("local", "ScaledObject").isEmpty(), "KEDA and a plain HPA must not both scale it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "aws"})
    void kafkaIsKraftWithTheLocalStacksTopics(String overlay) {
        JsonNode pool = objects(overlay, "KafkaNodePool").get(0);
        assertTrue(texts(pool.at("/spec/roles")).containsAll(List.of("controller", "broker")), "KRaft node pool roles");
        assertTrue(objects(overlay, "Kafka").get(0).at("/spec/zookeeper").isMissingNode(), "no ZooKeeper");
        int nodes = pool.at("/spec/replicas").asInt();

        Map<String, Integer> topics = new TreeMap<>();
        Set<String> compacted = new TreeSet<>();
        for (JsonNode t : objects(overlay, "KafkaTopic")) {
            String name = t.at("/spec/topicName").asText();
            topics.put(name, t.at("/spec/partitions").asInt());
            if (t.at("/spec/config/cleanup.policy").asText().equals("compact")) {
                compacted.add(name);
            }
            assertTrue(t.at("/spec/replicas").asInt() <= nodes, name + " has more replicas than Kafka nodes");
            assertEquals(objects(overlay, "Kafka").get(0).at("/metadata/name").asText(),
                    t.at("/metadata/labels/strimzi.io~1cluster").asText(), name + " belongs to no cluster");
        }
        assertEquals(new TreeMap<>(ServiceConfig.localStackTopics()), topics, "topics and partitions as in deploy/local");
        assertEquals(ServiceConfig.compactedTopics(), compacted, "compacted topics");
    }

    @Test
    void awsCredentialsComeOnlyFromIrsa() {
        for (String s : Repo.SERVICES) {
            JsonNode pod = deployment("aws", s).at("/spec/template/spec");
            JsonNode account = object("aws", "ServiceAccount", pod.path("serviceAccountName").asText());
            String role = account.at("/metadata/annotations/eks.amazonaws.com~1role-arn").asText();
            if (s.equals("design")) {
                assertEquals("", role, "design-service calls no AWS API and gets no role");
            } else {
                assertTrue(role.matches("arn:aws:iam::\\d{12}:role/.+"), s + ": IRSA role annotation " + role);
            }
        }
        assertTrue(objects("aws", "Secret").isEmpty(), "the aws overlay must not carry secrets");
        for (JsonNode o : RENDERED.get("aws")) {
            String text = o.toString();
            assertFalse(text.contains("AWS_ACCESS_KEY_ID") || text.contains("AWS_SECRET_ACCESS_KEY"),
                    "static AWS keys in " + o.path("kind").asText() + " " + o.at("/metadata/name").asText());
        }
        assertTrue(objects("aws", "ConfigMap").stream().noneMatch(c -> c.at("/metadata/name").asText().startsWith("sagebench-identity")),
                "the identity settings are kustomize-local and never applied");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "aws"})
    void everyServiceHasAServiceAndADisruptionBudgetAndMariaDbKeepsItsData(String overlay) {
        for (String s : Repo.SERVICES) {
            String name = s + "-service";
            JsonNode pdb = object(overlay, "PodDisruptionBudget", name);
            assertEquals(name, pdb.at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText());
            JsonNode svc = object(overlay, "Service", name);
            assertEquals(name, svc.at("/spec/selector/app.kubernetes.io~1name").asText());
            assertEquals(name, deployment(overlay, s).at("/spec/template/metadata/labels/app.kubernetes.io~1name").asText());
        }
        JsonNode db = object(overlay, "StatefulSet", "mariadb");
        assertEquals("/var/lib/mysql", db.at("/spec/template/spec/containers/0/volumeMounts").findValuesAsText("mountPath").get(0));
        assertFalse(db.at("/spec/volumeClaimTemplates/0/spec/resources/requests/storage").isMissingNode(), "MariaDB PVC");
        assertTrue(db.at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean(), "MariaDB non-root");
        JsonNode init = objects(overlay, "ConfigMap").stream()
                .filter(c -> c.at("/metadata/name").asText().startsWith("mariadb-init")).findFirst().orElseThrow();
        assertEquals(Repo.read("deploy/k8s/base/mariadb/10-sagebench-schemas.sh"), init.at("/data/10-sagebench-schemas.sh").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "aws"})
    void networkPoliciesDenyByDefaultAndAllowWhatMustTalk(String overlay) {
        List<JsonNode> policies = objects(overlay, "NetworkPolicy");
        JsonNode deny = policies.stream().filter(p -> p.at("/spec/ingress").isMissingNode() && p.at("/spec/egress").isMissingNode())
                .findFirst().orElseThrow(() -> new AssertionError("no default-deny NetworkPolicy"));
        assertTrue(texts(deny.at("/spec/policyTypes")).containsAll(List.of("Ingress", "Egress")));
        Map<String, String> denied = labels(deny.at("/spec/podSelector/matchLabels"));
        for (String s : Repo.SERVICES) {
            Map<String, String> pod = labels(deployment(overlay, s).at("/spec/template/metadata/labels"));
            assertTrue(pod.entrySet().containsAll(denied.entrySet()), s + " is not covered by the default deny");
            assertTrue(egressAllowsPort(policies, pod, 9092), s + " cannot reach Kafka");
            assertTrue(egressAllowsPort(policies, pod, 3306), s + " cannot reach MariaDB");
            if (!s.equals("design")) {
                int awsPort = overlay.equals("aws") ? 443 : 4599;
                assertTrue(egressAllowsPort(policies, pod, awsPort), s + " cannot reach AWS (port " + awsPort + ")");
            }
        }
        assertFalse(egressAllowsPort(policies, labels(deployment(overlay, "design").at("/spec/template/metadata/labels")),
                overlay.equals("aws") ? 443 : 4599), "design-service calls no AWS API");
        JsonNode kafka = objects(overlay, "Kafka").get(0);
        assertFalse(kafka.at("/spec/kafka/listeners/0/networkPolicyPeers").isMissingNode(), "Kafka listener open to all");
    }

    // ---------------------------------------------------------------- helpers

    static int partitions(String overlay, String topic) {
        return objects(overlay, "KafkaTopic").stream().filter(t -> t.at("/spec/topicName").asText().equals(topic))
                .findFirst().orElseThrow(() -> new AssertionError("no KafkaTopic " + topic)).at("/spec/partitions").asInt();
    }

    /** The container's environment with envFrom ConfigMaps resolved; secret references count as set (value unknown). */
    static Map<String, String> environment(String overlay, JsonNode deployment) {
        Map<String, String> env = new TreeMap<>();
        JsonNode c = deployment.at("/spec/template/spec/containers/0");
        for (JsonNode from : c.path("envFrom")) {
            String name = from.at("/configMapRef/name").asText();
            if (name.isEmpty()) {
                fail("only ConfigMaps may be used with envFrom: " + from);
            }
            object(overlay, "ConfigMap", name).path("data").fields()
                    .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        for (JsonNode e : c.path("env")) {
            String secret = e.at("/valueFrom/secretKeyRef/name").asText();
            env.put(e.path("name").asText(), secret.isEmpty() ? e.path("value").asText() : "<secret " + secret + ">");
        }
        return env;
    }

    static boolean egressAllowsPort(List<JsonNode> policies, Map<String, String> podLabels, int port) {
        for (JsonNode p : policies) {
            if (!texts(p.at("/spec/policyTypes")).contains("Egress")) {
                continue;
            }
            if (!podLabels.entrySet().containsAll(labels(p.at("/spec/podSelector/matchLabels")).entrySet())) {
                continue;
            }
            for (JsonNode rule : p.at("/spec/egress")) {
                if (rule.path("ports").findValuesAsText("port").contains(String.valueOf(port))) {
                    return true;
                }
            }
        }
        return false;
    }

    static Map<String, String> labels(JsonNode node) {
        Map<String, String> out = new HashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
