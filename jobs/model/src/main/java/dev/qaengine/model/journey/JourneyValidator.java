package dev.qaengine.model.journey;

import dev.qaengine.model.AppType;
import dev.qaengine.model.AttributeDefinition;
import dev.qaengine.model.AttributeType;
import dev.qaengine.model.ChannelDefinition;
import dev.qaengine.model.EventDefinition;
import dev.qaengine.model.IdType;
import dev.qaengine.model.journey.JourneyCheck.Violation;
import dev.qaengine.model.journey.JourneyDefinition.Conditions;
import dev.qaengine.model.journey.JourneyDefinition.Edge;
import dev.qaengine.model.journey.JourneyDefinition.EventMatch;
import dev.qaengine.model.journey.JourneyDefinition.Node;
import dev.qaengine.model.journey.JourneyDefinition.Participation;
import dev.qaengine.model.journey.JourneyDefinition.Rule;
import dev.qaengine.model.journey.JourneyDefinition.Unit;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a journey definition against the product's rules (SEMANTICS.md § Journeys) and the
 * organization's catalog, and says which branches are still open. Every finding names the node and the
 * field. Pure: the control plane runs it on save and on start, with its tables behind {@link JourneyCatalog}.
 *
 * <p>Limits: participation at most {@value #MAX_ENTRIES} entries within at most {@value #MAX_ENTRY_DAYS}
 * days; EVENT_BRANCH windows at most 1 day (event journeys) or 15 days (audience journeys); WAIT at most
 * 30 days; at most {@value #MAX_BRANCHES} branches per branch node; random percentages sum to 100.
 */
public final class JourneyValidator {
    public static final int MAX_ENTRIES = 10;
    public static final int MAX_ENTRY_DAYS = 7;
    public static final int MAX_BRANCHES = 10;
    public static final int MAX_TIMES = 100;
    public static final long MAX_WAIT_MS = 30 * Unit.DAYS.millis;
    public static final long MAX_EVENT_WINDOW_MS = Unit.DAYS.millis;
    public static final long MAX_AUDIENCE_WINDOW_MS = 15 * Unit.DAYS.millis;

    private final JourneyCatalog catalog;

    public JourneyValidator(JourneyCatalog catalog) {
        this.catalog = catalog;
    }

    /** The branches a node of this type leaves by, given its configuration; empty for non-branch nodes. */
    public static List<String> branches(NodeType type, Map<String, Object> config) {
        return switch (type) {
            case EVENT_BRANCH -> outcomes(config);
            case RESULT_BRANCH -> "PUSH".equals(text(config, "actionType"))
                    ? List.of("SUCCESS", "FAILURE", "OPENED", "IGNORED", "OTHER") : List.of("SUCCESS", "FAILURE", "OTHER");
            case TIME_BRANCH, COPY_BRANCH, RANDOM_BRANCH -> namedBranches(config);
            case TAG_BRANCH -> {
                List<String> named = new ArrayList<>(namedBranches(config));
                named.add("OTHER");
                yield named;
            }
            default -> List.of();
        };
    }

    /**
     * The EVENT_BRANCH behaviours the marketer chose (the product's "做过 / 未做过, 可单选或双选"): both by
     * default; with one, persons of the other behaviour leave the journey there.
     */
    static List<String> outcomes(Map<String, Object> config) {
        if (get(config, "outcomes") instanceof List<?> o && !o.isEmpty()) {
            List<String> chosen = new ArrayList<>();
            for (String b : List.of("DONE", "NOT_DONE")) {
                if (o.contains(b)) {
                    chosen.add(b);
                }
            }
            if (!chosen.isEmpty()) { // nothing valid chosen: reported as an error; the edges are judged against both
                return chosen;
            }
        }
        return List.of("DONE", "NOT_DONE");
    }

    private static List<String> namedBranches(Map<String, Object> config) {
        List<String> names = new ArrayList<>();
        if (get(config, "branches") instanceof List<?> b) {
            for (Object x : b) {
                String n = x instanceof String str ? str : text(x, "name");
                if (n != null) {
                    names.add(n);
                }
            }
        }
        return names;
    }

    public JourneyCheck check(JourneyDefinition d) {
        Run r = new Run(d);
        r.run();
        return new JourneyCheck(List.copyOf(r.errors), List.copyOf(r.incomplete));
    }

    /** One check: the findings and what the trigger told about the event. */
    private final class Run {
        final JourneyDefinition d;
        final List<Violation> errors = new ArrayList<>();
        final List<Violation> incomplete = new ArrayList<>();
        final Map<String, Node> nodes = new LinkedHashMap<>();
        TriggerType triggerType;
        AppType appType;
        String triggerChannel;
        /**
         * Attributes of the trigger event (with its channel's global ones): what template variables may use;
         * null while the event is unknown (its error is reported once, not again for every variable).
         */
        Map<String, AttributeType> triggerAttributes;

        Run(JourneyDefinition d) {
            this.d = d;
        }

        void error(String node, String field, String code, String message) {
            errors.add(new Violation(node, field, code, message));
        }

        void run() {
            if (d.v() != JourneyDefinition.VERSION) {
                error(null, "v", "UNSUPPORTED_VERSION", "v must be " + JourneyDefinition.VERSION);
            }
            if (blank(d.orgId())) {
                error(null, "orgId", "REQUIRED", "orgId is required");
            }
            if (blank(d.name())) {
                error(null, "name", "REQUIRED", "name is required");
            }
            trigger();
            for (Node n : d.nodesOrEmpty()) {
                if (blank(n.id())) {
                    error(null, "nodes", "REQUIRED", "every node needs an id");
                } else if (nodes.putIfAbsent(n.id(), n) != null) {
                    error(n.id(), "nodes[" + n.id() + "].id", "DUPLICATE_NODE", "node id " + n.id() + " is used twice");
                }
            }
            graph();
            for (Node n : nodes.values()) {
                node(n);
            }
        }

        // ---- trigger ----

        void trigger() {
            JourneyDefinition.Trigger t = d.trigger();
            if (t == null || t.type() == null) {
                error(null, "trigger.type", "REQUIRED", "trigger.type is required: EVENT or AUDIENCE");
                return;
            }
            triggerType = t.type();
            if (t.type() == TriggerType.AUDIENCE) {
                if (t.audience() == null || blank(t.audience().audienceId())) {
                    error(null, "trigger.audience.audienceId", "REQUIRED", "an audience-triggered journey names its audience");
                }
                return;
            }
            EventMatch e = t.event();
            if (e == null || blank(e.eventCode())) {
                error(null, "trigger.event.eventCode", "REQUIRED", "an event-triggered journey names its event");
            } else {
                triggerChannel = e.channel();
                if (e.channel() != null) {
                    Optional<ChannelDefinition> ch = catalog.channel(e.channel());
                    if (ch.isEmpty()) {
                        error(null, "trigger.event.channel", "UNKNOWN_CHANNEL", "no channel with APP_KEY " + e.channel());
                    } else {
                        appType = ch.get().appType();
                    }
                }
                Optional<EventDefinition> def = catalog.event(e.eventCode(), e.channel());
                if (def.isEmpty()) {
                    error(null, "trigger.event.eventCode", "UNKNOWN_EVENT", "no event " + e.eventCode()
                            + (e.channel() == null ? "" : " on channel " + e.channel()));
                } else {
                    triggerAttributes = attributes(def.get(), e.channel());
                    conditions(null, "trigger.event.conditions", e.conditions(), triggerAttributes);
                }
                if (e.times() != null && (e.times() < 1 || e.times() > MAX_TIMES)) {
                    error(null, "trigger.event.times", "OUT_OF_RANGE", "times must be 1-" + MAX_TIMES + ", is " + e.times());
                }
                if (e.count() != null) {
                    error(null, "trigger.event.count", "NOT_ALLOWED", "a trigger counts with times, not count");
                }
            }
            Participation p = t.participation();
            if (p == null || p.mode() == null) {
                error(null, "trigger.participation.mode", "REQUIRED", "participation is required: ONCE or LIMITED");
            } else if (p.mode() == Participation.Mode.LIMITED) {
                if (p.maxEntries() == null || p.maxEntries() < 1 || p.maxEntries() > MAX_ENTRIES) {
                    error(null, "trigger.participation.maxEntries", "OUT_OF_RANGE", "maxEntries must be 1-" + MAX_ENTRIES + ", is " + p.maxEntries());
                }
                if (p.withinDays() == null || p.withinDays() < 1 || p.withinDays() > MAX_ENTRY_DAYS) {
                    error(null, "trigger.participation.withinDays", "OUT_OF_RANGE", "withinDays must be 1-" + MAX_ENTRY_DAYS + ", is " + p.withinDays());
                }
            }
        }

        Map<String, AttributeType> attributes(EventDefinition def, String channel) {
            Map<String, AttributeType> all = new HashMap<>();
            for (AttributeDefinition a : def.attributesOrEmpty()) {
                all.put(a.id(), a.type());
            }
            String ch = channel != null ? channel : def.channel();
            if (ch != null) {
                catalog.channel(ch).ifPresent(c -> c.globalAttributesOrEmpty().forEach(a -> all.put(a.id(), a.type())));
            }
            return all;
        }

        void conditions(String node, String field, Conditions c, Map<String, AttributeType> attributes) {
            if (c == null) {
                return;
            }
            if (c.combine() == null && c.rulesOrEmpty().size() > 1) {
                error(node, field + ".combine", "REQUIRED", "several rules need combine: AND or OR");
            }
            List<Rule> rules = c.rulesOrEmpty();
            for (int i = 0; i < rules.size(); i++) {
                Rule rule = rules.get(i);
                String f = field + ".rules[" + i + "]";
                if (blank(rule.attribute())) {
                    error(node, f + ".attribute", "REQUIRED", "a rule names an attribute");
                    continue;
                }
                AttributeType type = attributes.get(rule.attribute());
                if (type == null) {
                    error(node, f + ".attribute", "UNKNOWN_ATTRIBUTE", "the event has no attribute " + rule.attribute());
                    continue;
                }
                Operator op = rule.operator();
                if (op == null) {
                    error(node, f + ".operator", "REQUIRED", "a rule needs an operator");
                    continue;
                }
                if (type == AttributeType.NUMBER ? !op.number : !op.text) {
                    error(node, f + ".operator", "OPERATOR_TYPE", op + " does not apply to " + type + " attribute " + rule.attribute());
                    continue;
                }
                int n = rule.valuesOrEmpty().size();
                if (op.arity >= 0 ? n != op.arity : n < 1) {
                    error(node, f + ".values", "VALUE_COUNT", op + " takes " + (op.arity >= 0 ? op.arity : "one or more") + " value(s), has " + n);
                    continue;
                }
                if (type == AttributeType.NUMBER) {
                    for (String v : rule.valuesOrEmpty()) {
                        if (!number(v)) {
                            error(node, f + ".values", "NOT_A_NUMBER", rule.attribute() + " is a NUMBER; " + v + " is not a number");
                        }
                    }
                }
            }
        }

        // ---- the graph ----

        void graph() {
            if (nodes.isEmpty()) {
                incomplete.add(new Violation(null, "nodes", "NO_NODES", "the journey has no nodes yet"));
                return;
            }
            if (blank(d.start())) {
                error(null, "start", "REQUIRED", "start names the first node");
            } else if (!nodes.containsKey(d.start())) {
                error(null, "start", "UNKNOWN_NODE", "start names no node: " + d.start());
            }
            List<Edge> edges = d.edgesOrEmpty();
            for (int i = 0; i < edges.size(); i++) {
                Edge e = edges.get(i);
                String f = "edges[" + i + "]";
                Node from = e.from() == null ? null : nodes.get(e.from());
                if (from == null) {
                    error(null, f + ".from", "UNKNOWN_NODE", "edge from no node: " + e.from());
                    continue;
                }
                if (e.to() == null || !nodes.containsKey(e.to())) {
                    error(from.id(), f + ".to", "UNKNOWN_NODE", "edge to no node: " + e.to());
                    continue;
                }
                if (e.to().equals(d.start())) {
                    error(from.id(), f + ".to", "EDGE_TO_START", "no edge may lead back to the start node " + d.start());
                }
                out.computeIfAbsent(from.id(), k -> new ArrayList<>()).add(e);
            }
            for (Node n : nodes.values()) {
                List<Edge> leaving = out.getOrDefault(n.id(), List.of());
                if (n.type() == null) {
                    continue;
                }
                if (n.type().isBranch()) {
                    List<String> declared = branches(n.type(), n.config());
                    Set<String> used = new HashSet<>();
                    for (Edge e : leaving) {
                        if (e.branch() == null || !declared.contains(e.branch())) {
                            error(n.id(), "edges(" + n.id() + "→" + e.to() + ").branch", "UNKNOWN_BRANCH",
                                    n.type() + " " + n.id() + " leaves by " + declared + ", not by " + e.branch());
                        } else if (!used.add(e.branch())) {
                            error(n.id(), "edges(" + n.id() + "→" + e.to() + ").branch", "BRANCH_USED_TWICE", "branch " + e.branch() + " of " + n.id() + " has two edges");
                        }
                    }
                    for (String b : declared) {
                        if (!used.contains(b)) {
                            incomplete.add(new Violation(n.id(), "nodes[" + n.id() + "].branches." + b, "OPEN_BRANCH",
                                    "branch " + b + " of " + n.id() + " does not lead to an action or END yet"));
                        }
                    }
                } else {
                    for (Edge e : leaving) {
                        if (e.branch() != null) {
                            error(n.id(), "edges(" + n.id() + "→" + e.to() + ").branch", "NOT_A_BRANCH_NODE", n.type() + " has no branches");
                        }
                    }
                    if (n.type() == NodeType.END && !leaving.isEmpty()) {
                        error(n.id(), "edges(" + n.id() + "→" + leaving.get(0).to() + ")", "EDGE_FROM_END", "nothing follows END");
                    } else if (leaving.size() > 1) {
                        error(n.id(), "edges(" + n.id() + "→" + leaving.get(1).to() + ")", "TWO_WAYS_OUT", n.type() + " " + n.id() + " has one way out");
                    } else if (leaving.isEmpty() && n.type() == NodeType.WAIT) {
                        incomplete.add(new Violation(n.id(), "nodes[" + n.id() + "]", "OPEN_BRANCH", "WAIT " + n.id() + " does not lead to an action or END yet"));
                    }
                }
            }
            // Reachability and cycles, from the start node.
            if (d.start() != null && nodes.containsKey(d.start())) {
                Set<String> reached = new LinkedHashSet<>();
                Set<String> onPath = new HashSet<>();
                visit(d.start(), out, reached, onPath);
                for (String id : nodes.keySet()) {
                    if (!reached.contains(id)) {
                        // a node dropped on the canvas and not connected yet: work in progress, not an error
                        incomplete.add(new Violation(id, "nodes[" + id + "]", "UNREACHABLE", "node " + id + " cannot be reached from the start node yet"));
                    }
                }
            }
        }

        /** The edges leaving each node (valid ones). */
        final Map<String, List<Edge>> out = new HashMap<>();

        /** Whether every path from the start to {@code node} passes {@code before} (it is reached only through it). */
        boolean onEveryPath(String before, String node) {
            if (d.start() == null || !nodes.containsKey(d.start()) || before.equals(d.start())) {
                return before.equals(d.start());
            }
            Set<String> seen = new HashSet<>(Set.of(before));
            List<String> stack = new ArrayList<>(List.of(d.start()));
            seen.add(d.start());
            while (!stack.isEmpty()) {
                String id = stack.remove(stack.size() - 1);
                if (id.equals(node)) {
                    return false;
                }
                for (Edge e : out.getOrDefault(id, List.of())) {
                    if (seen.add(e.to())) {
                        stack.add(e.to());
                    }
                }
            }
            return true;
        }

        private void visit(String id, Map<String, List<Edge>> out, Set<String> reached, Set<String> onPath) {
            if (onPath.contains(id)) {
                error(id, "nodes[" + id + "]", "CYCLE", "the edges lead in a circle through " + id + "; a journey is a DAG");
                return;
            }
            if (!reached.add(id)) {
                return;
            }
            onPath.add(id);
            for (Edge e : out.getOrDefault(id, List.of())) {
                visit(e.to(), out, reached, onPath);
            }
            onPath.remove(id);
        }

        // ---- nodes ----

        void node(Node n) {
            String f = "nodes[" + n.id() + "]";
            if (n.type() == null) {
                error(n.id(), f + ".type", "REQUIRED", "node " + n.id() + " needs a type");
                return;
            }
            if (triggerType != null && !n.type().availableFor(triggerType, appType)) {
                error(n.id(), f + ".type", "NOT_AVAILABLE", n.type() + " is not available to " + triggerType.name().toLowerCase()
                        + "-triggered journeys" + (triggerType == TriggerType.EVENT ? whose() : ""));
                return;
            }
            Map<String, Object> c = n.config();
            String cf = f + ".config";
            switch (n.type()) {
                case SMS, EMAIL, PUSH, WECHAT, WEBHOOK, KAFKA_PUSH -> action(n, c, cf);
                case COUPON -> required(n, c, cf, "coupon");
                case GENERATE_AUDIENCE -> required(n, c, cf, "audienceName");
                case WAIT -> waitNode(n, c, cf);
                case EVENT_BRANCH -> eventBranch(n, c, cf);
                case RESULT_BRANCH -> resultBranch(n, c, cf);
                case TIME_BRANCH, TAG_BRANCH, COPY_BRANCH, RANDOM_BRANCH -> listBranch(n, c, cf);
                case END -> {
                }
            }
        }

        private String whose() {
            return appType == null ? " of an event from any channel" : " of a " + appType + " event";
        }

        void action(Node n, Map<String, Object> c, String cf) {
            NodeType t = n.type();
            String channel = text(c, "channel");
            if (blank(channel)) {
                error(n.id(), cf + ".channel", "REQUIRED", t + " names the channel interface it sends through");
            } else {
                Optional<JourneyCatalog.InterfaceRef> ref = catalog.channelInterface(channel);
                if (ref.isEmpty()) {
                    error(n.id(), cf + ".channel", "UNKNOWN_INTERFACE", "no channel interface " + channel);
                } else if (ref.get().type() != t.interfaceType) {
                    error(n.id(), cf + ".channel", "INTERFACE_TYPE", "interface " + channel + " is " + ref.get().type() + ", " + t + " needs " + t.interfaceType);
                } else if (!ref.get().enabled()) {
                    error(n.id(), cf + ".channel", "INTERFACE_DISABLED", "interface " + channel + " is disabled");
                }
            }
            String idType = text(c, "idType");
            Optional<IdType> id = IdType.parse(idType);
            if (blank(idType)) {
                error(n.id(), cf + ".idType", "REQUIRED", t + " names the ID type it addresses persons by: one of " + t.idTypes);
            } else if (id.isEmpty() || !t.idTypes.contains(id.get())) {
                error(n.id(), cf + ".idType", "ID_TYPE_NOT_OBTAINABLE", t + " cannot address a person by " + idType + "; it can by " + t.idTypes);
            }
            if (t.usesTemplate()) {
                String template = text(c, "template");
                if (blank(template)) {
                    error(n.id(), cf + ".template", "REQUIRED", t + " names its template");
                } else {
                    Optional<JourneyCatalog.TemplateRef> ref = catalog.template(template);
                    if (ref.isEmpty()) {
                        error(n.id(), cf + ".template", "UNKNOWN_TEMPLATE", "no template " + template);
                    } else if (ref.get().type() != t.interfaceType) {
                        error(n.id(), cf + ".template", "TEMPLATE_TYPE", "template " + template + " is a " + ref.get().type() + " template");
                    } else if (!ref.get().approved()) {
                        error(n.id(), cf + ".template", "TEMPLATE_NOT_APPROVED", "template " + template + " is not approved");
                    }
                }
                variables(n, c, cf);
            }
        }

        void variables(Node n, Map<String, Object> c, String cf) {
            Object raw = get(c, "variables");
            if (raw == null) {
                return;
            }
            if (!(raw instanceof List<?> vars)) {
                error(n.id(), cf + ".variables", "TYPE", "variables is a list");
                return;
            }
            for (int i = 0; i < vars.size(); i++) {
                Object v = vars.get(i);
                String f = cf + ".variables[" + i + "]";
                if (blank(text(v, "name"))) {
                    error(n.id(), f + ".name", "REQUIRED", "a variable has the name it has in the template");
                }
                String from = text(v, "from");
                if (blank(from)) {
                    error(n.id(), f + ".from", "REQUIRED", "a variable says where its value comes from");
                } else if (triggerType == TriggerType.EVENT && triggerAttributes != null && !triggerAttributes.containsKey(from)) {
                    error(n.id(), f + ".from", "UNKNOWN_ATTRIBUTE", "the trigger event has no attribute " + from);
                } else if (triggerType == TriggerType.AUDIENCE && !catalog.tag(from)) {
                    error(n.id(), f + ".from", "UNKNOWN_TAG", "no tag " + from);
                }
                String ifEmpty = text(v, "ifEmpty");
                if (!"SKIP".equals(ifEmpty) && !"REPLACE".equals(ifEmpty)) {
                    error(n.id(), f + ".ifEmpty", "REQUIRED", "ifEmpty is SKIP (the person gets no message) or REPLACE (with replacement)");
                } else if ("REPLACE".equals(ifEmpty) && blank(text(v, "replacement"))) {
                    error(n.id(), f + ".replacement", "REQUIRED", "REPLACE needs the replacement text");
                }
            }
        }

        void required(Node n, Map<String, Object> c, String cf, String field) {
            if (blank(text(c, field))) {
                error(n.id(), cf + "." + field, "REQUIRED", n.type() + " needs " + field);
            }
        }

        void waitNode(Node n, Map<String, Object> c, String cf) {
            boolean hasSpan = c != null && c.containsKey("duration");
            boolean hasUntil = c != null && c.containsKey("until");
            if (hasSpan == hasUntil) {
                error(n.id(), cf, "WAIT_KIND", "WAIT has either a duration or an until time");
                return;
            }
            if (hasSpan) {
                span(n, c.get("duration"), cf + ".duration", MAX_WAIT_MS, "30 days");
            } else if (whole(c.get("until")) == null || whole(c.get("until")) <= 0) {
                error(n.id(), cf + ".until", "TYPE", "until is a time in epoch milliseconds");
            }
        }

        /** A {@code {"amount": n, "unit": …}} within (0, max]; returns its milliseconds or -1. */
        long span(Node n, Object s, String f, long max, String maxText) {
            if (whole(get(s, "amount")) == null) {
                error(n.id(), f, "TYPE", "a duration is {\"amount\": n, \"unit\": MINUTES|HOURS|DAYS|WEEKS}");
                return -1;
            }
            Unit unit;
            try {
                unit = Unit.valueOf(String.valueOf(get(s, "unit")));
            } catch (IllegalArgumentException e) {
                error(n.id(), f + ".unit", "TYPE", "unit is MINUTES, HOURS, DAYS or WEEKS");
                return -1;
            }
            long amount = whole(get(s, "amount"));
            long ms = amount * unit.millis;
            if (amount < 1 || ms > max || ms / unit.millis != amount) {
                error(n.id(), f, "OUT_OF_RANGE", "must be more than 0 and at most " + maxText + ", is " + amount + " " + unit);
                return -1;
            }
            return ms;
        }

        void eventBranch(Node n, Map<String, Object> c, String cf) {
            Object ev = get(c, "event");
            String code = text(ev, "eventCode");
            if (blank(code)) {
                error(n.id(), cf + ".event.eventCode", "REQUIRED", "EVENT_BRANCH names the event it waits for");
            } else {
                String channel = text(ev, "channel");
                if (triggerType == TriggerType.EVENT && channel != null && !channel.equals(triggerChannel)) {
                    error(n.id(), cf + ".event.channel", "CHANNEL_MISMATCH", "EVENT_BRANCH watches the trigger's channel (" + triggerChannel + "), not " + channel);
                }
                String ch = channel != null ? channel : triggerChannel;
                Optional<EventDefinition> def = catalog.event(code, ch);
                if (def.isEmpty()) {
                    error(n.id(), cf + ".event.eventCode", "UNKNOWN_EVENT", "no event " + code + (ch == null ? "" : " on channel " + ch));
                } else {
                    Conditions conds = null;
                    try {
                        conds = conditionsOf(get(ev, "conditions"));
                    } catch (IllegalArgumentException e) {
                        error(n.id(), cf + ".event.conditions", "TYPE", "conditions are {\"combine\": AND|OR, \"rules\": [{attribute, operator, values}]}: " + e.getMessage());
                    }
                    conditions(n.id(), cf + ".event.conditions", conds, attributes(def.get(), ch));
                }
                Object count = get(ev, "count");
                if (count != null) {
                    Operator op = null;
                    try {
                        op = Operator.valueOf(String.valueOf(get(count, "operator")));
                    } catch (IllegalArgumentException e) {
                        // reported below
                    }
                    if (op == null || !op.forCounts()) {
                        error(n.id(), cf + ".event.count.operator", "OPERATOR_TYPE", "a count compares with EQ, NE, GT, GE, LT or LE");
                    }
                    Long value = whole(get(count, "value"));
                    if (value == null || value < 0) {
                        error(n.id(), cf + ".event.count.value", "TYPE", "a count's value is a whole number, 0 or more");
                    }
                }
            }
            Object chosen = get(c, "outcomes");
            if (chosen != null && (!(chosen instanceof List<?> o) || o.isEmpty()
                    || !o.stream().allMatch(x -> "DONE".equals(x) || "NOT_DONE".equals(x)) || o.size() != new HashSet<>(o).size())) {
                error(n.id(), cf + ".outcomes", "TYPE", "outcomes chooses DONE, NOT_DONE or both (each once)");
            }
            boolean event = triggerType != TriggerType.AUDIENCE;
            span(n, get(c, "window"), cf + ".window", event ? MAX_EVENT_WINDOW_MS : MAX_AUDIENCE_WINDOW_MS,
                    event ? "1 day in event-triggered journeys" : "15 days in audience-triggered journeys");
        }

        void resultBranch(Node n, Map<String, Object> c, String cf) {
            String action = text(c, "action");
            Node a = action == null ? null : nodes.get(action);
            if (a == null) {
                error(n.id(), cf + ".action", "UNKNOWN_NODE", "RESULT_BRANCH names the SMS, EMAIL or PUSH node whose result it routes by");
            } else if (a.type() != NodeType.SMS && a.type() != NodeType.EMAIL && a.type() != NodeType.PUSH) {
                error(n.id(), cf + ".action", "NOT_A_RESULT_ACTION", action + " is a " + a.type() + "; results come from SMS, EMAIL or PUSH");
            } else {
                if (action.equals(n.id()) || !onEveryPath(action, n.id())) {
                    error(n.id(), cf + ".action", "NOT_UPSTREAM", action + " is not before " + n.id() + " on every path to it");
                }
                String declared = text(c, "actionType");
                if (!a.type().name().equals(declared)) {
                    error(n.id(), cf + ".actionType", "ACTION_TYPE", "actionType must repeat the action's type, " + a.type() + " (it decides the branches)");
                }
            }
            boolean hasSpan = c != null && c.containsKey("wait");
            boolean hasUntil = c != null && c.containsKey("until");
            if (hasSpan == hasUntil) {
                error(n.id(), cf, "WAIT_KIND", "RESULT_BRANCH waits either a duration (wait) or until a time (until)");
            } else if (hasSpan) {
                span(n, c.get("wait"), cf + ".wait", MAX_WAIT_MS, "30 days");
            }
        }

        void listBranch(Node n, Map<String, Object> c, String cf) {
            if (!(get(c, "branches") instanceof List<?> b) || b.isEmpty()) {
                error(n.id(), cf + ".branches", "REQUIRED", n.type() + " lists its branches");
                return;
            }
            int own = b.size() + (n.type() == NodeType.TAG_BRANCH ? 1 : 0);
            if (own > MAX_BRANCHES) {
                error(n.id(), cf + ".branches", "TOO_MANY_BRANCHES", n.type() + " has at most " + MAX_BRANCHES + " branches"
                        + (n.type() == NodeType.TAG_BRANCH ? " (OTHER included)" : "") + ", has " + own);
            }
            if ((n.type() == NodeType.COPY_BRANCH || n.type() == NodeType.RANDOM_BRANCH) && b.size() < 2) {
                error(n.id(), cf + ".branches", "TOO_FEW_BRANCHES", n.type() + " needs at least 2 branches");
            }
            Set<String> names = new HashSet<>();
            int percent = 0;
            for (int i = 0; i < b.size(); i++) {
                Object x = b.get(i);
                String f = cf + ".branches[" + i + "]";
                String name = x instanceof String str ? str : text(x, "name");
                if (blank(name)) {
                    error(n.id(), f + ".name", "REQUIRED", "a branch has a name");
                } else if (!names.add(name) || name.equals("OTHER") && n.type() == NodeType.TAG_BRANCH) {
                    error(n.id(), f + ".name", "DUPLICATE_BRANCH", "branch name " + name + " is used twice");
                }
                switch (n.type()) {
                    case RANDOM_BRANCH -> {
                        Long p = whole(get(x, "percent"));
                        if (p == null || p < 1 || p > 99) {
                            error(n.id(), f + ".percent", "OUT_OF_RANGE", "a random branch's percent is a whole number 1-99");
                        } else {
                            percent += p.intValue();
                        }
                    }
                    case TIME_BRANCH -> {
                        Long at = whole(get(x, "at"));
                        if (at == null || at <= 0) {
                            error(n.id(), f + ".at", "TYPE", "a time branch starts at a time in epoch milliseconds");
                        }
                    }
                    case TAG_BRANCH -> {
                        String tag = text(x, "tag");
                        if (blank(tag)) {
                            error(n.id(), f + ".tag", "REQUIRED", "a tag branch names its tag");
                        } else if (!catalog.tag(tag)) {
                            error(n.id(), f + ".tag", "UNKNOWN_TAG", "no tag " + tag);
                        }
                    }
                    default -> {
                    }
                }
            }
            if (n.type() == NodeType.RANDOM_BRANCH && percent != 100 && errors.stream().noneMatch(v -> n.id().equals(v.node()) && v.field().endsWith(".percent"))) {
                error(n.id(), cf + ".branches", "PERCENT_SUM", "random percentages sum to 100, these to " + percent);
            }
        }
    }

    /** A field of a JSON object read as maps and lists; null when {@code o} is no object or lacks it. */
    static Object get(Object o, String field) {
        return o instanceof Map<?, ?> m ? m.get(field) : null;
    }

    static String text(Object o, String field) {
        return get(o, field) instanceof String s ? s : null;
    }

    /** A whole number (as JSON parsers give them: Integer, Long, BigInteger, or a decimal without fraction). */
    static Long whole(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            return ((Number) v).longValue();
        }
        if (v instanceof java.math.BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        return null;
    }

    /** Conditions from their JSON form (maps and lists). */
    static Conditions conditionsOf(Object raw) {
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("not an object");
        }
        Object combine = get(raw, "combine");
        JourneyDefinition.Combine c = combine == null ? null : JourneyDefinition.Combine.valueOf(String.valueOf(combine));
        List<Rule> rules = new ArrayList<>();
        Object rs = get(raw, "rules");
        if (rs != null) {
            if (!(rs instanceof List<?> list)) {
                throw new IllegalArgumentException("rules is not a list");
            }
            for (Object r : list) {
                Object op = get(r, "operator");
                List<String> values = new ArrayList<>();
                if (get(r, "values") instanceof List<?> vs) {
                    vs.forEach(v -> values.add(String.valueOf(v)));
                }
                rules.add(new Rule(text(r, "attribute"), op == null ? null : Operator.valueOf(String.valueOf(op)), values));
            }
        }
        return new Conditions(c, rules);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static boolean number(String s) {
        if (s == null) {
            return false;
        }
        try {
            new BigDecimal(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
