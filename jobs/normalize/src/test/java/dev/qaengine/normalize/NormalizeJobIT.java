package dev.qaengine.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.ControlRecords;
import dev.qaengine.common.Json;
import dev.qaengine.common.Settings;
import dev.qaengine.model.DlqHeaders;
import dev.qaengine.model.Topics;
import dev.qaengine.testkit.EmbeddedKafka;
import dev.qaengine.testkit.FlinkTestCluster;
import org.apache.flink.core.execution.JobClient;
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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The normalize job end to end: a real in-JVM Kafka broker, a Flink MiniCluster at parallelism 2. */
class NormalizeJobIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

    static EmbeddedKafka kafka;
    JobClient job;

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
    }

    @AfterEach
    void cancel() throws Exception {
        if (job != null) {
            job.cancel().get();
        }
    }

    @Test
    void normalizesValidEventsAndRoutesEachBadOneToTheDlqWithItsReason() throws Exception {
        String suffix = "a";
        topics(suffix);
        long now = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            p.send(ControlRecords.catalog(Fixtures.catalog(), 1)).get();
            send(p, suffix, Fixtures.event("c1", "add_to_cart", now, "{\"sku\":\"A-1\",\"price\":\"12.50\"}"));
            send(p, suffix, "{\"orgnizationId\":\"" + Fixtures.ORG + "\",\"customerId\":\"c2\",\"eventCode\":\"login\",\"eventTime\":" + now + "}");
            send(p, suffix, "{\"orgnizationId\":");
            send(p, suffix, "{\"orgnizationId\":\"" + Fixtures.ORG + "\",\"eventCode\":\"login\",\"eventTime\":" + now + "}");
            send(p, suffix, Fixtures.event("c3", "add_to_cart", now, "{\"price\":\"cheap\"}"));
            send(p, suffix, Fixtures.event("c4", "teleport", now, "{}"));
            send(p, suffix, Fixtures.event("c5", "add_to_cart", now + Duration.ofDays(1).toMillis(), "{}"));
            send(p, suffix, "{\"orgnizationId\":\"no-such-org\",\"customerId\":\"c6\",\"eventCode\":\"login\",\"eventTime\":" + now + "}");
        }
        job = start(suffix, Map.of("QA_DEFINITION_GRACE", "300ms"));

        List<ConsumerRecord<byte[], byte[]>> normalized = kafka.readExactly(Topics.EVENTS_NORMALIZED + "." + suffix, 2, Duration.ofSeconds(60));
        List<ConsumerRecord<byte[], byte[]>> dlq = kafka.readExactly(Topics.EVENTS_DLQ + "." + suffix, 6, Duration.ofSeconds(60));

        JsonNode cart = normalized.stream().map(r -> tree(r.value())).filter(n -> n.get("customerId").asText().equals("c1")).findFirst().orElseThrow();
        assertThat(cart.get("attributes").get("price").isNumber()).isTrue();
        assertThat(cart.get("attributes").get("price").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(cart.get("attributes").get("sku").asText()).isEqualTo("A-1");
        assertThat(cart.get("appType").asText()).isEqualTo("APP");
        assertThat(cart.get("eventId").asText()).hasSize(32);
        assertThat(new String(normalized.get(0).key(), StandardCharsets.UTF_8)).startsWith(Fixtures.ORG + "|");

        assertThat(dlq).extracting(r -> header(r, DlqHeaders.REASON)).containsExactlyInAnyOrder(
                "MALFORMED_JSON", "MISSING_FIELD", "BAD_ATTRIBUTE", "UNKNOWN_EVENT", "TIME_OUT_OF_RANGE", "UNKNOWN_ORG");
        ConsumerRecord<byte[], byte[]> truncated = dlq.stream().filter(r -> header(r, DlqHeaders.REASON).equals("MALFORMED_JSON")).findFirst().orElseThrow();
        assertThat(new String(truncated.value(), StandardCharsets.UTF_8)).isEqualTo("{\"orgnizationId\":");
        ConsumerRecord<byte[], byte[]> missing = dlq.stream().filter(r -> header(r, DlqHeaders.REASON).equals("MISSING_FIELD")).findFirst().orElseThrow();
        assertThat(header(missing, DlqHeaders.DETAIL)).contains("customerId");
        ConsumerRecord<byte[], byte[]> badAttr = dlq.stream().filter(r -> header(r, DlqHeaders.REASON).equals("BAD_ATTRIBUTE")).findFirst().orElseThrow();
        assertThat(header(badAttr, DlqHeaders.DETAIL)).contains("extendAttributes.price").contains("NUMBER");
    }

    private JobClient start(String suffix, Map<String, String> extra) throws Exception {
        Map<String, String> s = FlinkTestCluster.jobSettings(kafka.bootstrap());
        s.put("QA_NORMALIZE_INPUT_TOPIC", Topics.EVENTS_RAW + "." + suffix);
        s.put("QA_NORMALIZE_OUTPUT_TOPIC", Topics.EVENTS_NORMALIZED + "." + suffix);
        s.put("QA_NORMALIZE_DLQ_TOPIC", Topics.EVENTS_DLQ + "." + suffix);
        s.put("QA_NORMALIZE_GROUP_ID", "it-" + suffix);
        s.putAll(extra);
        Settings settings = Settings.of(s);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                dev.qaengine.common.FlinkSettings.jobConfiguration(settings));
        new NormalizeJob(settings).addTo(env);
        return env.executeAsync("normalize-it-" + suffix);
    }

    private static void topics(String suffix) {
        kafka.createTopic(Topics.EVENTS_RAW + "." + suffix, 2);
        kafka.createTopic(Topics.EVENTS_NORMALIZED + "." + suffix, 2);
        kafka.createTopic(Topics.EVENTS_DLQ + "." + suffix, 2);
        if (!controlExists) {
            kafka.createTopic(Topics.CONTROL, 1, Map.of("cleanup.policy", "compact"));
            controlExists = true;
        }
    }

    static boolean controlExists;

    private static void send(KafkaProducer<byte[], byte[]> p, String suffix, String value) throws Exception {
        p.send(new ProducerRecord<>(Topics.EVENTS_RAW + "." + suffix, value.getBytes(StandardCharsets.UTF_8))).get();
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
