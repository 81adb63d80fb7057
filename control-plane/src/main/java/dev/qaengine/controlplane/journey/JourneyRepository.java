package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.web.PageRequest;
import dev.qaengine.controlplane.web.Sql;
import dev.qaengine.model.journey.JourneyDefinition;
import dev.qaengine.model.journey.JourneyStatus;
import dev.qaengine.model.journey.TriggerType;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** Journeys. Every query that serves a request is scoped by the caller's workspace. */
@Repository
public class JourneyRepository {

    /**
     * A stored journey, as the service works with it.
     *
     * @param queuedAt     set while it waits (PENDING) behind the organization's running limit: when its start was asked
     * @param statusReason why it is queued or FAILED; null otherwise
     */
    public record Row(String id, String orgId, String workspaceId, String name, JourneyStatus status, JourneyDefinition definition,
                      int revision, OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime queuedAt, String statusReason) {

        /** Whether the engine holds its plan: published (PENDING, not queued) or acknowledged (RUNNING). */
        public boolean holdsPlan() {
            return status == JourneyStatus.RUNNING || status == JourneyStatus.PENDING && queuedAt == null;
        }
    }

    /** List filters, combined with AND. */
    public record Filter(JourneyStatus status, TriggerType triggerType, String nameContains) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final RowMapper<Row> row;

    public JourneyRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.row = (rs, i) -> new Row(rs.getString("id"), rs.getString("organization_id"), rs.getString("workspace_id"),
                rs.getString("name"), JourneyStatus.valueOf(rs.getString("status")),
                json.readValue(rs.getString("definition"), JourneyDefinition.class), rs.getInt("revision"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class),
                rs.getObject("queued_at", OffsetDateTime.class), rs.getString("status_reason"));
    }

    public Optional<Row> find(String workspaceId, String id) {
        return jdbc.sql("select * from journey where workspace_id = ? and id = ?").params(workspaceId, id).query(row).optional();
    }

    /** A journey of the organization, in any of its workspaces (for what the engine reports, which names no workspace). */
    public Optional<Row> findOfOrganization(String orgId, String id) {
        return jdbc.sql("select * from journey where organization_id = ? and id = ?").params(orgId, id).query(row).optional();
    }

    public List<Row> list(String workspaceId, Filter f, PageRequest page) {
        Sql.Where w = where(workspaceId, f);
        return jdbc.sql("select * from journey" + w.sql() + " order by name limit ? offset ?")
                .params(w.args()).param(page.size()).param(page.offset()).query(row).list();
    }

    public long count(String workspaceId, Filter f) {
        Sql.Where w = where(workspaceId, f);
        return jdbc.sql("select count(*) from journey" + w.sql()).params(w.args()).query(Long.class).single();
    }

    private static Sql.Where where(String workspaceId, Filter f) {
        Sql.Where w = new Sql.Where();
        w.and("workspace_id = ?", workspaceId);
        if (f.status() != null) {
            w.and("status = ?", f.status().name());
        }
        if (f.triggerType() != null) {
            w.and("trigger_type = ?", f.triggerType().name());
        }
        if (f.nameContains() != null) {
            w.andContains("name", f.nameContains());
        }
        return w;
    }

    public boolean nameTaken(String workspaceId, String name, String exceptId) {
        return jdbc.sql("select count(*) from journey where workspace_id = ? and name = ? and id <> ?")
                .params(workspaceId, name, exceptId == null ? "" : exceptId).query(Long.class).single() > 0;
    }

    public void insert(Row r) {
        jdbc.sql("insert into journey (id, organization_id, workspace_id, name, status, trigger_type, trigger_event, definition, revision,"
                        + " created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(r.id(), r.orgId(), r.workspaceId(), r.name(), r.status().name(), triggerType(r), triggerEvent(r),
                        json.writeValueAsString(r.definition()), r.revision(), r.createdAt(), r.updatedAt())
                .update();
    }

    /** Writes an edit; false when the journey changed since it was read (another revision). */
    public boolean update(Row r, int readRevision) {
        return jdbc.sql("update journey set name = ?, status = ?, trigger_type = ?, trigger_event = ?, definition = ?, revision = ?,"
                        + " updated_at = ? where id = ? and revision = ?")
                .params(r.name(), r.status().name(), triggerType(r), triggerEvent(r), json.writeValueAsString(r.definition()),
                        r.revision(), r.updatedAt(), r.id(), readRevision)
                .update() == 1;
    }

    /**
     * Moves a journey from status {@code from} to {@code to} (out of the queue, if it was queued), with the reason
     * (null for none); false when it is no longer in {@code from}.
     */
    public boolean transition(String workspaceId, String id, JourneyStatus from, JourneyStatus to, Long planVersion, String reason,
                              OffsetDateTime now) {
        return jdbc.sql("update journey set status = ?, plan_version = coalesce(?, plan_version), queued_at = null, status_reason = ?,"
                        + " updated_at = ? where workspace_id = ? and id = ? and status = ?")
                .params(to.name(), planVersion, reason, now, workspaceId, id, from.name()).update() == 1;
    }

    /** Queues a journey (PENDING, no plan published) behind its organization's running limit; false when it is no longer in {@code from}. */
    public boolean queue(String workspaceId, String id, JourneyStatus from, String reason, OffsetDateTime now) {
        return jdbc.sql("update journey set status = 'PENDING', queued_at = ?, status_reason = ?, updated_at = ?"
                        + " where workspace_id = ? and id = ? and status = ?")
                .params(now, reason, now, workspaceId, id, from.name()).update() == 1;
    }

    /** How many of the organization's journeys the engine holds the plan of (PENDING and published, or RUNNING). */
    public long holdingPlans(String orgId) {
        return jdbc.sql("select count(*) from journey where organization_id = ? and status in ('PENDING', 'RUNNING') and queued_at is null")
                .param(orgId).query(Long.class).single();
    }

    /** The organization's journey that has waited longest behind its running limit (any workspace). */
    public Optional<Row> oldestQueued(String orgId) {
        return jdbc.sql("select * from journey where organization_id = ? and status = 'PENDING' and queued_at is not null"
                        + " order by queued_at, id limit 1")
                .param(orgId).query(row).optional();
    }

    /**
     * The engine's answer about a plan: a PENDING journey whose last published plan has this version
     * becomes {@code to}. Answers about older plans, other organizations or journeys no longer PENDING
     * (stopped meanwhile, answered already, queued again after a pause) change nothing. Returns whether it changed.
     */
    public boolean acknowledged(String orgId, String journeyId, long planVersion, JourneyStatus to, String reason, OffsetDateTime now) {
        return jdbc.sql("update journey set status = ?, status_reason = ?, updated_at = ? where organization_id = ? and id = ?"
                        + " and status = 'PENDING' and queued_at is null and plan_version = ?")
                .params(to.name(), reason, now, orgId, journeyId, planVersion).update() == 1;
    }

    /** The version of the plan last published for the journey, if it was ever started. */
    public Optional<Long> planVersion(String id) {
        return jdbc.sql("select plan_version from journey where id = ?").param(id).query(Long.class).optional();
    }

    public boolean delete(String workspaceId, String id) {
        return jdbc.sql("delete from journey where workspace_id = ? and id = ?").params(workspaceId, id).update() == 1;
    }

    /** Journeys of the organization whose plan the engine holds (PENDING and published, or RUNNING). */
    public List<String> holdingPlan(String orgId) {
        return jdbc.sql("select id from journey where organization_id = ? and status in ('PENDING', 'RUNNING') and queued_at is null order by id")
                .param(orgId).query(String.class).list();
    }

    /** The organization's journeys that are started and not over — PENDING (queued too), RUNNING, PAUSED — by name. */
    public List<Row> live(String orgId) {
        return jdbc.sql("select * from journey where organization_id = ? and status in ('PENDING', 'RUNNING', 'PAUSED') order by name, id")
                .param(orgId).query(row).list();
    }

    public void deleteAll(String orgId) {
        jdbc.sql("delete from journey where organization_id = ?").param(orgId).update();
    }

    private static String triggerType(Row r) {
        return r.definition().trigger() == null || r.definition().trigger().type() == null ? "EVENT" : r.definition().trigger().type().name();
    }

    private static String triggerEvent(Row r) {
        var t = r.definition().trigger();
        return t == null || t.event() == null ? null : t.event().eventCode();
    }
}
