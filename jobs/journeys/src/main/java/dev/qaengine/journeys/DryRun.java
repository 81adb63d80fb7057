package dev.qaengine.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.Json;
import dev.qaengine.model.CanonicalEvent;
import dev.qaengine.model.ResolvedEvent;
import dev.qaengine.model.journey.ActionRequest;
import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.TraceStep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A journey run over a recorded event file, with nothing sent: who would enter, which path each run would
 * take and why, and what would be sent. The engine is the job's own ({@link JourneyEngine}); only its host
 * differs — persons and deadlines in maps, the action requests and trace steps kept for the report.
 *
 * <p>Time is the events' own: the engine time is the latest event time read less the allowed lateness (as
 * the job's watermark is), so deadlines fire between events as they would have; after the last event the
 * time runs on until every run has finished, as if nothing more had happened. Events go in in file order
 * (the order they arrived in). Lines are resolved events ({@code qa.events.resolved}, resolved-event-v1) or
 * canonical events ({@code qa.events.normalized}): a canonical event's person is its customer id
 * ({@code <customerIdType>:<customerId>}), as no identity directory takes part. Persons have no tags (a
 * TAG_BRANCH takes OTHER) and no delivery results (a RESULT_BRANCH takes OTHER).
 *
 * <p>Free of Flink, so the control plane runs it in its own process ({@code POST /api/v1/journeys/{id}/dry-run}).
 */
public final class DryRun {
    /** How many runs, actions, steps and rejected lines the report lists in full (the counts are always whole). */
    public record Limits(int runs, int actions, int steps, int rejected) {
        public static final Limits DEFAULT = new Limits(1_000, 1_000, 10_000, 100);
    }

    /** A line that is not an event, and why. */
    public record RejectedLine(long line, String reason) {
    }

    /** One run: the person, the trigger event, and the nodes it passed with the exit it took at each. */
    public record RunPath(String runId, String personId, String triggerEventId, List<String> path, boolean ended, String waitingAt) {
    }

    /** Counts of one node, as the job's statistics would have them. */
    public record NodeCounts(long entered, long exited, long actions, Map<String, Long> branches, Map<String, Long> skipped) {
    }

    public record Report(long lines, long events, long persons, long entered, long notEntered, long actions, long skipped,
                         Map<String, NodeCounts> nodes, List<RunPath> runs, List<ActionRequest> actionRequests, List<TraceStep> steps,
                         List<RejectedLine> rejected, long rejectedLines, Long firstEventTime, Long lastEventTime, Long endTime) {
    }

    /** The plan cannot be run by this engine (the same refusal the job would answer with). */
    public static final class Refused extends IllegalArgumentException {
        public Refused(String reason) {
            super(reason);
        }
    }

    private record Deadline(long at, String person) {
    }

    private DryRun() {
    }

    /**
     * Runs {@code plan} over the lines. {@code latenessMs}: the job's allowed lateness (5 s by default).
     *
     * @throws Refused when the engine would refuse the plan
     */
    public static Report run(JourneyPlan plan, Iterator<String> lines, long latenessMs, Limits limits) {
        PlanRuntime.Result result = PlanRuntime.of(plan, 1);
        if (result.plan() == null) {
            throw new Refused(result.refusal());
        }
        PlanBook book = new PlanBook();
        book.putCurrent(result.plan(), Long.MIN_VALUE);
        String org = plan.orgId();

        Map<String, PersonState> persons = new HashMap<>();
        // each person's earliest deadline, as the job keeps one timer per person
        TreeSet<Deadline> deadlines = new TreeSet<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : a.person.compareTo(b.person));
        List<ActionRequest> actions = new ArrayList<>();
        List<TraceStep> steps = new ArrayList<>();
        Map<String, RunPath> runs = new LinkedHashMap<>();
        long[] notEntered = {0};
        JourneyEngine.Host host = new JourneyEngine.Host() {
            @Override
            public void action(ActionRequest request) {
                if (actions.size() < limits.actions()) {
                    actions.add(request);
                }
            }

            @Override
            public void trace(TraceStep step) {
                if (step.step() == TraceStep.Kind.NOT_ENTERED) {
                    notEntered[0]++;
                }
                if (steps.size() < limits.steps()) {
                    steps.add(step);
                }
                if (step.runId() != null) {
                    RunPath known = runs.get(step.runId());
                    if (known == null) {
                        if (runs.size() >= limits.runs()) {
                            return;
                        }
                        String root = step.runId().contains("/") ? step.runId().substring(0, step.runId().indexOf('/')) : null;
                        RunPath parent = root == null ? null : runs.get(root);
                        known = new RunPath(step.runId(), step.personId(), parent == null ? step.eventId() : parent.triggerEventId(),
                                parent == null ? new ArrayList<>() : new ArrayList<>(parent.path()), false, null);
                    }
                    List<String> path = known.path();
                    switch (step.step()) {
                        case PASSED -> path.add(step.nodeId() + (step.exit() == null ? "" : ":" + step.exit()));
                        case ACTION -> path.add(step.nodeId() + (step.exit() == null ? "" : ":SKIPPED"));
                        case ENDED -> {
                            if (step.nodeId() != null) {
                                path.add(step.nodeId());
                            }
                        }
                        default -> {
                        }
                    }
                    runs.put(step.runId(), new RunPath(known.runId(), known.personId(), known.triggerEventId(), path,
                            step.step() == TraceStep.Kind.ENDED, step.step() == TraceStep.Kind.WAITING ? step.nodeId() : null));
                }
            }
        };
        JourneyStats stats = new JourneyStats(JourneyStats.Meters.NONE);
        // the job's defaults for the recent events EVENT_BRANCH windows may look back on (QA_JOURNEYS_HISTORY, _MAX)
        JourneyEngine engine = new JourneyEngine(book, stats, host, 60_000L, 64, JourneyEngine.Tracing.ALL);

        long lineNo = 0;
        long events = 0;
        long rejectedLines = 0;
        List<RejectedLine> rejected = new ArrayList<>();
        Long first = null;
        Long last = null;
        while (lines.hasNext()) {
            String line = lines.next();
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            ResolvedEvent ev;
            try {
                ev = read(line);
            } catch (Exception e) {
                rejectedLines++;
                if (rejected.size() < limits.rejected()) {
                    rejected.add(new RejectedLine(lineNo, e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                            ? "not JSON: " + j.getOriginalMessage() : e.getMessage()));
                }
                continue;
            }
            if (!org.equals(ev.event().orgId())) {
                continue; // another organization's: the journey never sees it
            }
            events++;
            long time = ev.event().eventTime();
            first = first == null ? time : Math.min(first, time);
            last = last == null ? time : Math.max(last, time);
            advance(engine, persons, deadlines, org, time - latenessMs);
            if (!book.concerns(org, ev.event().eventCode())) {
                continue;
            }
            engine.person(org, ev.personId());
            PersonState p = persons.computeIfAbsent(ev.personId(), k -> new PersonState());
            engine.event(p, ev);
            schedule(deadlines, ev.personId(), p);
        }
        // nothing more happens: every wait and window runs out
        Long end = deadlines.isEmpty() ? last : Long.valueOf(deadlines.last().at());
        advance(engine, persons, deadlines, org, Long.MAX_VALUE);

        Map<String, NodeCounts> nodes = new LinkedHashMap<>();
        JourneyStats.Journey j = stats.journey(JourneyPlan.subject(org, plan.journeyId()));
        for (JourneyPlan.Step s : plan.steps()) {
            JourneyStats.Node n = j.nodes.get(s.id());
            nodes.put(s.id(), n == null ? new NodeCounts(0, 0, 0, Map.of(), Map.of())
                    : new NodeCounts(n.entered, n.exited, n.actions, flat(n.branches), flat(n.skipped)));
        }
        return new Report(lineNo, events, persons.size(), engine.entered, notEntered[0], engine.actions, engine.skipped, nodes,
                List.copyOf(runs.values()), actions, steps, rejected, rejectedLines, first, last, end);
    }

    private static Map<String, Long> flat(Map<String, long[]> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }

    /** Engine time moves to {@code to}: the deadlines up to it fire, in time order. */
    private static void advance(JourneyEngine engine, Map<String, PersonState> persons, TreeSet<Deadline> deadlines, String org, long to) {
        if (to != Long.MAX_VALUE) {
            engine.engineTime = Math.max(engine.engineTime, to); // as the job's watermark moves before its timers fire
        }
        while (!deadlines.isEmpty() && deadlines.first().at() <= to) {
            Deadline d = deadlines.pollFirst();
            engine.engineTime = Math.max(engine.engineTime, d.at());
            engine.person(org, d.person());
            PersonState p = persons.get(d.person());
            p.timerAt = PersonState.NONE;
            engine.due(p);
            schedule(deadlines, d.person(), p);
        }
    }

    /** Keeps the person's one deadline at its runs' earliest. */
    private static void schedule(TreeSet<Deadline> deadlines, String person, PersonState p) {
        long want = JourneyEngine.earliest(p);
        if (want != p.timerAt) {
            if (p.timerAt != PersonState.NONE) {
                deadlines.remove(new Deadline(p.timerAt, person));
            }
            if (want != PersonState.NONE) {
                deadlines.add(new Deadline(want, person));
            }
            p.timerAt = want;
        }
    }

    /** A resolved event, or a canonical one made a resolved one of the person named by its customer id. */
    static ResolvedEvent read(String line) throws java.io.IOException {
        JsonNode root = Json.MAPPER.readTree(line);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        ResolvedEvent ev;
        if (root.has("event")) {
            ev = Json.MAPPER.treeToValue(root, ResolvedEvent.class);
        } else {
            CanonicalEvent c = Json.MAPPER.treeToValue(root, CanonicalEvent.class);
            if (c.customerId() == null || c.customerIdType() == null) {
                throw new IllegalArgumentException("a canonical event needs customerId and customerIdType to name its person");
            }
            ev = new ResolvedEvent(ResolvedEvent.VERSION, c.customerIdType() + ":" + c.customerId(),
                    Map.of(c.customerIdType(), List.of(c.customerId())), c);
        }
        String missing = JourneyEngine.missingField(ev);
        if (missing != null) {
            throw new IllegalArgumentException(missing + " is missing");
        }
        return ev;
    }
}
