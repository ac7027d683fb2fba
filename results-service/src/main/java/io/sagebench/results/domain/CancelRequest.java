package io.sagebench.results.domain;

/** A RunCancelRequested. */
public record CancelRequest(String runId, String designId, String reason) {
}
