package io.sagebench.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * `deploy/local/sagebench <command>`: demo (start, run the study's design, print, stop), up (start and keep running),
 * down (stop), status. Exits non-zero with the reason when anything fails.
 */
public final class Sagebench {

    private Sagebench() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        String command = args.length == 0 ? "help" : args[0];
        Path root = Path.of(System.getProperty("sagebench.root", ".")).toAbsolutePath().normalize();
        LocalStack stack = new LocalStack(StackConfig.fromEnvironment(root), out);
        try {
            switch (command) {
                case "up" -> up(stack, out);
                case "down" -> out.println(stack.stop() == 0 ? "nothing was running" : "stopped");
                case "status" -> stack.status().forEach(out::println);
                case "token" -> out.println(token(stack, java.util.Arrays.asList(args).subList(1, args.length)));
                case "demo" -> {
                    java.util.List<String> rest = new java.util.ArrayList<>(java.util.Arrays.asList(args).subList(1, args.length));
                    boolean keep = rest.remove("--keep");
                    System.exit(demo(stack, root, out, rest.isEmpty() ? null : Path.of(rest.get(0)), keep));
                }
                default -> {
                    out.println("usage: deploy/local/sagebench demo [--keep] [design.json] | up | down | status | token [--role viewer|designer|operator]... [--user name]");
                    System.exit("help".equals(command) ? 0 : 2);
                }
            }
        } catch (Exception e) {
            System.err.println("sagebench " + command + " failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void up(LocalStack stack, PrintStream out) throws Exception {
        if (stack.running()) {
            out.println("the local stack is already running:");
            stack.status().forEach(out::println);
            return;
        }
        try {
            stack.start();
        } catch (Exception e) {
            stack.stop();
            throw e;
        }
        StackConfig c = stack.config();
        out.println();
        out.println("sagebench is up. Post a design:  curl -H \"Authorization: Bearer $(deploy/local/sagebench token)\" -H 'Content-Type: application/json' -d @deploy/local/designs/study.json " + c.serviceUrl("design") + "/designs");
        out.println("  design-service    " + c.serviceUrl("design") + "/designs");
        out.println("  launcher-service  " + c.serviceUrl("launcher") + "/q/health");
        out.println("  monitor-service   " + c.serviceUrl("monitor") + "/q/health");
        out.println("  results-service   " + c.serviceUrl("results") + "/designs/{designId}/results");
        out.println("  Kafka             " + c.kafkaBootstrap() + "   SQS " + c.sqsEndpoint() + "   SageMaker emulator " + c.sageMakerEndpoint());
        out.println("  logs              " + c.stateDir().resolve("logs"));
        out.println("Stop with: deploy/local/sagebench down");
    }

    /** A bearer token from the stack's local issuer (the dev profile's identity provider; docs/security.md). */
    private static String token(LocalStack stack, java.util.List<String> args) {
        java.util.List<String> roles = new java.util.ArrayList<>();
        String user = StackConfig.env("USER", "developer");
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String v = i + 1 < args.size() ? args.get(i + 1) : null;
            if ((a.equals("--role") || a.equals("--user")) && v == null) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            switch (a) {
                case "--role" -> { roles.add(v); i++; }
                case "--user" -> { user = v; i++; }
                default -> throw new IllegalArgumentException("unknown option " + a + "; usage: token [--role viewer|designer|operator]... [--user name]");
            }
        }
        if (roles.isEmpty()) {
            roles.add("designer");
        }
        for (String r : roles) {
            if (!io.sagebench.issuer.TokenIssuer.ROLES.contains(r)) {
                throw new IllegalArgumentException("unknown role " + r + "; roles: " + io.sagebench.issuer.TokenIssuer.ROLES);
            }
        }
        return stack.token(user, roles.toArray(String[]::new));
    }

    /** With keep, a stack the demo started stays up afterwards, so the dashboard and REST answers can be explored. */
    private static int demo(LocalStack stack, Path root, PrintStream out, Path design, boolean keep) throws Exception {
        boolean startedHere = !stack.running();
        if (!startedHere) {
            out.println("using the local stack that is already running");
        }
        try {
            if (startedHere) {
                stack.start();
            }
            Path file = design != null ? design : root.resolve("deploy/local/designs/study.json");
            Duration timeout = Duration.ofSeconds(Long.parseLong(StackConfig.env("SAGEBENCH_DEMO_TIMEOUT", "600")));
            Demo.Outcome outcome = new Demo(stack.config(), out, stack.token("demo", "designer")).run(file, timeout);
            if (!outcome.ok()) {
                System.err.println();
                System.err.println("demo failed:");
                outcome.problems().forEach(p -> System.err.println("  " + p));
                System.err.println("logs: " + stack.config().stateDir().resolve("logs"));
                return 1;
            }
            return 0;
        } finally {
            if (startedHere && !keep) {
                out.println();
                stack.stop();
            } else if (startedHere) {
                out.println();
                out.println("the stack keeps running (--keep); stop it with: deploy/local/sagebench down");
            }
        }
    }
}
