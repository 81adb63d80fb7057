package dev.qaengine.journeys;

import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.TriggerType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TriggerIndexTest {
    static JourneyPlan plan(String org, String id, String eventCode, int revision) {
        return new JourneyPlan(1, org, id, id, revision, new JourneyPlan.Trigger(TriggerType.EVENT,
                new JourneyPlan.Match(eventCode, null, false, List.of()), 1, 1, null, null), "end", List.of());
    }

    @Test
    void eventsFindTheJourneysOfTheirOrganizationAndCodeOnly() {
        TriggerIndex index = new TriggerIndex();
        index.put(plan("o1", "cart", "add_to_cart", 1));
        index.put(plan("o1", "cart2", "add_to_cart", 1));
        index.put(plan("o1", "buy", "purchase", 1));
        index.put(plan("o2", "cart", "add_to_cart", 1));
        index.put(new JourneyPlan(1, "o1", "aud", "aud", 1, new JourneyPlan.Trigger(TriggerType.AUDIENCE, null, null, null, null, "a-1"),
                "end", List.of()));
        assertThat(index.candidates("o1", "add_to_cart")).extracting(JourneyPlan::journeyId).containsExactlyInAnyOrder("cart", "cart2");
        assertThat(index.candidates("o1", "purchase")).extracting(JourneyPlan::journeyId).containsExactly("buy");
        assertThat(index.candidates("o2", "purchase")).isEmpty();
        assertThat(index.candidates("o3", "add_to_cart")).isEmpty();
        assertThat(index.size()).isEqualTo(5);
        assertThat(index.plan("o1", "aud")).isPresent();
    }

    @Test
    void aNewerPlanReplacesTheOlderAndATombstoneRemovesIt() {
        TriggerIndex index = new TriggerIndex();
        index.put(plan("o1", "cart", "add_to_cart", 1));
        index.put(plan("o1", "cart", "view_item", 2)); // the journey was edited and started again
        assertThat(index.candidates("o1", "add_to_cart")).isEmpty();
        assertThat(index.candidates("o1", "view_item")).extracting(JourneyPlan::revision).containsExactly(2);
        index.remove("o1", "cart");
        index.remove("o1", "never-there");
        assertThat(index.candidates("o1", "view_item")).isEmpty();
        assertThat(index.size()).isZero();
    }

    static JourneyPlan bounded(String id, dev.qaengine.model.journey.Operator op, double threshold) {
        return new JourneyPlan(1, "o1", id, id, 1, new JourneyPlan.Trigger(TriggerType.EVENT, new JourneyPlan.Match("buy", null, false,
                List.of(new JourneyPlan.Rule("amount", op, true, null, List.of(threshold)))), 1, 1, null, null), "end", List.of());
    }

    /**
     * Journeys whose condition is one numeric bound are found by their threshold: an event meets only those its value
     * passes (the bound itself included for GE/LE, up to the exact check), in the order the journeys were put in.
     */
    @Test
    void numericBoundsAreIndexedByThreshold() {
        TriggerIndex index = new TriggerIndex();
        index.put(bounded("gt400", dev.qaengine.model.journey.Operator.GT, 400));
        index.put(plan("o1", "any", "buy", 1));
        index.put(bounded("ge100", dev.qaengine.model.journey.Operator.GE, 100));
        index.put(bounded("lt50", dev.qaengine.model.journey.Operator.LT, 50));
        index.put(bounded("le400", dev.qaengine.model.journey.Operator.LE, 400));
        index.put(new JourneyPlan(1, "o1", "eq", "eq", 1, new JourneyPlan.Trigger(TriggerType.EVENT, new JourneyPlan.Match("buy", null, false,
                List.of(new JourneyPlan.Rule("amount", dev.qaengine.model.journey.Operator.EQ, true, null, List.of(7.0)))), 1, 1, null, null), "end", List.of()));
        assertThat(index.candidates("o1", "buy", java.util.Map.of("amount", 500))).extracting(JourneyPlan::journeyId)
                .containsExactly("gt400", "any", "ge100", "eq");
        assertThat(index.candidates("o1", "buy", java.util.Map.of("amount", 400))).extracting(JourneyPlan::journeyId)
                .as("at the threshold: GT400 is offered and refused by the exact check").containsExactly("gt400", "any", "ge100", "le400", "eq");
        assertThat(index.candidates("o1", "buy", java.util.Map.of("amount", "20"))).extracting(JourneyPlan::journeyId)
                .containsExactly("any", "lt50", "le400", "eq");
        assertThat(index.candidates("o1", "buy", java.util.Map.of())).extracting(JourneyPlan::journeyId)
                .as("no amount: no bound can hold").containsExactly("any", "eq");
        assertThat(index.candidates("o1", "buy", java.util.Map.of("amount", "n/a"))).extracting(JourneyPlan::journeyId).containsExactly("any", "eq");
        assertThat(index.candidates("o1", "buy")).hasSize(6);
        index.remove("o1", "ge100");
        index.put(bounded("gt400", dev.qaengine.model.journey.Operator.GT, 900)); // edited: a new threshold, put last
        assertThat(index.candidates("o1", "buy", java.util.Map.of("amount", 500))).extracting(JourneyPlan::journeyId).containsExactly("any", "eq");
        assertThat(index.candidates("o1", "buy", java.util.Map.of("amount", 901))).extracting(JourneyPlan::journeyId).containsExactly("any", "eq", "gt400");
    }
}
