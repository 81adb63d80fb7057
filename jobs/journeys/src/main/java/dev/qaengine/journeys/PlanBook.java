package dev.qaengine.journeys;

import dev.qaengine.model.IdType;
import dev.qaengine.model.journey.JourneyPlan;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
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
    private final Map<String, PlanRuntime> current = new HashMap<>();
    /** Superseded versions and the engine time from which they were superseded. */
    private final Map<String, Long> supersededAt = new HashMap<>();
    private final TriggerIndex triggers = new TriggerIndex();
    /** Per organization: the event codes watched by the EVENT_BRANCH steps of every version held. */
    private final Map<String, Set<String>> watched = new HashMap<>();
    private final Map<String, Set<IdType>> idTypes = new HashMap<>();
    private final Map<String, Set<String>> triggerCodes = new HashMap<>();

    static String versionKey(String subject, long version) {
        return subject + '@' + version;
    }

    /** Adds a version as current (the one before it, if any, becomes superseded at {@code now}). */
    void putCurrent(PlanRuntime plan, long now) {
        String subject = plan.subject();
        PlanRuntime before = current.put(subject, plan);
        if (before != null && before.version != plan.version) {
            supersededAt.put(versionKey(subject, before.version), now);
        }
        byVersion.put(versionKey(subject, plan.version), plan);
        triggers.put(plan.plan);
        reindex();
    }

    /** Restores a superseded version from broadcast state. */
    void putSuperseded(PlanRuntime plan, long since) {
        byVersion.put(versionKey(plan.subject(), plan.version), plan);
        supersededAt.put(versionKey(plan.subject(), plan.version), since);
        reindex();
    }

    /** Removes every version of a journey (stopped, or its organization deleted): its runs end. */
    List<String> removeJourney(String orgId, String journeyId) {
        String subject = JourneyPlan.subject(orgId, journeyId);
        current.remove(subject);
        triggers.remove(orgId, journeyId);
        List<String> removed = new ArrayList<>();
        byVersion.keySet().removeIf(k -> {
            boolean match = k.startsWith(subject + '@');
            if (match) {
                removed.add(k);
            }
            return match;
        });
        supersededAt.keySet().removeIf(k -> k.startsWith(subject + '@'));
        reindex();
        return removed;
    }

    /** Superseded versions no run can still be on at engine time {@code now}, given {@code slackMs} of lateness; removed. */
    List<String> retire(long now, long slackMs) {
        List<String> retired = new ArrayList<>();
        for (Map.Entry<String, Long> e : supersededAt.entrySet()) {
            PlanRuntime p = byVersion.get(e.getKey());
            long lastPossible = Math.max(e.getValue() + p.maxRunMs, p.latestUntil);
            if (lastPossible + slackMs < now) {
                retired.add(e.getKey());
            }
        }
        for (String k : retired) {
            byVersion.remove(k);
            supersededAt.remove(k);
        }
        if (!retired.isEmpty()) {
            reindex();
        }
        return retired;
    }

    PlanRuntime current(String subject) {
        return current.get(subject);
    }

    PlanRuntime version(String orgId, String journeyId, long version) {
        return byVersion.get(versionKey(JourneyPlan.subject(orgId, journeyId), version));
    }

    Long supersededAt(String subject, long version) {
        return supersededAt.get(versionKey(subject, version));
    }

    List<JourneyPlan> candidates(String orgId, String eventCode) {
        return triggers.candidates(orgId, eventCode);
    }

    /** Whether an event of this code concerns any journey of the organization (trigger or watched). */
    boolean concerns(String orgId, String eventCode) {
        Set<String> t = triggerCodes.get(orgId);
        if (t != null && t.contains(eventCode)) {
            return true;
        }
        Set<String> w = watched.get(orgId);
        return w != null && w.contains(eventCode);
    }

    boolean watched(String orgId, String eventCode) {
        Set<String> w = watched.get(orgId);
        return w != null && w.contains(eventCode);
    }

    boolean running(String orgId, String journeyId) {
        return current.containsKey(JourneyPlan.subject(orgId, journeyId));
    }

    Set<IdType> idTypes(String orgId) {
        return idTypes.getOrDefault(orgId, Set.of());
    }

    int size() {
        return current.size();
    }

    int versions() {
        return byVersion.size();
    }

    private void reindex() {
        watched.clear();
        idTypes.clear();
        triggerCodes.clear();
        for (PlanRuntime p : byVersion.values()) {
            String org = p.plan.orgId();
            watched.computeIfAbsent(org, o -> new HashSet<>()).addAll(p.watchCodes);
            idTypes.computeIfAbsent(org, o -> EnumSet.noneOf(IdType.class)).addAll(p.idTypes);
        }
        for (PlanRuntime p : current.values()) {
            triggerCodes.computeIfAbsent(p.plan.orgId(), o -> new HashSet<>()).add(p.plan.trigger().event().eventCode());
        }
    }
}
