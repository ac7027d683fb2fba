package io.sagebench.results.repository;

import io.sagebench.results.domain.AttemptCost;
import io.sagebench.results.domain.AttemptVerdict;
import io.sagebench.results.domain.PendingRun;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The read side of the finisher: terminal jobs whose run has a plan and no result yet. */
@ApplicationScoped
public class PendingRuns {

    /**
     * The runs of several terminal jobs, read in one transaction with one query per table (not five per job), in the
     * order given; a job that is not terminal, has no plan, or whose run has a result is left out.
     */
    @Transactional
    public List<PendingRun> pendingAll(Collection<String> trainingJobNames) {
        if (trainingJobNames.isEmpty()) {
            return List.of();
        }
        List<String> names = List.copyOf(new LinkedHashSet<>(trainingJobNames));
        Map<String, JobStateEntity> jobs = new HashMap<>();
        JobStateEntity.<JobStateEntity>list("trainingJobName in ?1 and terminal = true", names)
                .forEach(j -> jobs.put(j.trainingJobName, j));
        if (jobs.isEmpty()) {
            return List.of();
        }
        Set<String> runIds = new HashSet<>();
        jobs.values().forEach(j -> runIds.add(j.runId));
        Set<String> withResult = new HashSet<>(RunResultEntity.getEntityManager()
                .createQuery("select r.runId from RunResultEntity r where r.runId in :ids", String.class)
                .setParameter("ids", runIds).getResultList());
        Map<String, RunPlanEntity> plans = new HashMap<>();
        RunPlanEntity.<RunPlanEntity>list("runId in ?1", runIds).forEach(p -> plans.put(p.runId, p));
        Map<String, AttemptVerdictEntity> verdicts = new HashMap<>();
        AttemptVerdictEntity.<AttemptVerdictEntity>list("trainingJobName in ?1", names)
                .forEach(v -> verdicts.put(v.trainingJobName, v));
        Map<String, List<RunAttemptEntity>> attempts = new HashMap<>();
        RunAttemptEntity.<RunAttemptEntity>list("runId in ?1 order by attempt", runIds)
                .forEach(a -> attempts.computeIfAbsent(a.runId, k -> new ArrayList<>()).add(a));
        List<PendingRun> out = new ArrayList<>();
        for (String name : names) {
            JobStateEntity j = jobs.get(name);
            if (j == null || withResult.contains(j.runId)) {
                continue;
            }
            RunPlanEntity plan = plans.get(j.runId);
            if (plan != null) {
                out.add(pendingRun(j, plan, verdicts.get(name), attempts.getOrDefault(j.runId, List.of())));
            }
        }
        return out;
    }

    /** Terminal jobs the sweep should finish now (see {@link JobStateEntity#awaitingResult}). */
    @Transactional
    public List<String> awaitingResult(int maxDescribeTries, int limit) {
        return JobStateEntity.awaitingResult(maxDescribeTries, limit);
    }

    /** @param priced the run's priced attempts, by attempt */
    private static PendingRun pendingRun(JobStateEntity j, RunPlanEntity plan, AttemptVerdictEntity launcherSaid,
                                         List<RunAttemptEntity> priced) {
        AttemptVerdict verdict = AttemptVerdict.of(j.status, launcherSaid == null ? null : launcherSaid.relaunch);
        boolean attemptPriced = priced.stream().anyMatch(a -> a.trainingJobName.equals(j.trainingJobName));
        List<AttemptCost> earlier = priced.stream().filter(a -> a.attempt < j.attempt).map(RunAttemptEntity::toDomain)
                .toList();
        return new PendingRun(plan.toDomain(), j.trainingJobName, j.attempt, j.status, verdict, attemptPriced,
                earlier, plan.traceparent);
    }
}
