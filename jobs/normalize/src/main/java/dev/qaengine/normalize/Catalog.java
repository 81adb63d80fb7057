package dev.qaengine.normalize;

import dev.qaengine.model.AppType;
import dev.qaengine.model.AttributeDefinition;
import dev.qaengine.model.AttributeType;
import dev.qaengine.model.ChannelDefinition;
import dev.qaengine.model.EventCatalog;
import dev.qaengine.model.EventDefinition;
import dev.qaengine.model.IdType;

import java.util.HashMap;
import java.util.Map;

/**
 * An organization's {@link EventCatalog} compiled for lookups on the hot path: events by code, channels
 * by APP_KEY, and per event (and per channel for global attributes) the attribute types by id.
 */
final class Catalog {
    final long version;
    private final Map<String, Event> events = new HashMap<>();
    private final Map<String, Channel> channels = new HashMap<>();

    /** @param customerIdType the ID type of its customer ids when not ONEID (written on canonical events), else null */
    record Channel(String appKey, AppType appType, Map<String, AttributeType> globals, IdType customerIdType) {
    }

    record Event(String eventCode, String channel, Map<String, AttributeType> attributes) {
    }

    Catalog(EventCatalog catalog, long version) {
        this.version = version;
        for (ChannelDefinition c : catalog.channelsOrEmpty()) {
            IdType idType = c.customerIdTypeOrDefault() == IdType.ONEID ? null : c.customerIdType();
            channels.put(c.appKey(), new Channel(c.appKey(), c.appType(), types(c.globalAttributesOrEmpty()), idType));
        }
        for (EventDefinition e : catalog.eventsOrEmpty()) {
            events.put(e.eventCode(), new Event(e.eventCode(), e.channel(), types(e.attributesOrEmpty())));
        }
    }

    Event event(String code) {
        return events.get(code);
    }

    Channel channel(String appKey) {
        return appKey == null ? null : channels.get(appKey);
    }

    private static Map<String, AttributeType> types(Iterable<AttributeDefinition> attributes) {
        Map<String, AttributeType> m = new HashMap<>();
        for (AttributeDefinition a : attributes) {
            m.put(a.id(), a.type() == null ? AttributeType.TEXT : a.type());
        }
        return m;
    }
}
