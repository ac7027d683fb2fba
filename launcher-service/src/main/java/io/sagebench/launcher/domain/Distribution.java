package io.sagebench.launcher.domain;

import java.util.Arrays;
import java.util.Optional;

/** The data-parallel strategies a run can ask for; wire names as in the contracts common.schema.json. */
public enum Distribution {
    NONE("none"),
    SMDISTRIBUTED("smdistributed"),
    PYTORCH_DDP("pytorch-ddp");

    private final String wireName;

    Distribution(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Distribution> fromWire(String name) {
        return Arrays.stream(values()).filter(d -> d.wireName.equals(name)).findFirst();
    }
}
