package dev.qaengine.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One typed attribute of an event, or a global attribute of a channel. {@code id} is the key in {@code extendAttributes}. */
public record AttributeDefinition(
        @JsonProperty("id") String id,
        @JsonProperty("name") String name,
        @JsonProperty("type") AttributeType type) {
}
