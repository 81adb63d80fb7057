package dev.qaengine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The payloads of the control kinds beyond the event catalog, and DeliveryReceipt: schema-valid, round-tripping. */
class ControlPayloadsTest {
    private static final String RECORD = "control-record-v1.schema.json";
    private final ObjectMapper mapper = new ObjectMapper();
    private final SecretBox box = SecretBox.fromBase64(SecretBox.newKeyBase64());

    private JsonNode controlRecord(ControlKind kind, String subject, Object payload) {
        return mapper.valueToTree(new ControlRecord(ControlRecord.VERSION, kind, subject, 42, payload));
    }

    @Test
    void theSchemaNamesEveryControlKind() throws Exception {
        JsonNode kinds = mapper.readTree(getClass().getResourceAsStream("/state-schemas/" + RECORD)).at("/properties/kind/enum");
        List<String> names = new ArrayList<>();
        kinds.forEach(n -> names.add(n.asText()));
        assertThat(names).containsExactlyInAnyOrder(Arrays.stream(ControlKind.values()).map(Enum::name).toArray(String[]::new));
    }

    @Nested
    class Identity {
        @Test
        void settingsRoundTripAndMatchTheirSchema() throws Exception {
            IdentitySettings s = new IdentitySettings("org", List.of(IdType.ONEID, IdType.MOBILE), 200);
            JsonNode json = mapper.valueToTree(s);
            assertThat(json.toString()).isEqualTo("{\"orgId\":\"org\",\"uniqueIdTypes\":[\"ONEID\",\"MOBILE\"],\"maxIdentifiersPerPerson\":200}");
            assertThat(Schemas.violations("identity-settings-v1.schema.json", json)).isEmpty();
            assertThat(Schemas.violations(RECORD, controlRecord(ControlKind.IDENTITY_SETTINGS, "org", s))).isEmpty();
            assertThat(mapper.treeToValue(json, IdentitySettings.class)).isEqualTo(s);
        }

        @Test
        void defaultsAreOneIdUniqueAndFiftyIdentifiers() {
            IdentitySettings d = IdentitySettings.defaults("org");
            assertThat(d.uniqueIdTypes()).containsExactly(IdType.ONEID);
            assertThat(d.maxIdentifiersPerPerson()).isEqualTo(50);
            assertThat(new IdentitySettings("o", null, 1).uniqueIdTypesOrEmpty()).isEmpty();
        }

        @Test
        void theSchemaRefusesOutOfRangeCapsAndRepeatedTypes() throws Exception {
            for (String bad : List.of(
                    "{\"orgId\":\"o\",\"uniqueIdTypes\":[],\"maxIdentifiersPerPerson\":0}",
                    "{\"orgId\":\"o\",\"uniqueIdTypes\":[],\"maxIdentifiersPerPerson\":1001}",
                    "{\"orgId\":\"o\",\"uniqueIdTypes\":[\"ONEID\",\"ONEID\"],\"maxIdentifiersPerPerson\":5}",
                    "{\"orgId\":\"o\",\"uniqueIdTypes\":[\"oneid\"],\"maxIdentifiersPerPerson\":5}")) {
                assertThat(Schemas.violations("identity-settings-v1.schema.json", mapper.readTree(bad))).as(bad).isNotEmpty();
            }
        }
    }

    @Nested
    class Keys {
        @Test
        void orgKeysCarryTheAesKeySealed() throws Exception {
            OrgKeys k = new OrgKeys("org", box.seal("0123456789abcdef"));
            JsonNode json = mapper.valueToTree(k);
            assertThat(json.toString()).doesNotContain("0123456789abcdef");
            assertThat(Schemas.violations("org-keys-v1.schema.json", json)).isEmpty();
            assertThat(Schemas.violations(RECORD, controlRecord(ControlKind.ORG_KEYS, "org", k))).isEmpty();
            assertThat(new AesIdCodec(box.open(mapper.treeToValue(json, OrgKeys.class).aesKey())).encrypt("x")).isNotEmpty();
        }

        @Test
        void aClearKeyDoesNotMatchTheSchema() {
            JsonNode json = mapper.valueToTree(new OrgKeys("org", "0123456789abcdef"));
            assertThat(Schemas.violations("org-keys-v1.schema.json", json)).isNotEmpty();
        }
    }

    @Nested
    class Interfaces {
        ChannelInterface webhook() {
            Map<String, DeliveryStatus> codes = new LinkedHashMap<>();
            codes.put("200", DeliveryStatus.SUCCESS);
            codes.put("500", DeliveryStatus.FAILURE);
            return new ChannelInterface("org", "ws", "wh-1", ChannelInterfaceType.WEBHOOK, "Coupons", false, null, null,
                    new ChannelInterface.Webhook("https://partner.example.com/hook", WebhookAuth.SECRET, box.seal("123456789"),
                            List.of(IdType.OPEN_ID, IdType.MOBILE),
                            List.of(new ChannelInterface.WebhookParameter("define_item1", "Coupon", AttributeType.TEXT, true)),
                            new ChannelInterface.Receipt(1440, codes)),
                    null, null, null);
        }

        List<ChannelInterface> everyType() {
            return List.of(
                    new ChannelInterface("org", "ws", "s", ChannelInterfaceType.SMS, "SMS", true,
                            new ChannelInterface.Platform("https://sms.example.com/api", null), null, null, null, null, null),
                    new ChannelInterface("org", "ws", "e", ChannelInterfaceType.EMAIL, "Mail", true, null,
                            new ChannelInterface.Platform("http://mail.example.com", true), null, null, null, null),
                    webhook(),
                    new ChannelInterface("org", "ws", "p", ChannelInterfaceType.PUSH, "Umeng", true, null, null, null,
                            new ChannelInterface.Push(ChannelInterface.Push.UMENG, "5f8a", box.seal("master")), null, null),
                    new ChannelInterface("org", "ws", "w", ChannelInterfaceType.WECHAT, "OA", true, null, null, null, null,
                            new ChannelInterface.Wechat("wx0123456789abcdef", box.seal("app-secret")), null),
                    new ChannelInterface("org", "ws", "k", ChannelInterfaceType.KAFKA, "Audiences", true, null, null, null, null, null,
                            new ChannelInterface.Kafka("k1:9092,k2:9092", "audience.push",
                                    new ChannelInterface.Sasl(SaslMechanism.SCRAM_SHA_512, "qa", box.seal("pw")), true)));
        }

        @Test
        void everyTypeRoundTripsAndMatchesTheSchemas() throws Exception {
            for (ChannelInterface i : everyType()) {
                JsonNode json = mapper.valueToTree(i);
                assertThat(Schemas.violations("channel-interface-v1.schema.json", json)).as(i.type().name()).isEmpty();
                assertThat(Schemas.violations(RECORD, controlRecord(ControlKind.CHANNEL_INTERFACE,
                        ChannelInterface.subject(i.orgId(), i.id()), i))).as(i.type().name()).isEmpty();
                assertThat(mapper.treeToValue(json, ChannelInterface.class)).isEqualTo(i);
            }
        }

        @Test
        void saslMechanismsAreSpelledAsKafkaSpellsThem() throws Exception {
            assertThat(mapper.writeValueAsString(SaslMechanism.SCRAM_SHA_256)).isEqualTo("\"SCRAM-SHA-256\"");
            assertThat(mapper.readValue("\"SCRAM-SHA-512\"", SaslMechanism.class)).isEqualTo(SaslMechanism.SCRAM_SHA_512);
            for (SaslMechanism m : SaslMechanism.values()) {
                assertThat(mapper.writeValueAsString(m)).isEqualTo("\"" + m.kafkaName() + "\"");
            }
        }

        @Test
        void theSchemaCatchesAMissingOrExtraTypeMemberAClearSecretAndAReservedParameterName() throws Exception {
            ObjectNode wrongMember = mapper.valueToTree(webhook());
            wrongMember.set("sms", mapper.readTree("{\"callbackUrlPrefix\":\"https://x\"}"));
            ObjectNode noMember = mapper.valueToTree(webhook());
            noMember.remove("webhook");
            ObjectNode clearSecret = mapper.valueToTree(webhook());
            ((ObjectNode) clearSecret.get("webhook")).put("secret", "123456789");
            ObjectNode noSecret = mapper.valueToTree(webhook());
            ((ObjectNode) noSecret.get("webhook")).remove("secret");
            ObjectNode reserved = mapper.valueToTree(webhook());
            ((ObjectNode) reserved.at("/webhook/parameters/0")).put("name", "vars");
            ObjectNode longPeriod = mapper.valueToTree(webhook());
            ((ObjectNode) longPeriod.at("/webhook/receipt")).put("periodMinutes", 72 * 60 + 1);
            for (JsonNode bad : List.of(wrongMember, noMember, clearSecret, noSecret, reserved, longPeriod)) {
                assertThat(Schemas.violations("channel-interface-v1.schema.json", bad)).as(bad.toString()).isNotEmpty();
            }
            JsonNode badSubject = controlRecord(ControlKind.CHANNEL_INTERFACE, "org", webhook());
            assertThat(Schemas.violations(RECORD, badSubject)).isNotEmpty();
        }
    }

    @Nested
    class Receipts {
        @Test
        void aReceiptRoundTripsAndMatchesItsSchema() throws Exception {
            DeliveryReceipt r = DeliveryReceipt.webhook("org", "wh-1", "2e6eceb5737b473284c930c8ef79090e", "236eceb5737b473284c930c8ef79090e",
                    "1917810", "200", DeliveryStatus.SUCCESS, 1625037472000L, 1625037473000L, 1625037474000L);
            JsonNode json = mapper.valueToTree(r);
            assertThat(json.get("type").asText()).isEqualTo("WEBHOOK_RECEIPT");
            assertThat(Schemas.violations("delivery-receipt-v1.schema.json", json)).isEmpty();
            assertThat(mapper.treeToValue(json, DeliveryReceipt.class)).isEqualTo(r);

            DeliveryReceipt unreported = DeliveryReceipt.webhook("org", "wh-1", "t", "m", "c", "E1", DeliveryStatus.FAILURE, 1, null, 2);
            JsonNode minimal = mapper.valueToTree(unreported);
            assertThat(minimal.has("reportedTime")).isFalse();
            assertThat(Schemas.violations("delivery-receipt-v1.schema.json", minimal)).isEmpty();
            ((ObjectNode) minimal).put("status", "OTHER");
            assertThat(Schemas.violations("delivery-receipt-v1.schema.json", minimal)).isNotEmpty();
        }

        @Test
        void theyGoToTheDeliveriesTopic() {
            assertThat(Topics.DELIVERIES).isEqualTo("qa.deliveries");
        }
    }
}
