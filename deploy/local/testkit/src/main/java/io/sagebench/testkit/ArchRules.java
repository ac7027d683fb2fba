package io.sagebench.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The architecture rules every service module runs (docs/architecture.md, Anatomy): no package cycles, a framework-free
 * {@code domain} that depends on no other layer, nobody depending on {@code rest}, no service class that re-implements
 * a concept of {@code platform} or {@code contracts}, and main classes under {@link #MAX_LINES} lines.
 *
 * <p>What a service has not moved yet is named in its test, and a name on that list that no longer exists fails too, so
 * the lists only shrink.
 */
public final class ArchRules {

    /** Lines of a main class (its source file) beyond which it is to be split. */
    public static final int MAX_LINES = 300;

    /** Simple names that belong to platform (mechanisms) or contracts (facts and shapes), never to a service. */
    static final Pattern PLATFORM_CONCEPT = Pattern.compile(".*Outbox.*|ProcessedEvent.*|.*Triage|.*Retry|"
            + "TraceContext|Traceparents?|.*Tracing|.*Headers(Util)?|PriceBook|JobNames|InstanceCatalog|InstanceSpec|"
            + "AwsConfig|LeakedTransactions|Topics|InfrastructureFailure|LogContext");

    private static final String[] FRAMEWORKS = {"jakarta..", "io.quarkus..", "io.smallrye..", "org.eclipse.microprofile..",
            "com.fasterxml..", "software.amazon..", "org.hibernate..", "io.opentelemetry..", "org.apache.kafka..",
            "io.micrometer..", "io.vertx..", "org.jboss.."};

    private ArchRules() {
    }

    /**
     * Checks the service under {@code servicePackage} (e.g. {@code io.sagebench.design}).
     *
     * @param notYetMoved simple names of service classes that still carry a platform concept or a framework import
     *                    in {@code domain}, or still sit in a cycle (each must exist)
     */
    public static void checkService(String servicePackage, Set<String> notYetMoved) {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(servicePackage);
        if (classes.isEmpty()) {
            throw new AssertionError("no classes under " + servicePackage + ": the rules would prove nothing");
        }
        List<String> problems = new ArrayList<>();
        Set<String> present = new TreeSet<>();
        classes.forEach(c -> present.add(topLevel(c).getSimpleName()));
        for (String name : notYetMoved) {
            if (!present.contains(name)) {
                problems.add(name + " is on the not-yet-moved list but no longer exists: take it off");
            }
        }
        classes.stream().filter(c -> !c.isNestedClass() && !c.isAnonymousClass())
                .filter(c -> PLATFORM_CONCEPT.matcher(c.getSimpleName()).matches())
                .filter(c -> !notYetMoved.contains(c.getSimpleName()))
                .forEach(c -> problems.add(c.getName() + " re-implements a platform or contracts concept"));
        JavaClasses checked = classes.that(new com.tngtech.archunit.base.DescribedPredicate<>("moved") {
            @Override
            public boolean test(JavaClass c) {
                return !notYetMoved.contains(topLevel(c).getSimpleName());
            }
        });
        run(problems, checked, noClasses().that().resideInAPackage(servicePackage + ".domain..")
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                .as("domain imports no framework"));
        run(problems, checked, noClasses().that().resideInAPackage(servicePackage + ".domain..")
                .should().dependOnClassesThat().resideInAnyPackage(layers(servicePackage, "rest", "messaging", "app",
                        "repository", "client", "config", "health"))
                .as("domain depends on no other layer"));
        run(problems, checked, noClasses().that().resideOutsideOfPackage(servicePackage + ".rest..")
                .should().dependOnClassesThat().resideInAPackage(servicePackage + ".rest..")
                .as("nothing depends on rest"));
        run(problems, checked, slices().matching(servicePackage + ".(*)..").should().beFreeOfCycles()
                .as("no package cycles"));
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems));
        }
    }

    /**
     * Fails for every main source file under {@code sourceRoot} over {@link #MAX_LINES} lines, except the simple names
     * in {@code notYetSplit} (each must exist and still be too long).
     */
    public static void checkClassSizes(Path sourceRoot, Set<String> notYetSplit) {
        TreeMap<String, Long> lines = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                try (Stream<String> l = Files.lines(f)) {
                    lines.put(f.getFileName().toString().replace(".java", ""), l.count());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> problems = new ArrayList<>();
        lines.forEach((name, n) -> {
            if (n > MAX_LINES && !notYetSplit.contains(name)) {
                problems.add(name + " has " + n + " lines (at most " + MAX_LINES + ")");
            }
        });
        for (String name : notYetSplit) {
            Long n = lines.get(name);
            if (n == null || n <= MAX_LINES) {
                problems.add(name + " is on the not-yet-split list but " + (n == null ? "no longer exists"
                        : "has " + n + " lines now") + ": take it off");
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems));
        }
    }

    private static void run(List<String> problems, JavaClasses classes, com.tngtech.archunit.lang.ArchRule rule) {
        var result = rule.allowEmptyShould(true).evaluate(classes);
        if (result.hasViolation()) {
            problems.add(rule.getDescription() + ":\n  " + String.join("\n  ", result.getFailureReport().getDetails()));
        }
    }

    private static String[] layers(String servicePackage, String... names) {
        return Stream.of(names).map(n -> servicePackage + "." + n + "..").toArray(String[]::new);
    }

    private static JavaClass topLevel(JavaClass c) {
        JavaClass t = c;
        while (t.getEnclosingClass().isPresent()) {
            t = t.getEnclosingClass().get();
        }
        return t;
    }
}
