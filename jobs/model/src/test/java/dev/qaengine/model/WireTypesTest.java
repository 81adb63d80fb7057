package dev.qaengine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every wire type, written by its Java record, satisfies its schema and reads back equal. */
class WireTypesTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void eventMessageUsesTheProductsFieldNamesIncludingTheMisspelling() throws Exception {
        EventMessageV1 m = EventMessageV1.of("56621289-820e-433a-9947-000000000000", "customer001", "eventsource001",
                "event001", 1625126360471L, Map.of("key1", "123456"));
        JsonNode json = mapper.valueToTree(m);
        assertThat(json.has("orgnizationId")).isTrue();
        assertThat(json.has("orgId")).isFalse();
        assertThat(Schemas.violations("event-message-v1.schema.json", json)).isEmpty();
        assertThat(mapper.treeToValue(json, EventMessageV1.class)).isEqualTo(m);
    }

    @Test
    void contractExampleIsAValidEventMessage() throws Exception {
        JsonNode example = mapper.readTree("""
                {"orgnizationId":"56621289-820e-433a-9947-000000000000","customerId":"customer001",
                 "eventSourceCode":"eventsource001","eventCode":"event001","eventTime":1625126360471,
                 "extendAttributes":{"key1":"123456"},"v":1}""");
        assertThat(Schemas.violations("event-message-v1.schema.json", example)).isEmpty();
        assertThat(Schemas.violations("event-message-v1.schema.json", mapper.readTree("[" + example + "," + example + "]"))).isEmpty();
        assertThat(Schemas.violations("event-message-v1.schema.json", mapper.readTree("{\"customerId\":\"c\"}"))).isNotEmpty();
    }

    @Test
    void canonicalEventRoundTripsAndMatchesItsSchema() throws Exception {
        CanonicalEvent e = new CanonicalEvent(1, "0123456789abcdef0123456789abcdef", "org", "c1", "shop-app", AppType.APP,
                "add_to_cart", Map.of("sku", "A-1", "price", 12.5), 1_700_000_000_000L, 1_700_000_000_100L);
        JsonNode json = mapper.valueToTree(e);
        assertThat(Schemas.violations("canonical-event-v1.schema.json", json)).isEmpty();
        assertThat(mapper.treeToValue(json, CanonicalEvent.class)).isEqualTo(e);
        assertThat(Schemas.violations("canonical-event-v1.schema.json", mapper.readTree("{\"v\":1}")))
                .anyMatch(v -> v.contains("eventId"));
    }

    @Test
    void eventCatalogControlRecordMatchesBothSchemas() throws Exception {
        EventCatalog catalog = new EventCatalog("org", List.of(new ChannelDefinition("shop-app", "Shop", AppType.APP,
                List.of(new AttributeDefinition("city", "City", AttributeType.TEXT)))),
                List.of(new EventDefinition("buy", "Buy", "shop-app", List.of(new AttributeDefinition("amount", "Amount", AttributeType.NUMBER)))));
        ControlRecord record = new ControlRecord(1, ControlKind.EVENT_CATALOG, "org", 7, catalog);
        JsonNode json = mapper.valueToTree(record);
        assertThat(record.key()).isEqualTo("EVENT_CATALOG:org");
        assertThat(Schemas.violations("control-record-v1.schema.json", json)).isEmpty();
        assertThat(mapper.treeToValue(json.get("payload"), EventCatalog.class)).isEqualTo(catalog);

        ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("payload").get("events").get(0).get("attributes").get(0))
                .put("type", "DATE");
        assertThat(Schemas.violations("control-record-v1.schema.json", json)).isNotEmpty();
    }

    @Test
    void dlqHeaderSchemaNamesEveryReason() throws Exception {
        JsonNode reasons = mapper.readTree(getClass().getResourceAsStream("/state-schemas/dlq-record-v1.schema.json"))
                .at("/properties/qa.reason/enum");
        List<String> names = new java.util.ArrayList<>();
        reasons.forEach(n -> names.add(n.asText()));
        assertThat(names).containsExactlyInAnyOrder(java.util.Arrays.stream(DlqReason.values()).map(Enum::name).toArray(String[]::new));
    }
}
