package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.journey.JourneyTraceRecords.Step;
import dev.qaengine.model.journey.TraceStep;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The journeys engine's trace steps ({@code journey_trace}, V15), stored once each (a unique hash of what identifies a
 * step), read per journey and person in the order they were stored, deleted after the retention and with their journey.
 */
@Repository
public class JourneyTraceRepository {
    private static final String INSERT = """
            insert into journey_trace (journey_id, organization_id, person_id, run_id, step, node_id, node_type, exit_name, reason,
                                       event_id, plan_version, at_ms, time_ms, step_hash, received_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict do nothing""";
    private static final String COLUMNS = "run_id, step, node_id, node_type, exit_name, reason, event_id, plan_version, at_ms";

    /** A stored step as the trace endpoint reads it. */
    public record Row(String runId, TraceStep.Kind step, String nodeId, String nodeType, String exit, String reason, String eventId,
                         long planVersion, long at) {
    }

    private static final RowMapper<Row> ROW = (rs, i) -> new Row(rs.getString("run_id"), TraceStep.Kind.valueOf(rs.getString("step")),
            rs.getString("node_id"), rs.getString("node_type"), rs.getString("exit_name"), rs.getString("reason"), rs.getString("event_id"),
            rs.getLong("plan_version"), rs.getLong("at_ms"));

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    public JourneyTraceRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** Whether the organization has this journey (steps of others are passed over). */
    public boolean journeyExists(String orgId, String journeyId) {
        return jdbc.sql("select count(*) from journey where organization_id = ? and id = ?").params(orgId, journeyId)
                .query(Long.class).single() > 0;
    }

    /**
     * Inserts the steps in one JDBC batch, each unless a step with its hash is stored already ({@code on conflict do
     * nothing} without a target: the form H2's PostgreSQL mode understands too). Answers how many were added.
     */
    public int insert(List<Step> steps, OffsetDateTime receivedAt) {
        if (steps.isEmpty()) {
            return 0;
        }
        List<Object[]> args = new ArrayList<>(steps.size());
        for (Step s : steps) {
            args.add(new Object[]{s.journeyId(), s.orgId(), s.personId(), s.runId(), s.step().name(), s.nodeId(), s.nodeType(), s.exit(),
                    s.reason(), s.eventId(), s.planVersion(), s.at(), s.time(), s.hash(), receivedAt});
        }
        int added = 0;
        for (int n : batch.batchUpdate(INSERT, args)) {
            // a driver that does not count rows in a batch (SUCCESS_NO_INFO) has inserted it, or failed the batch
            added += n == Statement.SUCCESS_NO_INFO ? 1 : n;
        }
        return added;
    }

    /** The person's steps of runs (everything but NOT_ENTERED), in the order they were stored. */
    public List<Row> runSteps(String orgId, String journeyId, String personId) {
        return jdbc.sql("select " + COLUMNS + " from journey_trace where journey_id = ? and person_id = ? and organization_id = ?"
                        + " and step <> 'NOT_ENTERED' order by id")
                .params(journeyId, personId, orgId).query(ROW).list();
    }

    /** The person's newest {@code limit} NOT_ENTERED steps, newest last. */
    public List<Row> refusals(String orgId, String journeyId, String personId, int limit) {
        List<Row> newestFirst = jdbc.sql("select " + COLUMNS + " from journey_trace where journey_id = ? and person_id = ?"
                        + " and organization_id = ? and step = 'NOT_ENTERED' order by id desc limit ?")
                .params(journeyId, personId, orgId, limit).query(ROW).list();
        List<Row> out = new ArrayList<>(newestFirst);
        Collections.reverse(out);
        return out;
    }

    /** Deletes the steps the engine wrote before {@code cutoffMs} (retention). */
    public int purgeBefore(long cutoffMs) {
        return jdbc.sql("delete from journey_trace where time_ms < ?").param(cutoffMs).update();
    }
}
