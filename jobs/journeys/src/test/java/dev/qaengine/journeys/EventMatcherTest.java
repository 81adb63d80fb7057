package dev.qaengine.journeys;

import dev.qaengine.model.journey.JourneyPlan.Match;
import dev.qaengine.model.journey.JourneyPlan.Rule;
import dev.qaengine.model.journey.Operator;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EventMatcherTest {
    static Rule num(String attribute, Operator op, Double... values) {
        return new Rule(attribute, op, true, null, List.of(values));
    }

    static Rule text(String attribute, Operator op, String... values) {
        return new Rule(attribute, op, false, List.of(values), null);
    }

    static final Map<String, Object> CART = Map.of("sku", "SKU-42", "price", 129.5, "qty", 2);

    static boolean rule(Rule r, Map<String, Object> attributes) {
        return EventMatcher.matches(new Match("add_to_cart", null, false, List.of(r)), "add_to_cart", "app", attributes);
    }

    @Test
    void eventCodeAndChannel() {
        Match any = new Match("add_to_cart", null, false, List.of());
        Match app = new Match("add_to_cart", "app", false, List.of());
        assertThat(EventMatcher.matches(any, "add_to_cart", "web", CART)).isTrue();
        assertThat(EventMatcher.matches(any, "purchase", "web", CART)).isFalse();
        assertThat(EventMatcher.matches(app, "add_to_cart", "app", CART)).isTrue();
        assertThat(EventMatcher.matches(app, "add_to_cart", "web", CART)).isFalse();
        assertThat(EventMatcher.matches(app, "add_to_cart", null, CART)).as("an event that named no channel matches journeys of any channel").isTrue();
    }

    @Test
    void numbersCompareAsNumbers() {
        assertThat(rule(num("price", Operator.GE, 100.0), CART)).isTrue();
        assertThat(rule(num("price", Operator.GT, 129.5), CART)).isFalse();
        assertThat(rule(num("price", Operator.LE, 129.5), CART)).isTrue();
        assertThat(rule(num("price", Operator.LT, 129.5), CART)).isFalse();
        assertThat(rule(num("qty", Operator.EQ, 2.0), CART)).as("an integer attribute").isTrue();
        assertThat(rule(num("qty", Operator.NE, 2.0), CART)).isFalse();
        assertThat(rule(num("price", Operator.BETWEEN, 100.0, 129.5), CART)).as("inclusive").isTrue();
        assertThat(rule(num("price", Operator.BETWEEN, 130.0, 200.0), CART)).isFalse();
        assertThat(rule(num("qty", Operator.IN, 1.0, 2.0), CART)).isTrue();
        assertThat(rule(num("qty", Operator.NOT_IN, 1.0, 2.0), CART)).isFalse();
        assertThat(rule(num("price", Operator.GT, 100.0), Map.of("price", "120.00"))).as("a number sent as text").isTrue();
        assertThat(rule(num("price", Operator.GT, 100.0), Map.of("price", "lots"))).isFalse();
    }

    @Test
    void textsCompareAsStrings() {
        assertThat(rule(text("sku", Operator.EQ, "SKU-42"), CART)).isTrue();
        assertThat(rule(text("sku", Operator.NE, "SKU-42"), CART)).isFalse();
        assertThat(rule(text("sku", Operator.CONTAINS, "U-4"), CART)).isTrue();
        assertThat(rule(text("sku", Operator.NOT_CONTAINS, "U-4"), CART)).isFalse();
        assertThat(rule(text("sku", Operator.STARTS_WITH, "SKU"), CART)).isTrue();
        assertThat(rule(text("sku", Operator.ENDS_WITH, "42"), CART)).isTrue();
        assertThat(rule(text("sku", Operator.IN, "SKU-1", "SKU-42"), CART)).isTrue();
        assertThat(rule(text("sku", Operator.NOT_IN, "SKU-1"), CART)).isTrue();
    }

    @Test
    void aMissingAttributeIsOnlyEmpty() {
        Map<String, Object> none = new HashMap<>();
        none.put("colour", null);
        for (Operator op : List.of(Operator.NE, Operator.NOT_CONTAINS, Operator.NOT_IN, Operator.EQ)) {
            assertThat(rule(text("colour", op, "red"), none)).as(op.name()).isFalse();
        }
        assertThat(rule(num("weight", Operator.NE, 1.0), none)).isFalse();
        assertThat(rule(text("colour", Operator.IS_EMPTY), none)).isTrue();
        assertThat(rule(text("colour", Operator.IS_EMPTY), Map.of("colour", ""))).isTrue();
        assertThat(rule(text("colour", Operator.IS_NOT_EMPTY), Map.of("colour", "red"))).isTrue();
        assertThat(rule(text("colour", Operator.IS_NOT_EMPTY), none)).isFalse();
    }

    @Test
    void allOrAnyRule() {
        List<Rule> rules = List.of(num("price", Operator.GE, 200.0), text("sku", Operator.STARTS_WITH, "SKU"));
        assertThat(EventMatcher.matches(new Match("add_to_cart", null, false, rules), "add_to_cart", null, CART)).isFalse();
        assertThat(EventMatcher.matches(new Match("add_to_cart", null, true, rules), "add_to_cart", null, CART)).isTrue();
        assertThat(EventMatcher.matches(new Match("add_to_cart", null, true, List.of(num("price", Operator.GE, 200.0))), "add_to_cart", null, CART)).isFalse();
    }
}
