package dev.qaengine.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * An event channel: where events are reported from. {@code appKey} is what messages carry as
 * {@code eventSourceCode}; global attributes are accepted on every event of the channel.
 */
public record ChannelDefinition(
        @JsonProperty("appKey") String appKey,
        @JsonProperty("name") String name,
        @JsonProperty("appType") AppType appType,
        @JsonProperty("globalAttributes") List<AttributeDefinition> globalAttributes) {

    public List<AttributeDefinition> globalAttributesOrEmpty() {
        return globalAttributes == null ? List.of() : globalAttributes;
    }
}
