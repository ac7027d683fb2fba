package io.sagebench.results.app;

import io.sagebench.results.domain.Progress;
import io.sagebench.results.domain.RunRecord;
import io.sagebench.results.repository.DesignEntity;
import io.sagebench.results.repository.JobStateEntity;
import io.sagebench.results.repository.RunCancelEntity;
import io.sagebench.results.repository.RunLaunchEntity;
import io.sagebench.results.repository.RunPlanEntity;
import io.sagebench.results.repository.RunResultEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Optional;

/** Read side: a design's progress and results, assembled from the tables each consumer writes. */
@ApplicationScoped
public class DesignQueries {

    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean exists(String designId) {
        return DesignEntity.findById(designId) != null || RunPlanEntity.count("designId", designId) > 0
                || RunLaunchEntity.count("designId", designId) > 0 || JobStateEntity.count("designId", designId) > 0
                || RunCancelEntity.count("designId", designId) > 0;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Progress> progress(String designId) {
        if (!exists(designId)) {
            return Optional.empty();
        }
        return Optional.of(progressOf(designId, DesignEntity.findById(designId)));
    }

    /** Progress inside the caller's transaction; the design row may be null. */
    public Progress progressOf(String designId, DesignEntity design) {
        List<String> planned = RunPlanEntity.ofDesign(designId).stream().map(p -> p.runId).toList();
        List<Progress.LaunchFact> launches = RunLaunchEntity.ofDesign(designId).stream()
                .map(l -> new Progress.LaunchFact(l.runId, l.state, l.launched, l.endedAtLaunch())).toList();
        List<Progress.JobFact> jobs = JobStateEntity.ofDesign(designId).stream()
                .map(j -> new Progress.JobFact(j.runId, j.status, j.secondaryStatus)).toList();
        List<Progress.ResultFact> results = RunResultEntity.ofDesign(designId).stream()
                .map(r -> new Progress.ResultFact(r.runId, r.status)).toList();
        Integer runCount = design == null ? null : design.runCount;
        boolean completed = design != null && design.completedAt != null;
        List<String> cancelled = RunCancelEntity.ofDesign(designId).stream().map(c -> c.runId).toList();
        return Progress.of(designId, runCount, planned, launches, jobs, results, cancelled, completed)
                .withReused(design == null ? 0 : design.reusedRuns);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<RunRecord> results(String designId) {
        return RunResultEntity.ofDesign(designId).stream().map(RunResultEntity::toDomain).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<RunPlanEntity> plans(String designId) {
        return RunPlanEntity.ofDesign(designId);
    }

    /** Every design seen, accepted or only through its runs, newest first (stand-in entities where none is stored). */
    @Transactional(Transactional.TxType.SUPPORTS)
    @SuppressWarnings("unchecked")
    public List<DesignEntity> designs() {
        List<String> ids = DesignEntity.getEntityManager().createNativeQuery("""
                SELECT design_id FROM (
                  SELECT design_id, accepted_at AS seen FROM design
                  UNION ALL SELECT design_id, MIN(planned_at) FROM run_plan GROUP BY design_id) d
                GROUP BY design_id ORDER BY MAX(seen) DESC, design_id""").getResultList();
        return ids.stream().map(id -> {
            DesignEntity d = DesignEntity.findById(id);
            if (d == null) {
                d = new DesignEntity();
                d.designId = id;
            }
            return d;
        }).toList();
    }
}
