package io.sagebench.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The aws overlay's Kafka authorization (deploy/k8s/components/kafka-scram): one SCRAM KafkaUser per service whose
 * rendered ACLs are exactly what docs/architecture.md's topic table says the service writes and reads, plus its
 * consumer groups — and the table itself agrees with the channels each service's application.properties declares.
 */
class KafkaAclTest {

    private static final Pattern TOPIC_ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|[^|]*\\|[^|]*\\|([^|]*)\\|([^|]*)\\|\\s*$");
    private static final Pattern CHANNEL_TOPIC = Pattern.compile(
            "^mp\\.messaging\\.(incoming|outgoing)\\.[^.]+\\.(topic|dead-letter-queue\\.topic)=(\\S+)$");

    private static List<JsonNode> rendered;

    @BeforeAll
    static void render() {
        Repo.Run r = Repo.run(Repo.path("deploy/k8s"), KubernetesTest.INSTALL, "kubectl", "kustomize", "overlays/aws");
        assertEquals(0, r.exitCode(), "kubectl kustomize overlays/aws failed:\n" + r.stderr());
        rendered = Yaml.parseAll(r.stdout());
    }

    /** service -> "Write:topic" / "Read:topic" / "Read:group:<id>" from the architecture's topic table. */
    static Map<String, Set<String>> expectedAcls() {
        Map<String, Set<String>> expected = new TreeMap<>();
        String doc = Repo.read("docs/architecture.md");
        int start = doc.indexOf("| topic | key | events | written by | read by |");
        assertTrue(start >= 0, "docs/architecture.md has no topic table");
        List<String> rows = doc.substring(start).lines().skip(2).takeWhile(l -> l.startsWith("|")).toList();
        for (String s : Repo.SERVICES) {
            String service = s + "-service";
            Set<String> acls = new TreeSet<>();
            for (String row : rows) {
                Matcher m = TOPIC_ROW.matcher(row);
                assertTrue(m.matches(), "unreadable topic row: " + row);
                String topic = m.group(1);
                String writtenBy = m.group(2);
                String readBy = m.group(3);
                if (topic.equals("bench.dlq.<service>")) {
                    assertTrue(writtenBy.contains("each service"), row);
                    acls.add("Write:bench.dlq." + service);
                    continue;
                }
                if (writtenBy.contains(service)) {
                    acls.add("Write:" + topic);
                }
                if (readBy.contains(service)) {
                    acls.add("Read:" + topic);
                }
            }
            groups(s).forEach(g -> acls.add("Read:group:" + g));
            expected.put(service, acls);
        }
        return expected;
    }

    /** The consumer groups a service joins (its channels' group.id, or the connector-wide one). */
    static Set<String> groups(String service) {
        Set<String> groups = new TreeSet<>();
        for (String line : Repo.read(service + "-service/src/main/resources/application.properties").lines().toList()) {
            String l = line.trim();
            if (!l.startsWith("%") && l.matches("^mp\\.messaging\\.(incoming\\.[^.]+|connector\\.smallrye-kafka)\\.group\\.id=.+")) {
                groups.add(l.substring(l.indexOf('=') + 1).trim());
            }
        }
        assertFalse(groups.isEmpty(), service + "-service declares no consumer group");
        return groups;
    }

    /** A KafkaUser's ACLs as "Write:topic" / "Read:topic" / "Read:group:<id>", checking the operations on the way. */
    static Set<String> renderedAcls(JsonNode user) {
        String name = user.at("/metadata/name").asText();
        assertEquals("scram-sha-512", user.at("/spec/authentication/type").asText(), name + " authenticates with SCRAM");
        assertEquals("simple", user.at("/spec/authorization/type").asText(), name);
        Set<String> acls = new TreeSet<>();
        for (JsonNode acl : user.at("/spec/authorization/acls")) {
            String type = acl.at("/resource/type").asText();
            String resource = acl.at("/resource/name").asText();
            assertEquals("literal", acl.at("/resource/patternType").asText("literal"), name + ": no prefix or wildcard ACLs (" + resource + ")");
            assertFalse(resource.contains("*"), name + ": no wildcard ACLs");
            Set<String> ops = new TreeSet<>();
            acl.path("operations").forEach(o -> ops.add(o.asText()));
            if (type.equals("group")) {
                assertEquals(Set.of("Read"), ops, name + " on group " + resource);
                acls.add("Read:group:" + resource);
            } else {
                assertEquals("topic", type, name + ": only topic and group ACLs");
                if (ops.equals(Set.of("Read", "Describe"))) {
                    acls.add("Read:" + resource);
                } else if (ops.equals(Set.of("Write", "Describe"))) {
                    acls.add("Write:" + resource);
                } else {
                    throw new AssertionError(name + " on " + resource + ": operations must be [Read, Describe] or [Write, Describe], not " + ops);
                }
            }
        }
        return acls;
    }

    @Test
    void eachServicesKafkaUserHasExactlyTheAclsOfTheTopicTable() {
        Map<String, JsonNode> users = new HashMap<>();
        rendered.stream().filter(o -> o.path("kind").asText().equals("KafkaUser"))
                .forEach(u -> users.put(u.at("/metadata/name").asText(), u));
        expectedAcls().forEach((service, expected) -> {
            JsonNode user = users.get(service);
            assertTrue(user != null, "aws overlay: no KafkaUser " + service);
            assertEquals(expected, renderedAcls(user), service + ": ACLs differ from docs/architecture.md's topic table");
        });
    }

    @Test
    void theTopicTableCoversEveryChannelEachServiceDeclares() {
        Map<String, Set<String>> expected = expectedAcls();
        for (String s : Repo.SERVICES) {
            Set<String> acls = expected.get(s + "-service");
            for (String line : Repo.read(s + "-service/src/main/resources/application.properties").lines().toList()) {
                Matcher m = CHANNEL_TOPIC.matcher(line.trim());
                if (m.matches()) {
                    String need = (m.group(1).equals("incoming") && m.group(2).equals("topic") ? "Read:" : "Write:") + m.group(3);
                    assertTrue(acls.contains(need), s + "-service's application.properties uses " + m.group(3)
                            + " (" + need.substring(0, need.indexOf(':')) + "), which docs/architecture.md's topic table does not give it");
                }
            }
        }
    }

    @Test
    void theBrokerDemandsScramOverTlsAndTheServicesUseTheirOwnUser() {
        JsonNode kafka = rendered.stream().filter(o -> o.path("kind").asText().equals("Kafka")).findFirst().orElseThrow();
        assertEquals("simple", kafka.at("/spec/kafka/authorization/type").asText(), "ACLs are enforced");
        for (JsonNode listener : kafka.at("/spec/kafka/listeners")) {
            assertTrue(listener.path("tls").asBoolean(), "listener " + listener.path("name").asText() + " without TLS");
            assertEquals("scram-sha-512", listener.at("/authentication/type").asText(), "listener " + listener.path("name").asText());
        }
        for (String s : Repo.SERVICES) {
            JsonNode deployment = rendered.stream().filter(o -> o.path("kind").asText().equals("Deployment")
                    && o.at("/metadata/name").asText().equals(s + "-service")).findFirst().orElseThrow();
            JsonNode env = deployment.at("/spec/template/spec/containers/0/env");
            Map<String, JsonNode> vars = new HashMap<>();
            env.forEach(e -> vars.put(e.path("name").asText(), e));
            assertTrue(vars.get("QUARKUS_PROFILE").path("value").asText().contains("sasl"), s + ": the sasl profile");
            assertEquals("metadata.labels['app.kubernetes.io/name']", vars.get("KAFKA_USERNAME").at("/valueFrom/fieldRef/fieldPath").asText());
            assertEquals(s + "-service", deployment.at("/spec/template/metadata/labels/app.kubernetes.io~1name").asText());
            assertEquals(s + "-service", vars.get("KAFKA_PASSWORD").at("/valueFrom/secretKeyRef/name").asText(),
                    s + ": the password of its own KafkaUser");
            assertTrue(vars.containsKey("KAFKA_TRUSTSTORE_LOCATION") && vars.containsKey("KAFKA_TRUSTSTORE_PASSWORD"), s + ": the cluster CA");
            // the sasl profile reads exactly these; the service must define the profile
            String props = Repo.read(s + "-service/src/main/resources/application.properties");
            assertTrue(props.contains("%sasl.kafka.security.protocol=SASL_SSL"), s + "-service has no %sasl profile");
            for (String v : List.of("KAFKA_USERNAME", "KAFKA_PASSWORD", "KAFKA_TRUSTSTORE_LOCATION", "KAFKA_TRUSTSTORE_PASSWORD")) {
                assertTrue(props.contains("${" + v + "}"), s + "-service's sasl profile does not read " + v);
            }
        }
    }
}
