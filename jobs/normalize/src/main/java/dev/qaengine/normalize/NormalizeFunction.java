package dev.qaengine.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.ControlGate;
import dev.qaengine.common.ControlStream.ControlEntry;
import dev.qaengine.common.Json;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.DlqReason;
import dev.qaengine.model.EventCatalog;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The keyed heart of the normalize job, keyed by org + customer (a 64-bit hash of them, {@link RawElement#route}):
 * <ol>
 *   <li>applies the org's event definitions (broadcast state from {@code qa.control});</li>
 *   <li>drops a message already seen within the de-duplication horizon (same event id);</li>
 *   <li>emits the canonical event, or sends the message to the DLQ side output with its reason.</li>
 * </ol>
 * <p>Two guards keep a definition race from sending good events to the DLQ:
 * <ul>
 *   <li><b>start-up gate</b>: until this instance has applied every {@code qa.control} record that existed
 *   when it opened (end offsets taken in {@link #open}, progress kept in broadcast state so a restored job
 *   passes at once), messages are held in keyed state and judged once it has;</li>
 *   <li><b>definition grace</b>: a message rejected only because of definitions (unknown org, channel,
 *   event or attribute) is held once for the grace period and judged again, for definitions published
 *   just before their first events.</li>
 * </ul>
 */
public final class NormalizeFunction extends KeyedBroadcastProcessFunction<Long, RawElement, ControlEntry, KafkaOut>
        implements CheckpointedFunction {
    private static final Logger LOG = LoggerFactory.getLogger(NormalizeFunction.class);

    public static final MapStateDescriptor<String, CatalogState> CATALOGS =
            new MapStateDescriptor<>("event-catalogs", Types.STRING, TypeInformation.of(CatalogState.class));
    /** Per control partition, the offset of the last record applied (the start-up gate's progress). */
    public static final MapStateDescriptor<Integer, Long> CONTROL_PROGRESS = ControlGate.PROGRESS;
    public static final OutputTag<RawElement> DLQ = new OutputTag<>("dlq", RawElementSerializer.TYPE);

    private static final String CATALOG_KEY_PREFIX = ControlKind.EVENT_CATALOG.name() + ':';
    private static final long GATE_POLL_MS = 100;
    private static final int CHUNK_IDS = 1 << 16;

    private final Duration dedupHorizon;
    private final long horizonMs;
    private final int maxIds;
    private final Duration definitionGrace;
    private final ControlGate.EndOffsets controlEnd;

    private transient ListState<RawElement> held;
    private transient Map<String, Catalog> compiled;
    private transient CanonicalWriter writer;
    private transient Counter normalized;
    private transient Counter duplicates;
    private transient Counter heldForDefinitions;
    private transient Counter controlRejected;
    private transient Map<DlqReason, Counter> rejected;
    private transient ControlGate gate;
    private transient boolean gateLogged;
    private transient boolean dedup;
    private transient RecentIds recent;
    private transient ListState<long[]> recentState;
    private transient int maxParallelism;


    public NormalizeFunction(Duration dedupHorizon, Duration definitionGrace, ControlGate.EndOffsets controlEnd) {
        this(dedupHorizon, 2_000_000, definitionGrace, controlEnd);
    }

    /**
     * @param dedupHorizon how long an accepted event id is remembered (0 = no de-duplication here)
     * @param maxIds       how many ids one instance may remember; past it the oldest go early (metric
     *                     {@code dedupEvictedEarly}), bounding memory at roughly 20-40 bytes per id
     */
    public NormalizeFunction(Duration dedupHorizon, int maxIds, Duration definitionGrace, ControlGate.EndOffsets controlEnd) {
        this.horizonMs = dedupHorizon.toMillis();
        this.maxIds = maxIds;
        this.dedupHorizon = dedupHorizon;
        this.definitionGrace = definitionGrace;
        this.controlEnd = controlEnd;
    }

    @Override
    public void open(OpenContext ctx) {
        dedup = !dedupHorizon.isZero(); // QA_DEDUP_HORIZON=0 leaves de-duplication to the consumers
        held = getRuntimeContext().getListState(new ListStateDescriptor<>("held-for-definitions", RawElementSerializer.TYPE));
        compiled = new HashMap<>();
        writer = new CanonicalWriter();
        gate = new ControlGate(controlEnd);

        MetricGroup g = getRuntimeContext().getMetricGroup();
        normalized = g.counter("normalized");
        duplicates = g.counter("duplicates");
        heldForDefinitions = g.counter("heldForDefinitions");
        controlRejected = g.counter("controlRecordsRejected");
        if (dedup) {
            g.gauge("dedupRecentIds", (Gauge<Integer>) recent::size);
            g.gauge("dedupEvictedEarly", (Gauge<Long>) recent::evictedEarly);
        }
        MetricGroup dlq = g.addGroup("dlq");
        rejected = new EnumMap<>(DlqReason.class);
        for (DlqReason r : DlqReason.values()) {
            rejected.put(r, dlq.counter(r.name()));
        }
    }

    @Override
    public void processElement(RawElement e, ReadOnlyContext ctx, Collector<KafkaOut> out) throws Exception {
        e.materialize(); // a no-op after the shuffle, which decodes the strings
        if (e.reject != null) {
            reject(e, ctx);
            return;
        }
        if (!caughtUp(ctx.getBroadcastState(CONTROL_PROGRESS))) {
            held.add(e);
            ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + GATE_POLL_MS);
            return;
        }
        Validation.Outcome outcome = Validation.validate(e, catalog(ctx, e.orgId));
        if (!outcome.valid() && definitionGrace.toMillis() > 0) {
            // Perhaps the definitions are on their way: judge it again once the grace period has passed.
            held.add(e);
            heldForDefinitions.inc();
            long now = ctx.timerService().currentProcessingTime();
            ctx.timerService().registerProcessingTimeTimer(now + definitionGrace.toMillis());
            return;
        }
        emit(e, outcome, ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<KafkaOut> out) throws Exception {
        Iterable<RawElement> pending = held.get();
        if (pending == null) {
            return;
        }
        if (!caughtUp(ctx.getBroadcastState(CONTROL_PROGRESS))) {
            ctx.timerService().registerProcessingTimeTimer(timestamp + GATE_POLL_MS);
            return;
        }
        List<RawElement> all = new ArrayList<>();
        pending.forEach(all::add);
        held.clear();
        for (RawElement e : all) {
            // Every held element registered a timer at its own deadline; the earliest timer releases all
            // of this key's held elements at once, which only shortens their wait.
            emit(e, Validation.validate(e, catalog(ctx, e.orgId)), ctx, out);
        }
    }

    /**
     * De-duplication against the ids this instance accepted within the horizon (processing time, like a
     * TTL). They are kept in memory, not in RocksDB: a RocksDB write per event took ~40 % of this
     * operator's time, the in-memory table a few nanoseconds. They are still exactly-once state: the
     * table is checkpointed as operator state (see {@link #snapshotState}) and restored with the offsets
     * it belongs to, so a replay after a restore is judged exactly as the first time.
     */
    private boolean isDuplicate(long id, ReadOnlyContext ctx) {
        long now = ctx.timerService().currentProcessingTime();
        return !recent.addIfAbsent(id, now, KeyGroupRangeAssignment.assignToKeyGroup(ctx.getCurrentKey(), maxParallelism), now - horizonMs);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        if (!dedup) {
            return;
        }
        List<long[]> chunks = new ArrayList<>();
        long[][] chunk = {new long[Math.min(3 * CHUNK_IDS, 3 * Math.max(1, recent.size()))]};
        int[] at = {0};
        recent.forEach((id, acceptedAt, keyGroup) -> {
            if (at[0] == chunk[0].length) {
                chunks.add(chunk[0]);
                chunk[0] = new long[3 * CHUNK_IDS];
                at[0] = 0;
            }
            chunk[0][at[0]++] = id;
            chunk[0][at[0]++] = acceptedAt;
            chunk[0][at[0]++] = keyGroup;
        });
        chunks.add(java.util.Arrays.copyOf(chunk[0], at[0]));
        recentState.update(chunks);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        if (dedupHorizon.isZero()) {
            return;
        }
        var task = getRuntimeContext().getTaskInfo();
        maxParallelism = task.getMaxNumberOfParallelSubtasks();
        KeyGroupRange mine = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                maxParallelism, task.getNumberOfParallelSubtasks(), task.getIndexOfThisSubtask());
        recent = new RecentIds(1 << 16, maxIds);
        // Union state: after a rescale every instance reads every chunk and keeps its own key groups.
        recentState = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("recent-event-ids", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        if (context.isRestored()) {
            for (long[] c : recentState.get()) {
                for (int i = 0; i + 2 < c.length; i += 3) {
                    recent.restore(c[i], c[i + 1], (int) c[i + 2], mine::contains);
                }
            }
            LOG.info("Restored {} recent event ids for de-duplication", recent.size());
        }
    }

    /** Whether every control record that existed at open has been applied (then it stays true). */
    private boolean caughtUp(ReadOnlyBroadcastState<Integer, Long> progress) throws Exception {
        boolean before = gateLogged;
        boolean now = gate.caughtUp(progress);
        if (now && !before) {
            gateLogged = true;
            LOG.info("Definitions caught up with qa.control (end offsets at start {})", gate.endAtOpen());
        }
        return now;
    }

    private void emit(RawElement e, Validation.Outcome outcome, ReadOnlyContext ctx, Collector<KafkaOut> out) throws Exception {
        if (!outcome.valid()) {
            e.rejected(outcome.reason(), outcome.detail());
            reject(e, ctx);
            return;
        }
        CanonicalWriter.Written w = writer.write(e, outcome);
        if (dedup && isDuplicate(w.idBits(), ctx)) {
            duplicates.inc();
            return;
        }
        normalized.inc();
        // The output's partition key (CanonicalEvent.partitionKey): org|customer.
        out.collect(new KafkaOut(w.key(), w.json(), e.eventTime));
    }

    private void reject(RawElement e, ReadOnlyContext ctx) {
        rejected.get(e.reject).inc();
        ctx.output(DLQ, e);
    }

    /**
     * The org's compiled catalog. {@link #compiled} changes together with the broadcast state (both in
     * {@link #processBroadcastElement}), so it is asked first; the broadcast state only when it misses,
     * as after a restore (broadcast state comes back from a checkpoint, this cache does not).
     */
    private Catalog catalog(ReadOnlyContext ctx, String orgId) throws Exception {
        Catalog c = compiled.get(orgId);
        if (c != null) {
            return c;
        }
        CatalogState s = ctx.getBroadcastState(CATALOGS).get(orgId);
        if (s == null) {
            return null;
        }
        c = new Catalog(Json.MAPPER.readValue(s.json, EventCatalog.class), s.version);
        compiled.put(orgId, c);
        return c;
    }

    @Override
    public void processBroadcastElement(ControlEntry entry, Context ctx, Collector<KafkaOut> out) throws Exception {
        ControlGate.applied(ctx.getBroadcastState(CONTROL_PROGRESS), entry);
        if (!entry.key().startsWith(CATALOG_KEY_PREFIX)) {
            return; // another job's kind
        }
        String orgId = entry.key().substring(CATALOG_KEY_PREFIX.length());
        BroadcastState<String, CatalogState> state = ctx.getBroadcastState(CATALOGS);
        if (entry.value() == null) {
            state.remove(orgId);
            compiled.remove(orgId);
            LOG.info("Event catalog of org {} removed", orgId);
            return;
        }
        try {
            JsonNode root = Json.MAPPER.readTree(entry.value());
            long version = root.path("version").asLong(-1);
            JsonNode payload = root.path("payload");
            if (version < 0 || !payload.isObject()) {
                throw new IllegalArgumentException("needs a non-negative version and an object payload");
            }
            EventCatalog catalog = Json.MAPPER.treeToValue(payload, EventCatalog.class);
            if (catalog.orgId() != null && !catalog.orgId().equals(orgId)) {
                throw new IllegalArgumentException("payload orgId " + catalog.orgId() + " differs from the key's " + orgId);
            }
            CatalogState current = state.get(orgId);
            if (current != null && current.version >= version) {
                return; // republished or reordered: the newer definition stays
            }
            Catalog compiledCatalog = new Catalog(catalog, version); // fails here, not on the hot path, if unusable
            state.put(orgId, new CatalogState(version, Json.MAPPER.writeValueAsString(payload)));
            compiled.put(orgId, compiledCatalog);
            LOG.info("Event catalog of org {} is now version {}", orgId, version);
        } catch (Exception ex) {
            // A bad control record never stops the job; the previous definition stays in force.
            controlRejected.inc();
            LOG.warn("Ignored control record {}: {}", entry.key(), ex.getMessage());
        }
    }
}
