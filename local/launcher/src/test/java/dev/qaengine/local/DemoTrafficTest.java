package dev.qaengine.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.ControlRecords;
import dev.qaengine.common.Json;
import dev.qaengine.model.ControlRecord;
import dev.qaengine.model.EventCatalog;
import dev.qaengine.model.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoTrafficTest {

    @Test
    void catalogRecordIsKeyedByKindAndOrg() throws Exception {
        ProducerRecord<byte[], byte[]> rec = ControlRecords.catalog(DemoTraffic.catalog("demo-org"), 7);
        assertThat(rec.topic()).isEqualTo(Topics.CONTROL);
        assertThat(new String(rec.key(), StandardCharsets.UTF_8)).isEqualTo("EVENT_CATALOG:demo-org");
        ControlRecord read = Json.MAPPER.readValue(rec.value(), ControlRecord.class);
        EventCatalog catalog = Json.MAPPER.convertValue(read.payload(), EventCatalog.class);
        assertThat(catalog).isEqualTo(DemoTraffic.catalog("demo-org"));
        assertThat(catalog.eventsOrEmpty()).extracting(e -> e.eventCode())
                .containsExactly("view_item", "add_to_cart", "purchase");
    }

    @Test
    void goodMessagesUseTheWireNamesAndOnlyDefinedAttributes() throws Exception {
        for (int i = 0; i < 50; i++) {
            JsonNode m = Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(
                    DemoTraffic.goodMessage("demo-org", "cust-1", ThreadLocalRandom.current())));
            assertThat(m.path("orgnizationId").asText()).isEqualTo("demo-org");
            assertThat(m.path("eventSourceCode").asText()).isEqualTo("shop-app");
            assertThat(m.path("v").asInt()).isEqualTo(1);
            assertThat(m.path("extendAttributes").fieldNames()).toIterable()
                    .isSubsetOf("sku", "price", "quantity", "appVersion");
            assertThat(m.path("extendAttributes").path("price").asText()).matches("\\d+\\.\\d{2}");
        }
    }

    @Test
    void badMessagesRotateThroughThreeKinds() throws Exception {
        assertThatThrownBy(() -> Json.MAPPER.readTree(DemoTraffic.badMessage("demo-org", 3, "cust-1")))
                .as("truncated JSON").isInstanceOf(Exception.class);
        assertThat(Json.MAPPER.readTree(DemoTraffic.badMessage("demo-org", 4, "cust-1")).path("eventCode").asText()).isEqualTo("teleport");
        assertThat(Json.MAPPER.readTree(DemoTraffic.badMessage("demo-org", 5, "cust-1")).path("extendAttributes").path("price").asText())
                .isEqualTo("cheap");
    }

    @Test
    void httpBatchesAreJsonArraysOfTheMessages() throws Exception {
        byte[] a = DemoTraffic.badMessage("demo-org", 4, "cust-1");
        byte[] b = DemoTraffic.badMessage("demo-org", 5, "cust-2");
        JsonNode batch = Json.MAPPER.readTree(DemoTraffic.jsonArray(java.util.List.of(a, b)));
        assertThat(batch.isArray()).isTrue();
        assertThat(batch).hasSize(2);
        assertThat(batch.get(0)).isEqualTo(Json.MAPPER.readTree(a));
        assertThat(batch.get(1).path("customerId").asText()).isEqualTo("cust-2");
    }
}
