package dev.qaengine.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.ControlGate;
import dev.qaengine.common.ControlStream.ControlEntry;
import dev.qaengine.common.Json;
import dev.qaengine.common.TopicRecord;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.Identifier;
import dev.qaengine.model.IdentityAudit;
import dev.qaengine.model.IdentityChange;
import dev.qaengine.model.IdentitySettings;
import dev.qaengine.model.PersonRecord;
import dev.qaengine.model.Topics;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The identity operator, keyed by {@code org|TYPE:value}: runs {@link IdentityCore} on Flink keyed state.
 * Main output: resolved events. Side outputs: {@link #COMMITTED} — merges, refusals and the protocol's
 * own commands, written transactionally so that only decisions a checkpoint covers are ever seen — and
 * {@link #DIRECTORY}, the Redis person directory.
 */
public final class IdentityFunction extends KeyedBroadcastProcessFunction<String, Command, ControlEntry, TopicRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityFunction.class);

    public static final OutputTag<TopicRecord> COMMITTED = new OutputTag<>("committed", TopicRecord.TYPE.type());
    public static final OutputTag<DirectoryWrite> DIRECTORY = new OutputTag<>("directory", DirectoryWrite.TYPE.type());
    /** Org → IDENTITY_SETTINGS payload JSON (absent = defaults). */
    public static final MapStateDescriptor<String, String> SETTINGS = new MapStateDescriptor<>("identity-settings", Types.STRING, Types.STRING);

    private static final String SETTINGS_PREFIX = ControlKind.IDENTITY_SETTINGS.name() + ':';
    private static final long GATE_POLL_MS = 100;
    private static final String HELD = "held-at-start";
    /** A feedback record holds at most this many steps, or about this many bytes (Kafka's default limit is 1 MB). */
    static final int FEEDBACK_BATCH_STEPS = 1000;
    static final int FEEDBACK_BATCH_BYTES = 128 * 1024;

    private final Duration anonymousTtl;
    private final ControlGate.EndOffsets controlEnd;
    private final String resolvedTopic;
    private final String feedbackTopic;
    /** Steps for keys of other instances, on their way into one feedback record. */
    private transient Codecs.FeedbackBatch outbox;
    private transient Counter feedbackRecords;
    private final boolean directory;
    private final int cacheNodes;
    private transient NodeCache cache;
    private transient NodeCache.Writer writeBack;
    /**
     * The element being handled is an event: a node it reads is not put into the cache (nor written
     * through it). Events of a uniform crowd of persons would otherwise push out the nodes that merges
     * use again and again, and churn the heap; what they find cached, they use.
     */
    private transient boolean eventRead;
    /**
     * Commands a step sends to a key this instance owns: handled right after it, in this task, without the
     * round trip through Kafka (the same key always; another key when run by {@link IdentityOperator}).
     */
    private transient java.util.ArrayDeque<Command> local;
    private transient Keys keys;
    private transient ReadOnlyContext keyContext;
    private transient Runnable forget;
    private transient Counter localSteps;
    private transient Counter feedbackSteps;

    /** The keys of the operator instance running this function. */
    interface Keys {
        boolean owns(String key);

        void switchTo(String key);

        String currentKey();

        /** The keys of this instance that hold a value of the keyed state named {@code state}. */
        List<String> keysWith(String state);
    }

    /**
     * Called by {@link IdentityOperator} when it opens. With the operator's power to switch keys comes the
     * node cache: only an instance that can make an evicted key current again can write nodes back later.
     */
    void bind(boolean rocksDb, Keys keys) {
        this.keys = keys;
        if (cacheNodes > 0 && rocksDb) {
            cache = new NodeCache(cacheNodes);
            MetricGroup g = getRuntimeContext().getMetricGroup();
            g.gauge("nodeCacheSize", cache::size);
            g.gauge("nodeCacheHits", cache::hits);
            g.gauge("nodeCacheMisses", cache::misses);
        }
    }

    /**
     * Writes the changed cached nodes to the keyed state; {@link IdentityOperator} calls it before every
     * checkpoint and savepoint snapshots the state. Leaves the current key as it found it.
     */
    void flush() {
        if (cache == null || !cache.hasChanges()) {
            return;
        }
        String current = keys.currentKey();
        cache.flush(writeBack);
        if (current != null) {
            keys.switchTo(current);
        }
    }

    /**
     * The steps for other instances not sent yet, as one feedback record ({@code null}: none).
     * {@link IdentityOperator} emits it before each checkpoint barrier, into the transaction that the
     * checkpoint commits: a step becomes visible with the checkpoint that holds the state that sent it.
     */
    TopicRecord takeFeedback() {
        TopicRecord r = outbox.take(feedbackTopic);
        if (r != null) {
            feedbackRecords.inc();
        }
        return r;
    }

    /** Evicts above the cache's capacity (writing changed nodes back), then makes {@code key} current again. */
    private void trimCache(String key) {
        if (cache != null && cache.size() > cache.capacity()) {
            if (cache.trim(writeBack) > 0) {
                keys.switchTo(key);
            }
        }
    }
    private transient org.apache.flink.streaming.api.TimerService timers;

    private transient ValueState<Node> node;
    private transient ListState<Command> pending;
    private transient ListState<Command> held;
    private transient ControlGate gate;
    /**
     * With {@link IdentityOperator}: the key of each command held at start, in the order they arrived
     * ({@code null} once they have been handed on). Not state: what a restored instance finds held was
     * held before the others, and is handed on first, key by key.
     */
    private transient List<String> heldOrder;
    private transient IdentityCore core;
    private transient Map<String, IdentitySettings> settingsCache;
    private transient ReadOnlyBroadcastState<String, String> settingsState;
    private transient Counter resolved;
    private transient Counter merges;
    private transient Counter orphans;
    private transient Counter heldAtStart;
    private transient Counter expired;
    private transient Map<dev.qaengine.model.IdentityRefusal, Counter> refused;

    /**
     * @param anonymousTtl how long a person known only from events (never linked) is kept after its last
     *                     event; 0 = forever
     */
    public IdentityFunction(Duration anonymousTtl, ControlGate.EndOffsets controlEnd, String resolvedTopic) {
        this(anonymousTtl, controlEnd, resolvedTopic, Topics.IDENTITY_FEEDBACK, true, 0);
    }

    /**
     * @param directory  whether to write the Redis person directory (off: its records are not even built)
     * @param cacheNodes identifier nodes each instance keeps in its {@link NodeCache} (0: none, every step
     *                   reads and writes RocksDB)
     */
    public IdentityFunction(Duration anonymousTtl, ControlGate.EndOffsets controlEnd, String resolvedTopic, String feedbackTopic,
                            boolean directory, int cacheNodes) {
        if (cacheNodes < 0) {
            throw new IllegalArgumentException("cacheNodes must not be negative");
        }
        this.anonymousTtl = anonymousTtl;
        this.controlEnd = controlEnd;
        this.resolvedTopic = resolvedTopic;
        this.feedbackTopic = feedbackTopic;
        this.directory = directory;
        this.cacheNodes = cacheNodes;
    }

    @Override
    public void open(OpenContext ctx) {
        // One state for every identifier. Anonymous persons expire through a timer, not Flink's state TTL:
        // TTL would cost a second state (linked identifiers never expire) and a read per event.
        node = getRuntimeContext().getState(new ValueStateDescriptor<>("node", Codecs.NodeType.INSTANCE.type()));
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending", Codecs.CommandType.INSTANCE.type()));
        held = getRuntimeContext().getListState(new ListStateDescriptor<>(HELD, Codecs.CommandType.INSTANCE.type()));
        gate = new ControlGate(controlEnd);
        heldOrder = new ArrayList<>();
        settingsCache = new HashMap<>();
        core = new IdentityCore(this::settings);
        state = keyedState();
        writeBack = (key, n) -> {
            keys.switchTo(key);
            try {
                if (n == null) {
                    node.clear();
                } else {
                    node.update(n);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
        local = new java.util.ArrayDeque<>();
        outbox = new Codecs.FeedbackBatch();
        MetricGroup g = getRuntimeContext().getMetricGroup();
        resolved = g.counter("resolvedEvents");
        merges = g.counter("merges");
        orphans = g.counter("orphanCommands");
        heldAtStart = g.counter("heldAtStart");
        expired = g.counter("anonymousExpired");
        localSteps = g.counter("protocolStepsInTask");
        feedbackSteps = g.counter("protocolStepsViaFeedback");
        feedbackRecords = g.counter("feedbackRecords");
        refused = new EnumMap<>(dev.qaengine.model.IdentityRefusal.class);
        MetricGroup r = g.addGroup("refused");
        for (var reason : dev.qaengine.model.IdentityRefusal.values()) {
            refused.put(reason, r.counter(reason.name()));
        }
    }

    @Override
    public void processElement(Command c, ReadOnlyContext ctx, Collector<TopicRecord> out) throws Exception {
        if (c.kind == Command.AUDIT) {
            IdentityAudit a = Json.MAPPER.readValue(c.payload, IdentityAudit.class);
            refused.get(a.reason()).inc();
            ctx.output(COMMITTED, new TopicRecord(Topics.IDENTITY_AUDIT, bytes(c.org), c.payload, c.time));
            return;
        }
        if (!gate.caughtUp(ctx.getBroadcastState(ControlGate.PROGRESS))) {
            held.add(c);
            heldAtStart.inc();
            if (keys != null && heldOrder != null) {
                heldOrder.add(keys.currentKey());
            }
            ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + GATE_POLL_MS);
            return;
        }
        releaseHeld(ctx, out);
        run(c, ctx.getBroadcastState(SETTINGS), ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TopicRecord> out) throws Exception {
        if (!gate.caughtUp(ctx.getBroadcastState(ControlGate.PROGRESS))) {
            ctx.timerService().registerProcessingTimeTimer(timestamp + GATE_POLL_MS);
            return;
        }
        releaseHeld(ctx, out);
        Iterable<Command> waiting = held.get(); // Flink's plain operator (tests): each key's own, at its timer
        if (waiting != null) {
            List<Command> all = new ArrayList<>();
            waiting.forEach(all::add);
            held.clear();
            for (Command c : all) {
                run(c, ctx.getBroadcastState(SETTINGS), ctx, out);
            }
        }
        expire(timestamp, ctx);
    }

    /**
     * The first time the gate is found open (with {@link IdentityOperator}): every command held at start is
     * handled, in the order they arrived, before anything else. Handing them on key by key as each key's
     * poll timer fires would let a command that arrived later — or a step it causes in this task — reach
     * a key before what is held there: a link naming a device whose anonymous event is still held would
     * create the device's person at the link's time, and the device, seen first, would no longer be the
     * older person (on equal times the smaller id wins). Commands held before a checkpoint this instance
     * was restored from come first, key by key (their order across keys is not kept). Leaves the current
     * key as it found it.
     */
    private void releaseHeld(ReadOnlyContext ctx, Collector<TopicRecord> out) throws Exception {
        if (keys == null || heldOrder == null) {
            return;
        }
        List<String> order = heldOrder;
        heldOrder = null;
        String back = keys.currentKey();
        Map<String, Integer> arrived = new HashMap<>();
        for (String k : order) {
            arrived.merge(k, 1, Integer::sum);
        }
        java.util.LinkedHashSet<String> heldKeys = new java.util.LinkedHashSet<>(keys.keysWith(HELD));
        heldKeys.addAll(order);
        Map<String, java.util.ArrayDeque<Command>> queues = new java.util.LinkedHashMap<>();
        for (String k : heldKeys) {
            keys.switchTo(k);
            Iterable<Command> waiting = held.get();
            java.util.ArrayDeque<Command> q = new java.util.ArrayDeque<>();
            if (waiting != null) {
                waiting.forEach(q::add);
            }
            held.clear();
            if (!q.isEmpty()) {
                queues.put(k, q);
            }
        }
        ReadOnlyBroadcastState<String, String> settings = ctx.getBroadcastState(SETTINGS);
        for (Map.Entry<String, java.util.ArrayDeque<Command>> e : queues.entrySet()) { // restored: held before the others
            for (int n = e.getValue().size() - arrived.getOrDefault(e.getKey(), 0); n > 0; n--) {
                keys.switchTo(e.getKey());
                run(e.getValue().poll(), settings, ctx, out);
            }
        }
        for (String k : order) {
            java.util.ArrayDeque<Command> q = queues.get(k);
            if (q != null && !q.isEmpty()) {
                keys.switchTo(k);
                run(q.poll(), settings, ctx, out);
            }
        }
        if (back != null) {
            keys.switchTo(back);
        }
    }

    /** An anonymous person whose last event is older than the TTL goes; one seen since waits for its new expiry. */
    private void expire(long now, OnTimerContext ctx) throws Exception {
        keyContext = ctx;
        forget.run();
        Node n = state.node();
        if (n == null || !n.anonymous || anonymousTtl.isZero()) {
            return;
        }
        long due = expiry(n);
        if (due > now) {
            ctx.timerService().registerProcessingTimeTimer(due);
            return;
        }
        state.clear();
        expired.inc();
        trimCache(ctx.getCurrentKey());
        if (directory) {
            String org = ctx.getCurrentKey().substring(0, ctx.getCurrentKey().indexOf('|'));
            ctx.output(DIRECTORY, new DirectoryWrite(PersonRecord.identifierKey(org, n.personIds.get(0)), null));
            ctx.output(DIRECTORY, new DirectoryWrite(PersonRecord.personKey(org, n.person.id()), null));
        }
    }

    private long expiry(Node n) {
        return (n.lastSeenDay + 1L) * 86_400_000L + anonymousTtl.toMillis();
    }

    private void run(Command c, ReadOnlyBroadcastState<String, String> settings, ReadOnlyContext ctx, Collector<TopicRecord> out) {
        settingsState = settings;
        timers = ctx.timerService();
        keyContext = ctx;
        forget.run(); // a new element: state may have changed since (timers, restores)
        Emitter emitter = new Emitter(ctx, out);
        eventRead = c.kind == Command.EVENT;
        core.handle(c, state, emitter);
        eventRead = false;
        String key = (String) currentKey();
        if (local.isEmpty()) {
            trimCache(key);
            return;
        }
        String current = key;
        while (!local.isEmpty()) {
            Command next = local.poll();
            String target = next.routingKey();
            if (!target.equals(current)) {
                keys.switchTo(target);
                current = target;
            }
            core.handle(next, state, emitter);
        }
        if (!current.equals(key)) {
            keys.switchTo(key);
        }
        trimCache(key);
    }

    private IdentitySettings settings(String org) {
        try {
            String json = settingsState == null ? null : settingsState.get(org);
            if (json == null) {
                return IdentitySettings.defaults(org);
            }
            IdentitySettings s = settingsCache.get(json);
            if (s == null) {
                s = Json.MAPPER.readValue(json, IdentitySettings.class);
                settingsCache.put(json, s);
            }
            return s;
        } catch (Exception e) {
            throw new IllegalStateException("identity settings of " + org + " unreadable", e);
        }
    }

    @Override
    public void processBroadcastElement(ControlEntry entry, Context ctx, Collector<TopicRecord> out) throws Exception {
        ControlGate.applied(ctx.getBroadcastState(ControlGate.PROGRESS), entry);
        if (!entry.key().startsWith(SETTINGS_PREFIX)) {
            return;
        }
        String org = entry.key().substring(SETTINGS_PREFIX.length());
        if (entry.value() == null) {
            ctx.getBroadcastState(SETTINGS).remove(org);
            LOG.info("Identity settings of org {} removed: defaults apply", org);
            return;
        }
        try {
            JsonNode root = Json.MAPPER.readTree(entry.value());
            IdentitySettings s = Json.MAPPER.treeToValue(root.path("payload"), IdentitySettings.class);
            if (s.maxIdentifiersPerPerson() < IdentitySettings.MIN_IDENTIFIERS || s.maxIdentifiersPerPerson() > IdentitySettings.MAX_IDENTIFIERS) {
                throw new IllegalArgumentException("maxIdentifiersPerPerson " + s.maxIdentifiersPerPerson() + " out of range");
            }
            ctx.getBroadcastState(SETTINGS).put(org, Json.MAPPER.writeValueAsString(s));
            LOG.info("Identity settings of org {}: unique {}, at most {} identifiers", org, s.uniqueIdTypesOrEmpty(), s.maxIdentifiersPerPerson());
        } catch (Exception e) {
            LOG.warn("Ignored control record {}: {}", entry.key(), e.getMessage());
        }
    }

    private transient IdentityCore.State state;

    /**
     * The key whose state is current. With {@link IdentityOperator} that is the operator's: a step handled
     * in this task for another key switches it, and the context of a timer keeps naming the timer's key.
     */
    private Object currentKey() {
        return keys != null ? keys.currentKey() : keyContext.getCurrentKey();
    }

    /** The current key's state, as the core sees it. */
    private IdentityCore.State keyedState() {
        return new IdentityCore.State() {
            {
                forget = () -> {
                    memo = null;
                    memoKey = null;
                };
            }

            /** Whether the last read found no node: an update then creates one. */
            private boolean absent;
            /** Whether the last read went past the cache (an event's): its update goes straight to the state. */
            private boolean bypass;
            /** The node last read or written, and its key: steps at one key read it once. */
            private Node memo;
            private Object memoKey;

            @Override
            public Node node() {
                try {
                    Object key = currentKey();
                    if (cache != null) {
                        NodeCache.Entry e = cache.get((String) key);
                        Node n;
                        if (e != null) {
                            n = e.node;
                            bypass = false;
                        } else {
                            n = node.value();
                            bypass = eventRead;
                            if (!bypass) {
                                cache.loaded((String) key, n);
                            }
                        }
                        absent = n == null;
                        return n;
                    }
                    if (memoKey != null && memoKey.equals(key)) {
                        return memo;
                    }
                    Node n = node.value();
                    absent = n == null;
                    memo = n;
                    memoKey = key;
                    return n;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void update(Node n) {
                try {
                    if (cache != null && !bypass) {
                        cache.changed((String) currentKey(), n);
                    } else {
                        memo = n;
                        memoKey = currentKey();
                        node.update(n);
                    }
                    if (absent && n.anonymous && !anonymousTtl.isZero()) {
                        timers.registerProcessingTimeTimer(expiry(n)); // checked then, and again while it is used
                    }
                    absent = false;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void clear() {
                if (cache != null) {
                    cache.changed((String) currentKey(), null);
                } else {
                    memo = null;
                    memoKey = null;
                    node.clear();
                }
            }

            @Override
            public List<Command> pending() {
                try {
                    List<Command> all = new ArrayList<>();
                    Iterable<Command> it = pending.get();
                    if (it != null) {
                        it.forEach(all::add);
                    }
                    return all;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void setPending(List<Command> commands) {
                try {
                    pending.update(commands);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    private final class Emitter implements IdentityCore.Output {
        private final ReadOnlyContext ctx;
        private final Collector<TopicRecord> out;

        Emitter(ReadOnlyContext ctx, Collector<TopicRecord> out) {
            this.ctx = ctx;
            this.out = out;
        }

        @Override
        public void resolved(Command event, Node n) {
            resolved.inc();
            out.collect(new TopicRecord(resolvedTopic, bytes(event.org + '|' + n.person.id()),
                    ResolvedJson.write(n, event.payload), event.time));
        }

        @Override
        public void change(IdentityChange change) {
            merges.inc();
            ctx.output(COMMITTED, new TopicRecord(Topics.IDENTITY_CHANGES, bytes(change.orgId() + '|' + change.merged()), json(change), change.time()));
        }

        @Override
        public void audit(IdentityAudit audit) {
            refused.get(audit.reason()).inc();
            ctx.output(COMMITTED, new TopicRecord(Topics.IDENTITY_AUDIT, bytes(audit.orgId()), json(audit), audit.time()));
        }

        @Override
        public void send(Command c) {
            String target = c.routingKey();
            if (target.equals(currentKey()) || (keys != null && keys.owns(target))) {
                local.add(c);
                localSteps.inc();
                return;
            }
            feedbackSteps.inc();
            outbox.add(c);
            // Without IdentityOperator (Flink's plain operator, tests) nothing emits the batch at the
            // barrier: each step goes at once.
            if (keys == null || outbox.count() >= FEEDBACK_BATCH_STEPS || outbox.bytes() >= FEEDBACK_BATCH_BYTES) {
                ctx.output(COMMITTED, takeFeedback());
            }
        }

        @Override
        public void pointer(String org, Identifier id, String personId) {
            if (!directory) {
                return;
            }
            ctx.output(DIRECTORY, new DirectoryWrite(PersonRecord.identifierKey(org, id), personId));
        }

        @Override
        public void person(PersonRecord record) {
            if (!directory) {
                return;
            }
            ctx.output(DIRECTORY, new DirectoryWrite(PersonRecord.personKey(record.orgId(), record.personId()), new String(json(record), StandardCharsets.UTF_8)));
        }

        @Override
        public void personGone(String org, String personId) {
            if (!directory) {
                return;
            }
            ctx.output(DIRECTORY, new DirectoryWrite(PersonRecord.personKey(org, personId), null));
        }

        @Override
        public void orphan(Command c) {
            orphans.inc();
            LOG.warn("Protocol command {} for a key without a person (expired anonymous state?) dropped", c.kind);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] json(Object o) {
        try {
            return Json.MAPPER.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
