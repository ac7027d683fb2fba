package io.sagebench.design.domain;

/**
 * Tunables of expansion and quoting (config keys {@code sagebench.design.*}).
 *
 * @param defaultRegion          region of a design that names none
 * @param startupOverheadSeconds quoted per run for provisioning, image pull and data download before training starts
 * @param maxRuns                the grid cap: a design expanding to more runs is rejected
 * @param runtimeSafetyFactor    maxRuntimeSeconds = this × the quoted seconds (clamped to min/max)
 * @param minRuntimeSeconds      lower clamp of maxRuntimeSeconds (1 h)
 * @param maxRuntimeSeconds      upper clamp of maxRuntimeSeconds (5 days); a run quoted longer is rejected
 */
public record PlannerSettings(String defaultRegion, int startupOverheadSeconds, int maxRuns, double runtimeSafetyFactor,
                              int minRuntimeSeconds, int maxRuntimeSeconds) {

    public static PlannerSettings defaults() {
        return new PlannerSettings("us-east-1", 300, 5000, 3.0, 3600, 5 * 24 * 3600);
    }
}
