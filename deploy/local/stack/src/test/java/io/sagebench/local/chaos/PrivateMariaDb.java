package io.sagebench.local.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The chaos suite's own MariaDB server: the machine's binary ({@code /usr/sbin/mariadbd}) on a private data directory
 * (initialised with {@code mariadb-install-db}), its own TCP port and socket, run as the current user. The machine's
 * shared server is never touched; this one is stopped with {@code mariadb-admin shutdown} and started again, which is
 * the "restart MariaDB" of the scenario. Root connects over TCP without a password.
 */
final class PrivateMariaDb implements AutoCloseable {

    private final Path dir;
    private final int port;
    private Process process;
    private int restarts;

    PrivateMariaDb(Path dir, int port) {
        this.dir = dir.toAbsolutePath();
        this.port = port;
    }

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/sbin/mariadbd")) && onPath("mariadb-install-db") && onPath("mariadb-admin");
    }

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, command))) return true;
        }
        return false;
    }

    String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    int restarts() {
        return restarts;
    }

    /** Initialises a fresh data directory and starts the server. */
    void init() throws Exception {
        deleteRecursively(dir);
        Files.createDirectories(dir);
        Process install = new ProcessBuilder("mariadb-install-db", "--no-defaults", "--datadir=" + dir.resolve("data"),
                "--user=" + System.getProperty("user.name"), "--auth-root-authentication-method=normal", "--skip-test-db")
                .redirectErrorStream(true).redirectOutput(dir.resolve("install.log").toFile()).start();
        if (!install.waitFor(120, TimeUnit.SECONDS) || install.exitValue() != 0) {
            throw new IllegalStateException("mariadb-install-db failed; see " + dir.resolve("install.log"));
        }
        start();
    }

    void start() throws Exception {
        process = new ProcessBuilder("/usr/sbin/mariadbd", "--no-defaults", "--datadir=" + dir.resolve("data"),
                "--user=" + System.getProperty("user.name"), "--port=" + port, "--bind-address=127.0.0.1",
                "--socket=" + dir.resolve("mariadb.sock"), "--pid-file=" + dir.resolve("mariadb.pid"),
                "--skip-name-resolve", "--innodb-buffer-pool-size=128M", "--max-connections=400",
                "--innodb-flush-log-at-trx-commit=2", "--log-error=" + dir.resolve("error.log"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.log").toFile()))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mariadbd exited (" + process.exitValue() + "); see " + dir.resolve("error.log"));
            }
            if (ping()) return;
            Thread.sleep(200);
        }
        throw new IllegalStateException("mariadbd did not answer within 60 s; see " + dir.resolve("error.log"));
    }

    boolean ping() {
        try (Connection c = DriverManager.getConnection(jdbcUrl() + "/?connectTimeout=1000", "root", "")) {
            return c.isValid(1);
        } catch (Exception e) {
            return false;
        }
    }

    /** {@code mariadb-admin shutdown} (a clean stop, as an operator restarts the service), waits {@code down}, starts. */
    void restart(Duration down) throws Exception {
        shutdown();
        Thread.sleep(down.toMillis());
        start();
        restarts++;
    }

    void shutdown() throws Exception {
        Process admin = new ProcessBuilder("mariadb-admin", "--no-defaults", "--socket=" + dir.resolve("mariadb.sock"),
                "-uroot", "shutdown").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        admin.waitFor(60, TimeUnit.SECONDS);
        if (process != null && !process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        try {
            if (process != null && process.isAlive()) shutdown();
        } catch (Exception e) {
            if (process != null) process.destroyForcibly();
        }
    }

    static void deleteRecursively(Path d) throws IOException {
        if (!Files.exists(d)) return;
        try (var paths = Files.walk(d)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    List<String> describe() {
        return List.of("private mariadbd on 127.0.0.1:" + port + ", datadir " + dir.resolve("data"));
    }
}
