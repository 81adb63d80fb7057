package dev.qaengine.journeys;

import dev.qaengine.common.ControlStream.ControlEntry;
import dev.qaengine.common.Json;
import dev.qaengine.model.CanonicalEvent;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.ControlRecord;
import dev.qaengine.model.IdType;
import dev.qaengine.model.ResolvedEvent;
import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.JourneyPlan.Action;
import dev.qaengine.model.journey.JourneyPlan.Match;
import dev.qaengine.model.journey.JourneyPlan.Rule;
import dev.qaengine.model.journey.JourneyPlan.Step;
import dev.qaengine.model.journey.JourneyPlan.Trigger;
import dev.qaengine.model.journey.JourneyPlan.Variable;
import dev.qaengine.model.journey.NodeType;
import dev.qaengine.model.journey.Operator;
import dev.qaengine.model.journey.TriggerType;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plans, events and control records for the engine's tests. */
final class Fixtures {
    static final String ORG = "org1";
    static final long MIN = 60_000L;
    static final long DAY = 86_400_000L;
    /** A fixed event-time origin (2026-11-28T00:00Z). */
    static final long T0 = 1_795_824_000_000L;

    private Fixtures() {
    }

    static Match match(String code, Rule... rules) {
        return new Match(code, null, false, List.of(rules));
    }

    static Rule numberRule(String attribute, Operator op, double... values) {
        return new Rule(attribute, op, true, null, java.util.Arrays.stream(values).boxed().toList());
    }

    /** Enter on every matching event, at most {@code max} times in 7 days. */
    static Trigger trigger(Match m, int max) {
        return new Trigger(TriggerType.EVENT, m, 1, max, 7 * DAY, null);
    }

    static Trigger once(Match m) {
        return new Trigger(TriggerType.EVENT, m, 1, 1, null, null);
    }

    static Step sms(String id, String template, String next, Variable... vars) {
        return new Step(id, NodeType.SMS, next == null ? null : Map.of("next", next), null, null, null, null, null,
                new Action("sms-if", template, IdType.MOBILE, vars.length == 0 ? null : List.of(vars), null), null, null);
    }

    static Step email(String id, String template, String next) {
        return new Step(id, NodeType.EMAIL, next == null ? null : Map.of("next", next), null, null, null, null, null,
                new Action("mail-if", template, IdType.EMAIL, null, null), null, null);
    }

    static Step waitFor(String id, long ms, String next) {
        return new Step(id, NodeType.WAIT, next == null ? null : Map.of("next", next), ms, null, null, null, null, null, null, null);
    }

    static Step waitUntil(String id, long at, String next) {
        return new Step(id, NodeType.WAIT, next == null ? null : Map.of("next", next), null, at, null, null, null, null, null, null);
    }

    static Step eventBranch(String id, Match watch, long windowMs, Operator op, long count, String done, String notDone) {
        Map<String, String> next = new HashMap<>();
        if (done != null) {
            next.put("DONE", done);
        }
        if (notDone != null) {
            next.put("NOT_DONE", notDone);
        }
        return new Step(id, NodeType.EVENT_BRANCH, next.isEmpty() ? null : next, windowMs, null, watch, op, count, null, null, null);
    }

    /** A COPY, TIME or RANDOM branch: {@code splits} name → target; percents or times given as {@link JourneyPlan.Split}s. */
    static Step branches(String id, NodeType type, List<JourneyPlan.Split> splits, Map<String, String> next) {
        return new Step(id, type, next, null, null, null, null, null, null, null, splits);
    }

    static JourneyPlan.Split tagSplit(String name, String tag) {
        return new JourneyPlan.Split(name, null, null, tag);
    }

    static JourneyPlan.Split split(String name, Integer percent, Long at) {
        return new JourneyPlan.Split(name, percent, at, null);
    }

    /** RESULT_BRANCH after action {@code action} (of type {@code type}), waiting {@code waitMs}. */
    static Step resultBranch(String id, String action, long waitMs, Map<String, String> next) {
        return new Step(id, NodeType.RESULT_BRANCH, next, waitMs, null, null, null, null, null, action, null);
    }

    static Step push(String id, String template, String next) {
        return new Step(id, NodeType.PUSH, next == null ? null : Map.of("next", next), null, null, null, null, null,
                new Action("push-if", template, IdType.ONEID, null, null), null, null);
    }

    static Step end(String id) {
        return new Step(id, NodeType.END, null, null, null, null, null, null, null, null, null);
    }

    static Step step(String id, NodeType type) {
        return new Step(id, type, null, null, null, null, null, null, null, null, null);
    }

    static JourneyPlan plan(String journeyId, Trigger trigger, String start, Step... steps) {
        return new JourneyPlan(JourneyPlan.VERSION, ORG, journeyId, "Journey " + journeyId, 1, trigger, start, List.of(steps));
    }

    /** The cart-abandonment journey of the issue: add_to_cart → purchase within 30 min? → NOT_DONE → SMS. */
    static JourneyPlan cartAbandonment(String journeyId) {
        return plan(journeyId, trigger(match("add_to_cart"), 10), "b",
                eventBranch("b", match("purchase"), 30 * MIN, Operator.GE, 1, "e", "s"),
                sms("s", "tpl-remind", null, new Variable("item", "item", "REPLACE", "your cart")),
                end("e"));
    }

    static ControlEntry planEntry(JourneyPlan plan, long version, long offset) throws Exception {
        ControlRecord r = new ControlRecord(ControlRecord.VERSION, ControlKind.JOURNEY_PLAN, JourneyPlan.subject(plan.orgId(), plan.journeyId()), version, plan);
        return new ControlEntry(r.key(), Json.MAPPER.writeValueAsString(r), 0, offset);
    }

    static ControlEntry stopEntry(String journeyId, long offset) {
        return new ControlEntry(ControlRecord.key(ControlKind.JOURNEY_PLAN, JourneyPlan.subject(ORG, journeyId)), null, 0, offset);
    }

    static byte[] plansRecord(JourneyPlan plan, long version) throws Exception {
        ControlRecord r = new ControlRecord(ControlRecord.VERSION, ControlKind.JOURNEY_PLAN, JourneyPlan.subject(plan.orgId(), plan.journeyId()), version, plan);
        return Json.MAPPER.writeValueAsBytes(r);
    }

    static String key(String person) {
        return ORG + '|' + person;
    }

    /** A resolved event of a person (mobile 1380000xxxx-like test numbers, email p@example.test). */
    static Inbound event(String person, String eventId, String code, long time, Object... attrs) throws Exception {
        Map<String, Object> a = new LinkedHashMap<>();
        for (int i = 0; i < attrs.length; i += 2) {
            a.put((String) attrs[i], attrs[i + 1]);
        }
        CanonicalEvent ce = new CanonicalEvent(1, eventId, ORG, "c-" + person, "app1", null, code, a, time, time);
        ResolvedEvent re = new ResolvedEvent(1, person, Map.of(IdType.MOBILE, List.of("1380000" + Math.abs(person.hashCode() % 10000)),
                IdType.EMAIL, List.of(person + "@example.test")), ce);
        return new Inbound(key(person).getBytes(StandardCharsets.UTF_8), Json.MAPPER.writeValueAsBytes(re), time, 0, 0);
    }
}
