package dev.qaengine.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.ControlGate;
import dev.qaengine.common.ControlStream.ControlEntry;
import dev.qaengine.common.Json;
import dev.qaengine.common.TopicRecord;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.ControlRecord;
import dev.qaengine.model.DlqReason;
import dev.qaengine.model.IdType;
import dev.qaengine.model.IdentityChange;
import dev.qaengine.model.ResolvedEvent;
import dev.qaengine.model.journey.ActionRequest;
import dev.qaengine.model.journey.DeliveryResult;
import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.JourneyPlan.Step;
import dev.qaengine.model.journey.JourneyPlan.Variable;
import dev.qaengine.model.journey.JourneyStatus;
import dev.qaengine.model.journey.NodeType;
import dev.qaengine.model.journey.PersonTags;
import dev.qaengine.journeys.PersonState.Run;
import dev.qaengine.journeys.PersonState.Seen;
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
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
    static final String PLAN_PREFIX = ControlKind.JOURNEY_PLAN.name() + ':';
    /** The timer namespace of a person's clean-up (run timers use the run id). */
    static final String GC = "";

    /** What the engine is told to do: topics, lateness, horizons. */
    public record Config(String actionsTopic, String transfersTopic, String statsTopic, long latenessMs, long historyMs, int historyMax, long personTtlMs, long tickMs,
                         EngineClock clock, ControlGate.EndOffsets controlEnd) implements Serializable {
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
    private transient long engineTime;
    private transient boolean overdue;
    private transient Counter entered;
    private transient Counter actions;
    private transient Counter skipped;
    private transient Counter rejected;
    private transient Counter runsEnded;
    private transient Counter merges;
    private transient JourneyStats stats;
    private transient String attempt;

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
        engineTime = Long.MIN_VALUE;
        var metrics = getMetricGroup();
        entered = metrics.counter("journeyEntries");
        actions = metrics.counter("actionRequests");
        skipped = metrics.counter("actionsSkipped");
        rejected = metrics.counter("eventsRejected");
        runsEnded = metrics.counter("runsEnded");
        merges = metrics.counter("personsMerged");
        stats = new JourneyStats(metrics);
        // a deltaId names this run of the instance too: after a restore from an older checkpoint the ids go on
        // from that checkpoint's, and must not meet deltas already counted
        attempt = Long.toHexString(new java.security.SecureRandom().nextLong() >>> 16);
        metrics.gauge("journeysRunning", () -> book.size());
        metrics.gauge("planVersionsHeld", () -> book.versions());
        metrics.gauge("engineTime", () -> engineTime);
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
        if (!stats.isEmpty()) {
            for (TopicRecord r : stats.drain(config.statsTopic(), getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + "-" + attempt,
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
        if (t <= engineTime && !overdue) {
            return;
        }
        overdue = false;
        engineTime = Math.max(engineTime, t);
        timeServiceManager.advanceWatermark(new Watermark(engineTime));
        for (String key : book.retire(engineTime, config.latenessMs() + 86_400_000L)) {
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
        ResolvedEvent ev = parse(r, r.value(), ResolvedEvent.class, "not a resolved event");
        if (ev == null) {
            return;
        }
        if (ev.v() != ResolvedEvent.VERSION) {
            reject(r, DlqReason.BAD_FIELD, "v is " + ev.v() + ", this engine reads resolved events v" + ResolvedEvent.VERSION);
            return;
        }
        String missing = ev.personId() == null || ev.personId().isEmpty() ? "personId" : ev.event() == null ? "event"
                : ev.event().orgId() == null ? "event.orgId" : ev.event().eventId() == null ? "event.eventId"
                : ev.event().eventCode() == null ? "event.eventCode" : null;
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
        p.seq++;
        long seq = p.seq;
        long time = ev.event().eventTime();
        long idHash = Hashes.id64(ev.event().eventId());
        rememberIds(p, org, ev.identifiers());

        // 1. runs waiting in an EVENT_BRANCH window for such an event
        for (Run run : new ArrayList<>(p.runs)) {
            PlanRuntime plan = book.version(org, run.journeyId, run.planVersion);
            Step s = plan == null ? null : plan.steps.get(run.stepId);
            if (s == null || s.type() != NodeType.EVENT_BRANCH || run.timer == PersonState.NONE) {
                continue;
            }
            if (inWindow(run, s, time, seq) && !run.counted.contains(idHash)
                    && EventMatcher.matches(s.watch(), ev.event().eventCode(), ev.event().channel(), ev.event().attributes())) {
                run.count++;
                run.counted.add(idHash);
                Boolean done = decide(s, run.count, false);
                if (done != null) {
                    cancelTimer(run);
                    leaveBranch(p, run, plan, s, done, time);
                }
            }
        }

        // 2. journeys it may start
        for (JourneyPlan candidate : book.candidates(org, ev.event().eventCode())) {
            if (!EventMatcher.matches(candidate.trigger().event(), ev.event().eventCode(), ev.event().channel(), ev.event().attributes())) {
                continue;
            }
            EntryGate.Decision d = EntryGate.offer(candidate.trigger(), p.gates.get(candidate.journeyId()), ev.event().eventId(), time);
            p.gates.put(candidate.journeyId(), d.state());
            if (d.enter()) {
                enter(p, book.current(JourneyPlan.subject(org, candidate.journeyId())), ev, seq);
            }
        }

        // 3. kept for windows that may still open over it
        if (book.watched(org, ev.event().eventCode())) {
            Map<String, Object> attrs = ev.event().attributes() == null ? Map.of() : ev.event().attributes();
            p.history.add(new Seen(idHash, seq, time, ev.event().eventCode(), ev.event().channel(), attrs));
        }
        pruneHistory(p);
        save(p, Math.max(time, engineTime));
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
        Run run = p == null ? null : p.run(d.runId());
        PlanRuntime plan = run == null ? null : book.version(d.orgId(), run.journeyId, run.planVersion);
        if (plan == null || !plan.resultNodes.contains(d.nodeId())) {
            return;
        }
        run.results.merge(d.nodeId(), d.outcome(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        persons.update(p);
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
            for (Run run : p.runs) {
                if (run.timer != PersonState.NONE) {
                    timers.deleteEventTimeTimer(run.runId, run.timer);
                }
            }
            if (p.gcAt != PersonState.NONE) {
                timers.deleteEventTimeTimer(GC, p.gcAt);
            }
            p.gcAt = PersonState.NONE;
            output.collect(COMMITTED, new StreamRecord<>(Transfers.record(config.transfersTopic(), Transfers.STATE, c.orgId(), c.merged(),
                    c.survivor(), PersonState.Type.INSTANCE.toBytes(p), System.currentTimeMillis())));
            merges.inc();
        }
        PersonState marker = new PersonState();
        marker.mergedInto = c.survivor();
        save(marker, Math.max(engineTime, c.time()));
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
        save(p, engineTime == Long.MIN_VALUE ? t.time() : engineTime);
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
        for (Run run : q.absorb(moved, config.historyMax())) {
            if (run.timer != PersonState.NONE) {
                timers.registerEventTimeTimer(run.runId, run.timer);
                overdue |= run.timer <= engineTime;
            }
        }
        save(q, engineTime == Long.MIN_VALUE ? System.currentTimeMillis() : engineTime);
    }

    /**
     * The RESULT_BRANCH exit for the outcome of its action: the most specific exit the plan has — an opened
     * push OPENED, else SUCCESS; a delivered push not opened IGNORED, else SUCCESS; SMS and email SUCCESS;
     * FAILURE for a failure or no identifier for the channel; OTHER without a result, or when nothing was
     * sent on purpose (SKIPPED) or nothing was reported beyond SENT. Null when the plan has none of them.
     */
    static String resultExit(Step s, NodeType actionType, DeliveryResult.Outcome o) {
        List<String> candidates = o == null ? List.of("OTHER") : switch (o) {
            case SENT, SKIPPED -> List.of("OTHER");
            case FAILURE, NO_ID_FOR_CHANNEL -> List.of("FAILURE");
            case SUCCESS -> actionType == NodeType.PUSH ? List.of("IGNORED", "SUCCESS") : List.of("SUCCESS");
            case OPENED -> List.of("OPENED", "SUCCESS");
        };
        for (String c : candidates) {
            if (s.next() != null && s.next().containsKey(c)) {
                return c;
            }
        }
        return null;
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

    private void rememberIds(PersonState p, String org, Map<IdType, List<String>> identifiers) {
        if (identifiers == null) {
            return;
        }
        for (IdType t : book.idTypes(org)) {
            List<String> values = identifiers.get(t);
            if (values != null && !values.isEmpty()) {
                p.ids.put(t, values.get(0));
            }
        }
    }

    private void pruneHistory(PersonState p) {
        long horizon = engineTime == Long.MIN_VALUE ? Long.MIN_VALUE : engineTime - config.historyMs();
        p.history.removeIf(s -> s.time() < horizon);
        while (p.history.size() > config.historyMax()) {
            p.history.remove(0);
        }
    }

    // ---- runs ----------------------------------------------------------------------------------------

    private void enter(PersonState p, PlanRuntime plan, ResolvedEvent ev, long seq) throws Exception {
        entered.inc();
        counts(plan).entered();
        Run run = new Run();
        run.runId = Hashes.runId(plan.plan.orgId(), plan.plan.journeyId(), ev.personId(), ev.event().eventId());
        run.journeyId = plan.plan.journeyId();
        run.planVersion = plan.version;
        run.triggerEventId = ev.event().eventId();
        run.entryTime = ev.event().eventTime();
        run.stepId = plan.plan.start();
        run.since = run.entryTime;
        run.sinceSeq = seq;
        Map<String, Object> attrs = ev.event().attributes() == null ? Map.of() : ev.event().attributes();
        for (String name : plan.variableSources) {
            String text = text(attrs.get(name));
            if (text != null) {
                run.vars.put(name, text);
            }
        }
        p.runs.add(run);
        proceed(p, run, plan);
    }

    /** Runs a run from its current step until it waits or ends. */
    private void proceed(PersonState p, Run run, PlanRuntime plan) throws Exception {
        while (true) {
            Step s = plan.steps.get(run.stepId);
            if (s == null) {
                end(p, run);
                return;
            }
            counts(plan, s).entered();
            switch (s.type()) {
                case END -> {
                    end(p, run);
                    return;
                }
                case WAIT -> {
                    long due = s.delayMs() != null ? run.since + s.delayMs() : s.untilMs();
                    if (due <= run.since) {
                        leave(plan, run, s, "next");
                        continue;
                    }
                    setTimer(run, due);
                    return;
                }
                case RESULT_BRANCH -> {
                    long due = s.delayMs() != null ? run.since + s.delayMs() : s.untilMs();
                    if (due <= run.since) {
                        leave(plan, run, s, resultExit(s, plan.steps.get(s.resultOf()).type(), run.results.get(s.resultOf())));
                        continue;
                    }
                    setTimer(run, due);
                    return;
                }
                case COPY_BRANCH, TIME_BRANCH -> {
                    fork(p, run, plan, s);
                    return;
                }
                case TAG_BRANCH -> {
                    String exit = "OTHER";
                    for (JourneyPlan.Split split : s.split()) {
                        if (split.tag() != null && TagFilter.matches(split.tag(), p.tags)) {
                            exit = split.name();
                            break;
                        }
                    }
                    leave(plan, run, s, exit);
                    continue;
                }
                case RANDOM_BRANCH -> {
                    leave(plan, run, s, randomBranch(s, run.journeyId, personId()));
                    continue;
                }
                case EVENT_BRANCH -> {
                    run.count = 0;
                    run.counted.clear();
                    for (Seen e : p.history) {
                        if (inWindow(run, s, e.time(), e.seq()) && !run.counted.contains(e.id())
                                && EventMatcher.matches(s.watch(), e.code(), e.channel(), e.attributes())) {
                            run.count++;
                            run.counted.add(e.id());
                        }
                    }
                    Boolean done = decide(s, run.count, false);
                    if (done != null) {
                        leave(plan, run, s, done ? "DONE" : "NOT_DONE");
                        continue;
                    }
                    setTimer(run, run.since + s.delayMs() - 1);
                    return;
                }
                default -> {
                    emitAction(p, run, plan, s);
                    leave(plan, run, s, "next");
                }
            }
        }
    }

    /**
     * COPY_BRANCH: the run goes down every branch at once; TIME_BRANCH: down every branch, each from its own
     * time on (at once when that time has passed). Each branch becomes a run of its own, named
     * {@code <runId>/<branch>}, so every node on it has its own idempotency key.
     */
    private void fork(PersonState p, Run run, PlanRuntime plan, Step s) throws Exception {
        cancelTimer(run);
        p.runs.remove(run); // it goes on as its branches
        for (JourneyPlan.Split split : s.split()) {
            Run child = run.copy(run.runId + '/' + split.name());
            child.branch = split.name();
            p.runs.add(child);
            if (s.type() == NodeType.TIME_BRANCH && split.atMs() != null && split.atMs() > run.since) {
                setTimer(child, split.atMs()); // stays at the TIME_BRANCH until then
            } else {
                leave(plan, child, s, split.name());
                proceed(p, child, plan);
            }
        }
    }

    /**
     * The RANDOM_BRANCH branch of a person: a hash of journey and person spread over 10,000 slots, the
     * branches taking their percentages of them in order — the same person always takes the same branch of
     * a journey (a replay too), and over many persons each branch gets its share.
     */
    static String randomBranch(Step s, String journeyId, String personId) {
        long slot = Long.remainderUnsigned(Hashes.id64(journeyId + '\u0000' + personId), 10_000);
        long upTo = 0;
        for (JourneyPlan.Split split : s.split()) {
            upTo += split.percent() * 100L;
            if (slot < upTo) {
                return split.name();
            }
        }
        return s.split().get(s.split().size() - 1).name();
    }

    /** Leaves an EVENT_BRANCH with its outcome, at event time {@code at}, and runs on. */
    private void leaveBranch(PersonState p, Run run, PlanRuntime plan, Step s, boolean done, long at) throws Exception {
        leave(plan, run, s, done ? "DONE" : "NOT_DONE");
        run.since = Math.max(at, run.since);
        run.sinceSeq = p.seq;
        proceed(p, run, plan);
    }

    /** The journey's counts, found once per plan version. */
    private JourneyStats.Journey counts(PlanRuntime plan) {
        if (plan.counts == null) {
            plan.counts = stats.journey(plan.subject());
        }
        return plan.counts;
    }

    private JourneyStats.Node counts(PlanRuntime plan, Step s) {
        return plan.nodeCounts.computeIfAbsent(s.id(), id -> counts(plan).node(id));
    }

    /** The run leaves step {@code s} by {@code exit} (null: an outcome the plan has no exit for): counted, and moved on. */
    private void leave(PlanRuntime plan, Run run, Step s, String exit) {
        JourneyStats.Node n = counts(plan, s);
        n.exited();
        if (s.type().isBranch() && exit != null) {
            n.branch(exit);
        }
        run.stepId = next(s, exit);
    }

    private static String next(Step s, String exit) {
        return s.next() == null || exit == null ? null : s.next().get(exit);
    }

    /** Whether an event (time, arrival) falls in the window of the run's EVENT_BRANCH: [since, since + window). */
    static boolean inWindow(Run run, Step s, long time, long seq) {
        if (time < run.since || (time == run.since && seq <= run.sinceSeq)) {
            return false;
        }
        return time - run.since < s.delayMs();
    }

    /**
     * The EVENT_BRANCH outcome for {@code count} matching events: DONE (true), NOT_DONE (false), or null
     * while more events could still change it. At the window's end ({@code last}) it is always decided.
     */
    static Boolean decide(Step s, long count, boolean last) {
        long n = s.countValue() == null ? 1 : s.countValue();
        return switch (s.countOperator() == null ? dev.qaengine.model.journey.Operator.GE : s.countOperator()) {
            case GE -> count >= n ? Boolean.TRUE : last ? Boolean.FALSE : null;
            case GT -> count > n ? Boolean.TRUE : last ? Boolean.FALSE : null;
            case EQ -> count > n ? Boolean.FALSE : last ? count == n : null;
            case NE -> count > n ? Boolean.TRUE : last ? count != n : null;
            case LT -> count >= n ? Boolean.FALSE : last ? Boolean.TRUE : null;
            case LE -> count > n ? Boolean.FALSE : last ? Boolean.TRUE : null;
            default -> throw new IllegalStateException("count operator " + s.countOperator());
        };
    }

    private void setTimer(Run run, long at) {
        run.timer = at;
        timers.registerEventTimeTimer(run.runId, at);
        // a deadline engine time has passed already (a late event; a clock that stands still in a test) fires at
        // the next tick, not when engine time next moves
        overdue |= at <= engineTime;
    }

    private void cancelTimer(Run run) {
        if (run.timer != PersonState.NONE) {
            timers.deleteEventTimeTimer(run.runId, run.timer);
            run.timer = PersonState.NONE;
        }
    }

    private void end(PersonState p, Run run) {
        cancelTimer(run);
        p.runs.remove(run);
        runsEnded.inc();
        String key = (String) getCurrentKey();
        stats.journey(key.substring(0, key.indexOf('|')) + '/' + run.journeyId).ended();
    }

    private void emitAction(PersonState p, Run run, PlanRuntime plan, Step s) {
        JourneyPlan.Action a = s.action();
        Map<String, String> vars = new LinkedHashMap<>();
        String skip = null;
        if (a.variables() != null) {
            for (Variable v : a.variables()) {
                String value = v.from() == null ? null : run.vars.get(v.from());
                if (value == null || value.isEmpty()) {
                    if ("REPLACE".equals(v.ifEmpty())) {
                        value = v.replacement() == null ? "" : v.replacement();
                    } else if (skip == null) {
                        skip = "EMPTY_VARIABLE:" + v.name();
                    }
                }
                if (value != null) {
                    vars.put(v.name(), value);
                }
            }
        }
        IdType idType = PlanRuntime.idType(s);
        String personId = personId();
        // the real wall clock, not the engine's (a test's clock may be hours ahead, and Kafka refuses record
        // times more than an hour in the future)
        long now = System.currentTimeMillis();
        ActionRequest req = new ActionRequest(ActionRequest.VERSION, ActionRequest.key(run.runId, s.id()), plan.plan.orgId(),
                run.journeyId, run.planVersion, run.runId, s.id(), s.type(), personId, run.triggerEventId, a.interfaceId(),
                a.templateId(), idType, p.ids.get(idType), vars.isEmpty() ? null : vars, a.params(), skip, run.since, now);
        if (skip != null) {
            skipped.inc();
            counts(plan, s).skipped(skip);
        }
        actions.inc();
        counts(plan, s).action();
        try {
            output.collect(new StreamRecord<>(new TopicRecord(config.actionsTopic(),
                    (plan.plan.orgId() + '|' + personId).getBytes(StandardCharsets.UTF_8), Json.MAPPER.writeValueAsBytes(req), now)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("action request not writable", e);
        }
    }

    /** The person id of the current key ({@code org|personId}). */
    private String personId() {
        String key = (String) getCurrentKey();
        return key.substring(key.indexOf('|') + 1);
    }

    static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Double d) {
            return d.isInfinite() || d.isNaN() ? d.toString() : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (v instanceof Float f) {
            return text(f.doubleValue());
        }
        if (v instanceof BigDecimal b) {
            return b.stripTrailingZeros().toPlainString();
        }
        return String.valueOf(v);
    }

    // ---- timers --------------------------------------------------------------------------------------

    @Override
    public void onEventTime(InternalTimer<String, String> timer) throws Exception {
        PersonState p = persons.value();
        if (p == null) {
            return;
        }
        String org = ((String) timer.getKey()).substring(0, ((String) timer.getKey()).indexOf('|'));
        if (GC.equals(timer.getNamespace())) {
            p.gcAt = PersonState.NONE;
            collect(p, org, timer.getTimestamp());
            save(p, timer.getTimestamp());
            return;
        }
        Run run = p.run(timer.getNamespace());
        if (run == null || run.timer != timer.getTimestamp()) {
            return; // a timer of a run that has moved on
        }
        run.timer = PersonState.NONE;
        PlanRuntime plan = book.version(org, run.journeyId, run.planVersion);
        Step s = plan == null ? null : plan.steps.get(run.stepId);
        if (s == null) {
            end(p, run); // its journey was stopped
        } else if (s.type() == NodeType.WAIT) {
            run.since = timer.getTimestamp();
            run.sinceSeq = p.seq;
            leave(plan, run, s, "next");
            proceed(p, run, plan);
        } else if (s.type() == NodeType.EVENT_BRANCH) {
            leaveBranch(p, run, plan, s, decide(s, run.count, true), timer.getTimestamp() + 1);
        } else if (s.type() == NodeType.RESULT_BRANCH) {
            run.since = timer.getTimestamp();
            run.sinceSeq = p.seq;
            leave(plan, run, s, resultExit(s, plan.steps.get(s.resultOf()).type(), run.results.get(s.resultOf())));
            proceed(p, run, plan);
        } else if (s.type() == NodeType.TIME_BRANCH) {
            run.since = timer.getTimestamp();
            run.sinceSeq = p.seq;
            leave(plan, run, s, run.branch);
            proceed(p, run, plan);
        } else {
            end(p, run);
        }
        pruneHistory(p);
        save(p, timer.getTimestamp());
    }

    @Override
    public void onProcessingTime(InternalTimer<String, String> timer) {
    }

    /**
     * A person quiet for the TTL: what no journey can need any more is dropped — the recent events, the
     * records of stopped journeys, de-duplication ids, and entries outside every participation window.
     * What is left (a "once" entry of a running journey, an N-th event count) stays, checked again a TTL later.
     */
    private void collect(PersonState p, String org, long now) {
        if (!p.runs.isEmpty()) {
            return;
        }
        p.mergedInto = null;
        p.history.clear();
        p.tags.keySet().retainAll(book.tagIds(org)); // kept for the tag branches still running, until the next profile
        Iterator<Map.Entry<String, EntryGate.State>> it = p.gates.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, EntryGate.State> e = it.next();
            PlanRuntime plan = book.current(JourneyPlan.subject(org, e.getKey()));
            if (plan == null) {
                it.remove();
                continue;
            }
            EntryGate.State g = e.getValue();
            Long window = plan.plan.trigger().entryWindowMs();
            List<Long> entries = window == null ? g.entries() : g.entries().stream().filter(t -> now - t < window).toList();
            if (entries.isEmpty() && g.count() == 0) {
                it.remove();
            } else {
                e.setValue(new EntryGate.State(g.count(), entries, List.of()));
            }
        }
    }

    /** Writes the person back, or clears it when nothing is left; keeps one clean-up timer a TTL ahead. */
    private void save(PersonState p, long now) throws Exception {
        if (p.isEmpty()) {
            if (p.gcAt != PersonState.NONE) {
                timers.deleteEventTimeTimer(GC, p.gcAt);
            }
            persons.clear();
            return;
        }
        long due = (now == Long.MIN_VALUE ? 0 : now) + config.personTtlMs();
        // moved forward only when it has fallen a tenth of the TTL behind: fewer timer writes
        if (p.gcAt == PersonState.NONE || due - p.gcAt > config.personTtlMs() / 10) {
            if (p.gcAt != PersonState.NONE) {
                timers.deleteEventTimeTimer(GC, p.gcAt);
            }
            p.gcAt = due;
            timers.registerEventTimeTimer(GC, due);
        }
        persons.update(p);
    }
}
