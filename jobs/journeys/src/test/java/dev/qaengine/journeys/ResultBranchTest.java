package dev.qaengine.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.model.DlqReason;
import dev.qaengine.model.Schemas;
import dev.qaengine.model.journey.DeliveryResult;
import dev.qaengine.model.journey.DeliveryResult.Outcome;
import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.NodeType;
import dev.qaengine.model.journey.Operator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.qaengine.journeys.Fixtures.MIN;
import static dev.qaengine.journeys.Fixtures.ORG;
import static dev.qaengine.journeys.Fixtures.T0;
import static dev.qaengine.journeys.Fixtures.email;
import static dev.qaengine.journeys.Fixtures.end;
import static dev.qaengine.journeys.Fixtures.event;
import static dev.qaengine.journeys.Fixtures.eventBranch;
import static dev.qaengine.journeys.Fixtures.match;
import static dev.qaengine.journeys.Fixtures.plan;
import static dev.qaengine.journeys.Fixtures.push;
import static dev.qaengine.journeys.Fixtures.resultBranch;
import static dev.qaengine.journeys.Fixtures.sms;
import static dev.qaengine.journeys.Fixtures.trigger;
import static org.assertj.core.api.Assertions.assertThat;

/** RESULT_BRANCH on delivery results: SUCCESS / FAILURE / OTHER, and a push's OPENED / IGNORED. */
class ResultBranchTest {
    static final long HOUR = 60 * MIN;

    /** Cart abandonment ending in a RESULT_BRANCH: the SMS failed → an email. */
    static JourneyPlan cartWithFallback(String journeyId) {
        return plan(journeyId, trigger(match("add_to_cart"), 10), "b",
                eventBranch("b", match("purchase"), 30 * MIN, Operator.GE, 1, "done", "sms"),
                sms("sms", "tpl-sms", "r"),
                resultBranch("r", "sms", HOUR, Map.of("FAILURE", "mail", "SUCCESS", "done")),
                email("mail", "tpl-mail", null),
                end("done"));
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;

    @Test
    void anSmsThatFailedIsFollowedByAnEmailAfterTheWaitAndOnlyThen() throws Exception {
        try (Engine e = new Engine(new ManualClock("result", T0), tmp, null)) { // RocksDB: results survive serialization
            e.plan(cartWithFallback("cart"), 1);
            for (String p : List.of("failed", "delivered", "silent", "sentOnly", "noNumber")) {
                e.event(event(p, p + "-cart", "add_to_cart", T0));
            }
            e.watermark(T0 + 30 * MIN);
            List<JsonNode> sms = e.actions();
            assertThat(sms).hasSize(5);
            for (JsonNode a : sms) {
                String person = a.get("personId").asText();
                String runId = a.get("runId").asText();
                switch (person) {
                    case "failed" -> {
                        e.delivery(DeliveryResult.of(ORG, person, "cart", runId, "sms", Outcome.SENT, null, T0 + 31 * MIN));
                        e.delivery(DeliveryResult.of(ORG, person, "cart", runId, "sms", Outcome.FAILURE, "carrier rejected", T0 + 32 * MIN));
                    }
                    case "delivered" -> {
                        e.delivery(DeliveryResult.of(ORG, person, "cart", runId, "sms", Outcome.SUCCESS, null, T0 + 31 * MIN));
                        e.delivery(DeliveryResult.of(ORG, person, "cart", runId, "sms", Outcome.SENT, null, T0 + 32 * MIN)); // late, superseded
                    }
                    case "sentOnly" -> e.delivery(DeliveryResult.of(ORG, person, "cart", runId, "sms", Outcome.SENT, null, T0 + 31 * MIN));
                    case "noNumber" -> e.delivery(DeliveryResult.of(ORG, person, "cart", runId, "sms", Outcome.NO_ID_FOR_CHANNEL, "no MOBILE", T0 + 31 * MIN));
                    default -> {
                    }
                }
            }
            e.delivery(DeliveryResult.of(ORG, "failed", "cart", "no-such-run", "sms", Outcome.SUCCESS, null, T0 + 33 * MIN));
            e.watermark(T0 + 30 * MIN + HOUR - 1);
            assertThat(e.actions()).as("routed only when the wait is over").isEmpty();
            e.watermark(T0 + 30 * MIN + HOUR);
            assertThat(e.actions()).extracting(a -> a.get("personId").asText() + ":" + a.get("templateId").asText())
                    .containsExactlyInAnyOrder("failed:tpl-mail", "noNumber:tpl-mail");
            assertThat(e.timers()).as("every run ended (OTHER has no exit here): clean-up timers only").isEqualTo(5);
        }
    }

    @Test
    void pushBranchesTakeTheMostSpecificExitThePlanHas() {
        var all = resultBranch("r", "p", HOUR, Map.of("SUCCESS", "a", "FAILURE", "b", "OPENED", "c", "IGNORED", "d", "OTHER", "e"));
        assertThat(JourneyEngine.resultExit(all, NodeType.PUSH, Outcome.OPENED)).isEqualTo("OPENED");
        assertThat(JourneyEngine.resultExit(all, NodeType.PUSH, Outcome.SUCCESS)).isEqualTo("IGNORED");
        assertThat(JourneyEngine.resultExit(all, NodeType.PUSH, Outcome.FAILURE)).isEqualTo("FAILURE");
        assertThat(JourneyEngine.resultExit(all, NodeType.PUSH, null)).isEqualTo("OTHER");
        assertThat(JourneyEngine.resultExit(all, NodeType.PUSH, Outcome.SKIPPED)).isEqualTo("OTHER");
        var successOnly = resultBranch("r", "p", HOUR, Map.of("SUCCESS", "a"));
        assertThat(JourneyEngine.resultExit(successOnly, NodeType.PUSH, Outcome.OPENED)).isEqualTo("SUCCESS");
        assertThat(JourneyEngine.resultExit(successOnly, NodeType.PUSH, Outcome.SUCCESS)).isEqualTo("SUCCESS");
        assertThat(JourneyEngine.resultExit(successOnly, NodeType.PUSH, Outcome.FAILURE)).as("no exit: the run ends").isNull();
        assertThat(JourneyEngine.resultExit(all, NodeType.SMS, Outcome.SUCCESS)).isEqualTo("SUCCESS");
        assertThat(JourneyEngine.resultExit(all, NodeType.EMAIL, Outcome.NO_ID_FOR_CHANNEL)).isEqualTo("FAILURE");
    }

    @Test
    void aPushOpenedDuringTheWaitTakesOpenedAndUnreadableResultsGoToTheDlq() throws Exception {
        try (Engine e = new Engine(new ManualClock("push", T0), null, null)) {
            e.plan(plan("news", trigger(match("login"), 10), "p", push("p", "tpl-push", "r"),
                    resultBranch("r", "p", HOUR, Map.of("OPENED", "s", "IGNORED", "m")),
                    sms("s", "tpl-thanks", null), email("m", "tpl-digest", null)), 1);
            e.event(event("reader", "l1", "login", T0));
            e.event(event("skimmer", "l2", "login", T0));
            for (JsonNode a : e.actions()) {
                String person = a.get("personId").asText();
                e.delivery(DeliveryResult.of(ORG, person, "news", a.get("runId").asText(), "p", Outcome.SUCCESS, null, T0 + MIN));
                if (person.equals("reader")) {
                    e.delivery(DeliveryResult.of(ORG, person, "news", a.get("runId").asText(), "p", Outcome.OPENED, null, T0 + 20 * MIN));
                }
            }
            e.h.processElement1(new org.apache.flink.streaming.runtime.streamrecord.StreamRecord<>(new Inbound(
                    Fixtures.key("reader").getBytes(), "{\"v\":1,\"type\":\"DELIVERY_RESULT\"}".getBytes(), T0, 1, 7, Inbound.DELIVERY)));
            e.watermark(T0 + HOUR);
            assertThat(e.actions()).extracting(a -> a.get("personId").asText() + ":" + a.get("templateId").asText())
                    .containsExactlyInAnyOrder("reader:tpl-thanks", "skimmer:tpl-digest");
            assertThat(e.rejected()).extracting(r -> r.reason() + ":" + r.detail()).containsExactly(DlqReason.MISSING_FIELD + ":runId is missing");
        }
    }

    @Test
    void deliveryResultsMatchTheirSchema() throws Exception {
        var json = dev.qaengine.common.Json.MAPPER.valueToTree(DeliveryResult.of(ORG, "p", "j", "r1/a", "sms", Outcome.FAILURE, "why", T0));
        assertThat(Schemas.violations("delivery-result-v1.schema.json", json)).isEmpty();
        assertThat(dev.qaengine.common.Json.MAPPER.treeToValue(json, DeliveryResult.class))
                .isEqualTo(DeliveryResult.of(ORG, "p", "j", "r1/a", "sms", Outcome.FAILURE, "why", T0));
    }
}
