package dev.qaengine.journeys;

import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.TriggerType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The running event-triggered journeys by organization and trigger event code, so that an event is
 * matched against the journeys it can start only: the cost per event does not grow with the number of
 * journeys (ARCHITECTURE.md). Rebuilt by every engine instance from the JOURNEY_PLAN records of its
 * broadcast state; a newer plan of a journey replaces the older one, a tombstone removes it.
 * Not thread-safe: the task thread alone uses it.
 */
public final class TriggerIndex {
    private final Map<String, JourneyPlan> plans = new HashMap<>();
    private final Map<String, Map<String, List<JourneyPlan>>> byCode = new HashMap<>();

    private static String key(String orgId, String journeyId) {
        return JourneyPlan.subject(orgId, journeyId);
    }

    /** Adds a journey's plan, replacing its earlier one. */
    public void put(JourneyPlan plan) {
        remove(plan.orgId(), plan.journeyId());
        plans.put(key(plan.orgId(), plan.journeyId()), plan);
        if (plan.trigger().type() == TriggerType.EVENT) {
            byCode.computeIfAbsent(plan.orgId(), o -> new HashMap<>())
                    .computeIfAbsent(plan.trigger().event().eventCode(), c -> new ArrayList<>()).add(plan);
        }
    }

    /** Removes a journey's plan (stopped, or its organization deleted); nothing when it has none. */
    public void remove(String orgId, String journeyId) {
        JourneyPlan old = plans.remove(key(orgId, journeyId));
        if (old == null || old.trigger().type() != TriggerType.EVENT) {
            return;
        }
        Map<String, List<JourneyPlan>> codes = byCode.get(orgId);
        List<JourneyPlan> list = codes.get(old.trigger().event().eventCode());
        list.removeIf(p -> p.journeyId().equals(journeyId));
        if (list.isEmpty()) {
            codes.remove(old.trigger().event().eventCode());
            if (codes.isEmpty()) {
                byCode.remove(orgId);
            }
        }
    }

    /** The event-triggered journeys of the organization that an event with this code may start (channel and conditions not yet checked). */
    public List<JourneyPlan> candidates(String orgId, String eventCode) {
        Map<String, List<JourneyPlan>> codes = byCode.get(orgId);
        List<JourneyPlan> list = codes == null ? null : codes.get(eventCode);
        return list == null ? List.of() : List.copyOf(list);
    }

    public Optional<JourneyPlan> plan(String orgId, String journeyId) {
        return Optional.ofNullable(plans.get(key(orgId, journeyId)));
    }

    public int size() {
        return plans.size();
    }
}
