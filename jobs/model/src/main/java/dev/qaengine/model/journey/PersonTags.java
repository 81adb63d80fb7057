package dev.qaengine.model.journey;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * A person's tags as the journeys engine reads them for TAG_BRANCH, on the compacted {@code qa.profiles}
 * keyed by {@code <orgId>|<personId>} (schema: state-schemas/person-tags-v1.schema.json): the whole set of
 * the person's current tag values (a record replaces the previous one; an empty map clears them). Until the
 * profiles job (issue #8) writes its profiles there, tests and demos write these.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PersonTags(
        @JsonProperty("v") int v,
        @JsonProperty("type") String type,
        @JsonProperty("orgId") String orgId,
        @JsonProperty("personId") String personId,
        @JsonProperty("tags") Map<String, String> tags,
        @JsonProperty("time") long time) {

    public static final int VERSION = 1;
    public static final String TYPE = "PERSON_TAGS";

    public static PersonTags of(String orgId, String personId, Map<String, String> tags, long time) {
        return new PersonTags(VERSION, TYPE, orgId, personId, tags, time);
    }
}
