package dev.qaengine.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.ControlGate;
import dev.qaengine.common.ControlStream.ControlEntry;
import dev.qaengine.common.Json;
import dev.qaengine.common.TopicRecord;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.ControlRecord;
import dev.qaengine.model.DlqReason;
import dev.qaengine.model.IdentityChange;
import dev.qaengine.model.ResolvedEvent;
import dev.qaengine.model.journey.ActionRequest;
import dev.qaengine.model.journey.DeliveryResult;
import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.JourneyStatus;
import dev.qaengine.model.journey.PersonTags;
import dev.qaengine.model.journey.TraceStep;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The journeys engine: one operator, keyed by person ({@code org|personId}), with the running plans in
 * broadcast state. See the module README for the semantics; in short:
 *
 * <ul>
 *   <li><b>Entry</b> happens when the trigger event is processed (not when event time catches up), through
 *   {@link EventMatcher} and {@link EntryGate}; the run is named by journey, person and trigger event, so a
 *   replay repeats its idempotency keys instead of sending again.</li>
 *   <li><b>Time</b>: deadlines are event times (entry time + wait, window start + window). They fire when
 *   the <em>engine time</em> passes them: the larger of the input watermark and the wall clock less the
 *   allowed lateness — so waits end on time when no events arrive, and a replay of old events is judged by
 *   their own times. Timers are Flink event-time timers advanced to engine time by this operator.</li>
 *   <li><b>EVENT_BRANCH</b> counts matching events whose time lies in [start, start + window) — an event of
 *   exactly the start time only if it arrived after the run reached the branch, as flink-cep orders equal
 *   times — whenever they arrive before the window closes, earlier arrivals included (a short history of
 *   watched events is kept for that). The branch is taken as soon as the outcome is certain.</li>
 *   <li><b>Plans</b>: a run follows the plan version it entered on; a newer version takes new entries only,
 *   and the older one stays until no run can be on it. A stopped journey's runs end at their next step.</li>
 * </ul>
 */
public final class JourneyOperator extends AbstractStreamOperator<TopicRecord>
        implements TwoInputStreamOperator<Inbound, ControlEntry, TopicRecord>, Triggerable<String, String> {

    /** Broadcast state: {@code <org>/<journey>@<version>} → the stored plan (JSON of {@link Stored}). */
    public static final MapStateDescriptor<String, String> PLANS = new MapStateDescriptor<>("journey-plans", Types.STRING, Types.STRING);
    public static final OutputTag<PlanAck> ACKS = new OutputTag<>("plan-acks", PlanAck.TYPE.type());
    public static final OutputTag<Rejected> REJECTED = new OutputTag<>("rejected", Rejected.TYPE.type());
    /**
     * What must reach Kafka exactly once, in the transaction of the checkpoint that holds the state it
     * belongs to: merged persons' state moving to survivors ({@code qa.journeys.transfers}) and the counts per
     * journey and node since the last checkpoint ({@code qa.journeys.stats}).
     */
    public static final OutputTag<TopicRecord> COMMITTED = new OutputTag<>("committed", TopicRecord.TYPE.type());
    /** Trace steps ({@code qa.journeys.trace}): at least once, like the action requests, on their own producer. */
    public static final OutputTag<TopicRecord> TRACE = new OutputTag<>("trace", TopicRecord.TYPE.type());
    static final String PLAN_PREFIX = ControlKind.JOURNEY_PLAN.name() + ':';
    /** The namespace of a person's one timer (its runs' earliest deadline or its clean-up; format 1 used run ids too). */
    static final String PERSON_TIMER = "";

    /** What the engine is told to do: topics, lateness, horizons. */
    public record Config(String actionsTopic, String transfersTopic, String statsTopic, String traceTopic, JourneyEngine.Tracing tracing,
                         int traceSampleSlots, long latenessMs, long historyMs, int historyMax, long personTtlMs, long tickMs,
                         EngineClock clock, ControlGate.EndOffsets controlEnd) implements Serializable {
        /** Tracing every person (no sample). */
        public Config(String actionsTopic, String transfersTopic, String statsTopic, String traceTopic, JourneyEngine.Tracing tracing,
                      long latenessMs, long historyMs, int historyMax, long personTtlMs, long tickMs, EngineClock clock,
                      ControlGate.EndOffsets controlEnd) {
            this(actionsTopic, transfersTopic, statsTopic, traceTopic, tracing, JourneyEngine.SAMPLE_ALL, latenessMs, historyMs, historyMax,
                    personTtlMs, tickMs, clock, controlEnd);
        }

        /** Tracing every step, refused entries included, to {@code qa.journeys.trace}. */
        public Config(String actionsTopic, String transfersTopic, String statsTopic, long latenessMs, long historyMs, int historyMax,
                      long personTtlMs, long tickMs, EngineClock clock, ControlGate.EndOffsets controlEnd) {
            this(actionsTopic, transfersTopic, statsTopic, dev.qaengine.model.Topics.JOURNEY_TRACE, JourneyEngine.Tracing.ALL, latenessMs,
                    historyMs, historyMax, personTtlMs, tickMs, clock, controlEnd);
        }
    }

    /** A plan version as kept in broadcast state. */
    record Stored(long version, Long supersededAt, JourneyPlan plan) {
    }

    /** Ours, not the base class's (which logs under Flink's category). */
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JourneyOperator.class);

    private final Config config;

    private transient PlanBook book;
    private transient BroadcastState<String, String> plans;
    private transient BroadcastState<Integer, Long> progress;
    private transient ListState<Inbound> pendingState;
    private transient List<Inbound> pending;
    private transient ControlGate gate;
    private transient ValueState<PersonState> persons;
    private transient InternalTimerService<String> timers;
    private transient long inputWatermark;
    private transient JourneyEngine engine;
    private transient Counter rejected;
    private transient Counter merges;
    private transient String attempt;
    /** Trace steps of the engine call under way (see {@link #flushTrace}). */
    private transient List<TraceStep> traced;

    public JourneyOperator(Config config) {
        this.config = config;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        plans = context.getOperatorStateStore().getBroadcastState(PLANS);
        progress = context.getOperatorStateStore().getBroadcastState(ControlGate.PROGRESS);
        pendingState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("pending-events", Inbound.TYPE.type()));
        pending = new ArrayList<>();
        for (Inbound r : pendingState.get()) {
            pending.add(r);
        }
        book = new PlanBook();
        for (Map.Entry<String, String> e : plans.entries()) {
            Stored s = Json.MAPPER.readValue(e.getValue(), Stored.class);
            PlanRuntime p = PlanRuntime.of(s.plan(), s.version()).plan();
            if (p == null) {
                continue;
            }
            if (s.supersededAt() == null) {
                book.putCurrent(p, Long.MIN_VALUE);
            } else {
                book.putSuperseded(p, s.supersededAt());
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        persons = getPartitionedState(new ValueStateDescriptor<>("person", PersonState.Type.INSTANCE));
        timers = getInternalTimerService("journey-timers", StringSerializer.INSTANCE, this);
        gate = new ControlGate(config.controlEnd());
        inputWatermark = Long.MIN_VALUE;
        var metrics = getMetricGroup();
        traced = new ArrayList<>();
        engine = new JourneyEngine(book, new JourneyStats(new FlinkMeters(metrics)), new FlinkHost(), config.historyMs(), config.historyMax(),
                config.tracing(), config.traceSampleSlots());
        metrics.counter("journeyEntries", reading(() -> engine.entered));
        metrics.counter("actionRequests", reading(() -> engine.actions));
        metrics.counter("actionsSkipped", reading(() -> engine.skipped));
        metrics.counter("runsEnded", reading(() -> engine.runsEnded));
        rejected = metrics.counter("eventsRejected");
        merges = metrics.counter("personsMerged");
        // a deltaId names this run of the instance too: after a restore from an older checkpoint the ids go on
        // from that checkpoint's, and must not meet deltas already counted
        attempt = Long.toHexString(new java.security.SecureRandom().nextLong() >>> 16);
        metrics.gauge("journeysRunning", () -> book.size());
        metrics.gauge("planVersionsHeld", () -> book.versions());
        metrics.gauge("engineTime", () -> engine.engineTime);
        scheduleTick();
    }

    @Override
    public void snapshotState(org.apache.flink.runtime.state.StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        pendingState.update(pending);
    }

    /** The counts since the last checkpoint go out ahead of its barrier, into the transaction it commits. */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flushTrace();
        if (!engine.stats.isEmpty()) {
            for (TopicRecord r : engine.stats.drain(config.statsTopic(), getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + "-" + attempt,
                    checkpointId, System.currentTimeMillis())) {
                output.collect(COMMITTED, new StreamRecord<>(r));
            }
        }
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    // ---- time ----------------------------------------------------------------------------------------

    private void scheduleTick() {
        if (config.tickMs() <= 0) {
            return;
        }
        var pts = getProcessingTimeService();
        pts.registerTimer(pts.getCurrentProcessingTime() + config.tickMs(), t -> {
            advance();
            scheduleTick();
        });
    }

    /** The engine's time now: the input watermark, or the wall clock less the allowed lateness when later. */
    long engineTimeNow() {
        long wall = config.clock().now();
        long byClock = wall == Long.MIN_VALUE ? Long.MIN_VALUE : wall - config.latenessMs();
        return Math.max(inputWatermark, byClock);
    }

    /** Fires every deadline the engine time has passed, and retires plan versions no run can still follow. */
    private void advance() throws Exception {
        long t = engineTimeNow();
        if (t <= engine.engineTime && !engine.overdue) {
            return;
        }
        engine.overdue = false;
        engine.engineTime = Math.max(engine.engineTime, t);
        timeServiceManager.advanceWatermark(new Watermark(engine.engineTime));
        for (String key : book.retire(engine.engineTime, config.latenessMs() + 86_400_000L)) {
            plans.remove(key);
        }
    }

    /**
     * The events' watermark. Only this input's: the control input carries the maximum watermark (so that it
     * never holds event time back), and Flink would let it through as the combined watermark whenever the
     * events' partitions go idle — firing every wait at once.
     */
    @Override
    public void processWatermark1(Watermark mark) throws Exception {
        inputWatermark = Math.max(inputWatermark, mark.getTimestamp());
        advance();
    }

    @Override
    public void processWatermark2(Watermark mark) {
    }

    /** Not passed on: what leaves this operator is bound for Kafka, and engine time is its own (see {@link #advance}). */
    @Override
    public void processWatermark(Watermark mark) {
    }

    // ---- plans ---------------------------------------------------------------------------------------

    @Override
    public void processElement2(StreamRecord<ControlEntry> element) throws Exception {
        ControlEntry entry = element.getValue();
        ControlGate.applied(progress, entry);
        if (entry.key().startsWith(PLAN_PREFIX)) {
            applyPlan(entry);
        }
        releasePending();
        flushTrace();
    }

    private void applyPlan(ControlEntry entry) throws Exception {
        String subject = entry.key().substring(PLAN_PREFIX.length());
        int slash = subject.indexOf('/');
        if (entry.value() == null) {
            if (slash > 0) {
                for (String key : book.removeJourney(subject.substring(0, slash), subject.substring(slash + 1))) {
                    plans.remove(key);
                }
                LOG.info("Journey {} stopped: its runs end", subject);
            }
            return;
        }
        ControlRecord record;
        JourneyPlan plan;
        try {
            JsonNode root = Json.MAPPER.readTree(entry.value());
            record = Json.MAPPER.treeToValue(root, ControlRecord.class);
            plan = Json.MAPPER.treeToValue(root.path("payload"), JourneyPlan.class);
        } catch (Exception e) {
            LOG.warn("Journey plan {} unreadable, ignored: {}", subject, e.getMessage());
            if (slash > 0) {
                ack(subject.substring(0, slash), subject.substring(slash + 1), 0, JourneyStatus.FAILED, "plan unreadable: " + e.getMessage());
            }
            return;
        }
        PlanRuntime before = book.current(subject);
        if (before != null && before.version > record.version()) {
            return; // an older record, reordered or republished: the newer stands
        }
        if (before != null && before.version == record.version()) {
            ack(plan.orgId(), plan.journeyId(), record.version(), JourneyStatus.RUNNING, null);
            return;
        }
        PlanRuntime.Result result = PlanRuntime.of(plan, record.version());
        if (result.plan() == null) {
            LOG.warn("Journey plan {} v{} refused: {}", subject, record.version(), result.refusal());
            ack(plan.orgId(), plan.journeyId(), record.version(), JourneyStatus.FAILED, result.refusal());
            return;
        }
        long engineTime = engine.engineTime;
        long now = Math.max(engineTime, config.clock().now() == Long.MIN_VALUE ? engineTime : config.clock().now() - config.latenessMs());
        book.putCurrent(result.plan(), now);
        if (before != null) {
            plans.put(PlanBook.versionKey(subject, before.version), Json.MAPPER.writeValueAsString(new Stored(before.version, now, before.plan)));
        }
        plans.put(PlanBook.versionKey(subject, record.version()), Json.MAPPER.writeValueAsString(new Stored(record.version(), null, plan)));
        LOG.info("Journey {} runs plan v{} (revision {})", subject, record.version(), plan.revision());
        ack(plan.orgId(), plan.journeyId(), record.version(), JourneyStatus.RUNNING, null);
    }

    private void ack(String orgId, String journeyId, long version, JourneyStatus status, String reason) {
        var task = getRuntimeContext().getTaskInfo();
        output.collect(ACKS, new StreamRecord<>(new PlanAck(orgId, journeyId, version, task.getIndexOfThisSubtask(),
                task.getNumberOfParallelSubtasks(), status, reason)));
    }

    /** Events held until the plans published before the start were applied, now processed. */
    private void releasePending() throws Exception {
        if (pending.isEmpty() || !gate.caughtUp(progress)) {
            return;
        }
        List<Inbound> held = new ArrayList<>(pending);
        pending.clear();
        for (Inbound r : held) {
            setCurrentKey(r.routingKey());
            onEvent(r);
        }
    }

    // ---- events --------------------------------------------------------------------------------------

    @Override
    public void processElement1(StreamRecord<Inbound> element) throws Exception {
        Inbound r = element.getValue();
        if (!gate.caughtUp(progress)) {
            pending.add(r);
            return;
        }
        releasePending();
        onEvent(r);
        flushTrace();
    }

    private void onEvent(Inbound r) throws Exception {
        switch (r.kind()) {
            case Inbound.DELIVERY -> {
                onDelivery(r, r.value());
                return;
            }
            case Inbound.CHANGE -> {
                onChange(r);
                return;
            }
            case Inbound.TRANSFER -> {
                onTransfer(r);
                return;
            }
            case Inbound.PROFILE -> {
                onProfile(r);
                return;
            }
            default -> {
            }
        }
        ResolvedEvent ev = ResolvedEventReader.read(r.value());
        if (ev == null) { // not the usual shape: bound the usual way, which gives the same event or says what is wrong
            ev = parse(r, r.value(), ResolvedEvent.class, "not a resolved event");
        }
        if (ev == null) {
            return;
        }
        if (ev.v() != ResolvedEvent.VERSION) {
            reject(r, DlqReason.BAD_FIELD, "v is " + ev.v() + ", this engine reads resolved events v" + ResolvedEvent.VERSION);
            return;
        }
        String missing = JourneyEngine.missingField(ev);
        if (missing != null) {
            reject(r, DlqReason.MISSING_FIELD, missing + " is missing");
            return;
        }
        String org = ev.event().orgId();
        if (!book.concerns(org, ev.event().eventCode())) {
            return; // no journey of the organization starts on it or waits for it: no state is touched
        }
        PersonState p = persons.value();
        if (p == null) {
            p = new PersonState();
        } else if (p.mergedInto != null) {
            // resolved before the merge, read after it: the person lives on as the survivor
            output.collect(COMMITTED, new StreamRecord<>(Transfers.record(config.transfersTopic(), Transfers.EVENT, org, personId(),
                    p.mergedInto, r.value(), System.currentTimeMillis())));
            return;
        }
        engine.person(org, personId());
        engine.event(p, ev);
        save(p, Math.max(ev.event().eventTime(), engine.engineTime));
    }

    /**
     * A delivery result of one of the person's runs: kept in the run when a RESULT_BRANCH of its plan
     * routes by that action (the furthest outcome wins: SENT, then SUCCESS, then OPENED). Results of runs
     * that have ended, or of actions no branch looks at, change nothing.
     */
    private void onDelivery(Inbound r, byte[] json) throws Exception {
        DeliveryResult d = parse(r, json, DeliveryResult.class, "not a delivery result");
        if (d == null) {
            return;
        }
        if (d.runId() == null || d.nodeId() == null || d.outcome() == null) {
            reject(r, DlqReason.MISSING_FIELD, (d.runId() == null ? "runId" : d.nodeId() == null ? "nodeId" : "outcome") + " is missing");
            return;
        }
        PersonState p = persons.value();
        if (p != null && p.mergedInto != null) {
            // the run moved with the person: the result follows it
            output.collect(COMMITTED, new StreamRecord<>(Transfers.record(config.transfersTopic(), Transfers.DELIVERY, d.orgId(),
                    personId(), p.mergedInto, json, System.currentTimeMillis())));
            return;
        }
        engine.person(d.orgId(), personId());
        if (engine.delivery(p, d)) {
            persons.update(p);
        }
    }

    /**
     * A merge (identity): this person — the merged one — no longer exists. Its state moves to the survivor
     * through the engine's transfer topic, in the Kafka transaction of the checkpoint that also holds its
     * removal here: after a failure, either both happened or neither, and the change is read again. Its
     * timers go with it (the survivor registers them); what remains here is a marker that forwards late
     * delivery results, collected after the TTL. A repeated change finds the marker and does nothing.
     */
    private void onChange(Inbound r) throws Exception {
        IdentityChange c = parse(r, r.value(), IdentityChange.class, "not an identity change");
        if (c == null) {
            return;
        }
        if (!IdentityChange.MERGE.equals(c.type())) {
            return;
        }
        if (c.orgId() == null || c.survivor() == null || c.merged() == null) {
            reject(r, DlqReason.MISSING_FIELD, (c.orgId() == null ? "orgId" : c.survivor() == null ? "survivor" : "merged") + " is missing");
            return;
        }
        if (!personId().equals(c.merged()) || c.survivor().equals(c.merged())) {
            reject(r, DlqReason.BAD_FIELD, "the change is keyed by " + personId() + " but merges " + c.merged() + " into " + c.survivor());
            return;
        }
        PersonState p = persons.value();
        if (p != null && p.mergedInto != null) {
            return;
        }
        if (p != null) {
            engine.person(c.orgId(), c.merged());
            engine.moved(p, c.survivor());
            if (p.timerAt != PersonState.NONE) {
                timers.deleteEventTimeTimer(PERSON_TIMER, p.timerAt);
            }
            p.timerAt = PersonState.NONE;
            p.gcAt = PersonState.NONE;
            output.collect(COMMITTED, new StreamRecord<>(Transfers.record(config.transfersTopic(), Transfers.STATE, c.orgId(), c.merged(),
                    c.survivor(), PersonState.Type.INSTANCE.toBytes(p), System.currentTimeMillis())));
            merges.inc();
        }
        PersonState marker = new PersonState();
        marker.mergedInto = c.survivor();
        save(marker, Math.max(engine.engineTime, c.time()));
    }

    /**
     * A person's current tags: the values of the tags the organization's TAG_BRANCHes look at are kept (all
     * others, and the tags of organizations without one, are not: a profile is not journey state).
     */
    private void onProfile(Inbound r) throws Exception {
        PersonTags t = parse(r, r.value(), PersonTags.class, "not a person's tags");
        if (t == null) {
            return;
        }
        if (t.orgId() == null || t.personId() == null) {
            reject(r, DlqReason.MISSING_FIELD, (t.orgId() == null ? "orgId" : "personId") + " is missing");
            return;
        }
        java.util.Set<String> wanted = book.tagIds(t.orgId());
        if (wanted.isEmpty()) {
            return;
        }
        PersonState p = persons.value();
        if (p == null) {
            p = new PersonState();
        } else if (p.mergedInto != null) {
            return; // the profiles job follows merges itself: the survivor's profile comes for the survivor
        }
        p.tags.clear();
        if (t.tags() != null) {
            for (String id : wanted) {
                String v = t.tags().get(id);
                if (v != null && !v.isEmpty()) {
                    p.tags.put(id, v);
                }
            }
        }
        save(p, engine.engineTime == Long.MIN_VALUE ? t.time() : engine.engineTime);
    }

    /** What a merged person's transfer brings to the survivor (or, if it was merged on in the meantime, passes on). */
    private void onTransfer(Inbound r) throws Exception {
        Transfers.Transfer t;
        try {
            t = Transfers.read(r.value());
        } catch (java.io.IOException e) {
            reject(r, DlqReason.MALFORMED_JSON, "not a transfer: " + e.getMessage());
            return;
        }
        if (t.kind() == Transfers.DELIVERY) {
            onDelivery(r, t.payload());
            return;
        }
        if (t.kind() == Transfers.EVENT) {
            onEvent(new Inbound(r.key(), t.payload(), r.timestamp(), r.partition(), r.offset(), Inbound.EVENT));
            return;
        }
        PersonState q = persons.value();
        if (q != null && q.mergedInto != null) {
            output.collect(COMMITTED, new StreamRecord<>(Transfers.record(config.transfersTopic(), Transfers.STATE, t.org(), personId(),
                    q.mergedInto, t.payload(), System.currentTimeMillis())));
            return;
        }
        if (q == null) {
            q = new PersonState();
        }
        PersonState moved = PersonState.Type.INSTANCE.fromBytes(t.payload());
        engine.person(t.org(), personId());
        engine.absorb(q, moved);
        save(q, engine.engineTime == Long.MIN_VALUE ? System.currentTimeMillis() : engine.engineTime);
    }

    /** The record read as {@code type}, or null when it cannot be: then it went to the DLQ, saying why. */
    private <T> T parse(Inbound r, byte[] json, Class<T> type, String notA) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (java.io.IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            reject(r, DlqReason.MALFORMED_JSON, notA + ": " + why);
            return null;
        }
    }

    private void reject(Inbound r, DlqReason reason, String detail) {
        rejected.inc();
        output.collect(REJECTED, new StreamRecord<>(new Rejected(r, reason, detail)));
    }

    /** The person id of the current key ({@code org|personId}). */
    private String personId() {
        String key = (String) getCurrentKey();
        return key.substring(key.indexOf('|') + 1);
    }

    // ---- timers --------------------------------------------------------------------------------------

    @Override
    public void onEventTime(InternalTimer<String, String> timer) throws Exception {
        PersonState p = persons.value();
        if (p == null) {
            return;
        }
        if (timer.getTimestamp() == p.timerAt) {
            p.timerAt = PersonState.NONE; // fired (a timer of state format 1, per run, is not the person's one)
        }
        String org = ((String) timer.getKey()).substring(0, ((String) timer.getKey()).indexOf('|'));
        engine.person(org, personId());
        boolean changed = engine.due(p);
        long now = Math.max(timer.getTimestamp(), engine.engineTime);
        if (p.gcAt != PersonState.NONE && p.gcAt <= engine.engineTime) {
            long at = p.gcAt;
            p.gcAt = PersonState.NONE;
            engine.collect(p, at);
            now = at;
            changed = true;
        }
        if (changed || p.timerAt == PersonState.NONE) {
            engine.pruneHistory(p);
            save(p, now);
        }
        flushTrace();
    }

    @Override
    public void onProcessingTime(InternalTimer<String, String> timer) {
    }

    /**
     * Writes the person back, or clears it when nothing is left. Keeps the clean-up a TTL ahead, and the
     * person's one timer at the earliest of its runs' deadlines and its clean-up.
     */
    private void save(PersonState p, long now) throws Exception {
        if (p.isEmpty()) {
            if (p.timerAt != PersonState.NONE) {
                timers.deleteEventTimeTimer(PERSON_TIMER, p.timerAt);
            }
            persons.clear();
            return;
        }
        long due = (now == Long.MIN_VALUE ? 0 : now) + config.personTtlMs();
        // moved forward only when it has fallen a tenth of the TTL behind: fewer timer writes
        if (p.gcAt == PersonState.NONE || due - p.gcAt > config.personTtlMs() / 10) {
            p.gcAt = due;
        }
        long runs = JourneyEngine.earliest(p);
        long want = runs == PersonState.NONE ? p.gcAt : Math.min(runs, p.gcAt);
        if (want != p.timerAt) {
            if (p.timerAt != PersonState.NONE) {
                timers.deleteEventTimeTimer(PERSON_TIMER, p.timerAt);
            }
            timers.registerEventTimeTimer(PERSON_TIMER, want);
            p.timerAt = want;
        }
        persons.update(p);
    }

    /** The engine's host here: the operator's outputs. */
    private final class FlinkHost implements JourneyEngine.Host {
        @Override
        public void action(ActionRequest req) {
            output.collect(new StreamRecord<>(new TopicRecord(config.actionsTopic(),
                    (req.orgId() + '|' + req.personId()).getBytes(StandardCharsets.UTF_8), json(req), req.emittedAt())));
        }

        /** Kept until the engine call ends ({@link #flushTrace}): one record for all the steps of a person then. */
        @Override
        public void trace(TraceStep step) {
            traced.add(step);
        }
    }

    /**
     * The steps traced since the last call, as one {@code qa.journeys.trace} record per person: a JSON array of its steps in
     * order. Kafka's cost is per record (measured: a record per step cost a quarter of the rate where every event enters a
     * journey, building the steps and their JSON nothing measurable), and one event gives a person several steps — entered,
     * passed, an action, waiting or ended, in each journey it starts.
     */
    private void flushTrace() {
        if (traced.isEmpty()) {
            return;
        }
        int from = 0;
        for (int i = 1; i <= traced.size(); i++) {
            TraceStep first = traced.get(from);
            if (i == traced.size() || !traced.get(i).personId().equals(first.personId()) || !traced.get(i).orgId().equals(first.orgId())) {
                output.collect(TRACE, new StreamRecord<>(new TopicRecord(config.traceTopic(),
                        (first.orgId() + '|' + first.personId()).getBytes(StandardCharsets.UTF_8), json(traced.subList(from, i)),
                        traced.get(i - 1).time())));
                from = i;
            }
        }
        traced.clear();
    }

    private static byte[] json(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(value.getClass().getSimpleName() + " not writable", e);
        }
    }

    /** A Flink counter showing one of the engine's counts. */
    private static Counter reading(java.util.function.LongSupplier count) {
        return new Counter() {
            @Override
            public void inc() {
            }

            @Override
            public void inc(long n) {
            }

            @Override
            public void dec() {
            }

            @Override
            public void dec(long n) {
            }

            @Override
            public long getCount() {
                return count.getAsLong();
            }
        };
    }

    /** The journey and node counts as Flink metrics: group {@code journey.<org>/<id>[.node.<node>]}. */
    private record FlinkMeters(org.apache.flink.metrics.MetricGroup group) implements JourneyStats.Meters {
        @Override
        public JourneyStats.Meters group(String key, String value) {
            return new FlinkMeters(group.addGroup(key, value));
        }

        @Override
        public JourneyStats.Counter counter(String name) {
            return group.counter(name)::inc;
        }
    }
}
