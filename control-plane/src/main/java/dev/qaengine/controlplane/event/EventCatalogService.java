package dev.qaengine.controlplane.event;

import dev.qaengine.controlplane.config.Clocks;
import dev.qaengine.controlplane.event.EventBodies.Attribute;
import dev.qaengine.controlplane.event.EventBodies.Channel;
import dev.qaengine.controlplane.event.EventBodies.ChannelCreate;
import dev.qaengine.controlplane.event.EventBodies.ChannelUpdate;
import dev.qaengine.controlplane.event.EventBodies.EventDefinition;
import dev.qaengine.controlplane.event.EventBodies.EventDefinitionCreate;
import dev.qaengine.controlplane.event.EventBodies.EventDefinitionUpdate;
import dev.qaengine.controlplane.event.EventCatalogRepository.ChannelFilter;
import dev.qaengine.controlplane.event.EventCatalogRepository.EventFilter;
import dev.qaengine.controlplane.outbox.Outbox;
import dev.qaengine.controlplane.tenancy.TenancyRepository;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.FieldError;
import dev.qaengine.controlplane.web.Page;
import dev.qaengine.controlplane.web.PageRequest;
import dev.qaengine.controlplane.web.ProblemCode;
import dev.qaengine.model.AttributeDefinition;
import dev.qaengine.model.ChannelDefinition;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.EventCatalog;
import dev.qaengine.model.IdType;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Event channels and event definitions (SEMANTICS.md § Events), organization-level. Every change
 * publishes the organization's whole catalog to {@code qa.control} through the outbox, in the same
 * transaction, so the jobs never see half an edit and never miss one.
 */
@Service
public class EventCatalogService {
    private final EventCatalogRepository repository;
    private final TenancyRepository tenancy;
    private final Outbox outbox;
    private final List<DefinitionUsage> usages;
    private final Clocks clocks;

    public EventCatalogService(EventCatalogRepository repository, TenancyRepository tenancy, Outbox outbox,
                               List<DefinitionUsage> usages, Clocks clocks) {
        this.repository = repository;
        this.tenancy = tenancy;
        this.outbox = outbox;
        this.usages = usages;
        this.clocks = clocks;
    }

    // --- channels

    @Transactional(readOnly = true)
    public Page<Channel> listChannels(String orgId, ChannelFilter filter, PageRequest page) {
        return new Page<>(repository.listChannels(orgId, filter, page), page.page(), page.size(), repository.countChannels(orgId, filter));
    }

    @Transactional(readOnly = true)
    public Channel getChannel(String orgId, String appKey) {
        return repository.findChannel(orgId, appKey).orElseThrow(() -> ApiException.notFound("event channel", appKey));
    }

    @Transactional
    public Channel createChannel(String orgId, ChannelCreate body) {
        lockCatalog(orgId);
        if (repository.findChannel(orgId, body.appKey()).isPresent()) {
            throw ApiException.field(ProblemCode.DUPLICATE, "appKey", "a channel with appKey '" + body.appKey() + "' already exists");
        }
        List<Attribute> globals = normalized("globalAttributes", body.globalAttributes());
        OffsetDateTime now = clocks.now();
        Channel channel = new Channel(body.appKey(), body.name().strip(), body.appType(), customerIdType(body.customerIdType()), globals, now, now);
        repository.insertChannel(orgId, channel);
        publishCatalog(orgId);
        return channel;
    }

    @Transactional
    public Channel updateChannel(String orgId, String appKey, ChannelUpdate body) {
        lockCatalog(orgId);
        Channel old = getChannel(orgId, appKey);
        if (body.appKey() != null && !body.appKey().equals(appKey)) {
            throw ApiException.field(ProblemCode.VALIDATION, "appKey",
                    "cannot change (it is what events report as eventSourceCode); create a new channel instead");
        }
        IdType customerIdType = customerIdType(body.customerIdType());
        List<Attribute> globals = normalized("globalAttributes", body.globalAttributes());
        checkEvolution("globalAttributes", old.globalAttributes(), globals);
        for (EventDefinition e : repository.eventsOnChannel(orgId, appKey)) {
            checkNoClash("globalAttributes", globals, e.attributes(), "event '" + e.eventCode() + "'");
        }
        Channel channel = new Channel(appKey, body.name().strip(), body.appType(), customerIdType, globals, old.createdAt(), clocks.now());
        repository.updateChannel(orgId, channel);
        publishCatalog(orgId);
        return channel;
    }

    @Transactional
    public void deleteChannel(String orgId, String appKey) {
        lockCatalog(orgId);
        getChannel(orgId, appKey);
        List<String> events = repository.eventsOnChannel(orgId, appKey).stream().map(EventDefinition::eventCode).toList();
        if (!events.isEmpty()) {
            throw new ApiException(ProblemCode.IN_USE, "channel '" + appKey + "' is used by event definitions " + preview(events)
                    + "; delete them or move them to another channel first");
        }
        List<String> users = usages.stream().flatMap(u -> u.usersOfChannel(orgId, appKey).stream()).toList();
        if (!users.isEmpty()) {
            throw ApiException.inUse("channel '" + appKey + "'", users);
        }
        repository.deleteChannel(orgId, appKey);
        publishCatalog(orgId);
    }

    // --- event definitions

    @Transactional(readOnly = true)
    public Page<EventDefinition> listEvents(String orgId, EventFilter filter, PageRequest page) {
        return new Page<>(repository.listEvents(orgId, filter, page), page.page(), page.size(), repository.countEvents(orgId, filter));
    }

    @Transactional(readOnly = true)
    public EventDefinition getEvent(String orgId, String eventCode) {
        return repository.findEvent(orgId, eventCode).orElseThrow(() -> ApiException.notFound("event definition", eventCode));
    }

    @Transactional
    public EventDefinition createEvent(String orgId, EventDefinitionCreate body) {
        lockCatalog(orgId);
        if (repository.findEvent(orgId, body.eventCode()).isPresent()) {
            throw ApiException.field(ProblemCode.DUPLICATE, "eventCode", "an event definition with eventCode '" + body.eventCode() + "' already exists");
        }
        String channel = blankToNull(body.channel());
        List<Attribute> attributes = normalized("attributes", body.attributes());
        checkChannel(orgId, channel, attributes);
        OffsetDateTime now = clocks.now();
        EventDefinition event = new EventDefinition(body.eventCode(), body.name().strip(), channel, attributes, now, now);
        repository.insertEvent(orgId, event);
        publishCatalog(orgId);
        return event;
    }

    @Transactional
    public EventDefinition updateEvent(String orgId, String eventCode, EventDefinitionUpdate body) {
        lockCatalog(orgId);
        EventDefinition old = getEvent(orgId, eventCode);
        if (body.eventCode() != null && !body.eventCode().equals(eventCode)) {
            throw ApiException.field(ProblemCode.VALIDATION, "eventCode",
                    "cannot change (it is what events report); create a new event definition instead");
        }
        String channel = blankToNull(body.channel());
        List<Attribute> attributes = normalized("attributes", body.attributes());
        checkEvolution("attributes", old.attributes(), attributes);
        checkChannel(orgId, channel, attributes);
        EventDefinition event = new EventDefinition(eventCode, body.name().strip(), channel, attributes, old.createdAt(), clocks.now());
        repository.updateEvent(orgId, event);
        publishCatalog(orgId);
        return event;
    }

    @Transactional
    public void deleteEvent(String orgId, String eventCode) {
        lockCatalog(orgId);
        getEvent(orgId, eventCode);
        List<String> users = usages.stream().flatMap(u -> u.usersOfEvent(orgId, eventCode).stream()).toList();
        if (!users.isEmpty()) {
            throw ApiException.inUse("event definition '" + eventCode + "'", users);
        }
        repository.deleteEvent(orgId, eventCode);
        publishCatalog(orgId);
    }

    // --- the catalog

    /** The organization's catalog exactly as the jobs receive it. */
    @Transactional(readOnly = true)
    public EventCatalog catalog(String orgId) {
        List<ChannelDefinition> channels = repository.channels(orgId).stream()
                .map(c -> new ChannelDefinition(c.appKey(), c.name(), c.appType(), wire(c.globalAttributes()),
                        c.customerIdType() == IdType.ONEID ? null : c.customerIdType())).toList();
        List<dev.qaengine.model.EventDefinition> events = repository.events(orgId).stream()
                .map(e -> new dev.qaengine.model.EventDefinition(e.eventCode(), e.name(), e.channel(), wire(e.attributes()))).toList();
        return new EventCatalog(orgId, channels, events);
    }

    /** Publishes the catalog as it stands in this transaction (the caller holds the org lock). */
    @Transactional
    public void publishCatalog(String orgId) {
        outbox.publish(ControlKind.EVENT_CATALOG, orgId, catalog(orgId));
    }

    /** Publishes the removal of the organization's catalog and deletes its definitions. */
    @Transactional
    public void deleteCatalog(String orgId) {
        repository.deleteAll(orgId);
        outbox.publish(ControlKind.EVENT_CATALOG, orgId, null);
    }

    private void lockCatalog(String orgId) {
        if (!tenancy.lockOrganization(orgId)) {
            throw ApiException.notFound("organization", orgId);
        }
    }

    private static List<AttributeDefinition> wire(List<Attribute> attributes) {
        return attributes.stream().map(a -> new AttributeDefinition(a.id(), a.nameOrId(), a.type())).toList();
    }

    // --- rules

    /**
     * A channel's customer id type: an ID type name in any case ({@code open_id}, {@code OPEN_ID}); absent or
     * blank = ONEID. Changing it later changes how the identity job resolves the channel's events from then on;
     * events already resolved keep their person.
     */
    private static IdType customerIdType(String value) {
        if (value == null || value.isBlank()) {
            return IdType.ONEID;
        }
        return IdType.parse(value.strip()).orElseThrow(() -> ApiException.field(ProblemCode.VALIDATION, "customerIdType",
                "'" + value + "' is not an ID type; one of " + java.util.Arrays.stream(IdType.values()).map(IdType::apiName)
                        .collect(Collectors.joining(", ")) + " (any case)"));
    }

    /** Fills in names, refuses duplicate ids. */
    private static List<Attribute> normalized(String field, List<Attribute> attributes) {
        if (attributes == null) {
            return List.of();
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < attributes.size(); i++) {
            Integer first = seen.putIfAbsent(attributes.get(i).id(), i);
            if (first != null) {
                throw ApiException.field(ProblemCode.VALIDATION, field + "[" + i + "].id",
                        "duplicate attribute id '" + attributes.get(i).id() + "' (also at " + field + "[" + first + "])");
            }
        }
        return attributes.stream().map(a -> new Attribute(a.id(), a.nameOrId().strip(), a.type())).toList();
    }

    /** Attributes can be added or renamed, never removed or retyped (SEMANTICS.md § Events): events already reported keep their meaning. */
    private static void checkEvolution(String field, List<Attribute> before, List<Attribute> after) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < after.size(); i++) {
            index.put(after.get(i).id(), i);
        }
        for (Attribute old : before) {
            Integer i = index.get(old.id());
            if (i == null) {
                throw new ApiException(ProblemCode.ATTRIBUTE_REMOVED,
                        field + ": attribute '" + old.id() + "' cannot be removed; attributes can be added or renamed, not removed",
                        List.of(new FieldError(field, "attribute '" + old.id() + "' is missing")));
            }
            Attribute now = after.get(i);
            if (now.type() != old.type()) {
                throw ApiException.field(ProblemCode.ATTRIBUTE_RETYPED, field + "[" + i + "].type",
                        "attribute '" + old.id() + "' is " + old.type() + " and cannot become " + now.type());
            }
        }
    }

    private void checkChannel(String orgId, String channel, List<Attribute> attributes) {
        if (channel == null) {
            return;
        }
        Channel c = repository.findChannel(orgId, channel).orElseThrow(() -> ApiException.field(ProblemCode.VALIDATION, "channel",
                "no event channel with appKey '" + channel + "' in this organization"));
        checkNoClash("attributes", attributes, c.globalAttributes(), "a global attribute of channel '" + channel + "'");
    }

    /**
     * An event attribute may repeat a global attribute of its channel, but not with another type: the
     * normalize job lets the event's own type win, which would silently contradict the channel.
     */
    private static void checkNoClash(String field, List<Attribute> mine, List<Attribute> theirs, String theirName) {
        Map<String, Attribute> other = theirs.stream().collect(Collectors.toMap(Attribute::id, a -> a, (a, b) -> a));
        for (int i = 0; i < mine.size(); i++) {
            Attribute o = other.get(mine.get(i).id());
            if (o != null && o.type() != mine.get(i).type()) {
                throw ApiException.field(ProblemCode.CONFLICT, field + "[" + i + "].type", "attribute '" + o.id() + "' is "
                        + o.type() + " as " + theirName + "; it cannot be " + mine.get(i).type() + " here");
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String preview(List<String> names) {
        String shown = names.stream().limit(10).map(n -> "'" + n + "'").collect(Collectors.joining(", "));
        return names.size() > 10 ? shown + " and " + (names.size() - 10) + " more" : shown;
    }
}
