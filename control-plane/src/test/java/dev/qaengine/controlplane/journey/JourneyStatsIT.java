package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.TestKafka;
import dev.qaengine.model.Topics;
import dev.qaengine.model.journey.JourneyStatus;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * qa.journeys.stats → the counters → GET /api/v1/journeys/{id}/stats, with the in-JVM broker: deltas written as the
 * journeys engine writes them (Kafka transactions, key {@code <org>/<journey>}, one per journey, instance and checkpoint),
 * among them a delta delivered twice, deltas of journeys that do not exist, garbage and an aborted transaction; the
 * exact answer once the consumer has been through every committed record, and again after the whole topic was read a
 * second time. Waits are conditions with deadlines.
 */
@ExtendWith(OutputCaptureExtension.class)
class JourneyStatsIT extends JourneyFixture {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** 2026-11-28T00:00:00Z: the engine's clock in these deltas. */
    private static final long T = 1_795_824_000_000L;

    @Autowired
    JourneyStatsConsumer consumer;
    @Autowired
    MeterRegistry meters;

    /** Every record the consumer went through: added, duplicates, ignored, skipped. */
    private long handled() {
        return List.of("qa.journeys.stats.applied", "qa.journeys.stats.duplicates", "qa.journeys.stats.ignored", "qa.journeys.stats.skipped")
                .stream().mapToLong(this::count).sum();
    }

    private long count(String name, String... tags) {
        return (long) meters.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private JsonNode health() {
        return anonymous().get("/actuator/health").json().at("/components/journeyStats/details");
    }

    /** Writes the records in one Kafka transaction, committed or aborted; answers where they went. */
    private List<RecordMetadata> transaction(boolean commit, List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "journey-stats-it-" + UUID.randomUUID());
        List<RecordMetadata> out = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (ProducerRecord<byte[], byte[]> r : records) {
                out.add(producer.send(r).get(10, TimeUnit.SECONDS));
            }
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.abortTransaction();
            }
        }
        return out;
    }

    private ProducerRecord<byte[], byte[]> record(String key, String value) {
        return new ProducerRecord<>(consumer.topic(), key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    private static String stats(String journeyId, String status, long entered, long ended, String updatedAt, String check, String sms,
                                String done) {
        return ("""
                {"journeyId":"%s","status":"%s","entered":%d,"ended":%d,"updatedAt":%s,"nodes":[
                  {"id":"check","type":"EVENT_BRANCH","name":null,%s},
                  {"id":"sms","type":"SMS","name":null,%s},
                  {"id":"done","type":"END","name":null,%s}]}""")
                .formatted(journeyId, status, entered, ended, updatedAt, check, sms, done).replaceAll("\\s", "");
    }

    private static String counts(long entered, long exited, long actions, String branches, String skipped) {
        return "\"entered\":%d,\"exited\":%d,\"actions\":%d,\"branches\":%s,\"skipped\":%s".formatted(entered, exited, actions, branches, skipped);
    }

    /** Starts the cart abandonment journey and has the engine acknowledge it: RUNNING. */
    private String running(String name) throws Exception {
        String id = created(api.post("/api/v1/journeys", cart(name, ONCE, DONE_EDGE)));
        operate(id, "start");
        engineAnswers(id, JourneyStatus.RUNNING, null);
        return id;
    }

    private final List<RecordMetadata> sent = new ArrayList<>();

    /** Deltas of the cart abandonment journey: two instances, three checkpoints, one delta delivered twice; and everything to pass over. */
    private void sendDeltas(String j, String elsewhere) throws Exception {
        String key = org.id() + "/" + j;
        String zeroAt17 = delta(org.id(), j, 0, 17, T, """
                "journey":{"entered":2,"ended":1},
                "nodes":{"check":{"entered":2,"exited":2,"branches":{"DONE":1,"NOT_DONE":1}},"sms":{"entered":1,"exited":1,"actions":1},
                         "done":{"entered":1,"exited":1}}""");
        sent.addAll(transaction(true, List.of(
                record(key, zeroAt17),
                record(key, delta(org.id(), j, 1, 17, T + 1000, "\"journey\":{\"entered\":1},\"nodes\":{\"check\":{\"entered\":1}}")),
                record(key, "{\"v\":1,\"orgId\":\"" + org.id() + "\",\"journeyId\":\"13800138000\""),
                // a journey that does not exist, and this journey named under another organization
                record(key, delta(org.id(), UUID.randomUUID().toString(), 0, 17, T, "\"journey\":{\"entered\":40}")),
                record(elsewhere + "/" + j, delta(elsewhere, j, 0, 17, T, "\"journey\":{\"entered\":50}")),
                record(key, delta(org.id(), j, 0, 16, T, "\"journey\":{\"entered\":60}").replace("\"v\":1", "\"v\":2")))));
        sent.addAll(transaction(true, List.of(
                record(key, delta(org.id(), j, 1, 18, T + 2345, """
                        "journey":{"ended":1},
                        "nodes":{"check":{"exited":1,"branches":{"NOT_DONE":1}},
                                 "sms":{"entered":1,"exited":1,"actions":1,"skipped":{"EMPTY_VARIABLE:count":1}},
                                 "ghost":{"entered":9},"done":{"latency":{"p99":3}}}""")),
                record(key, zeroAt17), // delivered again
                record(key, delta(org.id(), j, 0, 18, T, "\"nodes\":{\"sms\":{\"actions\":-1}}")))));
        // never committed: read committed, it is not there
        transaction(false, List.of(record(key, delta(org.id(), j, 0, 19, T + 9000, "\"journey\":{\"entered\":100}"))));
    }

    @Test
    void everyDeltaIsAddedOnceAndTheAnswerListsEveryNodeOfTheDefinition(CapturedOutput output) throws Exception {
        ensureTopic(consumer.topic());
        String j = running("Counted");
        Api analyst = key(org, "ANALYST");
        Org other = newOrg();
        String zeros = counts(0, 0, 0, "{}", "{}");
        Api.Response before = analyst.get("/api/v1/journeys/" + j + "/stats");
        assertThat(before.status()).as(before.toString()).isEqualTo(200);
        assertThat(before.body()).as("nothing counted yet: zeros, the branches of its edges in their order")
                .isEqualTo(stats(j, "RUNNING", 0, 0, "null", counts(0, 0, 0, "{\"NOT_DONE\":0,\"DONE\":0}", "{}"), zeros, zeros));

        long handled = handled();
        long added = count("qa.journeys.stats.applied");
        long duplicates = count("qa.journeys.stats.duplicates");
        long ignored = count("qa.journeys.stats.ignored");
        long malformed = count("qa.journeys.stats.skipped", "reason", "malformed");
        long unsupported = count("qa.journeys.stats.skipped", "reason", "unsupported_version");
        sendDeltas(j, other.id());
        await().atMost(DEADLINE).until(() -> handled() >= handled + 9);

        String expected = stats(j, "RUNNING", 3, 2, "\"2026-11-28T00:00:02.345Z\"",
                counts(3, 3, 0, "{\"NOT_DONE\":2,\"DONE\":1}", "{}"),
                counts(2, 2, 2, "{}", "{\"EMPTY_VARIABLE:count\":1}"),
                counts(1, 1, 0, "{}", "{}"));
        assertThat(analyst.get("/api/v1/journeys/" + j + "/stats").body()).isEqualTo(expected);
        assertThat(handled()).isEqualTo(handled + 9);
        assertThat(count("qa.journeys.stats.applied")).isEqualTo(added + 3);
        assertThat(count("qa.journeys.stats.duplicates")).isEqualTo(duplicates + 1);
        assertThat(count("qa.journeys.stats.ignored")).isEqualTo(ignored + 2);
        assertThat(count("qa.journeys.stats.skipped", "reason", "malformed")).isEqualTo(malformed + 2);
        assertThat(count("qa.journeys.stats.skipped", "reason", "unsupported_version")).isEqualTo(unsupported + 1);
        // the log says where the garbage was, never what it held
        assertThat(output.getAll()).contains("skipped the qa.journeys.stats record at partition").doesNotContain("13800138000");
        JsonNode health = health();
        assertThat(health.get("topic").asString()).isEqualTo(Topics.JOURNEY_STATS);
        assertThat(health.get("groupId").asString()).isEqualTo("qa-control-plane-journey-stats");
        assertThat(health.get("consumer").asString()).isEqualTo("running");
        assertThat(health.get("topicExists").asBoolean()).isTrue();
        assertThat(health.get("applied").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(health.get("skipped").asLong()).isGreaterThanOrEqualTo(3);

        // the same journey stopped reads the same counts
        operate(j, "stop");
        assertThat(analyst.get("/api/v1/journeys/" + j + "/stats").body()).isEqualTo(expected.replace("\"RUNNING\"", "\"STOPPED\""));

        // another organization's journey is not there, like any journey endpoint's; nor is one that does not exist
        for (Api.Response r : List.of(other.admin().get("/api/v1/journeys/" + j + "/stats"), analyst.get("/api/v1/journeys/nope/stats"))) {
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
            assertThat(r.text("/code")).isEqualTo("not-found");
        }
        assertThat(anonymous().get("/api/v1/journeys/" + j + "/stats").status()).isEqualTo(401);
    }

    @Test
    void aJourneyNeverStartedAnswersZerosForTheNodesItHas() {
        String draft = created(api.post("/api/v1/journeys", cart("Draft", ONCE, "")));
        String zeros = counts(0, 0, 0, "{}", "{}");
        assertThat(api.get("/api/v1/journeys/" + draft + "/stats").body())
                .isEqualTo(stats(draft, "INCOMPLETE", 0, 0, "null", counts(0, 0, 0, "{\"NOT_DONE\":0}", "{}"), zeros, zeros));
    }

    @Test
    void readingTheWholeTopicAgainAddsNothing() throws Exception {
        ensureTopic(consumer.topic());
        String j = running("Replayed");
        long handled = handled();
        sendDeltas(j, newOrg().id());
        await().atMost(DEADLINE).until(() -> handled() >= handled + 9);
        String before = api.get("/api/v1/journeys/" + j + "/stats").body();
        long duplicates = count("qa.journeys.stats.duplicates");
        // where the committed offsets stand once everything sent here was read again
        Map<TopicPartition, Long> past = new HashMap<>();
        sent.forEach(m -> past.merge(new TopicPartition(m.topic(), m.partition()), m.offset() + 1, Math::max));

        consumer.stop();
        try (Admin admin = TestKafka.admin()) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(consumer.topic())).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(consumer.topic()).partitions().stream().map(p -> new TopicPartition(consumer.topic(), p.partition())).toList();
            Map<TopicPartition, OffsetAndMetadata> zero = partitions.stream().collect(Collectors.toMap(p -> p, p -> new OffsetAndMetadata(0)));
            // The stopped instance left the group; until the broker agrees, the group refuses the reset.
            await().atMost(DEADLINE).ignoreExceptions().until(() -> {
                admin.alterConsumerGroupOffsets(consumer.groupId(), zero).all().get(10, TimeUnit.SECONDS);
                return true;
            });
            consumer.start();
            await().atMost(DEADLINE).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(consumer.groupId())
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                return past.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue());
            });
        } finally {
            if (!consumer.isRunning()) {
                consumer.start();
            }
        }
        assertThat(count("qa.journeys.stats.duplicates")).as("its four deltas, every one added before").isGreaterThanOrEqualTo(duplicates + 4);
        assertThat(api.get("/api/v1/journeys/" + j + "/stats").body()).isEqualTo(before);
        assertThat(before).contains("\"entered\":3,\"ended\":2");
    }
}
