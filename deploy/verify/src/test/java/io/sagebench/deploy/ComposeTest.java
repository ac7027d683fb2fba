package io.sagebench.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/compose: both profiles render, and the `local` profile configures the services like deploy/local does. */
class ComposeTest {

    static final String INSTALL = "apt-get install -y docker-compose";
    static Path dir;
    static JsonNode defaultProfile;
    static JsonNode localProfile;

    @BeforeAll
    static void render() {
        dir = Repo.path("deploy/compose");
        defaultProfile = Yaml.parse(config(".env.example"));
        localProfile = Yaml.parse(config("local.env"));
    }

    /** `docker-compose config -q` validates; `config` prints the resolved file, which the other checks read. */
    static String config(String envFile) {
        Repo.Run quiet = Repo.run(dir, INSTALL, "docker-compose", "-f", "docker-compose.yml", "--env-file", envFile, "config", "-q");
        assertEquals(0, quiet.exitCode(), "docker-compose --env-file " + envFile + " config -q failed:\n" + quiet.stderr());
        Repo.Run full = Repo.run(dir, INSTALL, "docker-compose", "-f", "docker-compose.yml", "--env-file", envFile, "config");
        assertEquals(0, full.exitCode(), full.stderr());
        return full.stdout();
    }

    @Test
    void defaultProfileIsValidAndLocalProfileAddsTheAwsStandIn() {
        Repo.Run withProfile = Repo.run(dir, INSTALL, "docker-compose", "-f", "docker-compose.yml", "--env-file", "local.env",
                "--profile", "local", "config", "-q");
        assertEquals(0, withProfile.exitCode(), withProfile.stderr());

        assertEquals(List.of("local"), texts(defaultProfile.at("/services/aws-standin/profiles")),
                "aws-standin must only run in the local profile");
        for (String s : Repo.SERVICES) {
            assertTrue(defaultProfile.at("/services/" + s + "-service/profiles").isMissingNode(),
                    s + "-service must run in every profile");
        }
        assertEquals("local", envFile("local.env").get("COMPOSE_PROFILES"), "local.env must switch the local profile on");
        assertEquals("", envFile(".env.example").get("COMPOSE_PROFILES"), ".env.example is the real-AWS (default) profile");
    }

    @Test
    void aRequiredVariableThatIsMissingFailsTheRender() throws IOException {
        Path partial = Files.createTempFile(dir, ".env.partial", "");
        try {
            Files.writeString(partial, "SAGEBENCH_EVENTS_QUEUE_URL=https://sqs.us-east-1.amazonaws.com/1/q\n");
            Repo.Run r = Repo.run(dir, INSTALL, "docker-compose", "-f", "docker-compose.yml", "--env-file",
                    partial.getFileName().toString(), "config", "-q");
            assertNotEquals(0, r.exitCode(), "compose must refuse to start without the database passwords and the role");
            assertTrue(r.stderr().contains("SAGEBENCH_"), r.stderr());
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    @Test
    void everyVariableTheComposeFileUsesIsDocumentedInEnvExampleAndSetInLocalEnv() {
        Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(Repo.read("deploy/compose/docker-compose.yml"));
        Set<String> used = new TreeSet<>();
        while (m.find()) {
            used.add(m.group(1));
        }
        Set<String> example = envFile(".env.example").keySet();
        Set<String> local = envFile("local.env").keySet();
        for (String v : used) {
            assertTrue(example.contains(v), ".env.example does not document " + v);
            assertTrue(local.contains(v), "local.env does not set " + v);
        }
        String exampleText = Repo.read("deploy/compose/.env.example");
        for (String v : example) {
            if (!v.equals("COMPOSE_PROFILES")) {
                assertTrue(used.contains(v), ".env.example documents " + v + ", which docker-compose.yml never uses");
            }
            int at = exampleText.indexOf("\n" + v + "=");
            String before = exampleText.substring(0, at);
            assertTrue(before.substring(before.lastIndexOf("\n\n") + 1).contains("#"), v + " has no comment in .env.example");
        }
    }

    @Test
    void localProfileGivesTheServicesTheSameKeysAsTheLocalStack() {
        for (String s : Repo.SERVICES) {
            Map<String, String> stackEnv = ServiceConfig.localStackEnvironment(s);
            Set<String> stackKeys = stackEnv.keySet();
            Map<String, String> env = environment(localProfile, s + "-service");
            Set<String> missing = new TreeSet<>(stackKeys);
            missing.removeAll(env.keySet());
            assertTrue(missing.isEmpty(), s + "-service in the local profile lacks what deploy/local sets: " + missing);
            for (String extra : env.keySet()) {
                if (!stackKeys.contains(extra)) {
                    // deploy/local leaves it to the service's default: the compose value must be exactly that default.
                    String def = ServiceConfig.propertyDefault(s, extra).orElseThrow(() -> new AssertionError(
                            s + "-service in the local profile sets " + extra + ", which deploy/local does not set"));
                    assertEquals(def, env.get(extra), extra + " differs from the value deploy/local runs with");
                }
            }
            assertEquals(stackEnv.get("AWS_REGION"), env.get("AWS_REGION"));
            assertEquals(stackEnv.get("AWS_ACCESS_KEY_ID"), env.get("AWS_ACCESS_KEY_ID"));
            assertTrue(env.get("SAGEBENCH_EVENTS_QUEUE_URL").endsWith("/000000000000/" + ServiceConfig.localStackQueueName()),
                    "the local queue URL must name the stand-in's queue: " + env.get("SAGEBENCH_EVENTS_QUEUE_URL"));
            assertTrue(env.get("SAGEBENCH_SAGEMAKER_ENDPOINT").startsWith("http://aws-standin:"), "local SageMaker endpoint");
            assertTrue(env.get("SAGEBENCH_SQS_ENDPOINT").startsWith("http://aws-standin:"), "local SQS endpoint");
        }
    }

    @Test
    void everyServiceGetsEveryVariableItReads() {
        for (JsonNode rendered : List.of(defaultProfile, localProfile)) {
            for (String s : Repo.SERVICES) {
                Map<String, String> env = environment(rendered, s + "-service");
                for (String v : ServiceConfig.requiredVariables(s)) {
                    assertTrue(env.containsKey(v), s + "-service is not given " + v);
                }
                assertEquals(String.valueOf(ServiceConfig.defaultHttpPort(s)), env.get("HTTP_PORT"), s + " HTTP_PORT");
                assertEquals("kafka:9092", env.get("KAFKA_BOOTSTRAP_SERVERS"));
                assertEquals("jdbc:mariadb://mariadb:3306", env.get("SAGEBENCH_DB_URL"));
                assertEquals("sagebench_" + s, env.get("SAGEBENCH_DB_USER"), "one database user per service");
            }
        }
        Map<String, String> real = environment(defaultProfile, "monitor-service");
        assertEquals("", real.get("SAGEBENCH_SQS_ENDPOINT"), "the default profile uses the real AWS endpoints");
        assertEquals("", real.get("SAGEBENCH_SAGEMAKER_ENDPOINT"), "the default profile uses the real AWS endpoints");
    }

    @Test
    void servicesAreBuiltFromTheirDockerfilesAndWaitForKafkaTopicsAndMariaDb() {
        for (String s : Repo.SERVICES) {
            JsonNode svc = defaultProfile.at("/services/" + s + "-service");
            assertEquals("sagebench/" + s + "-service:" + Repo.projectVersion(), svc.path("image").asText());
            Path context = Path.of(svc.at("/build/context").asText());
            assertTrue(Files.isRegularFile(context.resolve(svc.at("/build/dockerfile").asText())),
                    s + "-service: no Dockerfile at " + context + "/" + svc.at("/build/dockerfile").asText());
            assertTrue(Files.isDirectory(context.resolve("src/main/java")), s + "-service: build context is not the module");
            assertEquals("service_completed_successfully", svc.at("/depends_on/kafka-init/condition").asText());
            assertEquals("service_healthy", svc.at("/depends_on/mariadb/condition").asText());
        }
        JsonNode standin = defaultProfile.at("/services/aws-standin");
        Path context = Path.of(standin.at("/build/context").asText());
        assertEquals(Repo.path("deploy/local/stack"), context, "the stand-in is built from deploy/local/stack's target/");
        assertTrue(Files.isRegularFile(context.resolve(standin.at("/build/dockerfile").asText()).normalize()));
        assertTrue(defaultProfile.at("/services/launcher-service/ports").isMissingNode(),
                "launcher-service must publish no host port, or it cannot be scaled");
        assertEquals("apache/kafka:4.1.2", defaultProfile.at("/services/kafka/image").asText());
        assertEquals("apache/kafka:4.1.2", defaultProfile.at("/services/kafka-init/image").asText());
        assertTrue(defaultProfile.at("/services/kafka/environment/KAFKA_PROCESS_ROLES").asText().contains("controller"),
                "Kafka runs in KRaft mode");
    }

    @Test
    void topicsMatchTheLocalStack() {
        Map<String, Integer> expected = ServiceConfig.localStackTopics();
        Map<String, Integer> compose = new LinkedHashMap<>();
        Set<String> compacted = new HashSet<>();
        for (String line : Repo.read("deploy/compose/kafka/topics.txt").lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            compose.put(f[0], Integer.parseInt(f[1]));
            if (f[2].equals("compact")) {
                compacted.add(f[0]);
            }
        }
        assertEquals(new TreeSet<>(expected.entrySet().stream().map(Object::toString).toList()),
                new TreeSet<>(compose.entrySet().stream().map(Object::toString).toList()), "topics and partitions");
        assertEquals(ServiceConfig.compactedTopics(), new TreeSet<>(compacted), "compacted topics");
    }

    @Test
    void mariaDbInitCreatesOneSchemaAndUserPerServiceFromTheEnvironment() {
        String script = Repo.read("deploy/k8s/base/mariadb/10-sagebench-schemas.sh");
        assertTrue(script.contains("for service in " + String.join(" ", Repo.SERVICES) + "; do"), "every service");
        assertTrue(script.contains("GRANT ALL PRIVILEGES ON \\`sagebench_${service}\\`.* TO 'sagebench_${service}'@'%'"),
                "each user only on its own schema");
        JsonNode env = defaultProfile.at("/services/mariadb/environment");
        for (String s : Repo.SERVICES) {
            String var = "SAGEBENCH_" + s.toUpperCase() + "_DB_PASSWORD";
            assertTrue(env.has(var), "mariadb is not given " + var);
            assertEquals(env.get(var).asText(), environment(defaultProfile, s + "-service").get("SAGEBENCH_DB_PASSWORD"),
                    s + "-service must log in with the password its user was created with");
        }
        assertTrue(defaultProfile.at("/services/mariadb/volumes").toString().contains("k8s/base/mariadb/10-sagebench-schemas.sh"),
                "docker compose must initialise MariaDB with the Kubernetes base's script (one copy)");
    }

    static Map<String, String> environment(JsonNode rendered, String service) {
        JsonNode env = rendered.at("/services/" + service + "/environment");
        assertTrue(env.isObject(), service + " has no environment");
        Map<String, String> out = new LinkedHashMap<>();
        env.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        return out;
    }

    static Map<String, String> envFile(String name) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Repo.read("deploy/compose/" + name).lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        return out;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
