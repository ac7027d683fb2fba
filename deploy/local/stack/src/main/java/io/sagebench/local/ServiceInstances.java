package io.sagebench.local;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every instance of every service of a running {@link LocalStack}, by name: the four the stack starts
 * ({@code design-service}, {@code launcher-service}, ...) and further ones started here ({@code launcher-service-2}, ...,
 * each on its own HTTP port, same database schema and consumer group). Instances can be killed with SIGKILL and started
 * again: what the chaos suite does to them. {@code sagebench down} and {@code status} find the extra instances too.
 */
public final class ServiceInstances {

    private final LocalStack stack;
    private final Map<String, Integer> ports = new LinkedHashMap<>();

    public ServiceInstances(LocalStack stack) {
        this.stack = stack;
        for (String s : StackConfig.SERVICES) {
            ports.put(s + "-service", stack.config().servicePorts().get(s));
        }
    }

    /** Starts {@code n - 1} more instances of {@code service} (n in all) on the given ports, and waits until each is ready. */
    public void scale(String service, List<Integer> extraPorts, Duration timeout) throws Exception {
        for (int i = 0; i < extraPorts.size(); i++) {
            String name = service + "-service-" + (i + 2);
            ports.put(name, extraPorts.get(i));
            start(name);
        }
        for (int i = 0; i < extraPorts.size(); i++) {
            awaitReady(service + "-service-" + (i + 2), timeout);
        }
    }

    /** Instance names, in order: design-service, launcher-service, launcher-service-2, ..., monitor-service, results-service. */
    public List<String> names() {
        return ports.keySet().stream().sorted((a, b) -> {
            int s = Integer.compare(serviceOrder(a), serviceOrder(b));
            return s != 0 ? s : a.compareTo(b);
        }).toList();
    }

    private static int serviceOrder(String instance) {
        return List.of(StackConfig.SERVICES).indexOf(service(instance));
    }

    /** "launcher-service-2" → "launcher". */
    public static String service(String instance) {
        return instance.substring(0, instance.indexOf("-service"));
    }

    public URI url(String instance) {
        return URI.create("http://127.0.0.1:" + ports.get(instance));
    }

    public boolean alive(String instance) {
        return process(instance).alive();
    }

    public boolean ready(String instance) {
        return stack.isUp(url(instance).resolve("/q/health/ready"));
    }

    /** Liveness and readiness both UP. */
    public boolean healthy(String instance) {
        return alive(instance) && stack.isUp(url(instance).resolve("/q/health/live")) && ready(instance);
    }

    /** kill -9. */
    public void kill(String instance) {
        process(instance).kill();
    }

    /** Starts the instance (after a kill) with the command and environment of its service, on its own port. */
    public void start(String instance) throws Exception {
        String service = service(instance);
        Map<String, String> env = new HashMap<>(stack.serviceEnvironment(service));
        String port = String.valueOf(ports.get(instance));
        env.put("HTTP_PORT", port);
        env.put("QUARKUS_HTTP_PORT", port);
        process(instance).start(stack.serviceCommand(service), env);
    }

    public void awaitReady(String instance, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready(instance)) {
            ChildProcess p = process(instance);
            if (!p.alive()) {
                throw new IllegalStateException(instance + " exited during startup. Last lines of " + p.logFile() + ":\n" + p.logTail(30));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(instance + " was not ready after " + timeout.toSeconds() + " s. Last lines of "
                        + p.logFile() + ":\n" + p.logTail(30));
            }
            Thread.sleep(500);
        }
    }

    /** The instance's log file (for reports). */
    public java.nio.file.Path logFile(String instance) {
        return process(instance).logFile();
    }

    public String logTail(String instance, int lines) {
        return process(instance).logTail(lines);
    }

    /** Stops the extra instances (SIGTERM, then SIGKILL); the stack's own stop() takes the rest. */
    public void stopExtra() {
        for (String name : names()) {
            if (name.matches(".*-service-[0-9]+")) {
                process(name).stop(Duration.ofSeconds(15));
            }
        }
    }

    private ChildProcess process(String instance) {
        return new ChildProcess(instance, stack.config().stateDir());
    }
}
