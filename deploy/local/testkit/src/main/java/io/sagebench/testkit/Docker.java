package io.sagebench.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decides once per test JVM whether a Docker engine is there. With one, the resources use Testcontainers; without one
 * (this project's own CI machine), they use the in-JVM broker and the machine's MariaDB. Both are real servers.
 */
final class Docker {

    private static Boolean available;

    private Docker() {
    }

    static synchronized boolean available() {
        if (available == null) {
            available = !"false".equalsIgnoreCase(System.getenv("SAGEBENCH_TESTCONTAINERS")) && engineReachable();
        }
        return available;
    }

    private static boolean engineReachable() {
        boolean hint = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
        if (!hint) {
            return false; // skip Testcontainers' own probe: it logs an ERROR when there is no engine
        }
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }
}
