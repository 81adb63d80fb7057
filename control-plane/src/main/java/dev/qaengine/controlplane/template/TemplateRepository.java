package dev.qaengine.controlplane.template;

import dev.qaengine.controlplane.template.TemplateBodies.EmailTemplate;
import dev.qaengine.controlplane.template.TemplateBodies.SmsSignature;
import dev.qaengine.controlplane.template.TemplateBodies.SmsTemplate;
import dev.qaengine.controlplane.template.TemplateBodies.SmsTemplateType;
import dev.qaengine.controlplane.web.PageRequest;
import dev.qaengine.controlplane.web.Params;
import dev.qaengine.controlplane.web.Sql;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** SMS signatures, SMS templates and email templates. Queries serving a request are scoped by the caller's workspace. */
@Repository
public class TemplateRepository {
    /** A stored item: what the API shows, plus what it does not. */
    public record Row<T>(T view, String orgId, String workspaceId, int revision) {
    }

    /** The three tables; their names never come from a request. */
    public enum Kind {
        SMS_SIGNATURE("sms_signature", "sign_name", "SMS signature"),
        SMS_TEMPLATE("sms_template", "name", "SMS template"),
        EMAIL_TEMPLATE("email_template", "name", "email template");

        final String table;
        final String nameColumn;
        final String label;

        Kind(String table, String nameColumn, String label) {
            this.table = table;
            this.nameColumn = nameColumn;
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** List filters, combined with AND. */
    public record Filter(String platformId, ReviewStatus status, String nameContains) {
        /** From a list endpoint's query parameters, where a blank one is no filter. */
        public static Filter of(String platformId, ReviewStatus status, String nameContains) {
            return new Filter(Params.blankToNull(platformId), status, Params.blankToNull(nameContains));
        }
    }

    private static final RowMapper<Row<SmsSignature>> SIGNATURE = (rs, i) -> new Row<>(new SmsSignature(rs.getString("id"),
            rs.getString("platform_id"), rs.getString("sign_name"), ReviewStatus.valueOf(rs.getString("status")), rs.getString("reason"),
            time(rs, "synced_at"), time(rs, "created_at"), time(rs, "updated_at")), rs.getString("organization_id"),
            rs.getString("workspace_id"), rs.getInt("revision"));
    private static final RowMapper<Row<SmsTemplate>> SMS = (rs, i) -> new Row<>(new SmsTemplate(rs.getString("id"),
            rs.getString("platform_id"), rs.getString("template_code"), rs.getString("name"), rs.getString("content"),
            SmsTemplateType.valueOf(rs.getString("type")), rs.getString("subject"), rs.getString("remark"),
            ReviewStatus.valueOf(rs.getString("status")), rs.getString("reason"), time(rs, "synced_at"), time(rs, "created_at"),
            time(rs, "updated_at")), rs.getString("organization_id"), rs.getString("workspace_id"), rs.getInt("revision"));
    private static final RowMapper<Row<EmailTemplate>> EMAIL = (rs, i) -> new Row<>(new EmailTemplate(rs.getString("id"),
            rs.getString("platform_id"), rs.getString("template_code"), rs.getString("name"), rs.getString("subject"),
            rs.getString("content"), rs.getString("sender_name"), rs.getString("remark"), ReviewStatus.valueOf(rs.getString("status")),
            rs.getString("reason"), time(rs, "synced_at"), time(rs, "created_at"), time(rs, "updated_at")),
            rs.getString("organization_id"), rs.getString("workspace_id"), rs.getInt("revision"));

    private final JdbcClient jdbc;

    public TemplateRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private static OffsetDateTime time(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class);
    }

    // --- reads

    public Optional<Row<SmsSignature>> signature(String workspaceId, String id) {
        return find(Kind.SMS_SIGNATURE, workspaceId, id, SIGNATURE);
    }

    public Optional<Row<SmsTemplate>> smsTemplate(String workspaceId, String id) {
        return find(Kind.SMS_TEMPLATE, workspaceId, id, SMS);
    }

    public Optional<Row<EmailTemplate>> emailTemplate(String workspaceId, String id) {
        return find(Kind.EMAIL_TEMPLATE, workspaceId, id, EMAIL);
    }

    /** Any workspace's item, for the status poll (which serves no request). */
    public Optional<Row<?>> anywhere(Kind kind, String id) {
        RowMapper<? extends Row<?>> mapper = mapper(kind);
        return jdbc.sql("select * from " + kind.table + " where id = ?").param(id).query(mapper).optional().map(r -> r);
    }

    private <T> Optional<Row<T>> find(Kind kind, String workspaceId, String id, RowMapper<Row<T>> mapper) {
        return jdbc.sql("select * from " + kind.table + " where workspace_id = ? and id = ?").params(workspaceId, id).query(mapper).optional();
    }

    public List<Row<SmsSignature>> signatures(String workspaceId, Filter f, PageRequest page) {
        return list(Kind.SMS_SIGNATURE, workspaceId, f, page, SIGNATURE);
    }

    public List<Row<SmsTemplate>> smsTemplates(String workspaceId, Filter f, PageRequest page) {
        return list(Kind.SMS_TEMPLATE, workspaceId, f, page, SMS);
    }

    public List<Row<EmailTemplate>> emailTemplates(String workspaceId, Filter f, PageRequest page) {
        return list(Kind.EMAIL_TEMPLATE, workspaceId, f, page, EMAIL);
    }

    private <T> List<Row<T>> list(Kind kind, String workspaceId, Filter f, PageRequest page, RowMapper<Row<T>> mapper) {
        Sql.Where w = where(kind, workspaceId, f);
        return jdbc.sql("select * from " + kind.table + w.sql() + " order by " + kind.nameColumn + ", id limit ? offset ?")
                .params(w.args()).param(page.size()).param(page.offset()).query(mapper).list();
    }

    public long count(Kind kind, String workspaceId, Filter f) {
        Sql.Where w = where(kind, workspaceId, f);
        return jdbc.sql("select count(*) from " + kind.table + w.sql()).params(w.args()).query(Long.class).single();
    }

    private static Sql.Where where(Kind kind, String workspaceId, Filter f) {
        Sql.Where w = new Sql.Where();
        w.and("workspace_id = ?", workspaceId);
        if (f.platformId() != null) {
            w.and("platform_id = ?", f.platformId());
        }
        if (f.status() != null) {
            w.and("status = ?", f.status().name());
        }
        if (f.nameContains() != null) {
            w.andContains(kind.nameColumn, f.nameContains());
        }
        return w;
    }

    public boolean nameTaken(Kind kind, String platformId, String name, String exceptId) {
        return jdbc.sql("select count(*) from " + kind.table + " where platform_id = ? and " + kind.nameColumn + " = ? and id <> ?")
                .params(platformId, name, exceptId == null ? "" : exceptId).query(Long.class).single() > 0;
    }

    /** Names of the items on a platform, for its in-use check. */
    public List<String> namesOnPlatform(Kind kind, String platformId) {
        return jdbc.sql("select " + kind.nameColumn + " from " + kind.table + " where platform_id = ? order by " + kind.nameColumn)
                .param(platformId).query(String.class).list();
    }

    /** Pending items of every workspace, those synchronized longest ago (or never) first. */
    public List<String> pending(Kind kind, int limit) {
        return jdbc.sql("select id from " + kind.table + " where status = 'PENDING' order by synced_at nulls first, id limit ?")
                .param(limit).query(String.class).list();
    }

    // --- writes

    public void insertSignature(Row<SmsSignature> r) {
        SmsSignature s = r.view();
        jdbc.sql("""
                        insert into sms_signature (id, organization_id, workspace_id, platform_id, sign_name, status, reason, synced_at,
                                                   revision, created_at, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(s.id(), r.orgId(), r.workspaceId(), s.platformId(), s.signName(), s.status().name(), s.reason(), s.statusSyncedAt(),
                        r.revision(), s.createdAt(), s.updatedAt())
                .update();
    }

    public void insertSmsTemplate(Row<SmsTemplate> r) {
        SmsTemplate t = r.view();
        jdbc.sql("""
                        insert into sms_template (id, organization_id, workspace_id, platform_id, template_code, name, content, type, subject,
                                                  remark, status, reason, synced_at, revision, created_at, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(t.id(), r.orgId(), r.workspaceId(), t.platformId(), t.templateCode(), t.name(), t.content(), t.type().name(),
                        t.subject(), t.remark(), t.status().name(), t.reason(), t.statusSyncedAt(), r.revision(), t.createdAt(), t.updatedAt())
                .update();
    }

    public void updateSmsTemplate(Row<SmsTemplate> r) {
        SmsTemplate t = r.view();
        jdbc.sql("""
                        update sms_template set template_code = ?, name = ?, content = ?, type = ?, subject = ?, remark = ?, status = ?,
                                                reason = ?, synced_at = ?, revision = ?, updated_at = ?
                        where workspace_id = ? and id = ?""")
                .params(t.templateCode(), t.name(), t.content(), t.type().name(), t.subject(), t.remark(), t.status().name(), t.reason(),
                        t.statusSyncedAt(), r.revision(), t.updatedAt(), r.workspaceId(), t.id())
                .update();
    }

    public void insertEmailTemplate(Row<EmailTemplate> r) {
        EmailTemplate t = r.view();
        jdbc.sql("""
                        insert into email_template (id, organization_id, workspace_id, platform_id, template_code, name, subject, content,
                                                    sender_name, remark, status, reason, synced_at, revision, created_at, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(t.id(), r.orgId(), r.workspaceId(), t.platformId(), t.templateCode(), t.name(), t.subject(), t.content(),
                        t.senderName(), t.remark(), t.status().name(), t.reason(), t.statusSyncedAt(), r.revision(), t.createdAt(),
                        t.updatedAt())
                .update();
    }

    public void updateEmailTemplate(Row<EmailTemplate> r) {
        EmailTemplate t = r.view();
        jdbc.sql("""
                        update email_template set template_code = ?, name = ?, subject = ?, content = ?, sender_name = ?, remark = ?,
                                                  status = ?, reason = ?, synced_at = ?, revision = ?, updated_at = ?
                        where workspace_id = ? and id = ?""")
                .params(t.templateCode(), t.name(), t.subject(), t.content(), t.senderName(), t.remark(), t.status().name(), t.reason(),
                        t.statusSyncedAt(), r.revision(), t.updatedAt(), r.workspaceId(), t.id())
                .update();
    }

    /**
     * Writes a review answer, unless the item changed since it was asked about (another revision) or is gone.
     * Answers whether it was written.
     */
    public boolean saveReview(Kind kind, String id, int revision, ReviewStatus status, String reason, OffsetDateTime at) {
        return jdbc.sql("update " + kind.table + " set status = ?, reason = ?, synced_at = ? where id = ? and revision = ?")
                .params(status.name(), reason, at, id, revision).update() == 1;
    }

    public int delete(Kind kind, String workspaceId, String id) {
        return jdbc.sql("delete from " + kind.table + " where workspace_id = ? and id = ?").params(workspaceId, id).update();
    }

    public void deleteAll(String orgId) {
        for (Kind k : Kind.values()) {
            jdbc.sql("delete from " + k.table + " where organization_id = ?").param(orgId).update();
        }
    }

    private static RowMapper<? extends Row<?>> mapper(Kind kind) {
        return switch (kind) {
            case SMS_SIGNATURE -> SIGNATURE;
            case SMS_TEMPLATE -> SMS;
            case EMAIL_TEMPLATE -> EMAIL;
        };
    }

}
