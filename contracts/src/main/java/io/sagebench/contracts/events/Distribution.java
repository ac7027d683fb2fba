package io.sagebench.contracts.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a multi-instance job spreads its training (common.schema.json's {@code distribution}). */
public enum Distribution {
    NONE("none"),
    SMDISTRIBUTED("smdistributed"),
    PYTORCH_DDP("pytorch-ddp");

    private final String wire;

    Distribution(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
