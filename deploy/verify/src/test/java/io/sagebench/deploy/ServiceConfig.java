package io.sagebench.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What the services read, from the sources that define it: the configuration table of docs/architecture.md, each
 * service's application.properties (${VAR:default} references), and deploy/local's stack (the environment the
 * end-to-end test gives the services, and the topics it creates).
 */
final class ServiceConfig {

    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");
    private static final Pattern BACKTICKED_VAR = Pattern.compile("`([A-Z][A-Z0-9_]+)`");

    private ServiceConfig() {
    }

    /** Environment variables docs/architecture.md says each service reads (the "used by" column). */
    static Set<String> documentedVariables(String service) {
        Set<String> vars = new TreeSet<>();
        for (String row : tableRows()) {
            String[] cells = row.split("\\|");
            String usedBy = cells[cells.length - 1].trim();
            boolean applies = usedBy.equals("all") || List.of(usedBy.split(",\\s*")).contains(service);
            if (applies) {
                Matcher m = BACKTICKED_VAR.matcher(cells[1]);
                while (m.find()) {
                    vars.add(m.group(1));
                }
            }
        }
        assertFalse(vars.isEmpty(), "docs/architecture.md's configuration table names no variable for " + service);
        return vars;
    }

    /** The default HTTP port of each service, from the HTTP_PORT row of the table ("design 8081, launcher 8082, ..."). */
    static int defaultHttpPort(String service) {
        for (String row : tableRows()) {
            if (row.contains("`HTTP_PORT`")) {
                Matcher m = Pattern.compile(service + " (\\d+)").matcher(row);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
        }
        throw new AssertionError("docs/architecture.md gives no HTTP_PORT default for " + service);
    }

    private static List<String> tableRows() {
        String doc = Repo.read("docs/architecture.md");
        int start = doc.indexOf("| variable | default | used by |");
        if (start < 0) {
            throw new AssertionError("docs/architecture.md has no configuration table (| variable | default | used by |)");
        }
        return doc.substring(start).lines().skip(2).takeWhile(l -> l.startsWith("|")).toList();
    }

    /** ${VAR} and ${VAR:default} references in a service's application.properties: variable to default (null = none). */
    static Map<String, String> propertyReferences(String service) {
        Map<String, String> refs = new TreeMap<>();
        String path = service + "-service/src/main/resources/application.properties";
        if (!Repo.path(path).toFile().isFile()) {
            return refs;
        }
        for (String line : Repo.read(path).lines().toList()) {
            String trimmed = line.trim();
            // the default and prod profiles only: %test/%dev are not deployed, %sasl is opt-in (checked on its own)
            if (trimmed.startsWith("#") || (trimmed.startsWith("%") && !trimmed.startsWith("%prod."))) {
                continue;
            }
            Matcher m = ENV_REF.matcher(line);
            while (m.find()) {
                refs.putIfAbsent(m.group(1), m.group(2));
            }
        }
        return refs;
    }

    static Optional<String> propertyDefault(String service, String variable) {
        return Optional.ofNullable(propertyReferences(service).get(variable));
    }

    /** A property's value (prod profile), e.g. the launcher's consumer group of bench.runs. */
    static Optional<String> property(String service, String key) {
        String path = service + "-service/src/main/resources/application.properties";
        if (!Repo.path(path).toFile().isFile()) {
            return Optional.empty();
        }
        return Repo.read(path).lines().map(String::trim).filter(l -> l.startsWith(key + "="))
                .map(l -> l.substring(key.length() + 1).trim()).findFirst();
    }

    /** Every variable a service must be given: documented for it, or referenced without a default. */
    static Set<String> requiredVariables(String service) {
        Set<String> required = new TreeSet<>(documentedVariables(service));
        propertyReferences(service).forEach((var, def) -> {
            if (def == null) {
                required.add(var);
            }
        });
        return required;
    }

    // ---------------------------------------------------------------- deploy/local (the end-to-end test's stack)

    private static io.sagebench.local.LocalStack localStack() {
        return new io.sagebench.local.LocalStack(io.sagebench.local.StackConfig.fromEnvironment(Repo.root()), System.out);
    }

    /** The environment LocalStack gives a service (deploy/local, the end-to-end test's stack). */
    static Map<String, String> localStackEnvironment(String service) {
        return localStack().serviceEnvironment(service);
    }

    /** LocalStack.TOPICS: topic to partitions. */
    static Map<String, Integer> localStackTopics() {
        return io.sagebench.local.LocalStack.TOPICS;
    }

    static String localStackQueueName() {
        return io.sagebench.local.StackConfig.QUEUE;
    }

    /** The compacted topics of the local stack (bench.results: one current RunResult per run). */
    static Set<String> compactedTopics() {
        return new TreeSet<>(io.sagebench.local.LocalStack.COMPACTED_TOPICS);
    }
}
