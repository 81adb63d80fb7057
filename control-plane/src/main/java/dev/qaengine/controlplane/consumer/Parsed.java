package dev.qaengine.controlplane.consumer;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One record's value as a {@link TopicConsumer} read it: what to store, or why it is passed over — the reason (the tag
 * of the consumer's skipped counter) and a problem that quotes nothing of the record (records may hold personal data;
 * problems go to the log). Bad input is a value: reading never throws on what a topic holds.
 */
public record Parsed<T>(T value, String reason, String problem) {
    /** Not JSON, not an object, or not the shape of the record. */
    public static final String MALFORMED = "malformed";
    /** Its {@code v} is not the version this service reads. */
    public static final String UNSUPPORTED_VERSION = "unsupported_version";

    public static <T> Parsed<T> of(T value) {
        return new Parsed<>(value, null, null);
    }

    public static <T> Parsed<T> skip(String reason, String problem) {
        return new Parsed<>(null, reason, problem);
    }

    /** This failure, as a failure to read something else. */
    public <U> Parsed<U> failed() {
        if (value != null) {
            throw new IllegalStateException("not a failure");
        }
        return skip(reason, problem);
    }

    /** The first steps of reading every record: a JSON object whose {@code v} is {@code version}. */
    public static Parsed<JsonNode> jsonObject(JsonMapper json, byte[] value, int version) {
        if (value == null || value.length == 0) {
            return skip(MALFORMED, "empty record");
        }
        JsonNode tree;
        try {
            tree = json.readTree(value);
        } catch (JacksonException e) {
            var loc = e.getLocation();
            return skip(MALFORMED, "not JSON (" + e.getClass().getSimpleName()
                    + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr()) + ")");
        }
        return versioned(tree, version);
    }

    /** An object already read (an element of an array record, say) whose {@code v} is {@code version}. */
    public static Parsed<JsonNode> versioned(JsonNode tree, int version) {
        if (tree == null || !tree.isObject()) {
            return skip(MALFORMED, "not a JSON object");
        }
        JsonNode v = tree.get("v");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() != version) {
            return skip(UNSUPPORTED_VERSION, "v is " + (v == null ? "missing" : v.isIntegralNumber() ? v.asString() : "not a number")
                    + ", not " + version);
        }
        return of(tree);
    }
}
