package dev.qaengine.controlplane.identity;

import dev.qaengine.controlplane.identity.IdentityBodies.AuditEntry;
import dev.qaengine.controlplane.web.PageRequest;
import dev.qaengine.controlplane.web.Sql;
import dev.qaengine.model.IdType;
import dev.qaengine.model.IdentityAudit;
import dev.qaengine.model.IdentityRefusal;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.time.OffsetDateTime;
import java.util.List;

/** Refused identity links of every organization, as consumed from qa.identity.audit. Reads take the org id from the caller. */
@Repository
public class IdentityAuditRepository {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final RowMapper<AuditEntry> entryRow;

    public IdentityAuditRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.entryRow = (rs, i) -> new AuditEntry(IdentityRefusal.valueOf(rs.getString("reason")), rs.getString("detail"),
                rs.getString("anchor_type"), rs.getString("anchor_value"), rs.getString("id_type_sent"), rs.getString("id_value"),
                json.readValue(rs.getString("persons"), STRINGS), rs.getLong("time_ms"), rs.getLong("seq"),
                rs.getObject("received_at", OffsetDateTime.class));
    }

    /**
     * @param reason  exact refusal reason
     * @param idType  the linked identifier's type (whatever case or spelling it was sent in)
     * @param fromMs  {@code time} at or after (epoch ms)
     * @param toMs    {@code time} before (epoch ms)
     */
    public record Filter(IdentityRefusal reason, IdType idType, Long fromMs, Long toMs) {
        public static final Filter NONE = new Filter(null, null, null, null);
    }

    /**
     * Stores a record unless one with the same content is stored already; answers whether it was added. The
     * only unique key besides the generated id is the content hash ({@code on conflict do nothing} without a
     * target: the form H2's PostgreSQL mode understands too).
     */
    public boolean insert(IdentityAuditRecords.Row row, OffsetDateTime receivedAt) {
        IdentityAudit a = row.audit();
        return jdbc.sql("""
                        insert into identity_audit (organization_id, reason, detail, anchor_type, anchor_value, id_type, id_type_sent,
                                                    id_value, persons, time_ms, seq, content_hash, received_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        on conflict do nothing""")
                .params(row.orgId(), a.reason().name(), a.detail(), a.anchorType(), a.anchorValue(),
                        row.idType() == null ? null : row.idType().name(), a.idType(), a.idValue(), json.writeValueAsString(a.persons()),
                        a.time(), a.seq(), row.contentHash(), receivedAt)
                .update() > 0;
    }

    /** Newest first: by {@code time}, then by the decision's clock, then by arrival. */
    public List<AuditEntry> list(String orgId, Filter f, PageRequest page) {
        Sql.Where w = where(orgId, f);
        return jdbc.sql("select * from identity_audit" + w.sql() + " order by time_ms desc, seq desc, id desc limit ? offset ?")
                .params(w.args()).param(page.size()).param(page.offset()).query(entryRow).list();
    }

    public long count(String orgId, Filter f) {
        Sql.Where w = where(orgId, f);
        return jdbc.sql("select count(*) from identity_audit" + w.sql()).params(w.args()).query(Long.class).single();
    }

    private static Sql.Where where(String orgId, Filter f) {
        Sql.Where w = new Sql.Where().and("organization_id = ?", orgId);
        if (f.reason() != null) {
            w.and("reason = ?", f.reason().name());
        }
        if (f.idType() != null) {
            w.and("id_type = ?", f.idType().name());
        }
        if (f.fromMs() != null) {
            w.and("time_ms >= ?", f.fromMs());
        }
        if (f.toMs() != null) {
            w.and("time_ms < ?", f.toMs());
        }
        return w;
    }

    /** Deletes the records whose {@code time} is before {@code cutoffMs} (retention). */
    public int purgeBefore(long cutoffMs) {
        return jdbc.sql("delete from identity_audit where time_ms < ?").param(cutoffMs).update();
    }

    public int deleteOrganization(String orgId) {
        return jdbc.sql("delete from identity_audit where organization_id = ?").param(orgId).update();
    }
}
