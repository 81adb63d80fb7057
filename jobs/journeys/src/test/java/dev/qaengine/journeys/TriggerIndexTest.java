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
}
