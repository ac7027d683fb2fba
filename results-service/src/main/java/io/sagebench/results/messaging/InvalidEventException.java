package io.sagebench.results.messaging;

import java.util.List;

/** A record that cannot be applied; its message lists every problem and becomes the dead-letter reason. */
public class InvalidEventException extends RuntimeException {
    public InvalidEventException(String eventType, List<String> problems) {
        super(eventType + " is invalid: " + String.join("; ", problems));
    }

    public InvalidEventException(String message) {
        super(message);
    }
}
