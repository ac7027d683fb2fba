package io.sagebench.design.domain;

/** One problem with a design: the JSON path of the offending value and what is wrong with it. */
public record ValidationError(String path, String message) {
}
