package dev.qaengine.model.journey;

import dev.qaengine.model.AttributeDefinition;
import dev.qaengine.model.AttributeType;
import dev.qaengine.model.EventDefinition;
import dev.qaengine.model.IdType;
import dev.qaengine.model.journey.JourneyDefinition.Conditions;
import dev.qaengine.model.journey.JourneyDefinition.Edge;
import dev.qaengine.model.journey.JourneyDefinition.Node;
import dev.qaengine.model.journey.JourneyDefinition.Participation;
import dev.qaengine.model.journey.JourneyDefinition.Unit;
import dev.qaengine.model.journey.JourneyPlan.Action;
import dev.qaengine.model.journey.JourneyPlan.Match;
import dev.qaengine.model.journey.JourneyPlan.Rule;
import dev.qaengine.model.journey.JourneyPlan.Split;
import dev.qaengine.model.journey.JourneyPlan.Step;
import dev.qaengine.model.journey.JourneyPlan.Variable;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.qaengine.model.journey.JourneyValidator.get;
import static dev.qaengine.model.journey.JourneyValidator.text;
import static dev.qaengine.model.journey.JourneyValidator.whole;

/**
 * Turns a valid, complete journey definition into the {@link JourneyPlan} the engine runs. It validates
 * first (with the same catalog) and refuses a definition that could not start, so a plan is never built
 * from something the validator would reject.
 */
public final class JourneyCompiler {
    private final JourneyCatalog catalog;

    public JourneyCompiler(JourneyCatalog catalog) {
        this.catalog = catalog;
    }

    /** @throws IllegalArgumentException when the definition is not startable (the check says why) */
    public JourneyPlan compile(String journeyId, int revision, JourneyDefinition d) {
        JourneyCheck check = new JourneyValidator(catalog).check(d);
        if (!check.startable()) {
            throw new IllegalArgumentException("journey " + journeyId + " cannot start: " + check);
        }
        JourneyDefinition.Trigger t = d.trigger();
        JourneyPlan.Trigger trigger;
        String triggerChannel = null;
        if (t.type() == TriggerType.EVENT) {
            triggerChannel = t.event().channel();
            Participation p = t.participation();
            boolean once = p.mode() == Participation.Mode.ONCE;
            trigger = new JourneyPlan.Trigger(TriggerType.EVENT, match(t.event().eventCode(), triggerChannel, t.event().conditions()),
                    t.event().times() == null ? 1 : t.event().times(), once ? 1 : p.maxEntries(),
                    once ? null : p.withinDays() * Unit.DAYS.millis, null);
        } else {
            trigger = new JourneyPlan.Trigger(TriggerType.AUDIENCE, null, null, null, null, t.audience().audienceId());
        }
        Map<String, Map<String, String>> exits = new HashMap<>();
        for (Edge e : d.edgesOrEmpty()) {
            exits.computeIfAbsent(e.from(), k -> new LinkedHashMap<>()).put(e.branch() == null ? "next" : e.branch(), e.to());
        }
        List<Step> steps = new ArrayList<>();
        for (Node n : d.nodesOrEmpty()) {
            steps.add(step(n, exits.getOrDefault(n.id(), Map.of()), triggerChannel));
        }
        return new JourneyPlan(JourneyPlan.VERSION, d.orgId(), journeyId, d.name(), revision, trigger, d.start(), List.copyOf(steps));
    }

    private Step step(Node n, Map<String, String> next, String triggerChannel) {
        Map<String, Object> c = n.config() == null ? Map.of() : n.config();
        Long delay = null;
        Long until = null;
        Match watch = null;
        Operator countOp = null;
        Long countValue = null;
        Action action = null;
        String resultOf = null;
        List<Split> split = null;
        switch (n.type()) {
            case WAIT -> {
                delay = millis(get(c, "duration"));
                until = whole(get(c, "until"));
            }
            case EVENT_BRANCH -> {
                Object ev = get(c, "event");
                String channel = text(ev, "channel") != null ? text(ev, "channel") : triggerChannel;
                watch = match(text(ev, "eventCode"), channel, JourneyValidator.conditionsOf(get(ev, "conditions")));
                Object count = get(ev, "count");
                if (count != null) {
                    countOp = Operator.valueOf(String.valueOf(get(count, "operator")));
                    countValue = whole(get(count, "value"));
                } else {
                    countOp = Operator.GE;
                    countValue = 1L;
                }
                delay = millis(get(c, "window"));
            }
            case RESULT_BRANCH -> {
                resultOf = text(c, "action");
                delay = millis(get(c, "wait"));
                until = whole(get(c, "until"));
            }
            case RANDOM_BRANCH, TIME_BRANCH, TAG_BRANCH, COPY_BRANCH -> {
                split = new ArrayList<>();
                if (get(c, "branches") instanceof List<?> bs) {
                    for (Object b : bs) {
                        split.add(b instanceof String s ? new Split(s, null, null, null) : new Split(text(b, "name"),
                                whole(get(b, "percent")) == null ? null : whole(get(b, "percent")).intValue(), whole(get(b, "at")), text(b, "tag")));
                    }
                }
            }
            case END -> {
            }
            default -> action = action(n.type(), c);
        }
        return new Step(n.id(), n.type(), next.isEmpty() ? null : Map.copyOf(next), delay, until, watch, countOp, countValue, action,
                resultOf, split == null ? null : List.copyOf(split));
    }

    private Action action(NodeType type, Map<String, Object> c) {
        List<Variable> vars = new ArrayList<>();
        if (get(c, "variables") instanceof List<?> vs) {
            for (Object v : vs) {
                vars.add(new Variable(text(v, "name"), text(v, "from"), text(v, "ifEmpty"), text(v, "replacement")));
            }
        }
        Map<String, Object> params = new LinkedHashMap<>(c);
        for (String known : List.of("channel", "template", "idType", "variables")) {
            params.remove(known);
        }
        String idType = text(c, "idType");
        return new Action(text(c, "channel"), text(c, "template"), idType == null ? null : IdType.parse(idType).orElse(null),
                vars.isEmpty() ? null : List.copyOf(vars), params.isEmpty() ? null : params);
    }

    private Match match(String eventCode, String channel, Conditions conditions) {
        Map<String, AttributeType> types = new HashMap<>();
        EventDefinition def = catalog.event(eventCode, channel).orElseThrow();
        for (AttributeDefinition a : def.attributesOrEmpty()) {
            types.put(a.id(), a.type());
        }
        String ch = channel != null ? channel : def.channel();
        if (ch != null) {
            catalog.channel(ch).ifPresent(cd -> cd.globalAttributesOrEmpty().forEach(a -> types.putIfAbsent(a.id(), a.type())));
        }
        List<Rule> rules = new ArrayList<>();
        boolean any = false;
        if (conditions != null) {
            any = conditions.combine() == JourneyDefinition.Combine.OR;
            for (JourneyDefinition.Rule r : conditions.rulesOrEmpty()) {
                boolean numeric = types.get(r.attribute()) == AttributeType.NUMBER;
                rules.add(new Rule(r.attribute(), r.operator(), numeric, numeric ? null : r.valuesOrEmpty(),
                        numeric ? r.valuesOrEmpty().stream().map(v -> new BigDecimal(v).doubleValue()).toList() : null));
            }
        }
        return new Match(eventCode, channel, any, List.copyOf(rules));
    }

    private static Long millis(Object span) {
        Long amount = whole(get(span, "amount"));
        return amount == null ? null : amount * Unit.valueOf(String.valueOf(get(span, "unit"))).millis;
    }
}
