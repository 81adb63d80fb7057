package dev.qaengine.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.ControlStream.ControlEntry;
import dev.qaengine.common.Json;
import dev.qaengine.common.TopicRecord;
import dev.qaengine.model.journey.JourneyPlan;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One journeys operator in a Flink test harness, driven by hand: events, plans, watermarks and a manual
 * wall clock (the harness's processing time drives the operator's tick).
 */
final class Engine implements AutoCloseable {
    static final long LATENESS = 5_000;
    static final long TTL = Fixtures.DAY;

    final KeyedTwoInputStreamOperatorTestHarness<String, Inbound, ControlEntry, TopicRecord> h;
    final ManualClock clock;
    private long offset;
    private long processingTime;
    private int taken;

    Engine(ManualClock clock, Path rocksDir, OperatorSubtaskState restore) throws Exception {
        this(clock, rocksDir, restore, JourneyEngine.Tracing.ALL);
    }

    Engine(ManualClock clock, Path rocksDir, OperatorSubtaskState restore, JourneyEngine.Tracing tracing) throws Exception {
        this(clock, rocksDir, restore, tracing, JourneyEngine.SAMPLE_ALL);
    }

    /** @param sampleSlots of 10,000 persons, how many are traced */
    Engine(ManualClock clock, Path rocksDir, OperatorSubtaskState restore, JourneyEngine.Tracing tracing, int sampleSlots) throws Exception {
        this.clock = clock;
        JourneyOperator op = new JourneyOperator(new JourneyOperator.Config("qa.actions", "qa.journeys.transfers", "qa.journeys.stats",
                "qa.journeys.trace", tracing, sampleSlots, LATENESS, 10 * Fixtures.MIN, 64, TTL, 100, clock, Map::of));
        h = new KeyedTwoInputStreamOperatorTestHarness<>(op, Inbound::routingKey, null, Types.STRING, 128, 1, 0);
        if (rocksDir != null) {
            EmbeddedRocksDBStateBackend rocks = new EmbeddedRocksDBStateBackend();
            rocks.setDbStoragePath(rocksDir.toString());
            h.setStateBackend(rocks);
        }
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
    }

    void plan(JourneyPlan plan, long version) throws Exception {
        h.processElement2(new StreamRecord<>(Fixtures.planEntry(plan, version, offset++)));
    }

    void stop(String journeyId) throws Exception {
        h.processElement2(new StreamRecord<>(Fixtures.stopEntry(journeyId, offset++)));
    }

    void event(Inbound e) throws Exception {
        h.processElement1(new StreamRecord<>(e, e.timestamp()));
    }

    void delivery(dev.qaengine.model.journey.DeliveryResult d) throws Exception {
        byte[] key = (d.orgId() + '|' + d.personId()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        h.processElement1(new StreamRecord<>(new Inbound(key, dev.qaengine.common.Json.MAPPER.writeValueAsBytes(d), d.time(), 0, 0,
                Inbound.DELIVERY), d.time()));
    }

    void change(dev.qaengine.model.IdentityChange c) throws Exception {
        byte[] key = (c.orgId() + '|' + c.merged()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        h.processElement1(new StreamRecord<>(new Inbound(key, dev.qaengine.common.Json.MAPPER.writeValueAsBytes(c), c.time(), 0, 0,
                Inbound.CHANGE), c.time()));
    }

    private int transfersTaken;

    /** The transfer records written since the last call (what would go through qa.journeys.transfers). */
    List<TopicRecord> transfers() {
        var q = h.getSideOutput(JourneyOperator.COMMITTED);
        List<TopicRecord> all = q == null ? List.of() : q.stream().map(StreamRecord::getValue)
                .filter(r -> r.topic().equals("qa.journeys.transfers")).toList();
        List<TopicRecord> out = all.subList(transfersTaken, all.size());
        transfersTaken = all.size();
        return List.copyOf(out);
    }

    private long checkpoint;

    /** A checkpoint's barrier: the counts since the last one, as the stats records it commits (JSON). */
    List<JsonNode> stats() throws Exception {
        var q = h.getSideOutput(JourneyOperator.COMMITTED);
        int before = q == null ? 0 : q.size();
        h.getOperator().prepareSnapshotPreBarrier(++checkpoint);
        q = h.getSideOutput(JourneyOperator.COMMITTED);
        List<JsonNode> out = new ArrayList<>();
        for (TopicRecord r : q == null ? List.<TopicRecord>of() : q.stream().map(StreamRecord::getValue).toList().subList(before, q.size())) {
            if (r.topic().equals("qa.journeys.stats")) {
                out.add(Json.MAPPER.readTree(r.value()));
            }
        }
        return out;
    }

    /** Reads transfer records back, as the job does from its transfer topic. */
    void deliverTransfers(List<TopicRecord> records) throws Exception {
        for (TopicRecord r : records) {
            h.processElement1(new StreamRecord<>(new Inbound(r.key(), r.value(), r.timestamp(), 0, 0, Inbound.TRANSFER), r.timestamp()));
        }
    }

    void profile(dev.qaengine.model.journey.PersonTags t) throws Exception {
        byte[] key = (t.orgId() + '|' + t.personId()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        h.processElement1(new StreamRecord<>(new Inbound(key, dev.qaengine.common.Json.MAPPER.writeValueAsBytes(t), t.time(), 0, 0,
                Inbound.PROFILE), t.time()));
    }

    void watermark(long t) throws Exception {
        h.processWatermark1(new Watermark(t));
    }

    /** Moves the wall clock and lets the operator's tick see it. */
    void wallClock(long t) throws Exception {
        clock.set(t);
        processingTime += 100;
        h.setProcessingTime(processingTime);
    }

    /** The action requests emitted since the last call, as JSON. */
    List<JsonNode> actions() throws Exception {
        List<TopicRecord> all = h.extractOutputValues();
        List<JsonNode> out = new ArrayList<>();
        for (TopicRecord r : all.subList(taken, all.size())) {
            out.add(Json.MAPPER.readTree(r.value()));
        }
        taken = all.size();
        return out;
    }

    private int tracesTaken;

    /** The trace steps written since the last call (what goes to qa.journeys.trace), read back as the control plane reads them. */
    List<dev.qaengine.model.journey.TraceStep> traces() throws Exception {
        var q = h.getSideOutput(JourneyOperator.TRACE);
        List<TopicRecord> all = q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
        List<dev.qaengine.model.journey.TraceStep> out = new ArrayList<>();
        for (TopicRecord r : all.subList(tracesTaken, all.size())) {
            // one record per person and engine call: the steps of that call, in order
            JsonNode steps = Json.MAPPER.readTree(r.value());
            if (!steps.isArray() || steps.isEmpty() || !dev.qaengine.model.Schemas.violations("journey-trace-v1.schema.json", steps).isEmpty()) {
                throw new AssertionError("trace record: " + steps + " " + dev.qaengine.model.Schemas.violations("journey-trace-v1.schema.json", steps));
            }
            for (JsonNode t : steps) {
                assertKey(r, t);
                out.add(Json.MAPPER.treeToValue(t, dev.qaengine.model.journey.TraceStep.class));
            }
        }
        tracesTaken = all.size();
        return out;
    }

    /** How many records went to qa.journeys.trace so far. */
    int traceRecords() {
        var q = h.getSideOutput(JourneyOperator.TRACE);
        return q == null ? 0 : q.size();
    }

    private static void assertKey(TopicRecord r, JsonNode t) {
        String key = t.get("orgId").asText() + '|' + t.get("personId").asText();
        if (!key.equals(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)) || !dev.qaengine.model.Schemas.violations("journey-trace-v1.schema.json", t).isEmpty()) {
            throw new AssertionError("trace record keyed " + new String(r.key(), java.nio.charset.StandardCharsets.UTF_8) + ": " + t
                    + " " + dev.qaengine.model.Schemas.violations("journey-trace-v1.schema.json", t));
        }
    }

    List<PlanAck> acks() {
        var q = h.getSideOutput(JourneyOperator.ACKS);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
    }

    List<Rejected> rejected() {
        var q = h.getSideOutput(JourneyOperator.REJECTED);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
    }

    OperatorSubtaskState snapshot() throws Exception {
        return h.snapshot(1, 1);
    }

    int timers() {
        return h.numEventTimeTimers();
    }

    int stateEntries() {
        return h.numKeyedStateEntries();
    }

    @Override
    public void close() throws Exception {
        h.close();
    }
}
