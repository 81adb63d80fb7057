package dev.qaengine.controlplane.identity;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import dev.qaengine.controlplane.support.ControlRecords;
import dev.qaengine.controlplane.support.TestKafka;
import dev.qaengine.model.IdentityAudit;
import dev.qaengine.model.IdentityRefusal;
import dev.qaengine.model.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * qa.identity.audit → the audit table → GET /api/v1/identity/audit, with the in-JVM broker: records written
 * as the identity job writes them (Jackson 2, key = org), read back through the API — exact rows, newest
 * first, filters, paging, tenancy; garbage skipped without stopping the consumer or logging identifier
 * values; a replay of the whole topic after a restart storing nothing twice. Waits are conditions with deadlines.
 */
@ExtendWith(OutputCaptureExtension.class)
class IdentityAuditIT extends ControlPlaneTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Autowired
    IdentityAuditConsumer consumer;
    @Autowired
    MeterRegistry meters;

    /** Five refusals of one organization, oldest first: one of each reason, two MOBILE links spelled differently. */
    record Fixture(String orgId, long t0, List<IdentityAudit> audits) {
        IdentityAudit get(int i) {
            return audits.get(i);
        }
    }

    private static Fixture fixture(String orgId) {
        long t0 = (System.currentTimeMillis() / 1000 - 3600) * 1000; // whole seconds: ISO-8601 filters below stay simple
        return new Fixture(orgId, t0, List.of(
                new IdentityAudit(1, orgId, IdentityRefusal.UNKNOWN_ID_TYPE, "idMapping 'phone' names no ID type", "ONEID", "c-1",
                        "phone", "12345", List.of(), t0, 0),
                new IdentityAudit(1, orgId, IdentityRefusal.INVALID_IDENTIFIER, "MOBILE: not a valid MOBILE value", "ONEID", "c-1",
                        "mobile", "138-bad", List.of(), t0 + 1000, 0),
                new IdentityAudit(1, orgId, IdentityRefusal.UNIQUE_TYPE_CONFLICT, "ONEID is unique: the persons hold c-1 and c-2", "ONEID", "c-2",
                        "oneid", "c-1", List.of("p-1", "p-2"), t0 + 2000, 7),
                new IdentityAudit(1, orgId, IdentityRefusal.TOO_MANY_IDENTIFIERS, "the person would hold 51 identifiers (at most 50)", "ONEID",
                        "c-1", "MOBILE", "13800138000", List.of("p-1"), t0 + 3000, 9),
                new IdentityAudit(1, orgId, IdentityRefusal.MALFORMED_MESSAGE, "customerIdList is not an array", "ONEID", "c-3",
                        null, null, List.of(), t0 + 4000, 0)));
    }

    // --- the topic and the producer (the identity job's side)

    /**
     * Creates qa.identity.audit the first time — after checking that the consumer, started with the service
     * before the topic existed, says it is waiting for it (and has not created it itself).
     */
    private void ensureTopic() throws Exception {
        try (Admin admin = TestKafka.admin()) {
            if (admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(Topics.IDENTITY_AUDIT)) {
                return;
            }
            await().atMost(DEADLINE).until(() -> {
                JsonNode d = health();
                return d.path("topicExists").isBoolean() && !d.path("topicExists").asBoolean();
            });
            assertThat(health().get("kafkaReachable").asBoolean()).isTrue();
            assertThat(anonymous().get("/actuator/health").json().at("/status").asString()).isEqualTo("UP");
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).doesNotContain(Topics.IDENTITY_AUDIT);
            try {
                admin.createTopics(List.of(new NewTopic(Topics.IDENTITY_AUDIT, 2, (short) 1))).all().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        await().atMost(DEADLINE).until(() -> health().path("topicExists").asBoolean(false));
    }

    private static void send(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r).get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String key, byte[] value) {
        return new ProducerRecord<>(Topics.IDENTITY_AUDIT, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }

    private static ProducerRecord<byte[], byte[]> record(IdentityAudit a) throws Exception {
        return record(a.orgId(), ControlRecords.JOBS_JSON.writeValueAsBytes(a));
    }

    private static List<ProducerRecord<byte[], byte[]>> records(Fixture f) throws Exception {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (IdentityAudit a : f.audits()) {
            out.add(record(a));
        }
        return out;
    }

    // --- reading back

    private JsonNode health() {
        return anonymous().get("/actuator/health").json().at("/components/identityAudit/details");
    }

    private static Api.Response list(Api api, String query) {
        return api.get("/api/v1/identity/audit" + (query.isEmpty() ? "" : "?" + query));
    }

    /** Waits until the organization's audit holds {@code n} records. */
    private static Api.Response awaitTotal(Api api, long n) {
        await().atMost(DEADLINE).until(() -> list(api, "").json().get("total").asLong() == n);
        return list(api, "");
    }

    /** The items as the audits they show (orgId from the caller), to compare with what was sent. */
    private static List<IdentityAudit> audits(String orgId, Api.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<IdentityAudit> out = new ArrayList<>();
        for (JsonNode n : r.json().get("items")) {
            List<String> persons = new ArrayList<>();
            n.get("persons").forEach(p -> persons.add(p.asString()));
            out.add(new IdentityAudit(1, orgId, IdentityRefusal.valueOf(n.get("reason").asString()), text(n, "detail"), text(n, "anchorType"),
                    text(n, "anchorValue"), text(n, "idType"), text(n, "idValue"), persons, n.get("time").asLong(), n.get("seq").asLong()));
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    private double count(String name, String... tags) {
        var c = meters.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    // --- tests

    @Test
    void refusedLinksAreListedNewestFirstForTheirOrganizationOnly(CapturedOutput output) throws Exception {
        ensureTopic();
        Org a = newOrg();
        Org b = newOrg();
        Fixture fa = fixture(a.id());
        IdentityAudit bOnly = new IdentityAudit(1, b.id(), IdentityRefusal.INVALID_IDENTIFIER, "B's refusal", "ONEID", "b-customer",
                "email", "not-an-address", List.of(), fa.t0() + 500, 0);
        double malformed = count("qa.identity.audit.skipped", "reason", "malformed");
        double noOrg = count("qa.identity.audit.skipped", "reason", "no_org");

        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        sent.add(record(a.id(), "{\"v\":1,\"orgId\":\"".concat(a.id()).concat("\",\"idValue\":\"13800138001\"").getBytes(StandardCharsets.UTF_8)));
        sent.addAll(records(fa));
        sent.add(record(fa.get(2))); // the job wrote one twice (a retry of its own)
        sent.add(record(null, "{\"v\":1,\"reason\":\"INVALID_IDENTIFIER\",\"idValue\":\"13800138002\",\"time\":5,\"seq\":0}"
                .getBytes(StandardCharsets.UTF_8))); // no orgId
        sent.add(record(bOnly));
        send(sent);

        Api.Response page = awaitTotal(key(a, "ANALYST"), 5);
        assertThat(audits(a.id(), page)).containsExactly(fa.get(4), fa.get(3), fa.get(2), fa.get(1), fa.get(0));
        JsonNode first = page.json().get("items").get(0);
        assertThat(first.get("receivedAt").asString()).isNotEmpty();
        assertThat(first.has("idType")).isTrue();
        assertThat(first.get("idType").isNull()).as("a message-level refusal has no identifier").isTrue();
        assertThat(page.json().get("page").asInt()).isZero();
        assertThat(page.json().get("size").asInt()).isEqualTo(20);

        Api.Response ofB = awaitTotal(b.admin(), 1);
        assertThat(audits(b.id(), ofB)).containsExactly(bOnly);
        assertThat(page.body()).doesNotContain("b-customer").doesNotContain(b.id());

        // Garbage was counted and passed over — and the log names where it was, never what it held.
        await().atMost(DEADLINE).until(() -> count("qa.identity.audit.skipped", "reason", "malformed") > malformed
                && count("qa.identity.audit.skipped", "reason", "no_org") > noOrg);
        assertThat(output.getAll()).contains("skipped the qa.identity.audit record at partition")
                .doesNotContain("13800138001").doesNotContain("13800138002");
        assertThat(health().get("stored").asLong()).isGreaterThanOrEqualTo(6);
        assertThat(health().get("skipped").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(health().get("kafkaReachable").asBoolean()).isTrue();
    }

    @Test
    void filtersCombineAndPagesSplitTheNewestFirstOrder() throws Exception {
        ensureTopic();
        Org org = newOrg();
        Fixture f = fixture(org.id());
        send(records(f));
        Api api = org.admin();
        awaitTotal(api, 5);
        long t0 = f.t0();

        assertThat(audits(org.id(), list(api, "reason=UNIQUE_TYPE_CONFLICT"))).containsExactly(f.get(2));
        // idType matches whatever spelling the identity message used
        assertThat(audits(org.id(), list(api, "idType=mobile"))).containsExactly(f.get(3), f.get(1));
        assertThat(audits(org.id(), list(api, "idType=MOBILE&reason=INVALID_IDENTIFIER"))).containsExactly(f.get(1));
        // from inclusive, to exclusive; epoch ms or ISO-8601
        assertThat(audits(org.id(), list(api, "from=" + (t0 + 1000) + "&to=" + (t0 + 3000)))).containsExactly(f.get(2), f.get(1));
        assertThat(audits(org.id(), list(api, "from=" + Instant.ofEpochMilli(t0 + 3000)))).containsExactly(f.get(4), f.get(3));
        String plus8 = Instant.ofEpochMilli(t0 + 1000).atOffset(ZoneOffset.ofHours(8)).toString();
        assertThat(audits(org.id(), list(api, "to=" + plus8))).as("an unencoded + arrives as a space").containsExactly(f.get(0));
        assertThat(audits(org.id(), list(api, "to=" + plus8.replace("+", "%2B")))).containsExactly(f.get(0));
        assertThat(audits(org.id(), list(api, "reason=&idType=&from=&to="))).hasSize(5);
        assertThat(list(api, "reason=UNKNOWN_ID_TYPE&idType=oneid").json().get("total").asLong()).isZero();

        Api.Response p0 = list(api, "page=0&size=2");
        assertThat(audits(org.id(), p0)).containsExactly(f.get(4), f.get(3));
        assertThat(p0.json().get("total").asLong()).isEqualTo(5);
        assertThat(audits(org.id(), list(api, "page=1&size=2"))).containsExactly(f.get(2), f.get(1));
        Api.Response p2 = list(api, "page=2&size=2");
        assertThat(audits(org.id(), p2)).containsExactly(f.get(0));
        assertThat(p2.json().get("page").asInt()).isEqualTo(2);
        assertThat(audits(org.id(), list(api, "page=3&size=2"))).isEmpty();

        Map<String, String> bad = new HashMap<>();
        bad.put("reason=NOPE", "reason");
        bad.put("idType=phone", "idType");
        bad.put("from=yesterday", "from");
        bad.put("to=2026-11-28", "to");
        bad.put("from=" + (t0 + 10) + "&to=" + t0, "to");
        bad.put("size=0", "size");
        bad.put("size=201", "size");
        bad.put("page=-1", "page");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            Api.Response r = list(api, e.getKey());
            assertThat(r.status()).as(e.getKey() + ": " + r).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.text("/code")).isEqualTo("bad-parameter");
            assertThat(r.text("/field")).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void aReplayOfTheWholeTopicAfterARestartStoresNothingTwice() throws Exception {
        ensureTopic();
        Org org = newOrg();
        Fixture f = fixture(org.id());
        send(records(f));
        Api api = org.admin();
        List<IdentityAudit> before = audits(org.id(), awaitTotal(api, 5));
        String beforeBody = list(api, "").body();
        double duplicates = count("qa.identity.audit.duplicates");

        consumer.stop();
        try (Admin admin = TestKafka.admin()) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.IDENTITY_AUDIT)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(Topics.IDENTITY_AUDIT).partitions().stream().map(p -> new TopicPartition(Topics.IDENTITY_AUDIT, p.partition())).toList();
            Map<TopicPartition, OffsetAndMetadata> zero = partitions.stream().collect(Collectors.toMap(p -> p, p -> new OffsetAndMetadata(0)));
            // The stopped instance left the group; until the broker agrees, the group refuses the reset.
            await().atMost(DEADLINE).ignoreExceptions().until(() -> {
                admin.alterConsumerGroupOffsets(consumer.groupId(), zero).all().get(10, TimeUnit.SECONDS);
                return true;
            });
            consumer.start();

            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get(10, TimeUnit.SECONDS)
                    .forEach((tp, info) -> end.put(tp, info.offset()));
            // Offsets are committed after a batch is stored: committed = end means everything was read again.
            await().atMost(DEADLINE).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(consumer.groupId())
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                return end.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() == e.getValue());
            });
        } finally {
            if (!consumer.isRunning()) {
                consumer.start();
            }
        }
        assertThat(count("qa.identity.audit.duplicates")).isGreaterThanOrEqualTo(duplicates + 5);
        Api.Response after = list(api, "");
        assertThat(after.json().get("total").asLong()).isEqualTo(5);
        assertThat(audits(org.id(), after)).isEqualTo(before);
        assertThat(after.body()).isEqualTo(beforeBody);
    }
}
