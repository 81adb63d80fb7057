package dev.qaengine.model.journey;

import dev.qaengine.model.ChannelDefinition;
import dev.qaengine.model.ChannelInterfaceType;
import dev.qaengine.model.EventDefinition;

import java.util.Optional;

/**
 * What a journey may refer to, as the organization has it defined: the control plane answers from its
 * tables when a journey is saved and again when it is started.
 */
public interface JourneyCatalog {

    /** The event with this code; on the channel with this APP_KEY when {@code channel} is not null. */
    Optional<EventDefinition> event(String eventCode, String channel);

    /** The channel with this APP_KEY. */
    Optional<ChannelDefinition> channel(String appKey);

    /** A channel interface of the journey's workspace: its type and whether sends may use it. */
    Optional<InterfaceRef> channelInterface(String id);

    /** A message template: the interface type it belongs to and whether it is approved. */
    Optional<TemplateRef> template(String id);

    /** Whether the tag exists (audience journeys take template variables from tags). */
    boolean tag(String tagId);

    record InterfaceRef(String id, ChannelInterfaceType type, boolean enabled) {
    }

    record TemplateRef(String id, ChannelInterfaceType type, boolean approved) {
    }
}
