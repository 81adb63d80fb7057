package dev.qaengine.journeys;

import dev.qaengine.model.IdType;
import dev.qaengine.model.ResolvedEvent;
import dev.qaengine.model.journey.ActionRequest;
import dev.qaengine.model.journey.DeliveryResult;
import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.JourneyPlan.Step;
import dev.qaengine.model.journey.JourneyPlan.Variable;
import dev.qaengine.model.journey.NodeType;
import dev.qaengine.model.journey.TraceStep;
import dev.qaengine.model.journey.TraceStep.Kind;
import dev.qaengine.journeys.PersonState.Run;
import dev.qaengine.journeys.PersonState.Seen;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the journeys do to one person, free of Flink: entry, the steps of runs, branches, waits and their
 * deadlines, actions, the trace. Its host keeps the person's state and the timers — {@link JourneyOperator}
 * in Flink keyed state and Flink timers, {@link DryRun} in maps — and tells it whose turn it is
 * ({@link #person}) before each call. One engine, so a dry run takes exactly the paths the job would.
 */
final class JourneyEngine {

    /**
     * What the engine needs of its host. Deadlines are the runs' own ({@code Run.timer}): after each call the
     * host keeps one timer per person at the earliest ({@link #earliest}), and calls {@link #due} when it fires.
     */
    interface Host {
        /** An action request of the current person. */
        void action(ActionRequest request);

        /** A step of the current person, when tracing is on. */
        void trace(TraceStep step);
    }

    /**
     * Which steps are traced: none; the steps of runs and the entries an event whose conditions held was refused
     * (a duplicate, the N-th event count, the participation limit) — bounded by the entries that happen; those and
     * every candidate journey whose conditions an event failed (a record per journey an event does not start, and
     * every candidate is met: the threshold index is not used).
     */
    enum Tracing { OFF, RUNS, ALL }

    final PlanBook book;
    final JourneyStats stats;
    private final Host host;
    private final long historyMs;
    private final int historyMax;
    /** What is traced for the persons in the sample; {@link #tracing} is what is traced for the current person. */
    final Tracing configured;
    /** Of 10,000 persons, how many are traced ({@link #inSample}): 10,000 = all. */
    private final int sampleSlots;
    /** Tracing for the current person: {@link #configured} when it is in the sample, else OFF. */
    Tracing tracing;

    /** Engine time: deadlines at or before it have fired (see {@link JourneyOperator}). */
    long engineTime = Long.MIN_VALUE;
    /** A deadline was set at or before engine time: it fires at the next advance, not when time next moves. */
    boolean overdue;
    long entered;
    long actions;
    long skipped;
    long runsEnded;

    private String org;
    private String personId;

    JourneyEngine(PlanBook book, JourneyStats stats, Host host, long historyMs, int historyMax, Tracing tracing) {
        this(book, stats, host, historyMs, historyMax, tracing, SAMPLE_ALL);
    }

    static final int SAMPLE_ALL = 10_000;

    JourneyEngine(PlanBook book, JourneyStats stats, Host host, long historyMs, int historyMax, Tracing tracing, int sampleSlots) {
        this.book = book;
        this.stats = stats;
        this.host = host;
        this.historyMs = historyMs;
        this.historyMax = historyMax;
        this.configured = tracing;
        this.tracing = tracing;
        this.sampleSlots = sampleSlots;
    }

    /** Whose turn it is: the calls that follow concern this person. */
    void person(String orgId, String person) {
        this.org = orgId;
        this.personId = person;
        this.tracing = configured == Tracing.OFF || sampleSlots >= SAMPLE_ALL || inSample(orgId, person, sampleSlots) ? configured : Tracing.OFF;
    }

    /**
     * Whether a person's steps are traced when {@code slots} of 10,000 persons are ({@code QA_JOURNEYS_TRACE_SAMPLE}): a hash
     * of organization and person, so a person is traced in every call or in none — its trace is whole, or absent.
     */
    static boolean inSample(String orgId, String person, int slots) {
        return Long.remainderUnsigned(Hashes.id64(orgId + '\u0000' + person), SAMPLE_ALL) < slots;
    }

    // ---- events --------------------------------------------------------------------------------------

    /** The first field the engine needs that a resolved event lacks (the job's DLQ and the dry run say it alike), or null. */
    static String missingField(ResolvedEvent ev) {
        return ev.personId() == null || ev.personId().isEmpty() ? "personId" : ev.event() == null ? "event"
                : ev.event().orgId() == null ? "event.orgId" : ev.event().eventId() == null ? "event.eventId"
                : ev.event().eventCode() == null ? "event.eventCode" : null;
    }

    /** A resolved event of the current person (its org's journeys concern its code: {@link PlanBook#concerns}). */
    void event(PersonState p, ResolvedEvent ev) {
        p.seq++;
        long seq = p.seq;
        var e = ev.event();
        long time = e.eventTime();
        long idHash = Hashes.id64(e.eventId());
        rememberIds(p, ev.identifiers());

        // 1. runs waiting in an EVENT_BRANCH window for such an event
        for (Run run : new ArrayList<>(p.runs)) {
            if (run.waitCode == null || (run.waitCode != PersonState.UNKNOWN && !run.waitCode.equals(e.eventCode()))) {
                continue;
            }
            PlanRuntime plan = book.version(org, run.journeyId, run.planVersion);
            Step s = plan == null ? null : plan.steps.get(run.stepId);
            if (s == null || s.type() != NodeType.EVENT_BRANCH || run.timer == PersonState.NONE) {
                continue;
            }
            if (inWindow(run, s, time, seq) && !run.counted.contains(idHash)
                    && EventMatcher.matches(s.watch(), e.eventCode(), e.channel(), e.attributes())) {
                run.count++;
                run.counted.add(idHash);
                Boolean done = decide(s, run.count, false);
                if (done != null) {
                    cancelTimer(run);
                    leaveBranch(p, run, plan, s, done, time, e.eventId());
                }
            }
        }

        // 2. journeys it may start
        // tracing refused entries needs every candidate; otherwise those whose numeric bound fails are never met
        for (JourneyPlan candidate : tracing == Tracing.ALL ? book.candidates(org, e.eventCode()) : book.candidates(org, e.eventCode(), e.attributes())) {
            if (!EventMatcher.matches(candidate.trigger().event(), e.eventCode(), e.channel(), e.attributes())) {
                if (tracing == Tracing.ALL) {
                    PlanRuntime plan = book.current(candidate);
                    trace(plan, null, null, Kind.NOT_ENTERED, null,
                            EventMatcher.explain(candidate.trigger().event(), e.eventCode(), e.channel(), e.attributes()), e.eventId(), time);
                }
                continue;
            }
            EntryGate.Decision d = EntryGate.offer(candidate.trigger(), p.gates.get(candidate.journeyId()), e.eventId(), time);
            p.gates.put(candidate.journeyId(), d.state());
            PlanRuntime plan = book.current(candidate);
            if (d.enter()) {
                enter(p, plan, ev, seq);
            } else if (tracing != Tracing.OFF) {
                trace(plan, null, null, Kind.NOT_ENTERED, null, refusal(candidate.trigger(), d), e.eventId(), time);
            }
        }

        // 3. kept for windows that may still open over it
        if (book.watched(org, e.eventCode())) {
            // with the attributes a watching condition reads only: most windows count events by their code alone
            Map<String, Object> attrs = Map.of();
            if (e.attributes() != null && !e.attributes().isEmpty()) {
                for (Map.Entry<String, Object> a : e.attributes().entrySet()) {
                    if (book.watchedAttribute(org, e.eventCode(), a.getKey())) {
                        if (attrs.isEmpty()) {
                            attrs = new java.util.HashMap<>();
                        }
                        attrs.put(a.getKey(), a.getValue());
                    }
                }
            }
            p.history.add(new Seen(idHash, seq, time, e.eventCode(), e.channel(), attrs));
        }
        pruneHistory(p);
    }

    private static String refusal(JourneyPlan.Trigger t, EntryGate.Decision d) {
        return switch (d.reason()) {
            case DUPLICATE -> "the event was already counted (a duplicate or a replay)";
            case COUNTING -> "matching event " + d.state().count() + " of the " + t.times() + " that let a person in";
            case LIMIT_REACHED -> t.entryWindowMs() == null
                    ? "participation limit: entered " + (t.maxEntries() == null ? 1 : t.maxEntries()) + " time(s) already"
                    : "participation limit: " + (t.maxEntries() == null ? 1 : t.maxEntries()) + " entries within "
                    + duration(t.entryWindowMs()) + " of this event already";
            case ENTERED -> "entered";
        };
    }

    /**
     * A delivery result of one of the person's runs: kept in the run when a RESULT_BRANCH of its plan routes
     * by that action (the furthest outcome wins). Whether the state changed.
     */
    boolean delivery(PersonState p, DeliveryResult d) {
        Run run = p == null ? null : p.run(d.runId());
        PlanRuntime plan = run == null ? null : book.version(d.orgId(), run.journeyId, run.planVersion);
        if (plan == null || !plan.resultNodes.contains(d.nodeId())) {
            return false;
        }
        run.results.merge(d.nodeId(), d.outcome(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        return true;
    }

    /** Takes in the state of a person merged into the current one (see {@link PersonState#absorb}), deadlines included. */
    void absorb(PersonState q, PersonState moved) {
        for (Run run : q.absorb(moved, historyMax)) {
            if (run.timer != PersonState.NONE) {
                overdue |= run.timer <= engineTime;
            }
        }
    }

    /** The person was merged into {@code survivor}: its runs go on there (traced here, where they were). */
    void moved(PersonState p, String survivor) {
        if (tracing == Tracing.OFF) {
            return;
        }
        for (Run run : p.runs) {
            PlanRuntime plan = book.version(org, run.journeyId, run.planVersion);
            if (plan != null) {
                trace(plan, run, plan.steps.get(run.stepId), Kind.MOVED, null, "merged into person " + survivor, null,
                        engineTime == Long.MIN_VALUE ? run.since : engineTime);
            }
        }
    }

    private void rememberIds(PersonState p, Map<IdType, List<String>> identifiers) {
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

    void pruneHistory(PersonState p) {
        long horizon = engineTime == Long.MIN_VALUE ? Long.MIN_VALUE : engineTime - historyMs;
        p.history.removeIf(s -> s.time() < horizon);
        while (p.history.size() > historyMax) {
            p.history.remove(0);
        }
    }

    // ---- runs ----------------------------------------------------------------------------------------

    private void enter(PersonState p, PlanRuntime plan, ResolvedEvent ev, long seq) {
        entered++;
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
        if (tracing != Tracing.OFF) {
            trace(plan, run, null, Kind.ENTERED, null, "event " + ev.event().eventCode() + " at " + Instant.ofEpochMilli(run.entryTime)
                    + " met the trigger", run.triggerEventId, run.entryTime);
        }
        proceed(p, run, plan);
    }

    /** Runs a run from its current step until it waits or ends. */
    private void proceed(PersonState p, Run run, PlanRuntime plan) {
        while (true) {
            Step s = plan.steps.get(run.stepId);
            if (s == null) {
                end(p, run, plan, null, "no next node");
                return;
            }
            counts(plan, s).entered();
            switch (s.type()) {
                case END -> {
                    end(p, run, plan, s, "END node");
                    return;
                }
                case WAIT -> {
                    long due = s.delayMs() != null ? run.since + s.delayMs() : s.untilMs();
                    if (due <= run.since) {
                        leave(plan, run, s, "next", tracing == Tracing.OFF ? null : "the wait's time " + Instant.ofEpochMilli(due) + " had passed");
                        continue;
                    }
                    waitUntil(plan, run, s, due, () -> "until " + Instant.ofEpochMilli(due));
                    return;
                }
                case RESULT_BRANCH -> {
                    long due = s.delayMs() != null ? run.since + s.delayMs() : s.untilMs();
                    if (due <= run.since) {
                        leaveByResult(plan, run, s);
                        continue;
                    }
                    waitUntil(plan, run, s, due, () -> "for the result of node " + s.resultOf() + " until " + Instant.ofEpochMilli(due));
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
                    leave(plan, run, s, exit, tracing == Tracing.OFF ? null : "OTHER".equals(exit)
                            ? "no branch's tag filter matched the person's tags " + new java.util.TreeMap<>(p.tags)
                            : "tag filter " + tagOf(s, exit) + " matched (tags " + new java.util.TreeMap<>(p.tags) + ")");
                    continue;
                }
                case RANDOM_BRANCH -> {
                    String exit = randomBranch(s, run.journeyId, personId);
                    leave(plan, run, s, exit, tracing == Tracing.OFF ? null
                            : "slot " + randomSlot(run.journeyId, personId) + " of 10000 (the same for this person in every run)");
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
                        leave(plan, run, s, done ? "DONE" : "NOT_DONE", tracing == Tracing.OFF ? null : windowReason(run, s, "already"));
                        continue;
                    }
                    run.waitCode = s.watch().eventCode();
                    waitUntil(plan, run, s, run.since + s.delayMs() - 1, () -> "for " + s.watch().eventCode() + " until "
                            + Instant.ofEpochMilli(run.since + s.delayMs()) + " (" + run.count + " so far)");
                    return;
                }
                default -> {
                    emitAction(p, run, plan, s);
                    leave(plan, run, s, "next", null);
                }
            }
        }
    }

    private static String tagOf(Step s, String exit) {
        for (JourneyPlan.Split split : s.split()) {
            if (split.name().equals(exit)) {
                return split.tag();
            }
        }
        return null;
    }

    private static String windowReason(Run run, Step s, String when) {
        return run.count + " matching " + s.watch().eventCode() + " event(s) " + when + " in ["
                + Instant.ofEpochMilli(run.since) + ", " + Instant.ofEpochMilli(run.since + s.delayMs()) + "), the branch asks "
                + (s.countOperator() == null ? "GE" : s.countOperator()) + " " + (s.countValue() == null ? 1 : s.countValue());
    }

    /** The reason is built only when the step is traced: formatting times costs more than the rest of a wait. */
    private void waitUntil(PlanRuntime plan, Run run, Step s, long due, java.util.function.Supplier<String> reason) {
        setTimer(run, due);
        if (tracing != Tracing.OFF) {
            trace(plan, run, s, Kind.WAITING, null, reason.get(), null, run.since);
        }
    }

    private void leaveByResult(PlanRuntime plan, Run run, Step s) {
        DeliveryResult.Outcome o = run.results.get(s.resultOf());
        String exit = resultExit(s, plan.steps.get(s.resultOf()).type(), o);
        leave(plan, run, s, exit, tracing == Tracing.OFF ? null
                : (o == null ? "no result of node " + s.resultOf() + " arrived" : "node " + s.resultOf() + "'s result: " + o)
                + (exit == null ? "; the branch has no exit for it" : ""));
    }

    /**
     * COPY_BRANCH: the run goes down every branch at once; TIME_BRANCH: down every branch, each from its own
     * time on (at once when that time has passed). Each branch becomes a run of its own, named
     * {@code <runId>/<branch>}, so every node on it has its own idempotency key.
     */
    private void fork(PersonState p, Run run, PlanRuntime plan, Step s) {
        cancelTimer(run);
        p.runs.remove(run); // it goes on as its branches
        for (JourneyPlan.Split split : s.split()) {
            Run child = run.copy(run.runId + '/' + split.name());
            child.branch = split.name();
            p.runs.add(child);
            if (s.type() == NodeType.TIME_BRANCH && split.atMs() != null && split.atMs() > run.since) {
                waitUntil(plan, child, s, split.atMs(), () -> "branch " + split.name() + " starts at " + Instant.ofEpochMilli(split.atMs())); // stays at the TIME_BRANCH until then
            } else {
                leave(plan, child, s, split.name(), tracing == Tracing.OFF ? null : s.type() == NodeType.COPY_BRANCH
                        ? "every branch is taken" : split.atMs() == null ? "the branch starts at once" : "the branch's time " + Instant.ofEpochMilli(split.atMs()) + " had passed");
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
        long slot = randomSlot(journeyId, personId);
        long upTo = 0;
        for (JourneyPlan.Split split : s.split()) {
            upTo += split.percent() * 100L;
            if (slot < upTo) {
                return split.name();
            }
        }
        return s.split().get(s.split().size() - 1).name();
    }

    private static long randomSlot(String journeyId, String personId) {
        return Long.remainderUnsigned(Hashes.id64(journeyId + '\u0000' + personId), 10_000);
    }

    /** Leaves an EVENT_BRANCH with its outcome, at event time {@code at}, and runs on. */
    private void leaveBranch(PersonState p, Run run, PlanRuntime plan, Step s, boolean done, long at, String eventId) {
        leave(plan, run, s, done ? "DONE" : "NOT_DONE", tracing == Tracing.OFF ? null
                : windowReason(run, s, eventId == null ? "when the window closed" : "once event " + eventId + " arrived"));
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

    /**
     * The run leaves step {@code s} by {@code exit} (null: an outcome the plan has no exit for): counted,
     * traced with {@code reason} (null: not worth a step of its own — an action's own step says it), moved on.
     */
    private void leave(PlanRuntime plan, Run run, Step s, String exit, String reason) {
        run.waitCode = null;
        JourneyStats.Node n = counts(plan, s);
        n.exited();
        if (s.type().isBranch() && exit != null) {
            n.branch(exit);
        }
        if (reason != null && tracing != Tracing.OFF) {
            trace(plan, run, s, Kind.PASSED, exit, reason, null, run.since);
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

    private void setTimer(Run run, long at) {
        run.timer = at;
        // a deadline engine time has passed already (a late event; a clock that stands still in a test) fires at
        // the next tick, not when engine time next moves
        overdue |= at <= engineTime;
    }

    private void cancelTimer(Run run) {
        run.timer = PersonState.NONE;
    }

    private void end(PersonState p, Run run, PlanRuntime plan, Step at, String reason) {
        cancelTimer(run);
        p.runs.remove(run);
        runsEnded++;
        (plan != null ? counts(plan) : stats.journey(JourneyPlan.subject(org, run.journeyId))).ended();
        if (tracing != Tracing.OFF && plan != null) {
            trace(plan, run, at, Kind.ENDED, null, reason, null, Math.max(run.since, engineTime));
        }
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
        // the real wall clock, not the engine's (a test's clock may be hours ahead, and Kafka refuses record
        // times more than an hour in the future)
        long now = System.currentTimeMillis();
        ActionRequest req = new ActionRequest(ActionRequest.VERSION, ActionRequest.key(run.runId, s.id()), plan.plan.orgId(),
                run.journeyId, run.planVersion, run.runId, s.id(), s.type(), personId, run.triggerEventId, a.interfaceId(),
                a.templateId(), idType, p.ids.get(idType), vars.isEmpty() ? null : vars, a.params(), skip, run.since, now);
        if (skip != null) {
            skipped++;
            counts(plan, s).skipped(skip);
        }
        actions++;
        counts(plan, s).action();
        host.action(req);
        if (tracing != Tracing.OFF) {
            trace(plan, run, s, Kind.ACTION, skip, skip == null
                    ? s.type() + " requested through interface " + a.interfaceId() + (p.ids.get(idType) == null ? " (the person has no " + idType + " yet)" : "")
                    : s.type() + " skipped: " + skip, null, run.since);
        }
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

    private void trace(PlanRuntime plan, Run run, Step s, Kind kind, String exit, String reason, String eventId, long at) {
        if (plan == null) {
            return;
        }
        host.trace(new TraceStep(TraceStep.VERSION, org, plan.plan.journeyId(), plan.version, personId, run == null ? null : run.runId, kind,
                s == null ? null : s.id(), s == null ? null : s.type(), exit, reason, eventId, at, System.currentTimeMillis()));
    }

    static String duration(long ms) {
        return ms % 86_400_000L == 0 ? ms / 86_400_000L + " d" : ms % 3_600_000L == 0 ? ms / 3_600_000L + " h"
                : ms % 60_000L == 0 ? ms / 60_000L + " min" : ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    // ---- deadlines -----------------------------------------------------------------------------------

    /** The earliest deadline of the person's runs, {@link PersonState#NONE} without one. */
    static long earliest(PersonState p) {
        long min = PersonState.NONE;
        for (Run r : p.runs) {
            if (r.timer != PersonState.NONE && (min == PersonState.NONE || r.timer < min)) {
                min = r.timer;
            }
        }
        return min;
    }

    /**
     * Every deadline of the person that engine time has reached, earliest first — those that passing one sets
     * at or before engine time too (a wait of zero after a branch), as Flink fires timers up to its watermark.
     * Whether any came.
     */
    boolean due(PersonState p) {
        boolean any = false;
        while (true) {
            Run next = null;
            for (Run r : p.runs) {
                if (r.timer != PersonState.NONE && r.timer <= engineTime && (next == null || r.timer < next.timer)) {
                    next = r;
                }
            }
            if (next == null) {
                return any;
            }
            any = true;
            deadline(p, next.runId, next.timer);
        }
    }

    /** A run's deadline has come. False when it is not the run's current deadline (the run moved on): nothing changed. */
    private boolean deadline(PersonState p, String runId, long at) {
        Run run = p.run(runId);
        if (run == null || run.timer != at) {
            return false; // a timer of a run that has moved on
        }
        run.timer = PersonState.NONE;
        PlanRuntime plan = book.version(org, run.journeyId, run.planVersion);
        Step s = plan == null ? null : plan.steps.get(run.stepId);
        if (s == null) {
            PlanRuntime any = plan != null ? plan : book.current(JourneyPlan.subject(org, run.journeyId));
            end(p, run, any, null, "the journey was stopped"); // its journey was stopped
        } else if (s.type() == NodeType.WAIT) {
            run.since = at;
            run.sinceSeq = p.seq;
            leave(plan, run, s, "next", tracing == Tracing.OFF ? null : "waited until " + Instant.ofEpochMilli(at));
            proceed(p, run, plan);
        } else if (s.type() == NodeType.EVENT_BRANCH) {
            leaveBranch(p, run, plan, s, decide(s, run.count, true), at + 1, null);
        } else if (s.type() == NodeType.RESULT_BRANCH) {
            run.since = at;
            run.sinceSeq = p.seq;
            leaveByResult(plan, run, s);
            proceed(p, run, plan);
        } else if (s.type() == NodeType.TIME_BRANCH) {
            run.since = at;
            run.sinceSeq = p.seq;
            leave(plan, run, s, run.branch, tracing == Tracing.OFF ? null : "the branch's time " + Instant.ofEpochMilli(at) + " came");
            proceed(p, run, plan);
        } else {
            end(p, run, plan, s, "a deadline at a node that has none");
        }
        pruneHistory(p);
        return true;
    }

    /**
     * A person quiet for the TTL: what no journey can need any more is dropped — the recent events, the
     * records of stopped journeys, de-duplication ids, and entries outside every participation window.
     * What is left (a "once" entry of a running journey, an N-th event count) stays, checked again a TTL later.
     */
    void collect(PersonState p, long now) {
        if (!p.runs.isEmpty()) {
            return;
        }
        p.mergedInto = null;
        p.history.clear();
        Set<String> tagIds = book.tagIds(org);
        p.tags.keySet().retainAll(tagIds); // kept for the tag branches still running, until the next profile
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
            long[] entries = window == null ? g.entries() : java.util.Arrays.stream(g.entries()).filter(t -> now - t < window).toArray();
            if (entries.length == 0 && g.count() == 0) {
                it.remove();
            } else {
                e.setValue(new EntryGate.State(g.count(), entries, new long[0]));
            }
        }
    }
}
