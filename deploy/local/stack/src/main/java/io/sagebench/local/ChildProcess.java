package io.sagebench.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One JVM of the local stack, started detached with its output in a log file and its pid in a file, so that a later
 * `sagebench down` or `status` (another JVM) can find it.
 */
final class ChildProcess {

    private final String name;
    private final Path pidFile;
    private final Path logFile;

    ChildProcess(String name, Path stateDir) {
        this.name = name;
        this.pidFile = stateDir.resolve("pids").resolve(name + ".pid");
        this.logFile = stateDir.resolve("logs").resolve(name + ".log");
    }

    String name() {
        return name;
    }

    Path logFile() {
        return logFile;
    }

    void start(List<String> command, Map<String, String> environment) throws IOException {
        start(command, environment, List.of());
    }

    /** Starts with {@code jvmOptions} inserted right after the java executable (the command's first element). */
    void start(List<String> command, Map<String, String> environment, List<String> jvmOptions) throws IOException {
        if (!jvmOptions.isEmpty()) {
            List<String> withOptions = new java.util.ArrayList<>(command.subList(0, 1));
            withOptions.addAll(jvmOptions);
            withOptions.addAll(command.subList(1, command.size()));
            command = withOptions;
        }
        Files.createDirectories(pidFile.getParent());
        Files.createDirectories(logFile.getParent());
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(environment);
        Process process = pb.start();
        Files.writeString(pidFile, Long.toString(process.pid()));
    }

    Optional<ProcessHandle> handle() {
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    boolean alive() {
        return handle().isPresent();
    }

    /** SIGTERM, then SIGKILL if it has not gone after the grace period. */
    void stop(Duration grace) {
        handle().ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // a stale pid file is harmless: handle() checks liveness
        }
    }

    /** kill -9: the process gets no chance to clean up (the chaos suite). Waits until it has gone. */
    void kill() {
        handle().ifPresent(h -> {
            h.destroyForcibly();
            try {
                h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(name + " (pid " + h.pid() + ") did not die after SIGKILL", e);
            }
        });
    }

    /** The last lines of the log, to explain a failure without sending the user hunting. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + logFile + ")";
        }
    }
}
