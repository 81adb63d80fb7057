package dev.qaengine.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.TopicRecord;
import dev.qaengine.model.IdentityChange;
import dev.qaengine.model.journey.DeliveryResult;
import dev.qaengine.model.journey.Operator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.qaengine.journeys.Fixtures.MIN;
import static dev.qaengine.journeys.Fixtures.ORG;
import static dev.qaengine.journeys.Fixtures.T0;
import static dev.qaengine.journeys.Fixtures.email;
import static dev.qaengine.journeys.Fixtures.event;
import static dev.qaengine.journeys.Fixtures.eventBranch;
import static dev.qaengine.journeys.Fixtures.match;
import static dev.qaengine.journeys.Fixtures.once;
import static dev.qaengine.journeys.Fixtures.plan;
import static dev.qaengine.journeys.Fixtures.resultBranch;
import static dev.qaengine.journeys.Fixtures.sms;
import static dev.qaengine.journeys.Fixtures.trigger;
import static dev.qaengine.journeys.Fixtures.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/** Identity merges: the survivor inherits runs, entries and counters; nothing is lost or sent twice. */
class MergeTest {
    @TempDir
    Path tmp;

    static IdentityChange merge(String merged, String survivor, long time) {
        return new IdentityChange(1, IdentityChange.MERGE, ORG, survivor, merged, List.of(), List.of(), time, 1);
    }

    @Test
    void theSurvivorInheritsRunsInTheMiddleOfWaitsAndParticipationHoldsAcrossTheMerge() throws Exception {
        try (Engine e = new Engine(new ManualClock("merge", T0), tmp, null)) {
            e.plan(plan("later", trigger(match("view"), 10), "w", waitFor("w", 10 * MIN, "s"), sms("s", "tpl-later", null)), 1);
            e.plan(plan("once", once(match("open")), "s", sms("s", "tpl-once", null)), 1);
            e.event(event("old", "o-view", "view", T0));
            e.event(event("old", "o-open", "open", T0));
            e.event(event("new", "n-view", "view", T0 + MIN));
            assertThat(e.actions()).extracting(a -> a.get("journeyId").asText() + ":" + a.get("personId").asText()).containsExactly("once:old");

            e.change(merge("old", "new", T0 + 2 * MIN));
            List<TopicRecord> moved = e.transfers();
            assertThat(moved).hasSize(1);
            assertThat(new String(moved.get(0).key(), StandardCharsets.UTF_8)).isEqualTo(ORG + "|new");
            e.change(merge("old", "new", T0 + 2 * MIN)); // read again after a restore: nothing moves twice
            assertThat(e.transfers()).isEmpty();
            assertThat(e.timers()).as("old's wait left with it; its marker's clean-up and new's one timer (its wait) remain").isEqualTo(2);

            e.deliverTransfers(moved);
            e.event(event("new", "n-open", "open", T0 + 3 * MIN));
            assertThat(e.actions()).as("'once' was used by the merged person: it counts for the survivor").isEmpty();

            e.watermark(T0 + 11 * MIN);
            List<JsonNode> later = e.actions();
            assertThat(later).extracting(a -> a.get("personId").asText() + ":" + a.get("triggerEventId").asText())
                    .containsExactlyInAnyOrder("new:o-view", "new:n-view");
            assertThat(later.stream().map(a -> a.get("key").asText()).distinct()).hasSize(2);

            // an event resolved before the merge but read after it is the survivor's
            e.event(event("old", "o-view-2", "view", T0 + 12 * MIN));
            List<TopicRecord> forwarded = e.transfers();
            assertThat(forwarded).hasSize(1);
            e.deliverTransfers(forwarded);
            e.watermark(T0 + 23 * MIN);
            assertThat(e.actions()).extracting(a -> a.get("personId").asText() + ":" + a.get("triggerEventId").asText())
                    .containsExactly("new:o-view-2");

            e.watermark(T0 + 2 * MIN + Engine.TTL + 1);
            e.watermark(T0 + 30 * MIN + 2 * Engine.TTL);
            assertThat(e.timers()).as("the marker was collected with its timer; new keeps its 'once' entry, checked a TTL later").isEqualTo(1);
        }
    }

    @Test
    void aDeliveryResultForAMovedRunFollowsItToTheSurvivor() throws Exception {
        try (Engine e = new Engine(new ManualClock("merge-result", T0), tmp, null)) {
            e.plan(plan("cart", trigger(match("add_to_cart"), 10), "b",
                    eventBranch("b", match("purchase"), 30 * MIN, Operator.GE, 1, null, "sms"),
                    sms("sms", "tpl-sms", "r"), resultBranch("r", "sms", 60 * MIN, Map.of("FAILURE", "mail")),
                    email("mail", "tpl-mail", null)), 1);
            e.event(event("old", "c1", "add_to_cart", T0));
            e.watermark(T0 + 30 * MIN);
            JsonNode sms = e.actions().get(0);
            e.change(merge("old", "new", T0 + 31 * MIN));
            e.deliverTransfers(e.transfers());
            // the fan-out reports for the person it sent to: the merged one
            e.delivery(DeliveryResult.of(ORG, "old", "cart", sms.get("runId").asText(), "sms", DeliveryResult.Outcome.FAILURE, "bounced",
                    T0 + 32 * MIN));
            e.deliverTransfers(e.transfers());
            e.watermark(T0 + 90 * MIN);
            assertThat(e.actions()).extracting(a -> a.get("personId").asText() + ":" + a.get("templateId").asText() + ":" + a.get("runId").asText())
                    .containsExactly("new:tpl-mail:" + sms.get("runId").asText());
        }
    }
}
