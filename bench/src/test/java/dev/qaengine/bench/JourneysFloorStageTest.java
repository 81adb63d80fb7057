package dev.qaengine.bench;

import dev.qaengine.model.journey.JourneyPlan;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The floor enters as many journeys per event as the journeys stage's plans let an event of that amount into. */
class JourneysFloorStageTest {

    @Test
    void entriesPerEventAreThoseOfTheBenchPlans() {
        List<JourneyPlan> onOneCode = JourneysStage.plans(1000).stream()
                .filter(p -> p.trigger().event().eventCode().equals("e0")).toList();
        assertThat(onOneCode).hasSize(10);
        double total = 0;
        for (int amount = 0; amount < 1000; amount++) {
            int a = amount;
            long enters = onOneCode.stream().filter(p -> p.trigger().event().rules().stream()
                    .allMatch(r -> a > r.numbers().get(0))).count(); // every rule of these plans is "amount > x"
            assertThat(JourneysFloorStage.entries(amount)).as("amount %d", amount).isEqualTo((int) enters);
            total += enters;
        }
        assertThat(total / 1000).as("entries per event on average").isBetween(6.2, 6.4);
    }
}
