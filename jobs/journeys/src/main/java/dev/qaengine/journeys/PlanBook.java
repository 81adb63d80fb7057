package dev.qaengine.journeys;

import dev.qaengine.model.IdType;
import dev.qaengine.model.journey.JourneyPlan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every plan version an engine instance holds, in memory, rebuilt from its broadcast state: the current
 * version of each running journey (indexed by trigger event code in a {@link TriggerIndex}) and the
 * superseded versions that runs started on them still follow, until no run can be left on them.
 *
 * <p>A run pins the plan version it entered on and never mixes versions: a new version of a journey
 * takes new entries only. Not thread-safe: the task thread alone uses it.
 */
final class PlanBook {
    private final Map<String, PlanRuntime> byVersion = new HashMap<>();
    /**
     * The same versions by organization and journey: what a run names (looked up for every event a run waits for,
     * without building a key string per look-up).
     */
    private final Map<String, Map<String, List<PlanRuntime>>> versions = new HashMap<>();
    private final Map<String, PlanRuntime> current = new HashMap<>();
    /** The current versions by their plan object (what the trigger index hands out): no subject string per candidate. */
    private final Map<JourneyPlan, PlanRuntime> currentByPlan = new java.util.IdentityHashMap<>();
    /** Superseded versions and the engine time from which they were superseded. */
    private final Map<String, Long> supersededAt = new HashMap<>();
    private final TriggerIndex triggers = new TriggerIndex();
    /** Per organization: the event codes watched by the EVENT_BRANCH steps of every version held. */
    private final Counted<String> watched = new Counted<>();
    /** {@code <code>\u0000<attribute>} read by the conditions of running EVENT_BRANCHes, counted per plan. */
    private final Counted<String> watchedAttributes = new Counted<>();
    /** Per organization: the ID types the actions of every version held address persons by. */
    private final Counted<IdType> idTypes = new Counted<>();
    /** Per organization: the tag ids the TAG_BRANCHes of every version held look at. */
    private final Counted<String> tagIds = new Counted<>();
    /** Per organization: the trigger event codes of the current versions. */
    private final Counted<String> triggerCodes = new Counted<>();

    static String versionKey(String subject, long version) {
        return subject + '@' + version;
    }

    /** Adds a version as current (the one before it, if any, becomes superseded at {@code now}). */
    void putCurrent(PlanRuntime plan, long now) {
        String subject = plan.subject();
        PlanRuntime before = current.put(subject, plan);
        if (before != null) {
            currentByPlan.remove(before.plan);
            triggerCodes.remove(before.plan.orgId(), List.of(before.plan.trigger().event().eventCode()));
            if (before.version != plan.version) {
                supersededAt.put(versionKey(subject, before.version), now);
            } else {
                unindex(byVersion.remove(versionKey(subject, plan.version)));
            }
        }
        currentByPlan.put(plan.plan, plan);
        triggerCodes.add(plan.plan.orgId(), List.of(plan.plan.trigger().event().eventCode()));
        index(plan);
        byVersion.put(versionKey(subject, plan.version), plan);
        triggers.put(plan.plan);
    }

    /** Restores a superseded version from broadcast state. */
    void putSuperseded(PlanRuntime plan, long since) {
        unindex(byVersion.put(versionKey(plan.subject(), plan.version), plan));
        index(plan);
        supersededAt.put(versionKey(plan.subject(), plan.version), since);
    }

    /** Removes every version of a journey (stopped, or its organization deleted): its runs end. */
    List<String> removeJourney(String orgId, String journeyId) {
        String subject = JourneyPlan.subject(orgId, journeyId);
        PlanRuntime was = current.remove(subject);
        if (was != null) {
            currentByPlan.remove(was.plan);
            triggerCodes.remove(orgId, List.of(was.plan.trigger().event().eventCode()));
        }
        triggers.remove(orgId, journeyId);
        List<String> removed = new ArrayList<>();
        byVersion.entrySet().removeIf(e -> {
            boolean match = e.getKey().startsWith(subject + '@');
            if (match) {
                removed.add(e.getKey());
                unindex(e.getValue());
            }
            return match;
        });
        supersededAt.keySet().removeIf(k -> k.startsWith(subject + '@'));
        return removed;
    }

    /** Superseded versions no run can still be on at engine time {@code now}, given {@code slackMs} of lateness; removed. */
    List<String> retire(long now, long slackMs) {
        List<String> retired = new ArrayList<>();
        for (Map.Entry<String, Long> e : supersededAt.entrySet()) {
            PlanRuntime p = byVersion.get(e.getKey());
            long lastPossible = Math.max(e.getValue(), p.latestUntil) + p.maxRunMs;
            if (lastPossible + slackMs < now) {
                retired.add(e.getKey());
            }
        }
        for (String k : retired) {
            unindex(byVersion.remove(k));
            supersededAt.remove(k);
        }
        return retired;
    }

    PlanRuntime current(String subject) {
        return current.get(subject);
    }

    /** The current version whose plan a candidate ({@link #candidates}) is. */
    PlanRuntime current(JourneyPlan candidate) {
        return currentByPlan.get(candidate);
    }

    PlanRuntime version(String orgId, String journeyId, long version) {
        Map<String, List<PlanRuntime>> journeys = versions.get(orgId);
        List<PlanRuntime> held = journeys == null ? null : journeys.get(journeyId);
        if (held != null) {
            for (PlanRuntime p : held) {
                if (p.version == version) {
                    return p;
                }
            }
        }
        return null;
    }

    List<JourneyPlan> candidates(String orgId, String eventCode) {
        return triggers.candidates(orgId, eventCode);
    }

    /** The candidates whose single numeric bound (if that is their condition) the event's value passes. */
    List<JourneyPlan> candidates(String orgId, String eventCode, java.util.Map<String, Object> attributes) {
        return triggers.candidates(orgId, eventCode, attributes);
    }

    /** Whether an event of this code concerns any journey of the organization (trigger or watched). */
    boolean concerns(String orgId, String eventCode) {
        return triggerCodes.contains(orgId, eventCode) || watched.contains(orgId, eventCode);
    }

    boolean watched(String orgId, String eventCode) {
        return watched.contains(orgId, eventCode);
    }

    /** Whether a condition of a running EVENT_BRANCH on events of this code reads this attribute. */
    boolean watchedAttribute(String orgId, String eventCode, String attribute) {
        return watchedAttributes.contains(orgId, eventCode + '\u0000' + attribute);
    }

    /** The tag ids the organization's TAG_BRANCHes look at: the only tags the engine keeps of its persons. */
    Set<String> tagIds(String orgId) {
        return tagIds.of(orgId);
    }

    Set<IdType> idTypes(String orgId) {
        return idTypes.of(orgId);
    }

    int size() {
        return current.size();
    }

    int versions() {
        return byVersion.size();
    }

    /** Called with every version that enters {@link #byVersion}; {@link #unindex} with every one that leaves it. */
    private void index(PlanRuntime p) {
        versions.computeIfAbsent(p.plan.orgId(), o -> new HashMap<>()).computeIfAbsent(p.plan.journeyId(), j -> new ArrayList<>(2)).add(p);
        watched.add(p.plan.orgId(), p.watchCodes);
        watchedAttributes.add(p.plan.orgId(), p.watchAttributes);
        idTypes.add(p.plan.orgId(), p.idTypes);
        tagIds.add(p.plan.orgId(), p.tagIds);
    }

    private void unindex(PlanRuntime p) {
        if (p != null) {
            Map<String, List<PlanRuntime>> journeys = versions.get(p.plan.orgId());
            List<PlanRuntime> held = journeys == null ? null : journeys.get(p.plan.journeyId());
            if (held != null) {
                held.removeIf(h -> h == p);
                if (held.isEmpty()) {
                    journeys.remove(p.plan.journeyId());
                    if (journeys.isEmpty()) {
                        versions.remove(p.plan.orgId());
                    }
                }
            }
            watched.remove(p.plan.orgId(), p.watchCodes);
            watchedAttributes.remove(p.plan.orgId(), p.watchAttributes);
            idTypes.remove(p.plan.orgId(), p.idTypes);
            tagIds.remove(p.plan.orgId(), p.tagIds);
        }
    }

    /**
     * Per organization, a set of values with a count of the plans contributing each, so that adding or
     * removing one plan costs its own values only (10,000 journeys load in linear time).
     */
    static final class Counted<T> {
        private final Map<String, Map<T, Integer>> byOrg = new HashMap<>();

        void add(String org, Iterable<T> values) {
            Map<T, Integer> m = byOrg.computeIfAbsent(org, o -> new HashMap<>());
            for (T v : values) {
                m.merge(v, 1, Integer::sum);
            }
        }

        void remove(String org, Iterable<T> values) {
            Map<T, Integer> m = byOrg.get(org);
            if (m == null) {
                return;
            }
            for (T v : values) {
                m.computeIfPresent(v, (k, n) -> n == 1 ? null : n - 1);
            }
            if (m.isEmpty()) {
                byOrg.remove(org);
            }
        }

        boolean contains(String org, T value) {
            Map<T, Integer> m = byOrg.get(org);
            return m != null && m.containsKey(value);
        }

        Set<T> of(String org) {
            Map<T, Integer> m = byOrg.get(org);
            return m == null ? Set.of() : m.keySet();
        }
    }
}
