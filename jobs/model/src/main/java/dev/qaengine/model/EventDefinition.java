package dev.qaengine.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A defined event of an organization. The event code identifies it within the org (SEMANTICS.md § Events).
 * {@code channel} is the APP_KEY of the channel it was defined on, or null for an event accepted from
 * any channel (system events, or events defined before channels were).
 */
public record EventDefinition(
        @JsonProperty("eventCode") String eventCode,
        @JsonProperty("name") String name,
        @JsonProperty("channel") String channel,
        @JsonProperty("attributes") List<AttributeDefinition> attributes) {

    public List<AttributeDefinition> attributesOrEmpty() {
        return attributes == null ? List.of() : attributes;
    }
}
