package io.sagebench.monitor.rest;

import io.sagebench.monitor.app.MonitorMetrics;
import io.sagebench.monitor.repository.JobTransition;
import io.sagebench.monitor.repository.TrackedJobRepository;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Read-only view of what the monitor knows about a job; every read needs a viewer (or designer, operator) token. */
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"viewer", "designer", "operator"})
public class JobResource {

    public record Transition(String status, String secondaryStatus, Instant lastModifiedTime, String failureReason,
                             String source, String sourceEventId, String eventId, Instant recordedAt) {
    }

    public record JobView(String trainingJobName, String trainingJobArn, String runId, String designId, Integer attempt,
                          String cellId, String status, String secondaryStatus, Instant lastModifiedTime, String failureReason,
                          boolean terminal, Instant launchedAt, Instant lastHeardAt, Instant lastCheckedAt,
                          Instant expectedEndAt, List<Transition> transitions) {
    }

    private final TrackedJobRepository jobs;
    private final MonitorMetrics metrics;

    public JobResource(TrackedJobRepository jobs, MonitorMetrics metrics) {
        this.jobs = jobs;
        this.metrics = metrics;
    }

    @GET
    @Path("/{name}")
    @Transactional
    public JobView job(@PathParam("name") String name) {
        var job = jobs.find(name).orElseThrow(() -> new NotFoundException("no training job '" + name + "' is known"));
        List<Transition> transitions = JobTransition.ofJob(name).stream()
                .map(t -> new Transition(t.status, t.secondaryStatus, t.lastModifiedTime, t.failureReason, t.source,
                        t.sourceEventId, t.eventId, t.recordedAt))
                .toList();
        return new JobView(job.jobName, job.jobArn, job.runId, job.designId, job.attempt, job.cellId, job.status,
                job.secondaryStatus, job.lastModifiedTime, job.failureReason, job.terminal, job.launchedAt,
                job.lastHeardAt, job.lastCheckedAt, job.expectedEndAt, transitions);
    }

    /** Counts since start (the same counters as /q/metrics): received, published, dropped by reason, reconciliations. */
    @GET
    @Path("/stats")
    public Map<String, Long> stats() {
        return metrics.snapshot();
    }
}
