package io.sagebench.launcher.rest;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.sagebench.launcher.repository.AdmissionRepository;
import io.sagebench.launcher.repository.LaunchEntity;
import io.sagebench.launcher.repository.LaunchRepository;

/** Read-only views of launches: any role may read (docs/security.md); there is nothing to mutate here. */
@Path("/launches")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"viewer", "designer", "operator"})
public class LaunchResource {
    @Inject
    LaunchRepository launches;
    @Inject
    AdmissionRepository admission;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LaunchView(String runId, String designId, String cellId, String state, int attempt,
                             String trainingJobName, String trainingJobArn, String instanceType, Integer instanceCount,
                             boolean holdsQuota, boolean cancelRequested, String deferReason, int deferCount,
                             int retryCount, String failureClass, String lastError, Instant nextAttemptAt,
                             Instant createdAt, Instant updatedAt, Instant launchedAt) {
        static LaunchView of(LaunchEntity l) {
            return new LaunchView(l.runId, l.designId, l.cellId, l.state.name(), l.attempt, l.trainingJobName,
                    l.trainingJobArn, l.instanceType, l.instanceCount, l.holdsQuota, l.cancelRequested,
                    l.deferReason, l.deferCount, l.retryCount, l.failureClass, l.lastError, l.nextAttemptAt,
                    l.createdAt, l.updatedAt, l.launchedAt);
        }
    }

    public record UsageView(String instanceType, int inUse) {
    }

    @GET
    @Path("/{runId}")
    public LaunchView get(@PathParam("runId") String runId) {
        LaunchEntity l = launches.findById(runId);
        if (l == null) {
            throw new NotFoundException("no launch for run " + runId);
        }
        return LaunchView.of(l);
    }

    /** Instances in use per type, as all replicas see them. */
    @GET
    @Path("/usage")
    public List<UsageView> usage() {
        return admission.allUsage().stream().map(r -> new UsageView(r.instanceType(), r.inUse())).toList();
    }
}
