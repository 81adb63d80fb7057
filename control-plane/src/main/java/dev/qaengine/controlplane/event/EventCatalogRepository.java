package dev.qaengine.controlplane.event;

import dev.qaengine.controlplane.event.EventBodies.Attribute;
import dev.qaengine.controlplane.event.EventBodies.Channel;
import dev.qaengine.controlplane.event.EventBodies.EventDefinition;
import dev.qaengine.controlplane.web.PageRequest;
import dev.qaengine.controlplane.web.Sql;
import dev.qaengine.model.AppType;
import dev.qaengine.model.IdType;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** Event channels and event definitions of an organization. Every query takes the org id from the caller. */
@Repository
public class EventCatalogRepository {
    private static final TypeReference<List<Attribute>> ATTRIBUTES = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final RowMapper<Channel> channelRow;
    private final RowMapper<EventDefinition> eventRow;

    public EventCatalogRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.channelRow = (rs, i) -> new Channel(rs.getString("app_key"), rs.getString("name"), AppType.valueOf(rs.getString("app_type")),
                rs.getString("customer_id_type") == null ? IdType.ONEID : IdType.valueOf(rs.getString("customer_id_type")),
                attributes(rs.getString("global_attributes")), rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class));
        this.eventRow = (rs, i) -> new EventDefinition(rs.getString("event_code"), rs.getString("name"), rs.getString("channel"),
                attributes(rs.getString("attributes")), rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class));
    }

    public record ChannelFilter(String appKey, AppType appType, String nameContains) {
    }

    public record EventFilter(String eventCode, String channel, String nameContains) {
    }

    // --- channels

    public Optional<Channel> findChannel(String orgId, String appKey) {
        return jdbc.sql("select * from event_channel where organization_id = ? and app_key = ?")
                .params(orgId, appKey).query(channelRow).optional();
    }

    public List<Channel> channels(String orgId) {
        return jdbc.sql("select * from event_channel where organization_id = ? order by app_key").param(orgId).query(channelRow).list();
    }

    public List<Channel> listChannels(String orgId, ChannelFilter f, PageRequest page) {
        Sql.Where w = channelWhere(orgId, f);
        return jdbc.sql("select * from event_channel" + w.sql() + " order by app_key limit ? offset ?")
                .params(w.args()).param(page.size()).param(page.offset()).query(channelRow).list();
    }

    public long countChannels(String orgId, ChannelFilter f) {
        Sql.Where w = channelWhere(orgId, f);
        return jdbc.sql("select count(*) from event_channel" + w.sql()).params(w.args()).query(Long.class).single();
    }

    private static Sql.Where channelWhere(String orgId, ChannelFilter f) {
        Sql.Where w = new Sql.Where().and("organization_id = ?", orgId);
        if (f.appKey() != null) {
            w.and("app_key = ?", f.appKey());
        }
        if (f.appType() != null) {
            w.and("app_type = ?", f.appType().name());
        }
        if (f.nameContains() != null) {
            w.andContains("name", f.nameContains());
        }
        return w;
    }

    public void insertChannel(String orgId, Channel c) {
        jdbc.sql("""
                        insert into event_channel (organization_id, app_key, name, app_type, customer_id_type, global_attributes, created_at, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(orgId, c.appKey(), c.name(), c.appType().name(), stored(c.customerIdType()), write(c.globalAttributes()),
                        c.createdAt(), c.updatedAt())
                .update();
    }

    public void updateChannel(String orgId, Channel c) {
        jdbc.sql("""
                        update event_channel set name = ?, app_type = ?, customer_id_type = ?, global_attributes = ?, updated_at = ?
                        where organization_id = ? and app_key = ?""")
                .params(c.name(), c.appType().name(), stored(c.customerIdType()), write(c.globalAttributes()), c.updatedAt(), orgId, c.appKey())
                .update();
    }

    public void deleteChannel(String orgId, String appKey) {
        jdbc.sql("delete from event_channel where organization_id = ? and app_key = ?").params(orgId, appKey).update();
    }

    // --- event definitions

    public Optional<EventDefinition> findEvent(String orgId, String eventCode) {
        return jdbc.sql("select * from event_definition where organization_id = ? and event_code = ?")
                .params(orgId, eventCode).query(eventRow).optional();
    }

    public List<EventDefinition> events(String orgId) {
        return jdbc.sql("select * from event_definition where organization_id = ? order by event_code").param(orgId).query(eventRow).list();
    }

    public List<EventDefinition> eventsOnChannel(String orgId, String appKey) {
        return jdbc.sql("select * from event_definition where organization_id = ? and channel = ? order by event_code")
                .params(orgId, appKey).query(eventRow).list();
    }

    public List<EventDefinition> listEvents(String orgId, EventFilter f, PageRequest page) {
        Sql.Where w = eventWhere(orgId, f);
        return jdbc.sql("select * from event_definition" + w.sql() + " order by event_code limit ? offset ?")
                .params(w.args()).param(page.size()).param(page.offset()).query(eventRow).list();
    }

    public long countEvents(String orgId, EventFilter f) {
        Sql.Where w = eventWhere(orgId, f);
        return jdbc.sql("select count(*) from event_definition" + w.sql()).params(w.args()).query(Long.class).single();
    }

    private static Sql.Where eventWhere(String orgId, EventFilter f) {
        Sql.Where w = new Sql.Where().and("organization_id = ?", orgId);
        if (f.eventCode() != null) {
            w.and("event_code = ?", f.eventCode());
        }
        if (f.channel() != null) {
            w.and("channel = ?", f.channel());
        }
        if (f.nameContains() != null) {
            w.andContains("name", f.nameContains());
        }
        return w;
    }

    public void insertEvent(String orgId, EventDefinition e) {
        jdbc.sql("""
                        insert into event_definition (organization_id, event_code, name, channel, attributes, created_at, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?)""")
                .params(orgId, e.eventCode(), e.name(), e.channel(), write(e.attributes()), e.createdAt(), e.updatedAt())
                .update();
    }

    public void updateEvent(String orgId, EventDefinition e) {
        jdbc.sql("""
                        update event_definition set name = ?, channel = ?, attributes = ?, updated_at = ?
                        where organization_id = ? and event_code = ?""")
                .params(e.name(), e.channel(), write(e.attributes()), e.updatedAt(), orgId, e.eventCode())
                .update();
    }

    public void deleteEvent(String orgId, String eventCode) {
        jdbc.sql("delete from event_definition where organization_id = ? and event_code = ?").params(orgId, eventCode).update();
    }

    /** Removes every definition of an organization (the organization is being deleted). */
    public void deleteAll(String orgId) {
        jdbc.sql("delete from event_definition where organization_id = ?").param(orgId).update();
        jdbc.sql("delete from event_channel where organization_id = ?").param(orgId).update();
    }

    /** ONEID, the default, is stored as null: one spelling for one meaning (ChannelDefinition: null = ONEID). */
    private static String stored(IdType customerIdType) {
        return customerIdType == null || customerIdType == IdType.ONEID ? null : customerIdType.name();
    }

    private String write(List<Attribute> attributes) {
        return json.writeValueAsString(attributes == null ? List.of() : attributes);
    }

    private List<Attribute> attributes(String text) {
        return text == null || text.isEmpty() ? List.of() : json.readValue(text, ATTRIBUTES);
    }

}
