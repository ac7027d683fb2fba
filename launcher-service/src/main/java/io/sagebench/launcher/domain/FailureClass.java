package io.sagebench.launcher.domain;

/** Failure classes of a CreateTrainingJob call; wire names as in RunLaunchFailed.failureClass. */
public enum FailureClass {
    THROTTLING("throttling"),
    QUOTA("quota"),
    CAPACITY("capacity"),
    VALIDATION("validation"),
    INTERNAL("internal");

    private final String wireName;

    FailureClass(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
