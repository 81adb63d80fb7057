package dev.qaengine.journeys;

import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.JourneyPlan.Rule;
import dev.qaengine.model.journey.Operator;
import dev.qaengine.model.journey.TriggerType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The running event-triggered journeys by organization and trigger event code, so that an event is
 * matched against the journeys it can start only: the cost per event does not grow with the number of
 * journeys (ARCHITECTURE.md). Rebuilt by every engine instance from the JOURNEY_PLAN records of its
 * broadcast state; a newer plan of a journey replaces the older one, a tombstone removes it.
 * Not thread-safe: the task thread alone uses it.
 */
public final class TriggerIndex {
    /** A plan with the order it was put in (candidates are offered in that order, whichever index found them). */
    private record Entry(long seq, JourneyPlan plan) {
    }

    /**
     * The journeys one code may start. A journey whose condition is a single numeric bound on one attribute
     * ({@code amount > 400}) sits in a sorted map by its threshold, so an event meets only those its value
     * passes — with thousands of journeys on one code differing by a threshold, the others cost nothing.
     */
    private static final class ByCode {
        final List<Entry> all = new ArrayList<>();
        final List<Entry> plain = new ArrayList<>();
        /** attribute → threshold → journeys asking for at least it (GT, GE). */
        final Map<String, TreeMap<Double, List<Entry>>> atLeast = new HashMap<>();
        /** attribute → threshold → journeys asking for at most it (LT, LE). */
        final Map<String, TreeMap<Double, List<Entry>>> atMost = new HashMap<>();

        void add(Entry e) {
            all.add(e);
            Rule bound = bound(e.plan());
            if (bound == null) {
                plain.add(e);
            } else {
                var byAttribute = bound.operator() == Operator.GT || bound.operator() == Operator.GE ? atLeast : atMost;
                byAttribute.computeIfAbsent(bound.attribute(), a -> new TreeMap<>())
                        .computeIfAbsent(bound.numbers().get(0), t -> new ArrayList<>()).add(e);
            }
        }

        void remove(String journeyId) {
            all.removeIf(e -> e.plan().journeyId().equals(journeyId));
            plain.removeIf(e -> e.plan().journeyId().equals(journeyId));
            for (var byAttribute : List.of(atLeast, atMost)) {
                byAttribute.values().forEach(m -> {
                    m.values().forEach(l -> l.removeIf(e -> e.plan().journeyId().equals(journeyId)));
                    m.values().removeIf(List::isEmpty);
                });
                byAttribute.values().removeIf(Map::isEmpty);
            }
        }

        /** The single numeric bound that is the plan's whole condition, or null. */
        private static Rule bound(JourneyPlan plan) {
            List<Rule> rules = plan.trigger().event().rules();
            if (rules == null || rules.size() != 1) {
                return null;
            }
            Rule r = rules.get(0);
            boolean bound = r.operator() == Operator.GT || r.operator() == Operator.GE || r.operator() == Operator.LT || r.operator() == Operator.LE;
            return bound && r.numeric() && r.numbers() != null && r.numbers().size() == 1 && !r.numbers().get(0).isNaN() ? r : null;
        }
    }

    private final Map<String, JourneyPlan> plans = new HashMap<>();
    private final Map<String, Map<String, ByCode>> byCode = new HashMap<>();
    private long seq;

    private static String key(String orgId, String journeyId) {
        return JourneyPlan.subject(orgId, journeyId);
    }

    /** Adds a journey's plan, replacing its earlier one. */
    public void put(JourneyPlan plan) {
        remove(plan.orgId(), plan.journeyId());
        plans.put(key(plan.orgId(), plan.journeyId()), plan);
        if (plan.trigger().type() == TriggerType.EVENT) {
            byCode.computeIfAbsent(plan.orgId(), o -> new HashMap<>())
                    .computeIfAbsent(plan.trigger().event().eventCode(), c -> new ByCode()).add(new Entry(seq++, plan));
        }
    }

    /** Removes a journey's plan (stopped, or its organization deleted); nothing when it has none. */
    public void remove(String orgId, String journeyId) {
        JourneyPlan old = plans.remove(key(orgId, journeyId));
        if (old == null || old.trigger().type() != TriggerType.EVENT) {
            return;
        }
        Map<String, ByCode> codes = byCode.get(orgId);
        ByCode c = codes.get(old.trigger().event().eventCode());
        c.remove(journeyId);
        if (c.all.isEmpty()) {
            codes.remove(old.trigger().event().eventCode());
            if (codes.isEmpty()) {
                byCode.remove(orgId);
            }
        }
    }

    /** The event-triggered journeys of the organization that an event with this code may start (channel and conditions not yet checked). */
    public List<JourneyPlan> candidates(String orgId, String eventCode) {
        ByCode c = codes(orgId, eventCode);
        return c == null ? List.of() : c.all.stream().map(Entry::plan).toList();
    }

    /**
     * The journeys an event with this code and these attributes may start: every candidate but those whose
     * single numeric bound its value does not pass (channel and conditions still to be checked), in the
     * order they were put in.
     */
    public List<JourneyPlan> candidates(String orgId, String eventCode, Map<String, Object> attributes) {
        ByCode c = codes(orgId, eventCode);
        if (c == null) {
            return List.of();
        }
        if (c.atLeast.isEmpty() && c.atMost.isEmpty()) {
            return new EntryPlans(c.plain);
        }
        List<Entry> out = new ArrayList<>(c.plain);
        int groups = c.plain.isEmpty() ? 0 : 1;
        for (int pass = 0; pass < 2; pass++) {
            var byAttribute = pass == 0 ? c.atLeast : c.atMost;
            for (Map.Entry<String, TreeMap<Double, List<Entry>>> a : byAttribute.entrySet()) {
                Double x = EventMatcher.number(attributes == null ? null : attributes.get(a.getKey()));
                if (x == null || x.isNaN()) {
                    continue; // absent or not a number: no bound holds
                }
                var passed = pass == 0 ? a.getValue().headMap(x, true) : a.getValue().tailMap(x, true);
                for (List<Entry> l : passed.values()) {
                    if (!l.isEmpty()) {
                        out.addAll(l);
                        groups++;
                    }
                }
            }
        }
        if (groups > 1) {
            out.sort(java.util.Comparator.comparingLong(Entry::seq));
        }
        return new EntryPlans(out);
    }

    private ByCode codes(String orgId, String eventCode) {
        Map<String, ByCode> codes = byCode.get(orgId);
        return codes == null ? null : codes.get(eventCode);
    }

    /** A list of entries seen as their plans, without copying. */
    private static final class EntryPlans extends java.util.AbstractList<JourneyPlan> implements java.util.RandomAccess {
        private final List<Entry> entries;

        EntryPlans(List<Entry> entries) {
            this.entries = entries;
        }

        @Override
        public JourneyPlan get(int i) {
            return entries.get(i).plan();
        }

        @Override
        public int size() {
            return entries.size();
        }
    }

    public Optional<JourneyPlan> plan(String orgId, String journeyId) {
        return Optional.ofNullable(plans.get(key(orgId, journeyId)));
    }

    public int size() {
        return plans.size();
    }
}
