package dev.qaengine.controlplane.ingest;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import dev.qaengine.controlplane.support.ControlRecords;
import dev.qaengine.controlplane.support.TestKafka;
import dev.qaengine.model.EventMessageV1;
import dev.qaengine.model.IdType;
import dev.qaengine.model.IdentityLink;
import dev.qaengine.model.IdentityMessageV1;
import dev.qaengine.model.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/v1/events and /api/v1/identities against a real broker: records, keys, and the documented answers. */
class IngestIT extends ControlPlaneTest {

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.key(), StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** Records of the given customers (unique per test), once there are {@code n} of them. */
    private static List<ConsumerRecord<byte[], byte[]>> await(String topic, String org, int n, String... customers) {
        List<String> keys = java.util.Arrays.stream(customers).map(c -> org + "|" + c).toList();
        return TestKafka.readUntil(topic, null, l -> l.stream().filter(r -> keys.contains(key(r))).count() >= n, Duration.ofSeconds(30))
                .stream().filter(r -> keys.contains(key(r))).toList();
    }

    private static void assertError(Api.Response r, int status, String code, String descStart) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.text("/errorCode")).isEqualTo(code);
        assertThat(r.text("/errorDesc")).startsWith(descStart);
        assertThat(r.text("/traceId")).hasSize(32);
    }

    @Nested
    class Events {
        @Test
        void aBatchBecomesOneRecordPerMessageKeyedByOrgAndCustomer() throws Exception {
            Org org = newOrg();
            String c1 = "c1-" + UUID.randomUUID();
            String c2 = "c2-" + UUID.randomUUID();
            Api.Response r = key(org, "DEVELOPER").post("/api/v1/events", """
                    [{"customerId":"%s","eventCode":"buy","eventTime":1625126360471,"extendAttributes":{"price":12.50,"sku":"A"},"v":1},
                     {"organizationId":"%s","customerId":"%s","eventSourceCode":"app","eventCode":"view","eventTime":"1625126360472"},
                     {"orgnizationId":"%s","customerId":"%s","eventCode":"buy","eventTime":1625126360473,"unknown":{"x":1},
                      "extendAttributes":{"gone":null,"flag":true}}]"""
                    .formatted(c1, org.id(), c2, org.id(), c1));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().get("success").asBoolean()).isTrue();
            assertThat(r.json().get("errorCode").isNull()).isTrue();
            assertThat(r.json().get("errorDesc").isNull()).isTrue();
            String traceId = r.text("/traceId");

            List<ConsumerRecord<byte[], byte[]>> records = await(Topics.EVENTS_RAW, org.id(), 3, c1, c2);
            assertThat(records).hasSize(3);
            assertThat(records).allSatisfy(rec -> assertThat(header(rec, IngestTopics.TRACE_HEADER)).isEqualTo(traceId));
            Map<String, List<EventMessageV1>> byKey = records.stream().collect(Collectors.groupingBy(IngestIT::key,
                    Collectors.mapping(rec -> read(rec.value()), Collectors.toList())));
            // one customer's messages stay in order (one key, one partition)
            assertThat(byKey.get(org.id() + "|" + c1)).containsExactly(
                    new EventMessageV1(org.id(), c1, null, "buy", 1625126360471L, Map.of("price", "12.50", "sku", "A"), 1),
                    new EventMessageV1(org.id(), c1, null, "buy", 1625126360473L, Map.of("flag", "true"), 1));
            assertThat(byKey.get(org.id() + "|" + c2)).containsExactly(
                    new EventMessageV1(org.id(), c2, "app", "view", 1625126360472L, null, 1));
        }

        @Test
        void aSingleObjectWithANumericCustomerIdIsAccepted() {
            Org org = newOrg();
            long customer = System.nanoTime();
            Api.Response r = org.admin().post("/api/v1/events",
                    "{\"customerId\":" + customer + ",\"eventCode\":\"login\",\"eventTime\":1}");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            var records = await(Topics.EVENTS_RAW, org.id(), 1, String.valueOf(customer));
            assertThat(read(records.get(0).value()).customerId()).isEqualTo(String.valueOf(customer));
        }

        @Test
        void aBadMessageRejectsTheWholeBatchNamingItsField() {
            Org org = newOrg();
            String good = "good-" + UUID.randomUUID();
            Api.Response r = org.admin().post("/api/v1/events", """
                    [{"customerId":"%s","eventCode":"buy","eventTime":1},
                     {"customerId":"","eventCode":"buy","eventTime":2},
                     {"customerId":"x","eventCode":"buy","eventTime":true}]""".formatted(good));
            assertError(r, 400, "MISSING_FIELD", "[1].customerId: is required");
            assertThat(r.text("/errorDesc")).contains("[2].eventTime: must be an integer");

            String marker = "marker-" + UUID.randomUUID();
            assertThat(org.admin().post("/api/v1/events", "{\"customerId\":\"" + marker + "\",\"eventCode\":\"m\",\"eventTime\":1}").status())
                    .isEqualTo(200);
            List<ConsumerRecord<byte[], byte[]>> all = TestKafka.readUntil(Topics.EVENTS_RAW, null,
                    l -> l.stream().anyMatch(x -> key(x).equals(org.id() + "|" + marker)), Duration.ofSeconds(30));
            assertThat(all).noneMatch(x -> key(x).equals(org.id() + "|" + good));
        }

        @Test
        void envelopeErrorsUseTheDocumentedShape() {
            Api api = newOrg().admin();
            assertError(api.post("/api/v1/events", "[]"), 400, "MISSING_FIELD", "the array holds no event message");
            assertError(api.post("/api/v1/events", "{\"customerId\":\"c\",\"eventCode\":"), 400, "MALFORMED_JSON", "the body is not valid JSON");
            assertError(api.post("/api/v1/events", "\"text\""), 400, "MALFORMED_JSON", "the body must be");
            assertError(api.post("/api/v1/events", "[1]"), 400, "MALFORMED_JSON", "[0]: must be an event message object");
            assertError(api.post("/api/v1/events", "{\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":1,\"v\":2}"), 400, "BAD_FIELD", "v:");
            assertError(api.post("/api/v1/events", "{\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":1,\"extendAttributes\":[1]}"),
                    400, "BAD_FIELD", "extendAttributes:");
            assertError(api.post("/api/v1/events", "{\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":1,\"extendAttributes\":{\"a\":{}}}"),
                    400, "BAD_FIELD", "extendAttributes.a:");
            assertError(api.post("/api/v1/events", "{\"customerId\":\"" + "c".repeat(257) + "\",\"eventCode\":\"e\",\"eventTime\":1}"),
                    400, "TOO_LARGE", "customerId:");
            assertError(api.post("/api/v1/events", "{\"customerId\":\"c\",\"customerId\":\"d\",\"eventCode\":\"e\",\"eventTime\":1}"),
                    400, "MALFORMED_JSON", "the body is not valid JSON");
            String batch101 = IntStream.range(0, 101).mapToObj(i -> "{\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":1}")
                    .collect(Collectors.joining(",", "[", "]"));
            assertError(api.post("/api/v1/events", batch101), 400, "TOO_LARGE", "the array holds 101 messages");
        }

        @Test
        void transportErrorsUseTheDocumentedShapeToo() {
            Api api = newOrg().admin();
            assertError(anonymous().post("/api/v1/events", "{}"), 401, "UNAUTHORIZED", "an API key is required");
            assertError(api.send("POST", "/api/v1/events", "text/plain", HttpRequest.BodyPublishers.ofString("{}")),
                    415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type 'text/plain'");
            assertError(api.post("/api/v1/events", ""), 400, "MALFORMED_JSON", "");
            String big = "[" + "{\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":1},".repeat(30_000) + "{}]";
            assertError(api.post("/api/v1/events", big), 413, "TOO_LARGE", "the request body is larger than the limit of 1048576 bytes");
            byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
            assertError(api.send("POST", "/api/v1/events", "application/json",
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))), 413, "TOO_LARGE", "the request body is larger");
            assertError(api.send("GET", "/api/v1/events", null, HttpRequest.BodyPublishers.noBody()), 405, "METHOD_NOT_ALLOWED", "GET");
        }
    }

    @Nested
    class Identities {
        @Test
        void identitiesGoToTheirTopicWithIdTypesInTheDocumentedSpelling() throws Exception {
            Org org = newOrg();
            String c = "p-" + UUID.randomUUID();
            Api.Response r = key(org, "DEVELOPER").post("/api/v1/identities", """
                    [{"orgnizationId":"%s","customerId":"%s","customerIdList":[{"customerId":"13888888888","idMapping":"MOBILE"},
                      {"customerId":460001234567890,"idMapping":"imsi"},{"customerId":"o6_bm","idMapping":"Open_Id"}],"v":"1"}]"""
                    .formatted(org.id(), c));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);

            var records = await(Topics.IDENTITIES_RAW, org.id(), 1, c);
            IdentityMessageV1 m = ControlRecords.JOBS_JSON.readValue(records.get(0).value(), IdentityMessageV1.class);
            assertThat(m).isEqualTo(IdentityMessageV1.of(org.id(), c, List.of(
                    IdentityLink.of(IdType.MOBILE, "13888888888"),
                    IdentityLink.of(IdType.IMSI, "460001234567890"),
                    IdentityLink.of(IdType.OPEN_ID, "o6_bm"))));
            assertThat(new String(records.get(0).value(), StandardCharsets.UTF_8)).contains("\"idMapping\":\"open_id\"");
            assertThat(header(records.get(0), IngestTopics.TRACE_HEADER)).isEqualTo(r.text("/traceId"));
        }

        @Test
        void badIdentityMessagesNameTheField() {
            Api api = newOrg().admin();
            assertError(api.post("/api/v1/identities", "[{\"customerId\":\"c\",\"customerIdList\":[{\"customerId\":\"1\",\"idMapping\":\"phone\"}]}]"),
                    400, "BAD_FIELD", "[0].customerIdList[0].idMapping: 'phone' is not an ID type");
            assertError(api.post("/api/v1/identities", "{\"customerId\":\"c\"}"), 400, "MISSING_FIELD", "customerIdList: is required");
            assertError(api.post("/api/v1/identities", "{\"customerId\":\"c\",\"customerIdList\":[]}"), 400, "MISSING_FIELD", "customerIdList:");
            assertError(api.post("/api/v1/identities", "{\"customerId\":\"c\",\"customerIdList\":[{\"idMapping\":\"email\"}]}"),
                    400, "MISSING_FIELD", "customerIdList[0].customerId: is required");
            assertError(api.post("/api/v1/identities", "{\"customerIdList\":[{\"customerId\":\"a@b.c\",\"idMapping\":\"email\"}]}"),
                    400, "MISSING_FIELD", "customerId: is required");
        }
    }

    private static EventMessageV1 read(byte[] value) {
        try {
            return ControlRecords.JOBS_JSON.readValue(value, EventMessageV1.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
