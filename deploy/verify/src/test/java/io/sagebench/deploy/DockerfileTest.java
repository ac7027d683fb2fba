package io.sagebench.deploy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each service's src/main/docker/Dockerfile.jvm: Quarkus JVM layout, non-root, a readiness health check. */
class DockerfileTest {

    @ParameterizedTest
    @ValueSource(strings = {"design", "launcher", "monitor", "results"})
    void serviceImageRunsTheQuarkusAppAsNonRootWithAHealthCheck(String service) {
        String dockerfile = Repo.read(service + "-service/src/main/docker/Dockerfile.jvm");
        List<String> lines = dockerfile.lines().map(String::trim).filter(l -> !l.startsWith("#")).toList();
        String from = lines.stream().filter(l -> l.startsWith("FROM ")).findFirst().orElseThrow();
        assertTrue(from.matches("FROM (registry\\.access\\.redhat\\.com/ubi[89]/openjdk-17(-runtime)?|eclipse-temurin:17-jre)(:\\S+)?"),
                "base image: " + from);
        String user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow(
                () -> new AssertionError(service + ": no USER"));
        assertFalse(user.matches("USER (root|0)(:.*)?"), service + " runs as root");
        assertTrue(dockerfile.contains("COPY --chown=185 target/quarkus-app/lib/ /deployments/lib/"), "Quarkus fast-jar layout");
        assertTrue(dockerfile.contains("target/quarkus-app/quarkus/"), "Quarkus fast-jar layout");
        assertTrue(dockerfile.matches("(?s).*HEALTHCHECK .*CMD .*/q/health/ready.*"), service + ": no readiness HEALTHCHECK");

        Matcher port = Pattern.compile("ENV HTTP_PORT=(\\d+)").matcher(dockerfile);
        assertTrue(port.find(), service + ": no HTTP_PORT");
        assertEquals(ServiceConfig.defaultHttpPort(service), Integer.parseInt(port.group(1)), service + " port");
        assertTrue(dockerfile.contains("EXPOSE " + port.group(1)));
        ServiceConfig.property(service, "quarkus.http.port").ifPresent(p -> assertEquals("${HTTP_PORT:" + port.group(1) + "}", p,
                "the image and the jar use the same port variable and default"));
    }
}
