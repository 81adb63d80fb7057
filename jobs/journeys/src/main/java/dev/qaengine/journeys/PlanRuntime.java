package dev.qaengine.journeys;

import dev.qaengine.model.IdType;
import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.JourneyPlan.Step;
import dev.qaengine.model.journey.JourneyPlan.Variable;
import dev.qaengine.model.journey.NodeType;
import dev.qaengine.model.journey.TriggerType;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A plan of one version as the engine runs it: its steps by id, what it watches and what its actions need
 * from a person, and how long a run of it can last. Built once per plan record, on every instance.
 */
final class PlanRuntime {
    /** The node types this engine version runs (the others arrive with issue #6 and #9). */
    static final Set<NodeType> SUPPORTED = EnumSet.of(NodeType.SMS, NodeType.EMAIL, NodeType.PUSH, NodeType.WECHAT,
            NodeType.WEBHOOK, NodeType.COUPON, NodeType.EVENT_BRANCH, NodeType.WAIT, NodeType.END,
            NodeType.COPY_BRANCH, NodeType.TIME_BRANCH, NodeType.RANDOM_BRANCH, NodeType.RESULT_BRANCH, NodeType.TAG_BRANCH);

    final JourneyPlan plan;
    final long version;
    final Map<String, Step> steps = new HashMap<>();
    /** Event codes its EVENT_BRANCH steps watch. */
    final Set<String> watchCodes = new HashSet<>();
    /** The attributes their conditions read, as {@code <code>\u0000<attribute>}: the only ones a person's recent events keep. */
    final Set<String> watchAttributes = new HashSet<>();
    /** Event attributes its actions' variables read (captured at entry). */
    final Set<String> variableSources = new HashSet<>();
    /** The action nodes whose delivery results a RESULT_BRANCH routes by (their results are kept in the run). */
    final Set<String> resultNodes = new HashSet<>();
    /** The tag ids its TAG_BRANCHes look at (a branch's filter: {@code tag} or {@code tag=value}). */
    final Set<String> tagIds = new HashSet<>();
    /** ID types its actions address persons by. */
    final Set<IdType> idTypes = EnumSet.noneOf(IdType.class);
    /** The longest a run can last after entry (sum of waits and windows along the longest path), ms. */
    final long maxRunMs;
    /** Its journey's counts and its nodes', resolved on first use (the counts outlive the version). */
    JourneyStats.Journey counts;
    final Map<String, JourneyStats.Node> nodeCounts = new HashMap<>();
    /** The latest absolute "until" time of its waits (0 without). */
    final long latestUntil;

    private PlanRuntime(JourneyPlan plan, long version) {
        this.plan = plan;
        this.version = version;
        long until = 0;
        for (Step s : plan.steps()) {
            steps.put(s.id(), s);
            if (s.type() == NodeType.RESULT_BRANCH && s.resultOf() != null) {
                resultNodes.add(s.resultOf());
            }
            if (s.type() == NodeType.TAG_BRANCH && s.split() != null) {
                for (JourneyPlan.Split split : s.split()) {
                    if (split.tag() != null) {
                        tagIds.add(TagFilter.tagId(split.tag()));
                    }
                }
            }
            if (s.type() == NodeType.EVENT_BRANCH && s.watch() != null) {
                watchCodes.add(s.watch().eventCode());
                if (s.watch().rules() != null) {
                    for (JourneyPlan.Rule r : s.watch().rules()) {
                        watchAttributes.add(s.watch().eventCode() + '\u0000' + r.attribute());
                    }
                }
            }
            if (s.action() != null) {
                idTypes.add(idType(s));
                if (s.action().variables() != null) {
                    for (Variable v : s.action().variables()) {
                        if (v.from() != null) {
                            variableSources.add(v.from());
                        }
                    }
                }
            }
            if (s.untilMs() != null) {
                until = Math.max(until, s.untilMs());
            }
            if (s.split() != null) {
                for (JourneyPlan.Split split : s.split()) {
                    if (split.atMs() != null) {
                        until = Math.max(until, split.atMs());
                    }
                }
            }
        }
        this.latestUntil = until;
        this.maxRunMs = longest(plan.start(), new HashMap<>());
    }

    /** The plan ready to run, or why this engine cannot run it. */
    static Result of(JourneyPlan plan, long version) {
        if (plan.v() != JourneyPlan.VERSION) {
            return new Result(null, "plan format v" + plan.v() + " is not known to this engine (it reads v" + JourneyPlan.VERSION + ")");
        }
        if (plan.trigger() == null || plan.trigger().type() != TriggerType.EVENT || plan.trigger().event() == null) {
            return new Result(null, "audience-triggered journeys are not run by this engine version (issue #9)");
        }
        for (Step s : plan.steps()) {
            if (!SUPPORTED.contains(s.type())) {
                return new Result(null, "node '" + s.id() + "' is a " + s.type() + ", which this engine version does not run yet");
            }
        }
        if (plan.steps().stream().noneMatch(s -> s.id().equals(plan.start()))) {
            return new Result(null, "the start node '" + plan.start() + "' is not among the steps");
        }
        return new Result(new PlanRuntime(plan, version), null);
    }

    record Result(PlanRuntime plan, String refusal) {
    }

    static IdType idType(Step s) {
        IdType t = s.action().idType();
        return t != null ? t : s.type().idTypes.isEmpty() ? IdType.ONEID : s.type().idTypes.get(0);
    }

    String subject() {
        return JourneyPlan.subject(plan.orgId(), plan.journeyId());
    }

    private long longest(String id, Map<String, Long> memo) {
        Step s = id == null ? null : steps.get(id);
        if (s == null) {
            return 0;
        }
        Long known = memo.get(id);
        if (known != null) {
            return known;
        }
        memo.put(id, 0L); // a DAG by validation; this only guards against a malformed plan looping
        long own = s.delayMs() == null ? 0 : s.delayMs();
        long after = 0;
        if (s.next() != null) {
            for (String n : s.next().values()) {
                after = Math.max(after, longest(n, memo));
            }
        }
        long total = own + after;
        memo.put(id, total);
        return total;
    }
}
