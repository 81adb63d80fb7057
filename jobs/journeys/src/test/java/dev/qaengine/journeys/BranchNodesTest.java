package dev.qaengine.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.model.journey.NodeType;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.qaengine.journeys.Fixtures.MIN;
import static dev.qaengine.journeys.Fixtures.T0;
import static dev.qaengine.journeys.Fixtures.branches;
import static dev.qaengine.journeys.Fixtures.email;
import static dev.qaengine.journeys.Fixtures.event;
import static dev.qaengine.journeys.Fixtures.match;
import static dev.qaengine.journeys.Fixtures.once;
import static dev.qaengine.journeys.Fixtures.plan;
import static dev.qaengine.journeys.Fixtures.sms;
import static dev.qaengine.journeys.Fixtures.split;
import static dev.qaengine.journeys.Fixtures.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** COPY_BRANCH, TIME_BRANCH and RANDOM_BRANCH in the engine. */
class BranchNodesTest {
    static final long HOUR = 60 * MIN;

    @Test
    void aCopyBranchSendsThePersonDownEveryBranchEachWithItsOwnKeys() throws Exception {
        try (Engine e = new Engine(new ManualClock("copy", T0), null, null)) {
            e.plan(plan("j", once(match("signup")), "c",
                    branches("c", NodeType.COPY_BRANCH, List.of(split("now", null, null), split("later", null, null)),
                            Map.of("now", "s", "later", "w")),
                    sms("s", "tpl-now", null), waitFor("w", 10 * MIN, "m"), email("m", "tpl-later", null)), 1);
            e.event(event("p", "e1", "signup", T0));
            List<JsonNode> now = e.actions();
            assertThat(now).extracting(a -> a.get("templateId").asText()).containsExactly("tpl-now");
            String runId = now.get(0).get("runId").asText();
            assertThat(runId).endsWith("/now");
            e.watermark(T0 + 10 * MIN);
            List<JsonNode> later = e.actions();
            assertThat(later).extracting(a -> a.get("templateId").asText()).containsExactly("tpl-later");
            assertThat(later.get(0).get("runId").asText()).isEqualTo(runId.replace("/now", "/later"));
            assertThat(later.get(0).get("key").asText()).isNotEqualTo(now.get(0).get("key").asText());
            assertThat(e.timers()).as("only the clean-up timer").isEqualTo(1);
        }
    }

    @Test
    void aTimeBranchStartsEachBranchAtItsOwnTimeAndAPastTimeAtOnce() throws Exception {
        try (Engine e = new Engine(new ManualClock("time", T0), null, null)) {
            e.plan(plan("j", once(match("signup")), "t",
                    branches("t", NodeType.TIME_BRANCH, List.of(split("past", null, T0 - HOUR), split("nine", null, T0 + 9 * HOUR),
                            split("noon", null, T0 + 12 * HOUR)), Map.of("past", "a", "nine", "b", "noon", "c")),
                    sms("a", "tpl-past", null), sms("b", "tpl-nine", null), email("c", "tpl-noon", null)), 1);
            e.event(event("p", "e1", "signup", T0));
            assertThat(e.actions()).extracting(a -> a.get("templateId").asText()).containsExactly("tpl-past");
            e.watermark(T0 + 9 * HOUR - 1);
            assertThat(e.actions()).isEmpty();
            e.watermark(T0 + 9 * HOUR);
            assertThat(e.actions()).extracting(a -> a.get("templateId").asText() + "@" + (a.get("time").asLong() - T0) / HOUR)
                    .containsExactly("tpl-nine@9");
            e.wallClock(T0 + 12 * HOUR + Engine.LATENESS);
            assertThat(e.actions()).extracting(a -> a.get("templateId").asText()).containsExactly("tpl-noon");
        }
    }

    @Test
    void randomBranchesAreStablePerPersonAndJourneyAndTakeTheirShareWithinOnePercent() throws Exception {
        var s = branches("r", NodeType.RANDOM_BRANCH, List.of(split("a", 20, null), split("b", 30, null), split("c", 50, null)), Map.of());
        Map<String, Integer> counts = new HashMap<>();
        int persons = 100_000;
        for (int i = 0; i < persons; i++) {
            counts.merge(JourneyEngine.randomBranch(s, "journey-1", "person-" + i), 1, Integer::sum);
        }
        assertThat(counts.get("a") / (double) persons).isCloseTo(0.20, within(0.01));
        assertThat(counts.get("b") / (double) persons).isCloseTo(0.30, within(0.01));
        assertThat(counts.get("c") / (double) persons).isCloseTo(0.50, within(0.01));
        for (int i = 0; i < 1000; i++) {
            assertThat(JourneyEngine.randomBranch(s, "journey-1", "person-" + i))
                    .isEqualTo(JourneyEngine.randomBranch(s, "journey-1", "person-" + i));
        }
        // another journey splits the same persons independently: about 20 % of its "a" are in journey-1's "a"
        int both = 0;
        int inA = 0;
        for (int i = 0; i < persons; i++) {
            if (JourneyEngine.randomBranch(s, "journey-2", "person-" + i).equals("a")) {
                inA++;
                both += JourneyEngine.randomBranch(s, "journey-1", "person-" + i).equals("a") ? 1 : 0;
            }
        }
        assertThat(both / (double) inA).isCloseTo(0.20, within(0.02));

        try (Engine e = new Engine(new ManualClock("random", T0), null, null)) {
            e.plan(plan("journey-1", Fixtures.trigger(match("visit"), 10), "r",
                    branches("r", NodeType.RANDOM_BRANCH, s.split(), Map.of("a", "sa", "b", "sb", "c", "sc")),
                    sms("sa", "tpl-a", null), sms("sb", "tpl-b", null), sms("sc", "tpl-c", null)), 1);
            for (int i = 0; i < 50; i++) {
                e.event(event("person-" + i, "v" + i, "visit", T0));
                e.event(event("person-" + i, "w" + i, "visit", T0 + MIN)); // a second entry takes the same branch
            }
            List<JsonNode> sent = e.actions();
            assertThat(sent).hasSize(100);
            for (JsonNode a : sent) {
                assertThat(a.get("templateId").asText())
                        .isEqualTo("tpl-" + JourneyEngine.randomBranch(s, "journey-1", a.get("personId").asText()));
            }
        }
    }
}
