package dev.qaengine.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.Json;
import dev.qaengine.model.Schemas;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalWriterTest {
    final Catalog catalog = new Catalog(Fixtures.catalog(), 1);
    final EventParser parser = new EventParser(Limits.defaults());

    @Test
    void writesValidEscapedJsonWithSortedTypedAttributes() throws Exception {
        String tricky = "q\\\"uote\\\\ back\\n line\\t tab \\u0001 ctl 中文 🎉";
        RawElement e = parser.parse(Fixtures.event("c\\\"1", "add_to_cart", EventParserTest.NOW,
                        "{\"sku\":\"" + tricky + "\",\"price\":\"0012.500\",\"city\":\"杭州\"}").getBytes(StandardCharsets.UTF_8),
                new EventParser.Source("t", 0, 0, EventParserTest.NOW + 5, null)).get(0);
        Validation.Outcome ok = Validation.validate(e, catalog);
        CanonicalWriter.Written w = new CanonicalWriter().write(e, ok);

        JsonNode n = Json.MAPPER.readTree(w.json());
        assertThat(Schemas.violations("canonical-event-v1.schema.json", n)).isEmpty();
        assertThat(n.get("customerId").asText()).isEqualTo("c\"1");
        assertThat(n.get("attributes").get("sku").asText()).isEqualTo("q\"uote\\ back\n line\t tab \u0001 ctl 中文 🎉");
        assertThat(n.get("attributes").get("price").isNumber()).isTrue();
        assertThat(n.get("attributes").get("price").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(n.get("attributes").get("city").asText()).isEqualTo("杭州");
        assertThat(n.get("attributes").fieldNames()).toIterable().containsExactly("city", "price", "sku");
        assertThat(n.get("eventId").asText()).isEqualTo(w.eventId()).matches("[0-9a-f]{32}");
        assertThat(Long.parseUnsignedLong(w.eventId().substring(0, 16), 16)).isEqualTo(w.idBits());
        assertThat(n.get("eventTime").asLong()).isEqualTo(EventParserTest.NOW);
        assertThat(n.get("ingestTime").asLong()).isEqualTo(EventParserTest.NOW + 5);
        assertThat(n.get("appType").asText()).isEqualTo("APP");
        assertThat(n.has("customerIdType")).as("ONEID, the default, is not written").isFalse();
    }

    @Test
    void aChannelsCustomerIdTypeTravelsOnItsEventsForTheIdentityJob() throws Exception {
        String mini = Fixtures.event("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "login", EventParserTest.NOW, "{}").replace("shop-app", "mini");
        RawElement e = parser.parse(mini.getBytes(StandardCharsets.UTF_8), new EventParser.Source("t", 0, 0, EventParserTest.NOW, null)).get(0);
        Validation.Outcome ok = Validation.validate(e, catalog);
        JsonNode n = Json.MAPPER.readTree(new CanonicalWriter().write(e, ok).json());
        assertThat(Schemas.violations("canonical-event-v1.schema.json", n)).isEmpty();
        assertThat(n.get("customerIdType").asText()).isEqualTo("OPEN_ID");
        assertThat(n.get("appType").asText()).isEqualTo("MINI_PROGRAM");
    }
}
