package dev.qaengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * An event channel: where events are reported from. {@code appKey} is what messages carry as
 * {@code eventSourceCode}; global attributes are accepted on every event of the channel.
 * {@code customerIdType} is the ID type of the {@code customerId} its events carry (null = ONEID): a
 * mini-program reports OPEN_IDs, an app may report device ids before login; the identity job resolves the
 * event's person through that identifier.
 */
public record ChannelDefinition(
        @JsonProperty("appKey") String appKey,
        @JsonProperty("name") String name,
        @JsonProperty("appType") AppType appType,
        @JsonProperty("globalAttributes") List<AttributeDefinition> globalAttributes,
        @JsonProperty("customerIdType") @JsonInclude(JsonInclude.Include.NON_NULL) IdType customerIdType) {

    public ChannelDefinition(String appKey, String name, AppType appType, List<AttributeDefinition> globalAttributes) {
        this(appKey, name, appType, globalAttributes, null);
    }

    /** The ID type of this channel's {@code customerId}s: ONEID unless the channel says otherwise. */
    public IdType customerIdTypeOrDefault() {
        return customerIdType == null ? IdType.ONEID : customerIdType;
    }

    public List<AttributeDefinition> globalAttributesOrEmpty() {
        return globalAttributes == null ? List.of() : globalAttributes;
    }
}
