package dev.qaengine.controlplane.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import dev.qaengine.controlplane.support.ControlRecords;
import dev.qaengine.model.AppType;
import dev.qaengine.model.AttributeDefinition;
import dev.qaengine.model.AttributeType;
import dev.qaengine.model.ChannelDefinition;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.ControlRecord;
import dev.qaengine.model.EventCatalog;
import dev.qaengine.model.EventDefinition;
import dev.qaengine.model.EventMessageV1;
import dev.qaengine.model.IdType;
import dev.qaengine.model.IdentityLink;
import dev.qaengine.model.IdentityMessageV1;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared wire types carry jackson-annotations only; the jobs write and read them with Jackson 2,
 * the control plane with Boot's Jackson 3 mapper (spring.jackson.use-jackson2-defaults=true). Both must
 * produce the same bytes, and each must read what the other wrote.
 */
class WireJsonCompatibilityTest extends ControlPlaneTest {
    /** jobs/common Json.MAPPER's configuration. */
    private static final ObjectMapper JACKSON2 = ControlRecords.JOBS_JSON;

    @Autowired
    JsonMapper jackson3;

    static EventCatalog catalog() {
        return new EventCatalog("56621289-820e-433a-9947-000000000000",
                List.of(new ChannelDefinition("eventsource001", "Shop app", AppType.MINI_PROGRAM,
                                List.of(new AttributeDefinition("app_version", "App version", AttributeType.TEXT))),
                        new ChannelDefinition("mini001", "Mini program", AppType.MINI_PROGRAM, List.of(), IdType.OPEN_ID)),
                List.of(new EventDefinition("add_to_cart", "Add to cart", "eventsource001", List.of(
                                new AttributeDefinition("price", "Price", AttributeType.NUMBER),
                                new AttributeDefinition("sku", "SKU", AttributeType.TEXT))),
                        new EventDefinition("login", "Login", null, List.of())));
    }

    static EventMessageV1 event() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("sku", "A-1001");
        attributes.put("price", "129.00");
        attributes.put("note", "\"quoted\" ünïcödé 雙");
        return EventMessageV1.of("56621289-820e-433a-9947-000000000000", "customer001", "eventsource001", "add_to_cart",
                1625126360471L, attributes);
    }

    @Test
    void controlRecordWithACatalogIsWrittenIdentically() throws Exception {
        ControlRecord record = new ControlRecord(ControlRecord.VERSION, ControlKind.EVENT_CATALOG, catalog().orgId(), 1764300000123L, catalog());
        String two = JACKSON2.writeValueAsString(record);
        String three = jackson3.writeValueAsString(record);
        assertThat(three).isEqualTo(two);
        assertThat(two).startsWith("{\"v\":1,\"kind\":\"EVENT_CATALOG\",\"subject\":");
        // and each reads the other's output back to the same catalog
        assertThat(JACKSON2.convertValue(JACKSON2.readValue(three, ControlRecord.class).payload(), EventCatalog.class)).isEqualTo(catalog());
        assertThat(jackson3.convertValue(jackson3.readValue(two, ControlRecord.class).payload(), EventCatalog.class)).isEqualTo(catalog());
    }

    @Test
    void tombstoneLessRecordOmitsNullsTheSameWay() throws Exception {
        ControlRecord record = new ControlRecord(1, ControlKind.EVENT_CATALOG, "org", 7, null);
        assertThat(jackson3.writeValueAsString(record)).isEqualTo(JACKSON2.writeValueAsString(record))
                .isEqualTo("{\"v\":1,\"kind\":\"EVENT_CATALOG\",\"subject\":\"org\",\"version\":7}");
    }

    @Test
    void eventMessageIsWrittenIdentically() throws Exception {
        String two = JACKSON2.writeValueAsString(event());
        assertThat(jackson3.writeValueAsString(event())).isEqualTo(two);
        assertThat(jackson3.readValue(two, EventMessageV1.class)).isEqualTo(event());
        assertThat(JACKSON2.readValue(jackson3.writeValueAsString(event()), EventMessageV1.class)).isEqualTo(event());
        // the misspelled field is the wire name (CONTRACTS.md §1), absent optional fields are omitted
        assertThat(two).contains("\"orgnizationId\":").doesNotContain("organizationId");
        EventMessageV1 minimal = new EventMessageV1("o", "c", null, "e", 1L, null, 1);
        assertThat(jackson3.writeValueAsString(minimal)).isEqualTo(JACKSON2.writeValueAsString(minimal))
                .isEqualTo("{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":1,\"v\":1}");
    }

    @Test
    void identityMessageIsWrittenIdentically() throws Exception {
        IdentityMessageV1 m = IdentityMessageV1.of("o", "customer001", List.of(IdentityLink.of(IdType.MOBILE, "13888888888")));
        String two = JACKSON2.writeValueAsString(m);
        assertThat(jackson3.writeValueAsString(m)).isEqualTo(two)
                .isEqualTo("{\"orgnizationId\":\"o\",\"customerId\":\"customer001\",\"customerIdList\":[{\"customerId\":\"13888888888\",\"idMapping\":\"mobile\"}],\"v\":1}");
        assertThat(jackson3.readValue(two, IdentityMessageV1.class)).isEqualTo(m);
    }
    @Test
    void theOtherControlPayloadsAndReceiptsAreWrittenIdentically() throws Exception {
        java.util.Map<String, dev.qaengine.model.DeliveryStatus> codes = new java.util.TreeMap<>(java.util.Map.of(
                "200", dev.qaengine.model.DeliveryStatus.SUCCESS, "500", dev.qaengine.model.DeliveryStatus.FAILURE));
        List<Object> values = List.of(
                new dev.qaengine.model.IdentitySettings("o", List.of(IdType.ONEID, IdType.MOBILE), 50),
                new dev.qaengine.model.OrgKeys("o", "v1:AAECAwQFBgcICQoLNDG1aaCR7/4ix3ArMPF42H2/D7G23qfDBf/fEJw="),
                new dev.qaengine.model.ChannelInterface("o", "w", "i", dev.qaengine.model.ChannelInterfaceType.WEBHOOK, "Hook", false, null, null,
                        new dev.qaengine.model.ChannelInterface.Webhook("https://x.example.com", dev.qaengine.model.WebhookAuth.SECRET, "v1:abc",
                                List.of(IdType.OPEN_ID), List.of(new dev.qaengine.model.ChannelInterface.WebhookParameter("p", "P",
                                AttributeType.NUMBER, true)), new dev.qaengine.model.ChannelInterface.Receipt(60, codes)), null, null, null),
                new dev.qaengine.model.ChannelInterface("o", "w", "k", dev.qaengine.model.ChannelInterfaceType.KAFKA, "K", true, null, null, null,
                        null, null, new dev.qaengine.model.ChannelInterface.Kafka("k:9092", "t", new dev.qaengine.model.ChannelInterface.Sasl(
                        dev.qaengine.model.SaslMechanism.SCRAM_SHA_256, "u", "v1:pw"), true)),
                dev.qaengine.model.DeliveryReceipt.webhook("o", "w", "t", "m", "c", "200", dev.qaengine.model.DeliveryStatus.SUCCESS, 1L, null, 2L),
                // what the identity job writes and the control plane reads: the person directory, refused links
                new dev.qaengine.model.PersonRecord(1, "o", "p-1", 1764300000123L, 4, List.of(new dev.qaengine.model.Identifier(IdType.ONEID, "c1"),
                        new dev.qaengine.model.Identifier(IdType.MOBILE, "13800138000"))),
                new dev.qaengine.model.IdentityAudit(1, "o", dev.qaengine.model.IdentityRefusal.UNIQUE_TYPE_CONFLICT, "ONEID is unique", "ONEID",
                        "c2", "oneid", "c1", List.of("p-1", "p-2"), 1764300000123L, 7),
                new dev.qaengine.model.IdentityAudit(1, "o", dev.qaengine.model.IdentityRefusal.MALFORMED_MESSAGE, "not JSON", null, null, null,
                        null, List.of(), 1764300000123L, 0));
        for (Object v : values) {
            String two = JACKSON2.writeValueAsString(v);
            assertThat(jackson3.writeValueAsString(v)).as(v.getClass().getSimpleName()).isEqualTo(two);
            assertThat(jackson3.readValue(two, v.getClass())).isEqualTo(v);
            assertThat(JACKSON2.readValue(jackson3.writeValueAsString(v), v.getClass())).isEqualTo(v);
        }
    }
}
