package io.sagebench.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.testcontainers.mariadb.MariaDBContainer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A real MariaDB for a test JVM: the machine's server (SAGEBENCH_DB_URL, default 127.0.0.1:3306, root with an empty
 * password) or a MariaDB container where Docker exists. The schema is the {@code schema} init argument plus the test
 * JVM's pid, created empty (Flyway then migrates it) and dropped at the end: the machine's one MariaDB is shared, and
 * a second build running the same tests (a CI checkout beside a developer's) must not drop a schema under a running test.
 */
public class MariaDbResource implements QuarkusTestResourceLifecycleManager {

    private String schema = "sagebench_test";
    private MariaDBContainer container;
    private String baseUrl;
    private String user;
    private String password;

    @Override
    public void init(Map<String, String> initArgs) {
        schema = initArgs.getOrDefault("schema", schema) + "_" + ProcessHandle.current().pid();
        if (!schema.matches("[a-z0-9_]{1,64}")) {
            throw new IllegalArgumentException("schema name must be [a-z0-9_], at most 64: " + schema);
        }
    }

    @Override
    public Map<String, String> start() {
        if (Docker.available()) {
            container = new MariaDBContainer("mariadb:10.11");
            container.start();
            baseUrl = "jdbc:mariadb://" + container.getHost() + ":" + container.getMappedPort(3306);
            user = "root";
            password = container.getPassword();
        } else {
            baseUrl = env("SAGEBENCH_DB_URL", "jdbc:mariadb://127.0.0.1:3306");
            user = env("SAGEBENCH_DB_USER", "root");
            password = env("SAGEBENCH_DB_PASSWORD", "");
        }
        try (Connection c = DriverManager.getConnection(baseUrl + "/", user, password);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS `" + schema + "`");
            s.execute("CREATE DATABASE `" + schema + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB at " + baseUrl + " refused us (" + e.getMessage() + "). "
                    + "If root over TCP is refused, run .ci/run once or see docs/operations.md", e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", baseUrl + "/" + schema,
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password);
    }

    @Override
    public void stop() {
        if (container == null && baseUrl != null) {
            try (Connection c = DriverManager.getConnection(baseUrl + "/", user, password);
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS `" + schema + "`");
            } catch (SQLException e) {
                // only tidiness: nothing else uses this pid's schema
            }
        }
        if (container != null) {
            container.stop();
            container = null;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
