package dev.qaengine.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.Json;
import dev.qaengine.model.Schemas;
import dev.qaengine.model.journey.JourneyPlan.Variable;
import dev.qaengine.model.journey.Operator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.qaengine.journeys.Fixtures.MIN;
import static dev.qaengine.journeys.Fixtures.T0;
import static dev.qaengine.journeys.Fixtures.end;
import static dev.qaengine.journeys.Fixtures.event;
import static dev.qaengine.journeys.Fixtures.eventBranch;
import static dev.qaengine.journeys.Fixtures.match;
import static dev.qaengine.journeys.Fixtures.plan;
import static dev.qaengine.journeys.Fixtures.sms;
import static dev.qaengine.journeys.Fixtures.trigger;
import static org.assertj.core.api.Assertions.assertThat;

/** Counts per journey and node, delivered as one delta per journey and checkpoint. */
class StatsTest {
    @Test
    void eachCheckpointCarriesExactlyWhatWasCountedSinceThePreviousOne() throws Exception {
        try (Engine e = new Engine(new ManualClock("stats", T0), null, null)) {
            e.plan(plan("cart", trigger(match("add_to_cart"), 10), "b",
                    eventBranch("b", match("purchase"), 30 * MIN, Operator.GE, 1, "e", "s"),
                    sms("s", "tpl", null, new Variable("item", "item", "SKIP", null)), end("e")), 1);
            e.event(event("p1", "c1", "add_to_cart", T0, "item", "shoes"));
            e.event(event("p2", "c2", "add_to_cart", T0));
            e.event(event("p3", "c3", "add_to_cart", T0));
            e.event(event("p3", "b3", "purchase", T0 + MIN));
            List<JsonNode> first = e.stats();
            assertThat(first).hasSize(1);
            assertThat(first.get(0).get("deltaId").asText()).matches("org1/cart#0-[0-9a-f]+@1");
            assertThat(first.get(0).get("journey")).isEqualTo(Json.MAPPER.readTree("{\"entered\":3,\"ended\":1}"));
            assertThat(first.get(0).get("nodes")).isEqualTo(Json.MAPPER.readTree("""
                    {"b":{"entered":3,"exited":1,"branches":{"DONE":1}},"e":{"entered":1}}"""));
            assertThat(Schemas.violations("journey-stats-v1.schema.json", first.get(0))).isEmpty();

            assertThat(e.stats()).as("nothing counted since").isEmpty();

            e.watermark(T0 + 30 * MIN);
            List<JsonNode> second = e.stats();
            assertThat(second).hasSize(1);
            assertThat(second.get(0).get("deltaId").asText()).matches("org1/cart#0-[0-9a-f]+@3")
                    .startsWith(first.get(0).get("deltaId").asText().replace("@1", "@"));
            assertThat(second.get(0).get("journey")).isEqualTo(Json.MAPPER.readTree("{\"ended\":2}"));
            assertThat(second.get(0).get("nodes")).isEqualTo(Json.MAPPER.readTree("""
                    {"b":{"exited":2,"branches":{"NOT_DONE":2}},
                     "s":{"entered":2,"skipped":{"EMPTY_VARIABLE:item":1},"actions":2,"exited":2}}"""));
            assertThat(Schemas.violations("journey-stats-v1.schema.json", second.get(0))).isEmpty();
        }
    }
}
