package io.sagebench.launcher.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON of test payloads. */
final class LauncherJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LauncherJson() {
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
