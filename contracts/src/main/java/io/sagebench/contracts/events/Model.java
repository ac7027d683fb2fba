package io.sagebench.contracts.events;

/** The model a design trains (common.schema.json's {@code model}). */
public record Model(String hubId, Long parameters, Integer sequenceLength) {
}
