package dev.qaengine.controlplane.outbox;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

@Repository
public class OutboxRepository {
    private static final RowMapper<OutboxRow> ROW = (rs, i) -> new OutboxRow(rs.getLong("id"), rs.getString("topic"),
            rs.getString("entity_key"), rs.getLong("version"), rs.getString("payload"));

    private final JdbcClient jdbc;

    public OutboxRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The subject's current version, locking its row until the transaction ends (empty when never published). */
    public Optional<Long> lockVersion(String entityKey) {
        return jdbc.sql("select version from control_subject where entity_key = ? for update")
                .param(entityKey).query(Long.class).optional();
    }

    public void saveVersion(String entityKey, long version, boolean exists) {
        if (exists) {
            jdbc.sql("update control_subject set version = ? where entity_key = ?").params(version, entityKey).update();
        } else {
            jdbc.sql("insert into control_subject (entity_key, version) values (?, ?)").params(entityKey, version).update();
        }
    }

    public void insert(String topic, String entityKey, long version, String payload, OffsetDateTime at) {
        jdbc.sql("insert into outbox (topic, entity_key, version, payload, created_at) values (?, ?, ?, ?, ?)")
                .params(topic, entityKey, version, payload, at).update();
    }

    /**
     * Takes the publishers' mutex for the current transaction, or answers false at once when another
     * instance holds it (it is publishing this round; we try again next round).
     */
    public boolean tryLockPublisher() {
        return jdbc.sql("select id from outbox_publisher where id = 1 for update skip locked")
                .query(Integer.class).optional().isPresent();
    }

    /** Pending rows in id order — commit order per entity, because changes of one entity are serialized. */
    public List<OutboxRow> pending(int limit) {
        return jdbc.sql("select id, topic, entity_key, version, payload from outbox where sent_at is null order by id limit ?")
                .param(limit)
                .query(ROW)
                .list();
    }

    public void markSent(Collection<Long> ids, OffsetDateTime at) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql("update outbox set sent_at = :at where id in (:ids)").param("at", at).param("ids", ids).update();
    }

    public long countPending() {
        return jdbc.sql("select count(*) from outbox where sent_at is null").query(Long.class).single();
    }

    public int purgeSentBefore(OffsetDateTime before) {
        return jdbc.sql("delete from outbox where sent_at is not null and sent_at < ?").param(before).update();
    }

    /** Every row of an entity, oldest first (tests and diagnostics). */
    public List<OutboxRow> history(String entityKey) {
        return jdbc.sql("select id, topic, entity_key, version, payload from outbox where entity_key = ? order by id")
                .param(entityKey)
                .query(ROW)
                .list();
    }
}
