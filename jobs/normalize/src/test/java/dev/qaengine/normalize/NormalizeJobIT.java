package dev.qaengine.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.ControlRecords;
import dev.qaengine.common.FlinkSettings;
import dev.qaengine.common.Json;
import dev.qaengine.common.Settings;
import dev.qaengine.model.DlqHeaders;
import dev.qaengine.model.Schemas;
import dev.qaengine.model.Topics;
import dev.qaengine.testkit.EmbeddedKafka;
import dev.qaengine.testkit.FlinkTestCluster;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The normalize job end to end: a real in-JVM Kafka broker, a Flink MiniCluster at parallelism 2.
 * Each test has its own raw/normalized/DLQ topics; qa.control is shared, so tests that change
 * definitions use their own org.
 */
class NormalizeJobIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestCluster.extension();
    static final Duration WAIT = Duration.ofSeconds(60);
    static final AtomicInteger RUN = new AtomicInteger();

    static EmbeddedKafka kafka;
    JobClient job;
    String raw;
    String normalized;
    String dlq;
    String group;

    @BeforeAll
    static void broker() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopic(Topics.CONTROL, 1, Map.of("cleanup.policy", "compact"));
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            p.send(ControlRecords.catalog(Fixtures.catalog(), 1)).get();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
    }

    @org.junit.jupiter.api.BeforeEach
    void topics() {
        int n = RUN.incrementAndGet();
        raw = Topics.EVENTS_RAW + "." + n;
        normalized = Topics.EVENTS_NORMALIZED + "." + n;
        dlq = Topics.EVENTS_DLQ + "." + n;
        group = "it-" + n;
        kafka.createTopic(raw, 2);
        kafka.createTopic(normalized, 2);
        kafka.createTopic(dlq, 2);
    }

    @AfterEach
    void cancel() throws Exception {
        if (job != null) {
            job.cancel().get();
        }
    }

    @Test
    void normalizesValidEventsAndRoutesEachBadOneToTheDlqWithItsReason() throws Exception {
        long now = System.currentTimeMillis();
        send(Fixtures.event("c1", "add_to_cart", now, "{\"sku\":\"A-1\",\"price\":\"12.50\"}"),
                "{\"orgnizationId\":\"" + Fixtures.ORG + "\",\"customerId\":\"c2\",\"eventCode\":\"login\",\"eventTime\":" + now + "}",
                "{\"orgnizationId\":",
                "{\"orgnizationId\":\"" + Fixtures.ORG + "\",\"eventCode\":\"login\",\"eventTime\":" + now + "}",
                Fixtures.event("c3", "add_to_cart", now, "{\"price\":\"cheap\"}"),
                Fixtures.event("c4", "teleport", now, "{}"),
                "{\"orgnizationId\":\"no-such-org\",\"customerId\":\"c6\",\"eventCode\":\"login\",\"eventTime\":" + now + "}",
                Fixtures.event("c7", "add_to_cart", now, "{\"price\":\"1\"}").replace("\"v\":1", "\"v\":9"),
                Fixtures.event("c8", "add_to_cart", now, "{\"sku\":\"" + "x".repeat(5000) + "\"}"));
        job = start(Map.of("QA_DEFINITION_GRACE", "300ms"));

        List<ConsumerRecord<byte[], byte[]>> out = kafka.readExactly(normalized, 2, WAIT);
        List<ConsumerRecord<byte[], byte[]>> rejected = kafka.readExactly(dlq, 7, WAIT);

        JsonNode cart = out.stream().map(r -> tree(r.value())).filter(n -> n.get("customerId").asText().equals("c1")).findFirst().orElseThrow();
        assertThat(cart.get("attributes").get("price").isNumber()).isTrue();
        assertThat(cart.get("attributes").get("price").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(cart.get("attributes").get("sku").asText()).isEqualTo("A-1");
        assertThat(cart.get("appType").asText()).isEqualTo("APP");
        assertThat(cart.get("channel").asText()).isEqualTo("shop-app");
        assertThat(cart.get("eventTime").asLong()).isEqualTo(now);
        for (ConsumerRecord<byte[], byte[]> r : out) {
            JsonNode n = tree(r.value());
            assertThat(Schemas.violations("canonical-event-v1.schema.json", n)).isEmpty();
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(Fixtures.ORG + "|" + n.get("customerId").asText());
            assertThat(r.timestamp()).isEqualTo(now);
        }

        assertThat(rejected).extracting(r -> header(r, DlqHeaders.REASON)).containsExactlyInAnyOrder(
                "MALFORMED_JSON", "MISSING_FIELD", "BAD_ATTRIBUTE", "UNKNOWN_EVENT", "UNKNOWN_ORG", "BAD_FIELD", "TOO_LARGE");
        for (ConsumerRecord<byte[], byte[]> r : rejected) {
            Map<String, String> headers = new HashMap<>();
            r.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
            assertThat(Schemas.violations("dlq-record-v1.schema.json", Json.MAPPER.valueToTree(headers))).isEmpty();
            assertThat(headers.get(DlqHeaders.SOURCE_TOPIC)).isEqualTo(raw);
        }
        assertThat(new String(byReason(rejected, "MALFORMED_JSON").value(), StandardCharsets.UTF_8)).isEqualTo("{\"orgnizationId\":");
        assertThat(header(byReason(rejected, "MISSING_FIELD"), DlqHeaders.DETAIL)).isEqualTo("customerId is required");
        assertThat(header(byReason(rejected, "BAD_ATTRIBUTE"), DlqHeaders.DETAIL)).contains("extendAttributes.price").contains("NUMBER");
        assertThat(header(byReason(rejected, "UNKNOWN_ORG"), DlqHeaders.DETAIL)).contains("no-such-org");
        assertThat(header(byReason(rejected, "TOO_LARGE"), DlqHeaders.DETAIL)).contains("extendAttributes.sku");
    }

    @Test
    void eventsTooFarInTheFutureOrThePastGoToTheDlqAndLateButInRangeOnesAreKept() throws Exception {
        long now = System.currentTimeMillis();
        send(Fixtures.event("early", "login", now + Duration.ofMinutes(11).toMillis(), "{}"),
                Fixtures.event("ancient", "login", now - Duration.ofDays(8).toMillis(), "{}"),
                Fixtures.event("late", "login", now - Duration.ofDays(6).toMillis(), "{}"),
                Fixtures.event("soon", "login", now + Duration.ofMinutes(9).toMillis(), "{}"),
                Fixtures.event("now", "login", now, "{}"));
        job = start(Map.of());

        List<ConsumerRecord<byte[], byte[]>> out = kafka.readExactly(normalized, 3, WAIT);
        List<ConsumerRecord<byte[], byte[]>> rejected = kafka.readExactly(dlq, 2, WAIT);
        assertThat(out).extracting(r -> tree(r.value()).get("customerId").asText()).containsExactlyInAnyOrder("late", "soon", "now");
        assertThat(rejected).allSatisfy(r -> assertThat(header(r, DlqHeaders.REASON)).isEqualTo("TIME_OUT_OF_RANGE"));
        assertThat(rejected).extracting(r -> header(r, DlqHeaders.DETAIL))
                .anySatisfy(d -> assertThat(d).contains("after the ingest time"))
                .anySatisfy(d -> assertThat(d).contains("before the ingest time"));
    }

    @Test
    void aMessageDeliveredTwiceYieldsOneCanonicalEventAlsoAcrossARestartFromASavepoint() throws Exception {
        long now = System.currentTimeMillis();
        String a = Fixtures.event("d1", "add_to_cart", now, "{\"sku\":\"A\",\"price\":\"1\"}");
        String b = Fixtures.event("d2", "add_to_cart", now, "{\"sku\":\"B\",\"price\":\"2\"}");
        // A producer retry resends the same bytes; an SDK may re-serialize the same message differently.
        String aReformatted = "[ " + Fixtures.event("d1", "add_to_cart", now, "{\"price\":1.00,\"sku\":\"A\"}") + " ]";
        send(a, a, b, aReformatted);
        Map<String, String> conf = Map.of("QA_CHECKPOINT_INTERVAL", "200ms");
        job = start(conf);
        assertThat(kafka.readExactly(normalized, 2, WAIT)).extracting(r -> tree(r.value()).get("customerId").asText())
                .containsExactlyInAnyOrder("d1", "d2");

        String savepoint = job.stopWithSavepoint(false, FlinkTestCluster.shortTempDir("sp").toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        job = null;
        String c = Fixtures.event("d3", "add_to_cart", now, "{\"sku\":\"C\",\"price\":\"3\"}");
        send(b, a, c); // the upstream replays what it sent before, then something new
        Map<String, String> restored = new HashMap<>(conf);
        restored.put("QA_RESTORE_FROM", savepoint);
        job = start(restored);
        List<ConsumerRecord<byte[], byte[]>> all = kafka.readUntil(normalized,
                l -> l.stream().anyMatch(r -> tree(r.value()).get("customerId").asText().equals("d3")), WAIT);
        assertThat(all).extracting(r -> tree(r.value()).get("customerId").asText()).containsExactlyInAnyOrder("d1", "d2", "d3");
        assertThat(all.stream().map(r -> tree(r.value()).get("eventId").asText()).collect(Collectors.toSet())).hasSize(3);
    }

    @Test
    void aDefinitionUpdateTakesEffectWhileTheJobRuns() throws Exception {
        String org = "org-live-" + RUN.get();
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            p.send(ControlRecords.catalog(Fixtures.catalog(org), 1)).get();
        }
        job = start(Map.of("QA_DEFINITION_GRACE", "200ms"));
        long now = System.currentTimeMillis();
        send(Fixtures.event(org, "u1", "purchase", now, "{\"amount\":\"10\"}"));
        assertThat(header(kafka.readExactly(dlq, 1, WAIT).get(0), DlqHeaders.REASON)).isEqualTo("UNKNOWN_EVENT");

        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            p.send(ControlRecords.catalog(Fixtures.catalogWithPurchase(org), 2)).get();
        }
        // The update travels through qa.control while events keep flowing: keep sending until one passes.
        long deadline = System.nanoTime() + WAIT.toNanos();
        int i = 0;
        while (kafka.count(normalized) == 0) {
            assertThat(System.nanoTime()).as("definition update applied in time").isLessThan(deadline);
            send(Fixtures.event(org, "u" + (++i), "purchase", now, "{\"amount\":\"10\"}"));
            waitForAny(Duration.ofMillis(500));
        }
        JsonNode first = tree(kafka.readUntil(normalized, l -> !l.isEmpty(), WAIT).get(0).value());
        assertThat(first.get("eventCode").asText()).isEqualTo("purchase");
        assertThat(first.get("attributes").get("amount").asInt()).isEqualTo(10);
    }

    /** Waits until the output or the DLQ grows, at most {@code max}: paces the sender in the live-update test. */
    private void waitForAny(Duration max) {
        long before = kafka.count(normalized) + kafka.count(dlq);
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end && kafka.count(normalized) + kafka.count(dlq) == before) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // poll pacing, not synchronization
        }
    }

    private JobClient start(Map<String, String> extra) throws Exception {
        Map<String, String> s = FlinkTestCluster.jobSettings(kafka.bootstrap());
        s.put("QA_NORMALIZE_INPUT_TOPIC", raw);
        s.put("QA_NORMALIZE_OUTPUT_TOPIC", normalized);
        s.put("QA_NORMALIZE_DLQ_TOPIC", dlq);
        s.put("QA_NORMALIZE_GROUP_ID", group);
        s.putAll(extra);
        Settings settings = Settings.of(s);
        var conf = FlinkSettings.jobConfiguration(settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        new NormalizeJob(settings).addTo(env);
        return env.executeAsync("normalize-it-" + group);
    }

    private void send(String... values) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            for (String v : values) {
                p.send(new ProducerRecord<>(raw, v.getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    static ConsumerRecord<byte[], byte[]> byReason(List<ConsumerRecord<byte[], byte[]>> records, String reason) {
        return records.stream().filter(r -> reason.equals(header(r, DlqHeaders.REASON))).findFirst().orElseThrow();
    }

    static JsonNode tree(byte[] v) {
        try {
            return Json.MAPPER.readTree(v);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
