package io.sagebench.local.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.sagebench.local.chaos.Evidence.Job;
import io.sagebench.local.chaos.Evidence.Rec;
import io.sagebench.local.chaos.Evidence.StoredResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The promises the suite checks, each against evidence the services do not control (the topics as a reader sees them,
 * the emulator's record, results-service's rows). Every check lists what broke it, with run ids, so a failure points
 * at the run and the service.
 */
final class Invariants {

    static final String ONE_RESULT = "one final RunResult per run";
    static final String ONE_STORED = "one stored result row per run";
    static final String PUBLISHED_EQUALS_STORED = "results published = results stored";
    static final String ONE_JOB_PER_ATTEMPT = "one job per attempt (emulator's record)";
    static final String NO_UNKNOWN_JOB = "no job the system does not know about";
    static final String NO_DOUBLE_LAUNCH = "no attempt launched twice";
    static final String STOPS_REACHED = "every stop request reached its job";
    static final String FAILED_ATTEMPTS_CHARGED = "failed attempts charged to their run";
    static final String DESIGN_TOTAL = "design total = sum of its runs";
    static final String BUDGET = "no launch once the budget would be exceeded";
    static final String NO_TERMINAL_REGRESSION = "no terminal state went back";
    static final String NO_STUCK_DESIGN = "no design stuck";
    static final String MALFORMED_REJECTED = "every malformed design rejected";
    static final String POISON_DEAD_LETTERED = "every poison record dead-lettered with a reason";
    static final String NOTHING_ELSE_BLOCKED = "nothing else dead-lettered or blocked";
    static final String ALL_HEALTHY = "every instance healthy at the end";

    static final Set<String> TERMINAL_JOB = Set.of("Completed", "Failed", "Stopped");
    static final double USD_TOLERANCE = 0.01;

    /** A design the suite submitted, with what it expects of it. */
    record Design(String designId, List<String> runIds, double budgetUsd, boolean cancelled, Long cancelAtMillis) {
    }

    /** A poison record the suite wrote: where it landed, and which services read that topic. */
    record Poison(String topic, int partition, long offset, List<String> consumers, String kind) {
    }

    record Check(String name, boolean held, List<String> problems, String figure) {
    }

    private final Evidence e;
    private final List<Design> designs;
    private final List<String> malformedDesignIds;
    private final List<Poison> poison;
    private final List<String> unhealthy;
    private final long stopGraceMillis;
    private final Set<String> earlierDeadLetters;
    private final Set<String> injectedBefore;
    private final Set<String> malformedBefore;
    final List<Check> checks = new ArrayList<>();
    /** Observations that break no invariant but deserve a look (printed under the invariants). */
    final List<String> notes = new ArrayList<>();

    // indexes
    private final Map<String, List<Rec>> resultsByRun = new HashMap<>();
    private final Map<String, List<Job>> jobsByRun = new HashMap<>();
    private final Map<String, List<StoredResult>> storedByRun = new HashMap<>();
    private final Map<String, JsonNode> planByRun = new HashMap<>();
    private final Set<String> myRuns = new HashSet<>();
    private final Set<String> myDesigns = new HashSet<>();

    /**
     * @param stopGraceMillis simulated time the system gets, after a cancel, to stop a running job (a job that runs to
     *                        its natural end later than this was never stopped)
     */
    Invariants(Evidence e, List<Design> designs, List<String> malformedDesignIds, List<Poison> poison,
               List<String> unhealthy, long stopGraceMillis, Set<String> earlierDeadLetters, Set<String> injectedBefore,
               Set<String> malformedBefore) {
        this.earlierDeadLetters = earlierDeadLetters;
        this.injectedBefore = injectedBefore;
        this.malformedBefore = malformedBefore;
        this.e = e;
        this.designs = designs;
        this.malformedDesignIds = malformedDesignIds;
        this.poison = poison;
        this.unhealthy = unhealthy;
        this.stopGraceMillis = stopGraceMillis;
        for (Design d : designs) {
            myDesigns.add(d.designId());
            myRuns.addAll(d.runIds());
        }
        for (Rec r : e.topic("bench.results")) {
            if (r.key() != null && myRuns.contains(r.key())) resultsByRun.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        }
        for (Job j : e.jobs) {
            if (j.runId() != null) jobsByRun.computeIfAbsent(j.runId(), k -> new ArrayList<>()).add(j);
        }
        for (StoredResult s : e.stored) {
            storedByRun.computeIfAbsent(s.runId(), k -> new ArrayList<>()).add(s);
        }
        for (Rec r : e.topic("bench.runs")) {
            if ("RunPlanned".equals(r.eventType()) && r.json() != null && r.key() != null) planByRun.put(r.key(), r.json());
        }
    }

    List<Check> evaluate() {
        oneResultPerRun();
        oneStoredPerRun();
        publishedEqualsStored();
        oneJobPerAttempt();
        noUnknownJob();
        noDoubleLaunch();
        stopsReached();
        failedAttemptsCharged();
        designTotals();
        budget();
        noTerminalRegression();
        noStuckDesign();
        malformedRejected();
        poisonDeadLettered();
        nothingElseBlocked();
        check(ALL_HEALTHY, unhealthy, "6 service instances, broker, AWS stand-in, MariaDB");
        return checks;
    }

    boolean allHeld() {
        return checks.stream().allMatch(Check::held);
    }

    private void check(String name, List<String> problems, String figure) {
        checks.add(new Check(name, problems.isEmpty(), problems, figure));
    }

    /** Distinct RunResult events of a run (a record re-sent with the same event-id is one event). */
    private Map<String, Rec> distinctResults(String runId) {
        Map<String, Rec> byId = new LinkedHashMap<>();
        for (Rec r : resultsByRun.getOrDefault(runId, List.of())) byId.putIfAbsent(r.eventId(), r);
        return byId;
    }

    private boolean hadJob(String runId) {
        return jobsByRun.containsKey(runId);
    }

    private void oneResultPerRun() {
        List<String> problems = new ArrayList<>();
        int runs = 0;
        for (Design d : designs) {
            for (String run : d.runIds()) {
                runs++;
                int n = distinctResults(run).size();
                boolean expected = !d.cancelled() || hadJob(run);
                if (expected && n != 1) {
                    problems.add(run + ": " + n + " RunResult events on bench.results (results-service)"
                            + (n == 0 ? "; emulator jobs: " + describeJobs(run) : ""));
                } else if (!expected && n > 1) {
                    problems.add(run + ": " + n + " RunResult events for a cancelled run");
                }
            }
        }
        check(ONE_RESULT, problems, runs + " runs");
    }

    private void oneStoredPerRun() {
        List<String> problems = new ArrayList<>();
        for (Design d : designs) {
            for (String run : d.runIds()) {
                int n = storedByRun.getOrDefault(run, List.of()).size();
                boolean expected = !d.cancelled() || hadJob(run);
                if (expected ? n != 1 : n > 1) {
                    problems.add(run + ": " + n + " rows in results-service's run_result");
                }
            }
        }
        check(ONE_STORED, problems, e.stored.stream().filter(s -> myRuns.contains(s.runId())).count() + " rows");
    }

    private void publishedEqualsStored() {
        List<String> problems = new ArrayList<>();
        long published = myRuns.stream().filter(r -> !distinctResults(r).isEmpty()).count();
        long stored = e.stored.stream().filter(s -> myRuns.contains(s.runId())).count();
        if (published != stored) problems.add(published + " runs with a RunResult on bench.results, " + stored + " stored rows");
        for (String run : myRuns) {
            List<StoredResult> rows = storedByRun.getOrDefault(run, List.of());
            for (Rec r : distinctResults(run).values()) {
                if (rows.isEmpty()) {
                    problems.add(run + ": published (" + r.text("status") + ") but not stored");
                } else if (!rows.get(0).status().equals(r.text("status"))
                        || Math.abs(rows.get(0).costUsd().doubleValue() - r.json().path("costUsd").asDouble()) > USD_TOLERANCE) {
                    problems.add(run + ": published " + r.text("status") + " " + r.json().path("costUsd").asText() + " USD, stored "
                            + rows.get(0).status() + " " + rows.get(0).costUsd() + " USD");
                }
            }
            if (!rows.isEmpty() && distinctResults(run).isEmpty()) problems.add(run + ": stored but never published");
        }
        check(PUBLISHED_EQUALS_STORED, problems, published + " published, " + stored + " stored");
    }

    private void oneJobPerAttempt() {
        List<String> problems = new ArrayList<>();
        int jobs = 0;
        for (String run : sorted(myRuns)) {
            Map<Integer, List<Job>> byAttempt = new TreeMap<>();
            for (Job j : jobsByRun.getOrDefault(run, List.of())) {
                jobs++;
                byAttempt.computeIfAbsent(j.attempt() == null ? -1 : j.attempt(), k -> new ArrayList<>()).add(j);
                String expectedName = "bench-" + run + "-a" + j.attempt();
                if (!j.name().equals(expectedName)) problems.add(run + ": job " + j.name() + " tagged attempt " + j.attempt());
            }
            int max = byAttempt.keySet().stream().max(Integer::compare).orElse(0);
            for (int a = 1; a <= max; a++) {
                int n = byAttempt.getOrDefault(a, List.of()).size();
                if (n != 1) {
                    problems.add(run + " attempt " + a + ": " + n + " jobs in the emulator ("
                            + byAttempt.getOrDefault(a, List.of()).stream().map(j -> j.name() + (j.duplicate() ? " [second job]" : ""))
                            .collect(Collectors.joining(", ")) + ")");
                }
            }
        }
        for (Map.Entry<String, Integer> listed : e.sdkListed.entrySet()) {
            if (listed.getValue() != 1 && isMine(listed.getKey())) {
                problems.add("ListTrainingJobs (AWS SDK) lists " + listed.getKey() + " " + listed.getValue() + " times");
            }
        }
        check(ONE_JOB_PER_ATTEMPT, problems, jobs + " jobs");
    }

    private boolean isMine(String jobName) {
        return myDesigns.stream().anyMatch(d -> jobName.startsWith("bench-" + d + "-r"));
    }

    private void noUnknownJob() {
        List<String> problems = new ArrayList<>();
        // Known = the launcher named it on bench.launches: RunLaunched, or RunAttemptEnded (a job whose end the launcher
        // judged). A job named only by RunAttemptEnded is still reported, below the invariants (RunLaunched was skipped).
        Set<String> launched = new HashSet<>();
        Set<String> announced = new HashSet<>();
        for (Rec r : e.topic("bench.launches")) {
            if (("RunLaunched".equals(r.eventType()) || "RunAttemptEnded".equals(r.eventType())) && r.text("trainingJobName") != null) {
                launched.add(r.text("trainingJobName"));
            }
            if ("RunLaunched".equals(r.eventType()) && r.text("trainingJobName") != null) announced.add(r.text("trainingJobName"));
        }
        Set<String> knownDesigns = new HashSet<>();
        for (Rec r : e.topic("bench.design-status")) {
            if ("DesignAccepted".equals(r.eventType()) && r.text("designId") != null) knownDesigns.add(r.text("designId"));
        }
        int checked = 0;
        for (Job j : e.jobs) {
            if (j.designId() != null && knownDesigns.contains(j.designId()) && !myDesigns.contains(j.designId())) {
                continue;   // another scenario's design on the same stack
            }
            checked++;
            if (launched.contains(j.name()) && !announced.contains(j.name()) && !j.duplicate()) {
                notes.add(j.name() + " (" + j.status() + "): no RunLaunched, only RunAttemptEnded (launcher-service); bench.launches for"
                        + " its run: " + launchesOf(j.runId()) + "; launch row: " + e.launchRows.getOrDefault(j.runId(), "none"));
            }
            if (!launched.contains(j.name())) {
                problems.add(j.name() + " (" + j.status() + ") exists in the emulator, no RunLaunched or RunAttemptEnded names it (launcher-service);"
                        + " bench.launches has for its run: " + launchesOf(j.runId()) + "; launcher's launch row: "
                        + e.launchRows.getOrDefault(j.runId(), "none"));
            } else if (j.duplicate()) {
                problems.add(j.name() + ": a second job under this name, unknown to the system (it bills: "
                        + j.billableSeconds() + " s)");
            }
            if (j.designId() == null || !knownDesigns.contains(j.designId())) {
                problems.add(j.name() + ": tagged design " + j.designId() + ", which was never accepted");
            }
        }
        check(NO_UNKNOWN_JOB, problems, checked + " jobs checked");
    }

    private void noDoubleLaunch() {
        List<String> problems = new ArrayList<>();
        Map<String, Integer> created = new TreeMap<>();
        for (Evidence.CreateCall c : e.createCalls) {
            if (c.outcome().equals("created") && c.name() != null) created.merge(c.name(), 1, Integer::sum);
        }
        Map<String, Long> jobsPerName = e.jobs.stream().collect(Collectors.groupingBy(Job::name, Collectors.counting()));
        for (Map.Entry<String, Long> n : jobsPerName.entrySet()) {
            if (n.getValue() > 1 && isMine(n.getKey())) problems.add(n.getKey() + ": launched " + n.getValue() + " times (" + n.getValue() + " jobs)");
        }
        for (Map.Entry<String, Integer> c : created.entrySet()) {
            if (c.getValue() > 1 && isMine(c.getKey())) problems.add(c.getKey() + ": " + c.getValue() + " CreateTrainingJob calls succeeded");
        }
        // RunLaunched events per attempt naming different jobs
        Map<String, Set<String>> launchedNames = new HashMap<>();
        for (Rec r : e.topic("bench.launches")) {
            if ("RunLaunched".equals(r.eventType()) && r.json() != null && myRuns.contains(r.key())) {
                launchedNames.computeIfAbsent(r.key() + "#" + r.json().path("attempt").asInt(), k -> new HashSet<>())
                        .add(r.text("trainingJobName"));
            }
        }
        launchedNames.forEach((k, v) -> {
            if (v.size() > 1) problems.add(k + ": RunLaunched names " + v);
        });
        long calls = e.createCalls.stream().filter(c -> c.name() != null && isMine(c.name())).count();
        long names = created.keySet().stream().filter(this::isMine).count();
        check(NO_DOUBLE_LAUNCH, problems, calls + " CreateTrainingJob calls, " + names + " names created");
    }

    private void stopsReached() {
        List<String> problems = new ArrayList<>();
        int stopped = 0;
        int running = 0;
        for (Design d : designs) {
            if (!d.cancelled() || d.cancelAtMillis() == null) continue;
            for (String run : d.runIds()) {
                for (Job j : jobsByRun.getOrDefault(run, List.of())) {
                    if (j.stopRequests() > 0) stopped++;
                    if (!j.terminal()) {
                        problems.add(j.name() + " of cancelled design " + d.designId() + " is still " + j.status()
                                + " (" + j.stopRequests() + " StopTrainingJob calls reached it; launcher-service)");
                        continue;
                    }
                    if (j.creationMillis() > d.cancelAtMillis() + stopGraceMillis) {
                        problems.add(j.name() + " was created " + (j.creationMillis() - d.cancelAtMillis()) / 1000
                                + " simulated s after its design was cancelled (launcher-service)");
                    }
                    boolean runningAtCancel = j.creationMillis() <= d.cancelAtMillis()
                            && (j.endMillis() == null || j.endMillis() > d.cancelAtMillis());
                    if (runningAtCancel) running++;
                    boolean ranOnLong = j.endMillis() != null && j.endMillis() > d.cancelAtMillis() + stopGraceMillis;
                    if (ranOnLong && (j.stopRequests() == 0 || !j.status().equals("Stopped"))) {
                        problems.add(j.name() + " ran on to " + j.status() + " " + (j.endMillis() - d.cancelAtMillis()) / 1000
                                + " simulated s after its design was cancelled; " + j.stopRequests() + " StopTrainingJob calls reached it");
                    }
                }
            }
        }
        check(STOPS_REACHED, problems, running + " jobs running at the cancel, " + stopped + " reached by a stop");
    }

    private static double billed(Job j, double hourly) {
        return (j.billableSeconds() == null ? 0 : j.billableSeconds()) / 3600.0 * hourly * j.instanceCount();
    }

    private void failedAttemptsCharged() {
        List<String> problems = new ArrayList<>();
        int multi = 0;
        for (String run : sorted(myRuns)) {
            Map<String, Rec> results = distinctResults(run);
            if (results.size() != 1) continue;   // reported by ONE_RESULT
            JsonNode r = results.values().iterator().next().json();
            List<Job> jobs = jobsByRun.getOrDefault(run, List.of()).stream().filter(j -> !j.duplicate()).toList();
            List<Job> all = jobsByRun.getOrDefault(run, List.of());
            if (jobs.size() > 1) multi++;
            double hourly = r.path("hourlyPriceUsd").asDouble();
            int finalAttempt = r.path("attempt").asInt(1);
            long earlierBillable = jobs.stream().filter(j -> j.attempt() != null && j.attempt() < finalAttempt)
                    .mapToLong(j -> j.billableSeconds() == null ? 0 : j.billableSeconds()).sum();
            double expectedCost = all.stream().mapToDouble(j -> billed(j, hourly)).sum();
            int attempts = r.path("attempts").asInt(1);
            if (attempts != all.size()) {
                problems.add(run + ": RunResult says " + attempts + " attempts, the emulator created " + all.size() + " jobs");
            }
            if (r.path("failedAttemptsBillableSeconds").asLong(0) != earlierBillable) {
                problems.add(run + ": failedAttemptsBillableSeconds " + r.path("failedAttemptsBillableSeconds").asLong(0)
                        + ", the emulator billed " + earlierBillable + " s for earlier attempts");
            }
            if (Math.abs(r.path("costUsd").asDouble() - expectedCost) > USD_TOLERANCE) {
                problems.add(String.format(java.util.Locale.ROOT, "%s: costUsd %.4f, the emulator's billing of its %d jobs gives %.4f",
                        run, r.path("costUsd").asDouble(), all.size(), expectedCost));
            }
        }
        check(FAILED_ATTEMPTS_CHARGED, problems, multi + " runs with more than one attempt");
    }

    private void designTotals() {
        List<String> problems = new ArrayList<>();
        for (Design d : designs) {
            double published = 0;
            for (String run : d.runIds()) {
                for (Rec r : distinctResults(run).values()) published += r.json().path("costUsd").asDouble();
            }
            double stored = e.stored.stream().filter(s -> s.designId().equals(d.designId()))
                    .mapToDouble(s -> s.costUsd().doubleValue()).sum();
            Rec completed = lastOfType(d.designId(), "DesignCompleted");
            if (Math.abs(published - stored) > USD_TOLERANCE) {
                problems.add(String.format(java.util.Locale.ROOT, "%s: RunResults sum to %.4f USD, stored rows to %.4f", d.designId(), published, stored));
            }
            if (completed != null && Math.abs(completed.json().path("totalCostUsd").asDouble() - published) > USD_TOLERANCE) {
                problems.add(String.format(java.util.Locale.ROOT, "%s: DesignCompleted.totalCostUsd %.4f, its RunResults sum to %.4f",
                        d.designId(), completed.json().path("totalCostUsd").asDouble(), published));
            }
            if (completed == null && !d.cancelled()) problems.add(d.designId() + ": no DesignCompleted to compare");
        }
        check(DESIGN_TOTAL, problems, designs.size() + " designs");
    }

    private void budget() {
        List<String> problems = new ArrayList<>();
        double worst = 0;
        for (Design d : designs) {
            List<Job> jobs = e.jobs.stream().filter(j -> d.designId().equals(j.designId()))
                    .sorted(Comparator.comparingLong(Job::creationMillis)).toList();
            for (Job launch : jobs) {
                double committed = 0;
                for (Job j : jobs) {
                    if (j == launch) break;
                    boolean ended = j.endMillis() != null && j.endMillis() <= launch.creationMillis();
                    committed += ended ? billed(j, hourly(j)) : Math.max(quote(j.runId()), 0);
                }
                committed += quote(launch.runId());
                worst = Math.max(worst, committed / d.budgetUsd());
                if (committed > d.budgetUsd() + USD_TOLERANCE) {
                    problems.add(String.format(java.util.Locale.ROOT, "%s launched with %.2f USD billed or committed against a budget of %.2f (launcher-service)",
                            launch.name(), committed, d.budgetUsd()));
                    break;
                }
            }
            double total = jobs.stream().mapToDouble(j -> billed(j, hourly(j))).sum();
            if (total > d.budgetUsd() + USD_TOLERANCE) {
                problems.add(String.format(java.util.Locale.ROOT, "%s billed %.2f USD in all, budget %.2f", d.designId(), total, d.budgetUsd()));
            }
        }
        check(BUDGET, problems, String.format(java.util.Locale.ROOT, "peak commitment %.0f%% of a budget", worst * 100));
    }

    private double quote(String runId) {
        JsonNode plan = planByRun.get(runId);
        return plan == null ? 0 : plan.path("quote").path("usd").asDouble();
    }

    private double hourly(Job j) {
        JsonNode plan = planByRun.get(j.runId());
        return plan == null ? 0 : plan.path("quote").path("hourlyPriceUsd").asDouble();
    }

    private void noTerminalRegression() {
        List<String> problems = new ArrayList<>();
        Map<String, Job> finalByName = new HashMap<>();
        e.jobs.stream().filter(j -> !j.duplicate()).forEach(j -> finalByName.put(j.name(), j));
        Map<String, List<Rec>> byJob = new LinkedHashMap<>();
        for (Rec r : e.topic("bench.job-states")) {
            if (r.json() != null && r.key() != null && isMine(r.key())) byJob.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        }
        int transitions = 0;
        for (Map.Entry<String, List<Rec>> job : byJob.entrySet()) {
            String terminal = null;
            String terminalEvent = null;
            for (Rec r : job.getValue()) {   // one partition per key: offset order is publish order
                transitions++;
                String status = r.text("status");
                if (terminal != null && !r.eventId().equals(terminalEvent) && !terminal.equals(status)) {
                    problems.add(job.getKey() + ": " + status + " published after " + terminal + " on bench.job-states (monitor-service)");
                }
                if (terminal == null && TERMINAL_JOB.contains(status)) {
                    terminal = status;
                    terminalEvent = r.eventId();
                }
            }
            Job truth = finalByName.get(job.getKey());
            if (terminal != null && truth != null && !truth.status().equals(terminal)) {
                problems.add(job.getKey() + ": published " + terminal + ", SageMaker says " + truth.status());
            }
        }
        for (String run : myRuns) {
            for (Rec r : distinctResults(run).values()) {
                Job truth = finalByName.get(r.text("trainingJobName"));
                if (truth == null) {
                    problems.add(run + ": RunResult names " + r.text("trainingJobName") + ", which SageMaker does not have");
                } else if (!truth.status().equals(r.text("status"))) {
                    problems.add(run + ": RunResult " + r.text("status") + ", SageMaker says " + truth.name() + " " + truth.status());
                }
            }
        }
        for (Design d : designs) {
            boolean ended = false;
            for (Rec r : e.topic("bench.design-status")) {
                if (!d.designId().equals(r.key())) continue;
                if ("DesignCompleted".equals(r.eventType()) || "DesignCancelled".equals(r.eventType())) ended = true;
                else if (ended && "DesignAccepted".equals(r.eventType())) {
                    problems.add(d.designId() + ": DesignAccepted published after the design ended (design-service)");
                }
            }
        }
        check(NO_TERMINAL_REGRESSION, problems, transitions + " job states read");
    }

    private Rec lastOfType(String designId, String type) {
        Rec last = null;
        for (Rec r : e.topic("bench.design-status")) {
            if (designId.equals(r.key()) && type.equals(r.eventType())) last = r;
        }
        return last;
    }

    private void noStuckDesign() {
        List<String> problems = new ArrayList<>();
        for (Design d : designs) {
            if (lastOfType(d.designId(), "DesignCompleted") == null && lastOfType(d.designId(), "DesignCancelled") == null) {
                long withResult = d.runIds().stream().filter(r -> !distinctResults(r).isEmpty()).count();
                List<String> missing = d.runIds().stream().filter(r -> distinctResults(r).isEmpty()).limit(5).toList();
                problems.add(d.designId() + ": neither DesignCompleted nor DesignCancelled; " + withResult + "/" + d.runIds().size()
                        + " runs have a result; e.g. without: " + missing.stream().map(r -> r + " [" + describeJobs(r) + "]").toList());
            }
        }
        check(NO_STUCK_DESIGN, problems, designs.size() + " designs");
    }

    private void malformedRejected() {
        List<String> problems = new ArrayList<>();
        Set<String> rejected = new HashSet<>();
        for (Rec r : e.topic("bench.design-status")) {
            if ("DesignRejected".equals(r.eventType()) && r.text("designId") != null && r.json().path("errors").size() > 0) {
                rejected.add(r.text("designId"));
            }
        }
        for (String id : malformedDesignIds) {
            if (!rejected.contains(id)) problems.add(id + ": no DesignRejected with errors (design-service)");
        }
        check(MALFORMED_REJECTED, problems, malformedDesignIds.size() + " malformed designs");
    }

    /** Every dead letter seen, as service:topic-partition@offset (a later scenario on the same stack leaves them out). */
    Set<String> deadLetterKeys() {
        Set<String> keys = new HashSet<>();
        for (String service : List.of("design-service", "launcher-service", "monitor-service", "results-service")) {
            deadLetters(service).keySet().forEach(k -> keys.add(service + ":" + k));
        }
        return keys;
    }

    private Map<String, Rec> deadLetters(String service) {
        Map<String, Rec> byOrigin = new HashMap<>();
        for (Rec r : e.topic("bench.dlq." + service)) {
            byOrigin.put(r.headers().get("dead-letter-topic") + "-" + r.headers().get("dead-letter-partition") + "@"
                    + r.headers().get("dead-letter-offset"), r);
        }
        return byOrigin;
    }

    private void poisonDeadLettered() {
        List<String> problems = new ArrayList<>();
        int expected = 0;
        for (Poison p : poison) {
            for (String service : p.consumers()) {
                expected++;
                Rec dl = deadLetters(service).get(p.topic() + "-" + p.partition() + "@" + p.offset());
                if (dl == null) {
                    problems.add(p.topic() + "-" + p.partition() + "@" + p.offset() + " (" + p.kind() + "): no entry in bench.dlq."
                            + service + " (" + service + ")");
                } else if (dl.headers().getOrDefault("dead-letter-reason", "").isBlank()) {
                    problems.add(p.topic() + "-" + p.partition() + "@" + p.offset() + ": bench.dlq." + service + " entry without a reason");
                }
            }
        }
        check(POISON_DEAD_LETTERED, problems, poison.size() + " poison records, " + expected + " dead letters expected");
    }

    private void nothingElseBlocked() {
        List<String> problems = new ArrayList<>();
        Set<String> injected = new HashSet<>();
        for (Poison p : poison) injected.add(p.topic() + "-" + p.partition() + "@" + p.offset());
        injected.addAll(injectedBefore);
        Set<String> malformed = new HashSet<>(malformedDesignIds);
        malformed.addAll(malformedBefore);
        int entries = 0;
        for (String service : List.of("design-service", "launcher-service", "monitor-service", "results-service")) {
            for (Map.Entry<String, Rec> dl : deadLetters(service).entrySet()) {
                if (earlierDeadLetters.contains(service + ":" + dl.getKey())) continue;   // an earlier scenario's
                entries++;
                if (injected.contains(dl.getKey())) continue;
                Rec r = dl.getValue();
                String designId = r.json() == null ? null : r.text("designId");
                if ("bench.designs".equals(r.headers().get("dead-letter-topic")) && designId != null && malformed.contains(designId)) {
                    continue;
                }
                problems.add("bench.dlq." + service + " holds " + dl.getKey() + " (key " + r.key() + "), which the suite did not inject: "
                        + r.headers().getOrDefault("dead-letter-reason", "?"));
            }
        }
        check(NOTHING_ELSE_BLOCKED, problems, entries + " dead letters in all");
    }

    private String launchesOf(String run) {
        return e.topic("bench.launches").stream().filter(r -> run != null && run.equals(r.key()))
                .map(r -> r.eventType() + (r.json() != null && r.json().has("attempt") ? "#" + r.json().path("attempt").asText() : ""))
                .toList().toString();
    }

    private String describeJobs(String run) {
        List<Job> jobs = jobsByRun.getOrDefault(run, List.of());
        if (jobs.isEmpty()) return "no job";
        return jobs.stream().map(j -> j.name().substring(j.name().lastIndexOf('-') + 1) + " " + j.status() + "/" + j.secondaryStatus())
                .collect(Collectors.joining(", "));
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
