package dev.qaengine.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Every channel and event definition of one organization, published as a whole (one control record
 * per org) so that an update is atomic: a job never sees half of an edit.
 */
public record EventCatalog(
        @JsonProperty("orgId") String orgId,
        @JsonProperty("channels") List<ChannelDefinition> channels,
        @JsonProperty("events") List<EventDefinition> events) {

    public List<ChannelDefinition> channelsOrEmpty() {
        return channels == null ? List.of() : channels;
    }

    public List<EventDefinition> eventsOrEmpty() {
        return events == null ? List.of() : events;
    }
}
