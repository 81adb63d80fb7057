package dev.qaengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The envelope of every record on the compacted {@code qa.control} topic
 * (schema: state-schemas/control-record-v1.schema.json).
 *
 * <p>The Kafka record key is {@link #key(ControlKind, String)}, so compaction keeps the latest record per
 * kind and subject. A record whose {@code version} is not newer than the one a job holds is ignored
 * (republication, reordering); a tombstone (null value) removes the subject.
 *
 * @param payload the kind's document (an {@link EventCatalog} for EVENT_CATALOG); read back as a generic
 *                JSON value, which each job converts for the kinds it uses
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ControlRecord(
        @JsonProperty("v") int v,
        @JsonProperty("kind") ControlKind kind,
        @JsonProperty("subject") String subject,
        @JsonProperty("version") long version,
        @JsonProperty("payload") Object payload) {

    public static final int VERSION = 1;

    public static String key(ControlKind kind, String subject) {
        return kind.name() + ':' + subject;
    }

    public String key() {
        return key(kind, subject);
    }
}
