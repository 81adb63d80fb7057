package dev.qaengine.model.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qaengine.model.AppType;
import dev.qaengine.model.AttributeDefinition;
import dev.qaengine.model.AttributeType;
import dev.qaengine.model.ChannelDefinition;
import dev.qaengine.model.ChannelInterfaceType;
import dev.qaengine.model.EventDefinition;
import dev.qaengine.model.Schemas;
import dev.qaengine.model.journey.JourneyCheck.Violation;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class JourneyValidatorTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** An organization with an APP channel (shop-app), a WEB channel (web-shop) and a third-party one (crm). */
    static final JourneyCatalog CATALOG = new JourneyCatalog() {
        final Map<String, ChannelDefinition> channels = Map.of(
                "shop-app", new ChannelDefinition("shop-app", "Shop app", AppType.APP,
                        List.of(new AttributeDefinition("appVersion", "app version", AttributeType.TEXT))),
                "web-shop", new ChannelDefinition("web-shop", "Web shop", AppType.WEB, List.of()),
                "crm", new ChannelDefinition("crm", "CRM", AppType.THIRD_PARTY, List.of()));
        final List<AttributeDefinition> cart = List.of(new AttributeDefinition("sku", "SKU", AttributeType.TEXT),
                new AttributeDefinition("price", "price", AttributeType.NUMBER));

        @Override
        public Optional<EventDefinition> event(String eventCode, String channel) {
            boolean known = switch (eventCode) {
                case "add_to_cart", "purchase" -> channel == null || channel.equals("shop-app") || channel.equals("web-shop") || channel.equals("crm");
                case "view_item" -> "web-shop".equals(channel);
                default -> false;
            };
            return known ? Optional.of(new EventDefinition(eventCode, eventCode, channel, cart)) : Optional.empty();
        }

        @Override
        public Optional<ChannelDefinition> channel(String appKey) {
            return Optional.ofNullable(channels.get(appKey));
        }

        @Override
        public Optional<InterfaceRef> channelInterface(String id) {
            return Optional.ofNullable(switch (id) {
                case "sms-1" -> new InterfaceRef(id, ChannelInterfaceType.SMS, true);
                case "email-1" -> new InterfaceRef(id, ChannelInterfaceType.EMAIL, true);
                case "push-1" -> new InterfaceRef(id, ChannelInterfaceType.PUSH, true);
                case "wh-on" -> new InterfaceRef(id, ChannelInterfaceType.WEBHOOK, true);
                case "wh-off" -> new InterfaceRef(id, ChannelInterfaceType.WEBHOOK, false);
                case "kafka-1" -> new InterfaceRef(id, ChannelInterfaceType.KAFKA, true);
                default -> null;
            });
        }

        @Override
        public Optional<TemplateRef> template(String id) {
            return Optional.ofNullable(switch (id) {
                case "t-sms" -> new TemplateRef(id, ChannelInterfaceType.SMS, true);
                case "t-sms-pending" -> new TemplateRef(id, ChannelInterfaceType.SMS, false);
                case "t-email" -> new TemplateRef(id, ChannelInterfaceType.EMAIL, true);
                case "t-push" -> new TemplateRef(id, ChannelInterfaceType.PUSH, true);
                default -> null;
            });
        }

        @Override
        public boolean tag(String tagId) {
            return tagId.equals("vip");
        }
    };

    static ObjectNode cart() throws Exception {
        try (InputStream in = JourneyValidatorTest.class.getResourceAsStream("/journeys/cart-abandonment.json")) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    static JourneyCheck check(JsonNode doc) throws Exception {
        return new JourneyValidator(CATALOG).check(JSON.treeToValue(doc, JourneyDefinition.class));
    }

    static JourneyCheck check(Consumer<ObjectNode> change) throws Exception {
        ObjectNode doc = cart();
        change.accept(doc);
        return check(doc);
    }

    static ObjectNode node(ObjectNode doc, String id) {
        for (JsonNode n : doc.get("nodes")) {
            if (n.get("id").asText().equals(id)) {
                return (ObjectNode) n;
            }
        }
        throw new IllegalArgumentException(id);
    }

    static ObjectNode config(ObjectNode doc, String id) {
        return (ObjectNode) node(doc, id).get("config");
    }

    static ObjectNode addNode(ObjectNode doc, String id, String type, String config) {
        try {
            ObjectNode n = ((ArrayNode) doc.get("nodes")).addObject().put("id", id).put("type", type);
            if (config != null) {
                n.set("config", JSON.readTree(config));
            }
            return n;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void edge(ObjectNode doc, String from, String to, String branch) {
        ObjectNode e = ((ArrayNode) doc.get("edges")).addObject().put("from", from).put("to", to);
        if (branch != null) {
            e.put("branch", branch);
        }
    }

    /**
     * Replaces the edge leaving {@code from} by {@code branch}: it now leads to {@code to}. An END node
     * that no edge enters any more is removed, as a canvas user would.
     */
    static void reroute(ObjectNode doc, String from, String branch, String to) {
        for (JsonNode e : doc.get("edges")) {
            if (e.get("from").asText().equals(from) && branch.equals(e.path("branch").asText(null))) {
                String old = e.get("to").asText();
                ((ObjectNode) e).put("to", to);
                boolean entered = false;
                for (JsonNode x : doc.get("edges")) {
                    entered |= x.get("to").asText().equals(old);
                }
                ArrayNode nodes = (ArrayNode) doc.get("nodes");
                for (int i = 0; i < nodes.size(); i++) {
                    if (!entered && nodes.get(i).get("id").asText().equals(old) && nodes.get(i).get("type").asText().equals("END")) {
                        nodes.remove(i);
                        break;
                    }
                }
                return;
            }
        }
        throw new IllegalArgumentException(from + "/" + branch);
    }

    static List<String> codes(List<Violation> vs) {
        return vs.stream().map(v -> v.code() + "@" + v.field()).toList();
    }

    @Test
    void theCartAbandonmentJourneyIsValidStartableAndMatchesTheSchema() throws Exception {
        ObjectNode doc = cart();
        assertThat(Schemas.violations("journey-definition-v1.schema.json", doc)).isEmpty();
        JourneyCheck c = check(doc);
        assertThat(c.errors()).isEmpty();
        assertThat(c.incomplete()).isEmpty();
        assertThat(c.startable()).isTrue();
        // the record survives a round trip: what the control plane stores is what it was given
        JsonNode back = JSON.valueToTree(JSON.treeToValue(doc, JourneyDefinition.class));
        assertThat(back).isEqualTo(doc);
    }

    @Test
    void aBranchWithoutAnActionOrEndMakesItIncompleteNotInvalid() throws Exception {
        JourneyCheck c = check(doc -> ((ArrayNode) doc.get("edges")).remove(1));
        assertThat(c.errors()).isEmpty();
        assertThat(c.valid()).isTrue();
        assertThat(c.startable()).isFalse();
        assertThat(c.incomplete()).containsExactly(new Violation("check", "nodes[check].branches.DONE", "OPEN_BRANCH",
                "branch DONE of check does not lead to an action or END yet"),
                new Violation("done", "nodes[done]", "UNREACHABLE", "node done cannot be reached from the start node yet"));

        JourneyCheck wait = check(doc -> {
            addNode(doc, "pause", "WAIT", "{\"duration\": {\"amount\": 2, \"unit\": \"HOURS\"}}");
            reroute(doc, "check", "DONE", "pause");
        });
        assertThat(codes(wait.incomplete())).containsExactly("OPEN_BRANCH@nodes[pause]");
        assertThat(wait.errors()).isEmpty();
        assertThat(codes(check(doc -> doc.set("nodes", JSON.createArrayNode())).incomplete())).containsExactly("NO_NODES@nodes");
    }

    @Test
    void anEventBranchMayKeepOnlyOneBehaviour() throws Exception {
        // "did not" only: those who bought leave the journey, no DONE edge is needed
        JourneyCheck notDone = check(doc -> {
            config(doc, "check").set("outcomes", JSON.createArrayNode().add("NOT_DONE"));
            ((ArrayNode) doc.get("edges")).remove(1);
            ArrayNode nodes = (ArrayNode) doc.get("nodes");
            nodes.remove(2); // the END the DONE branch led to
        });
        assertThat(notDone.errors()).isEmpty();
        assertThat(notDone.startable()).isTrue();
        // an edge by the behaviour left out is an error
        assertThat(codes(check(doc -> config(doc, "check").set("outcomes", JSON.createArrayNode().add("NOT_DONE"))).errors()))
                .containsExactly("UNKNOWN_BRANCH@edges(check→done).branch");
        assertThat(codes(check(doc -> config(doc, "check").set("outcomes", JSON.createArrayNode().add("MAYBE"))).errors()))
                .containsExactly("TYPE@nodes[check].config.outcomes");
    }

    @Test
    void participationIsAtMostTenEntriesWithinAtMostSevenDays() throws Exception {
        JourneyCheck c = check(doc -> ((ObjectNode) doc.get("trigger").get("participation")).put("maxEntries", 11).put("withinDays", 8));
        assertThat(c.errors()).containsExactly(
                new Violation(null, "trigger.participation.maxEntries", "OUT_OF_RANGE", "maxEntries must be 1-10, is 11"),
                new Violation(null, "trigger.participation.withinDays", "OUT_OF_RANGE", "withinDays must be 1-7, is 8"));
        assertThat(check(doc -> ((ObjectNode) doc.get("trigger")).set("participation", JSON.createObjectNode().put("mode", "ONCE"))).errors()).isEmpty();
        assertThat(codes(check(doc -> ((ObjectNode) doc.get("trigger")).remove("participation")).errors()))
                .containsExactly("REQUIRED@trigger.participation.mode");
        assertThat(codes(check(doc -> ((ObjectNode) doc.get("trigger").get("event")).put("times", 0)).errors()))
                .containsExactly("OUT_OF_RANGE@trigger.event.times");
    }

    @Test
    void windowsAndWaitsHaveTheProductsLimits() throws Exception {
        // EVENT_BRANCH: at most 1 day after an event trigger
        assertThat(check(doc -> config(doc, "check").set("window", span(1, "DAYS"))).errors()).isEmpty();
        assertThat(check(doc -> config(doc, "check").set("window", span(25, "HOURS"))).errors()).containsExactly(
                new Violation("check", "nodes[check].config.window", "OUT_OF_RANGE", "must be more than 0 and at most 1 day in event-triggered journeys, is 25 HOURS"));
        assertThat(codes(check(doc -> config(doc, "check").set("window", span(0, "MINUTES"))).errors())).containsExactly("OUT_OF_RANGE@nodes[check].config.window");
        assertThat(codes(check(doc -> config(doc, "check").set("window", JSON.createObjectNode().put("amount", 3).put("unit", "YEARS"))).errors()))
                .containsExactly("TYPE@nodes[check].config.window.unit");
        // ... and at most 15 days after an audience trigger
        Consumer<ObjectNode> audience = doc -> doc.set("trigger", JSON.createObjectNode().put("type", "AUDIENCE")
                .set("audience", JSON.createObjectNode().put("audienceId", "a-1")));
        assertThat(check(audience.andThen(doc -> {
            config(doc, "check").set("window", span(15, "DAYS"));
            ((ObjectNode) config(doc, "sms").get("variables").get(0)).put("from", "vip");
        })).errors()).isEmpty();
        assertThat(codes(check(audience.andThen(doc -> {
            config(doc, "check").set("window", span(16, "DAYS"));
            ((ObjectNode) config(doc, "sms").get("variables").get(0)).put("from", "vip");
        })).errors())).containsExactly("OUT_OF_RANGE@nodes[check].config.window");
        // WAIT: at most 30 days, a duration or an until time
        Consumer<ObjectNode> waitBeforeEnd = doc -> {
            addNode(doc, "pause", "WAIT", null);
            reroute(doc, "check", "DONE", "pause");
            addNode(doc, "end2", "END", null);
            edge(doc, "pause", "end2", null);
        };
        assertThat(check(waitBeforeEnd.andThen(doc -> node(doc, "pause").set("config", JSON.createObjectNode().set("duration", span(30, "DAYS"))))).errors()).isEmpty();
        assertThat(check(waitBeforeEnd.andThen(doc -> node(doc, "pause").set("config", JSON.createObjectNode().set("duration", span(5, "WEEKS"))))).errors())
                .containsExactly(new Violation("pause", "nodes[pause].config.duration", "OUT_OF_RANGE", "must be more than 0 and at most 30 days, is 5 WEEKS"));
        assertThat(check(waitBeforeEnd.andThen(doc -> node(doc, "pause").set("config", JSON.createObjectNode().put("until", 1_800_000_000_000L)))).errors()).isEmpty();
        assertThat(codes(check(waitBeforeEnd.andThen(doc -> node(doc, "pause").set("config", JSON.createObjectNode()))).errors()))
                .containsExactly("WAIT_KIND@nodes[pause].config");
    }

    static ObjectNode span(int amount, String unit) {
        return JSON.createObjectNode().put("amount", amount).put("unit", unit);
    }

    @Test
    void branchNodesHaveAtMostTenBranchesAndRandomOnesSumToAHundred() throws Exception {
        Consumer<ObjectNode> audience = doc -> {
            doc.set("trigger", JSON.createObjectNode().put("type", "AUDIENCE").set("audience", JSON.createObjectNode().put("audienceId", "a-1")));
            ((ObjectNode) config(doc, "sms").get("variables").get(0)).put("from", "vip");
        };
        Consumer<ObjectNode> random = audience.andThen(doc -> {
            addNode(doc, "split", "RANDOM_BRANCH", "{\"branches\": [{\"name\": \"a\", \"percent\": 50}, {\"name\": \"b\", \"percent\": 40}]}");
            reroute(doc, "check", "DONE", "split");
            addNode(doc, "ea", "END", null);
            addNode(doc, "eb", "END", null);
            edge(doc, "split", "ea", "a");
            edge(doc, "split", "eb", "b");
        });
        assertThat(check(random).errors()).containsExactly(
                new Violation("split", "nodes[split].config.branches", "PERCENT_SUM", "random percentages sum to 100, these to 90"));
        assertThat(check(random.andThen(doc -> ((ObjectNode) config(doc, "split").get("branches").get(1)).put("percent", 50))).errors()).isEmpty();

        StringBuilder eleven = new StringBuilder("{\"branches\": [");
        for (int i = 0; i < 11; i++) {
            eleven.append(i == 0 ? "" : ",").append("\"b").append(i).append('"');
        }
        JourneyCheck copies = check(audience.andThen(doc -> {
            addNode(doc, "copy", "COPY_BRANCH", eleven + "]}");
            reroute(doc, "check", "DONE", "copy");
        }));
        assertThat(codes(copies.errors())).containsExactly("TOO_MANY_BRANCHES@nodes[copy].config.branches");
        assertThat(copies.incomplete()).hasSize(11); // and none of them leads anywhere yet

        JourneyCheck tags = check(audience.andThen(doc -> {
            addNode(doc, "tags", "TAG_BRANCH", "{\"branches\": [{\"name\": \"vips\", \"tag\": \"vip\"}, {\"name\": \"x\", \"tag\": \"nope\"}]}");
            reroute(doc, "check", "DONE", "tags");
        }));
        assertThat(tags.errors()).containsExactly(new Violation("tags", "nodes[tags].config.branches[1].tag", "UNKNOWN_TAG", "no tag nope"));
        assertThat(codes(tags.incomplete())).containsExactly("OPEN_BRANCH@nodes[tags].branches.vips",
                "OPEN_BRANCH@nodes[tags].branches.x", "OPEN_BRANCH@nodes[tags].branches.OTHER");
    }

    @Test
    void nodesAreAvailableByTriggerTypeAndTheTriggerEventsAppType() throws Exception {
        Consumer<ObjectNode> push = doc -> {
            addNode(doc, "push", "PUSH", "{\"channel\": \"push-1\", \"template\": \"t-push\", \"idType\": \"IDFA\"}");
            reroute(doc, "check", "DONE", "push");
        };
        assertThat(check(push).errors()).isEmpty(); // APP channel
        assertThat(check(push.andThen(doc -> ((ObjectNode) doc.get("trigger").get("event")).put("channel", "web-shop"))).errors())
                .containsExactly(new Violation("push", "nodes[push].type", "NOT_AVAILABLE", "PUSH is not available to event-triggered journeys of a WEB event"));
        assertThat(check(push.andThen(doc -> ((ObjectNode) doc.get("trigger").get("event")).remove("channel"))).errors())
                .containsExactly(new Violation("push", "nodes[push].type", "NOT_AVAILABLE", "PUSH is not available to event-triggered journeys of an event from any channel"));
        assertThat(check(push.andThen(doc -> ((ObjectNode) doc.get("trigger").get("event")).put("channel", "crm"))).errors()).isEmpty();

        JourneyCheck wechat = check(doc -> {
            addNode(doc, "wx", "WECHAT", "{\"channel\": \"x\", \"template\": \"x\", \"idType\": \"OPEN_ID\"}");
            reroute(doc, "check", "DONE", "wx");
        });
        assertThat(codes(wechat.errors())).containsExactly("NOT_AVAILABLE@nodes[wx].type");
        JourneyCheck kafka = check(doc -> {
            addNode(doc, "k", "KAFKA_PUSH", "{\"channel\": \"kafka-1\", \"idType\": \"ONEID\"}");
            reroute(doc, "check", "DONE", "k");
        });
        assertThat(kafka.errors()).containsExactly(new Violation("k", "nodes[k].type", "NOT_AVAILABLE",
                "KAFKA_PUSH is not available to event-triggered journeys of a APP event"));
    }

    @Test
    void referencesMustExistAndFit() throws Exception {
        assertThat(check(doc -> ((ObjectNode) doc.get("trigger").get("event")).put("eventCode", "nope")).errors())
                .containsExactly(new Violation(null, "trigger.event.eventCode", "UNKNOWN_EVENT", "no event nope on channel shop-app"));
        assertThat(codes(check(doc -> ((ObjectNode) doc.get("trigger").get("event")).put("channel", "nope")).errors()))
                .containsExactly("UNKNOWN_CHANNEL@trigger.event.channel", "UNKNOWN_EVENT@trigger.event.eventCode",
                        "UNKNOWN_EVENT@nodes[check].config.event.eventCode"); // the branch watches the trigger's channel
        // conditions: the attribute exists (the channel's global ones count), fits the operator, values parse
        Consumer<ObjectNode> rule = doc -> ((ObjectNode) doc.get("trigger").get("event").get("conditions").get("rules").get(0)).put("attribute", "appVersion")
                .put("operator", "STARTS_WITH").set("values", JSON.createArrayNode().add("5."));
        assertThat(check(rule).errors()).isEmpty();
        assertThat(check(doc -> ((ObjectNode) doc.get("trigger").get("event").get("conditions").get("rules").get(0)).put("attribute", "colour")).errors())
                .containsExactly(new Violation(null, "trigger.event.conditions.rules[0].attribute", "UNKNOWN_ATTRIBUTE", "the event has no attribute colour"));
        assertThat(check(doc -> ((ObjectNode) doc.get("trigger").get("event").get("conditions").get("rules").get(0)).put("operator", "CONTAINS")).errors())
                .containsExactly(new Violation(null, "trigger.event.conditions.rules[0].operator", "OPERATOR_TYPE", "CONTAINS does not apply to NUMBER attribute price"));
        assertThat(check(doc -> ((ObjectNode) doc.get("trigger").get("event").get("conditions").get("rules").get(0)).set("values", JSON.createArrayNode().add("cheap"))).errors())
                .containsExactly(new Violation(null, "trigger.event.conditions.rules[0].values", "NOT_A_NUMBER", "price is a NUMBER; cheap is not a number"));
        assertThat(codes(check(doc -> ((ObjectNode) doc.get("trigger").get("event").get("conditions").get("rules").get(0)).put("operator", "BETWEEN")).errors()))
                .containsExactly("VALUE_COUNT@trigger.event.conditions.rules[0].values");
        // the action: interface, template, ID type, variables
        assertThat(check(doc -> config(doc, "sms").put("template", "t-sms-pending")).errors())
                .containsExactly(new Violation("sms", "nodes[sms].config.template", "TEMPLATE_NOT_APPROVED", "template t-sms-pending is not approved"));
        assertThat(codes(check(doc -> config(doc, "sms").put("template", "t-email")).errors())).containsExactly("TEMPLATE_TYPE@nodes[sms].config.template");
        assertThat(codes(check(doc -> config(doc, "sms").put("template", "t-none")).errors())).containsExactly("UNKNOWN_TEMPLATE@nodes[sms].config.template");
        assertThat(codes(check(doc -> config(doc, "sms").put("channel", "email-1")).errors())).containsExactly("INTERFACE_TYPE@nodes[sms].config.channel");
        assertThat(check(doc -> config(doc, "sms").put("idType", "EMAIL")).errors()).containsExactly(new Violation("sms", "nodes[sms].config.idType",
                "ID_TYPE_NOT_OBTAINABLE", "SMS cannot address a person by EMAIL; it can by [MOBILE]"));
        assertThat(check(doc -> ((ObjectNode) config(doc, "sms").get("variables").get(0)).put("from", "colour")).errors())
                .containsExactly(new Violation("sms", "nodes[sms].config.variables[0].from", "UNKNOWN_ATTRIBUTE", "the trigger event has no attribute colour"));
        assertThat(codes(check(doc -> ((ObjectNode) config(doc, "sms").get("variables").get(0)).remove("replacement")).errors()))
                .containsExactly("REQUIRED@nodes[sms].config.variables[0].replacement");
        JourneyCheck webhook = check(doc -> {
            addNode(doc, "hook", "WEBHOOK", "{\"channel\": \"wh-off\", \"idType\": \"ONEID\"}");
            reroute(doc, "check", "DONE", "hook");
        });
        assertThat(webhook.errors()).containsExactly(new Violation("hook", "nodes[hook].config.channel", "INTERFACE_DISABLED", "interface wh-off is disabled"));
        // EVENT_BRANCH watches the trigger's channel
        assertThat(codes(check(doc -> ((ObjectNode) config(doc, "check").get("event")).put("channel", "web-shop")).errors()))
                .containsExactly("CHANNEL_MISMATCH@nodes[check].config.event.channel");
        assertThat(codes(check(doc -> ((ObjectNode) config(doc, "check").get("event")).set("count", JSON.createObjectNode().put("operator", "BETWEEN").put("value", -1))).errors()))
                .containsExactly("OPERATOR_TYPE@nodes[check].config.event.count.operator", "TYPE@nodes[check].config.event.count.value");
    }

    @Test
    void theGraphIsADagFromTheStartWithEveryEdgeInItsPlace() throws Exception {
        assertThat(codes(check(doc -> edge(doc, "sms", "check", null)).errors())).contains("EDGE_TO_START@edges[2].to");
        JourneyCheck cycle = check(doc -> {
            addNode(doc, "w1", "WAIT", "{\"duration\": {\"amount\": 1, \"unit\": \"HOURS\"}}");
            addNode(doc, "w2", "WAIT", "{\"duration\": {\"amount\": 1, \"unit\": \"HOURS\"}}");
            reroute(doc, "check", "DONE", "w1");
            edge(doc, "w1", "w2", null);
            edge(doc, "w2", "w1", null);
        });
        assertThat(codes(cycle.errors())).containsExactly("CYCLE@nodes[w1]");
        JourneyCheck lonely = check(doc -> addNode(doc, "lonely", "END", null));
        assertThat(lonely.errors()).isEmpty();
        assertThat(codes(lonely.incomplete())).containsExactly("UNREACHABLE@nodes[lonely]");
        assertThat(codes(check(doc -> addNode(doc, "sms", "END", null)).errors())).containsExactly("DUPLICATE_NODE@nodes[sms].id");
        assertThat(codes(check(doc -> edge(doc, "done", "sms", null)).errors())).containsExactly("EDGE_FROM_END@edges(done→sms)");
        assertThat(check(doc -> {
            addNode(doc, "end2", "END", null);
            edge(doc, "sms", "end2", "NOT_DONE");
        }).errors()).containsExactly(new Violation("sms", "edges(sms→end2).branch", "NOT_A_BRANCH_NODE", "SMS has no branches"));
        assertThat(codes(check(doc -> {
            addNode(doc, "end2", "END", null);
            addNode(doc, "end3", "END", null);
            edge(doc, "sms", "end2", null);
            edge(doc, "sms", "end3", null);
        }).errors())).containsExactly("TWO_WAYS_OUT@edges(sms→end3)");
        assertThat(codes(check(doc -> edge(doc, "check", "ghost", "DONE")).errors())).containsExactly("UNKNOWN_NODE@edges[2].to");
        assertThat(check(doc -> {
            addNode(doc, "end2", "END", null);
            edge(doc, "check", "end2", "MAYBE");
        }).errors()).containsExactly(new Violation("check", "edges(check→end2).branch", "UNKNOWN_BRANCH",
                "EVENT_BRANCH check leaves by [DONE, NOT_DONE], not by MAYBE"));
        // two branches may meet again: a DAG, not only a tree
        assertThat(check(doc -> reroute(doc, "check", "DONE", "sms")).errors()).containsExactly();
    }

    @Test
    void aResultBranchFollowsTheActionWhoseResultItRoutesBy() throws Exception {
        Consumer<ObjectNode> result = doc -> {
            addNode(doc, "res", "RESULT_BRANCH", "{\"action\": \"sms\", \"actionType\": \"SMS\", \"wait\": {\"amount\": 1, \"unit\": \"HOURS\"}}");
            edge(doc, "sms", "res", null);
            for (String b : List.of("SUCCESS", "FAILURE", "OTHER")) {
                addNode(doc, "end-" + b, "END", null);
                edge(doc, "res", "end-" + b, b);
            }
        };
        assertThat(check(result).errors()).isEmpty();
        assertThat(check(result).startable()).isTrue();
        // by the DONE branch too, which does not pass the SMS: then it is not before the result branch on every path
        JourneyCheck both = check(result.andThen(doc -> reroute(doc, "check", "DONE", "res")));
        assertThat(codes(both.errors())).containsExactly("NOT_UPSTREAM@nodes[res].config.action");
        assertThat(codes(check(result.andThen(doc -> config(doc, "res").put("action", "check"))).errors()))
                .containsExactly("NOT_A_RESULT_ACTION@nodes[res].config.action");
        assertThat(codes(check(result.andThen(doc -> config(doc, "res").put("actionType", "PUSH"))).errors()))
                .contains("ACTION_TYPE@nodes[res].config.actionType");
    }
}
