package dev.qaengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A canonical event with the person behind it, on {@code qa.events.resolved} keyed by
 * {@code orgId|personId} (schema: state-schemas/resolved-event-v1.schema.json): what journeys and profiles
 * consume. {@code identifiers} are the person's identifiers by type when the event was resolved — what
 * channels need to reach the person (MOBILE for SMS, EMAIL, OPEN_ID, IDFA, …).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResolvedEvent(
        @JsonProperty("v") int v,
        @JsonProperty("personId") String personId,
        @JsonProperty("identifiers") Map<IdType, List<String>> identifiers,
        @JsonProperty("event") CanonicalEvent event) {

    public static final int VERSION = 1;
}
