package dev.qaengine.controlplane.web;

/** One offending field of a request: a JSON path such as {@code attributes[1].type}, and what is wrong with it. */
public record FieldError(String field, String message) {
}
