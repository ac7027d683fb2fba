package io.sagebench.design.app;

/**
 * The outcome of checking a consumed record's {@code authorization} header: the caller, or why there is none
 * (missing, malformed, expired, foreign key, wrong issuer). The reason never contains the token.
 */
public record RecordAuth(Caller caller, String problem) {

    public static RecordAuth of(Caller caller) {
        return new RecordAuth(caller, null);
    }

    public static RecordAuth failed(String problem) {
        return new RecordAuth(null, problem);
    }

    public boolean ok() {
        return caller != null;
    }
}
