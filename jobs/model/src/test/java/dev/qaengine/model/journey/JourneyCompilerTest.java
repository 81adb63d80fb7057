package dev.qaengine.model.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.ControlRecord;
import dev.qaengine.model.IdType;
import dev.qaengine.model.Schemas;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.qaengine.model.journey.JourneyValidatorTest.CATALOG;
import static dev.qaengine.model.journey.JourneyValidatorTest.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JourneyCompilerTest {

    @Test
    void theCartJourneyCompilesToStepsWithResolvedExitsMillisecondsAndNumbers() throws Exception {
        JourneyDefinition d = JSON.treeToValue(JourneyValidatorTest.cart(), JourneyDefinition.class);
        JourneyPlan plan = new JourneyCompiler(CATALOG).compile("j-1", 3, d);

        assertThat(plan.orgId()).isEqualTo("org-1");
        assertThat(plan.journeyId()).isEqualTo("j-1");
        assertThat(plan.revision()).isEqualTo(3);
        assertThat(plan.start()).isEqualTo("check");
        assertThat(plan.trigger()).isEqualTo(new JourneyPlan.Trigger(TriggerType.EVENT,
                new JourneyPlan.Match("add_to_cart", "shop-app", false,
                        List.of(new JourneyPlan.Rule("price", Operator.GE, true, null, List.of(100.0)))),
                1, 3, 7 * 86_400_000L, null));
        JourneyPlan.Step check = plan.steps().get(0);
        assertThat(check.type()).isEqualTo(NodeType.EVENT_BRANCH);
        assertThat(check.next()).isEqualTo(Map.of("NOT_DONE", "sms", "DONE", "done"));
        assertThat(check.delayMs()).isEqualTo(30 * 60_000L);
        assertThat(check.watch()).as("the branch watches the trigger's channel").isEqualTo(new JourneyPlan.Match("purchase", "shop-app", false, List.of()));
        assertThat(check.countOperator()).isEqualTo(Operator.GE);
        assertThat(check.countValue()).isEqualTo(1L);
        JourneyPlan.Step sms = plan.steps().get(1);
        assertThat(sms.next()).as("an action at the end of its branch").isNull();
        assertThat(sms.action()).isEqualTo(new JourneyPlan.Action("sms-1", "t-sms", IdType.MOBILE,
                List.of(new JourneyPlan.Variable("sku", "sku", "REPLACE", "your item")), null));
        assertThat(plan.steps().get(2).type()).isEqualTo(NodeType.END);

        // as it travels: a control record valid against both schemas, read back equal
        ControlRecord record = new ControlRecord(ControlRecord.VERSION, ControlKind.JOURNEY_PLAN, JourneyPlan.subject("org-1", "j-1"), 7, plan);
        JsonNode json = JSON.valueToTree(record);
        assertThat(Schemas.violations("control-record-v1.schema.json", json)).isEmpty();
        assertThat(Schemas.violations("journey-plan-v1.schema.json", json.get("payload"))).isEmpty();
        assertThat(JSON.treeToValue(json.get("payload"), JourneyPlan.class)).isEqualTo(plan);
    }

    @Test
    void waitsRandomSplitsAndOrConditionsCompileToo() throws Exception {
        ObjectNode doc = JourneyValidatorTest.cart();
        ObjectNode rules = (ObjectNode) doc.get("trigger").get("event").get("conditions");
        rules.put("combine", "OR");
        ((ArrayNode) rules.get("rules")).addObject().put("attribute", "sku").put("operator", "IN")
                .set("values", JSON.createArrayNode().add("A").add("B"));
        ((ObjectNode) doc.get("trigger")).set("participation", JSON.createObjectNode().put("mode", "ONCE"));
        JourneyValidatorTest.addNode(doc, "pause", "WAIT", "{\"duration\": {\"amount\": 2, \"unit\": \"WEEKS\"}}");
        JourneyValidatorTest.reroute(doc, "check", "DONE", "pause");
        JourneyValidatorTest.addNode(doc, "bye", "END", null);
        JourneyValidatorTest.edge(doc, "pause", "bye", null);
        JourneyPlan plan = new JourneyCompiler(CATALOG).compile("j-2", 1, JSON.treeToValue(doc, JourneyDefinition.class));
        assertThat(plan.trigger().event().any()).isTrue();
        assertThat(plan.trigger().event().rules().get(1)).isEqualTo(new JourneyPlan.Rule("sku", Operator.IN, false, List.of("A", "B"), null));
        assertThat(plan.trigger().maxEntries()).isEqualTo(1);
        assertThat(plan.trigger().entryWindowMs()).as("ONCE: once ever").isNull();
        JourneyPlan.Step pause = plan.steps().stream().filter(s -> s.id().equals("pause")).findFirst().orElseThrow();
        assertThat(pause.delayMs()).isEqualTo(14 * 86_400_000L);
        assertThat(pause.next()).isEqualTo(Map.of("next", "bye"));
    }

    @Test
    void anIncompleteOrInvalidJourneyDoesNotCompile() throws Exception {
        ObjectNode doc = JourneyValidatorTest.cart();
        ((ArrayNode) doc.get("edges")).remove(1);
        JourneyDefinition open = JSON.treeToValue(doc, JourneyDefinition.class);
        assertThatThrownBy(() -> new JourneyCompiler(CATALOG).compile("j", 1, open))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OPEN_BRANCH");
    }
}
