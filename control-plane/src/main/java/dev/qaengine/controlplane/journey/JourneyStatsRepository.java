package dev.qaengine.controlplane.journey;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The journeys engine's counts summed per journey, node and metric ({@code journey_stats}), and per source of deltas
 * the last checkpoint added ({@code journey_stats_source}). Both go with their journey (foreign keys, on delete cascade).
 */
@Repository
public class JourneyStatsRepository {

    /** One counter: {@code nodeId} '' for the journey's own; {@code updatedAt} the newest delta's time added to it. */
    public record Counter(String nodeId, String metric, long amount, OffsetDateTime updatedAt) {
    }

    private final JdbcClient jdbc;

    public JourneyStatsRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Remembers a delta as added; false when it was already. A delta's source — the deltaId before its last '@': one
     * run of one engine instance for one journey — sends its deltas in checkpoint order, so a delta is new when its
     * checkpoint id (after the '@') is above the source's last one (V14: a row per source, not per delta). The
     * update-then-insert keeps to SQL H2's PostgreSQL mode understands; on PostgreSQL a second transaction adding the
     * same delta waits for the first and then adds nothing.
     */
    public boolean markApplied(String deltaId, String journeyId, OffsetDateTime now) {
        int at = deltaId.lastIndexOf('@');
        String source = deltaId.substring(0, at);
        long checkpoint;
        try {
            checkpoint = Long.parseLong(deltaId.substring(at + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("deltaId " + deltaId + " does not end in @<checkpointId>", e);
        }
        if (jdbc.sql("update journey_stats_source set last_checkpoint = ?, applied_at = ? where journey_id = ? and source = ? and last_checkpoint < ?")
                .params(checkpoint, now, journeyId, source, checkpoint).update() > 0) {
            return true;
        }
        return jdbc.sql("insert into journey_stats_source (journey_id, source, last_checkpoint, applied_at) values (?, ?, ?, ?) on conflict do nothing")
                .params(journeyId, source, checkpoint, now).update() > 0;
    }

    /**
     * Adds {@code amount} (≥ 0) to a counter, creating it; the sum stops at the largest bigint instead of failing. The
     * row is updated if it exists, else inserted — and updated after all if another transaction inserted it meanwhile.
     */
    public void add(String orgId, String journeyId, String nodeId, String metric, long amount, OffsetDateTime time) {
        if (increment(orgId, journeyId, nodeId, metric, amount, time)) {
            return;
        }
        boolean inserted = jdbc.sql("insert into journey_stats (journey_id, organization_id, node_id, metric, amount, updated_at)"
                        + " values (?, ?, ?, ?, ?, ?) on conflict do nothing")
                .params(journeyId, orgId, nodeId, metric, amount, time).update() > 0;
        if (!inserted && !increment(orgId, journeyId, nodeId, metric, amount, time)) {
            throw new IllegalStateException("journey_stats row neither inserted nor found");
        }
    }

    private boolean increment(String orgId, String journeyId, String nodeId, String metric, long amount, OffsetDateTime time) {
        return jdbc.sql("update journey_stats set amount = case when amount > ? then 9223372036854775807 else amount + ? end,"
                        + " updated_at = greatest(updated_at, ?)"
                        + " where journey_id = ? and organization_id = ? and node_id = ? and metric = ?")
                .params(Long.MAX_VALUE - amount, amount, time, journeyId, orgId, nodeId, metric).update() > 0;
    }

    /** The journey's counters (none until the engine counted something). */
    public List<Counter> counters(String orgId, String journeyId) {
        return jdbc.sql("select node_id, metric, amount, updated_at from journey_stats where journey_id = ? and organization_id = ?")
                .params(journeyId, orgId)
                .query((rs, i) -> new Counter(rs.getString("node_id"), rs.getString("metric"), rs.getLong("amount"),
                        rs.getObject("updated_at", OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC)))
                .list();
    }

    /** Forgets the sources that sent nothing since {@code cutoff} (retention: an engine run long gone). */
    public int purgeAppliedBefore(OffsetDateTime cutoff) {
        return jdbc.sql("delete from journey_stats_source where applied_at < ?").param(cutoff).update();
    }
}
