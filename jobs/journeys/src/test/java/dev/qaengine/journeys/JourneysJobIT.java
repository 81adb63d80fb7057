package dev.qaengine.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.FlinkSettings;
import dev.qaengine.common.Json;
import dev.qaengine.common.Settings;
import dev.qaengine.model.DlqHeaders;
import dev.qaengine.model.Schemas;
import dev.qaengine.model.Topics;
import dev.qaengine.model.journey.JourneyPlan;
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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static dev.qaengine.journeys.Fixtures.MIN;
import static dev.qaengine.journeys.Fixtures.ORG;
import static dev.qaengine.journeys.Fixtures.event;
import static dev.qaengine.journeys.Fixtures.eventBranch;
import static dev.qaengine.journeys.Fixtures.match;
import static dev.qaengine.journeys.Fixtures.plan;
import static dev.qaengine.journeys.Fixtures.sms;
import static dev.qaengine.journeys.Fixtures.trigger;
import static dev.qaengine.journeys.Fixtures.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journeys job on a real broker and a MiniCluster (parallelism 2), its wall clock moved by the test:
 * plans from {@code qa.control} answered on {@code qa.journeys.status}, resolved events in, action
 * requests out. Each person's last event is a "ping" that a second journey answers at once: when its
 * request is out, everything the person sent before it has been processed — the test then moves the clock.
 */
class JourneysJobIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestCluster.extension();
    static final Duration WAIT = Duration.ofSeconds(90);

    static EmbeddedKafka kafka;
    JobClient job;

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.start();
        kafka.createTopic(Topics.CONTROL, 1, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(Topics.EVENTS_RESOLVED, 2);
        kafka.createTopic(Topics.ACTIONS, 2);
        kafka.createTopic(Topics.JOURNEY_STATUS, 1);
        kafka.createTopic(Topics.EVENTS_DLQ, 1);
        kafka.createTopic(Topics.DELIVERIES, 2);
        kafka.createTopic(Topics.IDENTITY_CHANGES, 2);
        kafka.createTopic(Topics.JOURNEY_TRANSFERS, 2);
        kafka.createTopic(Topics.JOURNEY_STATS, 2);
        kafka.createTopic(Topics.PROFILES, 2, Map.of("cleanup.policy", "compact"));
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
    void cartAbandonmentWithOutOfOrderAndDuplicatedEventsAndAPlanChangeWhilePersonsWait() throws Exception {
        long t = System.currentTimeMillis();
        ManualClock clock = new ManualClock("it-cart", t);
        JourneyPlan v1 = cartPlan("cart", "tpl-v1");
        publish(v1, 1);
        publish(pingPlan("ping", "ping"), 1);
        job = start(clock, Map.of());
        awaitStatus("cart", 1, "RUNNING");
        awaitStatus("ping", 1, "RUNNING");

        send(event("p1", "p1-cart", "add_to_cart", t, "item", "shoes"), ping("p1", "ping", t + 1));
        // p2's purchase arrives before the add_to_cart it follows
        send(event("p2", "p2-buy", "purchase", t + 5 * MIN), event("p2", "p2-cart", "add_to_cart", t + 1_000), ping("p2", "ping", t + 5 * MIN + 1));
        // p3's add_to_cart arrives three times
        Inbound dup = event("p3", "p3-cart", "add_to_cart", t + 2_000);
        send(dup, dup, dup, ping("p3", "ping", t + 2_001));
        sendRaw(Fixtures.key("p1"), "{\"v\":1,\"personId\":\"p1\"}");
        awaitActions(a -> a.stream().filter(x -> x.get("journeyId").asText().equals("ping")).count() == 3);

        // a new version while p1 and p3 wait: p4 enters on it, the others finish on theirs
        publish(cartPlan("cart", "tpl-v2"), 2);
        awaitStatus("cart", 2, "RUNNING");
        send(event("p4", "p4-cart", "add_to_cart", t + 3_000), ping("p4", "ping", t + 3_001));
        awaitActions(a -> a.stream().filter(x -> x.get("journeyId").asText().equals("ping")).count() == 4);
        assertThat(actions("cart")).as("nobody's window has closed yet").isEmpty();

        clock.set(t + 31 * MIN + 5_000); // 31 minutes later, without a single event
        List<JsonNode> sms = awaitActions(a -> a.stream().filter(x -> x.get("journeyId").asText().equals("cart")).count() >= 3).stream()
                .filter(x -> x.get("journeyId").asText().equals("cart")).toList();
        assertThat(sms).extracting(a -> a.get("personId").asText() + ":" + a.get("templateId").asText() + ":v" + a.get("planVersion").asLong())
                .containsExactlyInAnyOrder("p1:tpl-v1:v1", "p3:tpl-v1:v1", "p4:tpl-v2:v2");
        assertThat(sms).allSatisfy(a -> assertThat(Schemas.violations("action-request-v1.schema.json", a)).isEmpty());
        assertThat(sms.stream().filter(a -> a.get("personId").asText().equals("p1")).findFirst().orElseThrow()
                .get("variables").get("item").asText()).isEqualTo("shoes");

        List<ConsumerRecord<byte[], byte[]>> dlq = kafka.readUntil(Topics.EVENTS_DLQ, l -> !l.isEmpty(), WAIT);
        assertThat(header(dlq.get(0), DlqHeaders.REASON)).isEqualTo("MISSING_FIELD");
        assertThat(header(dlq.get(0), DlqHeaders.DETAIL)).isEqualTo("event is missing");
        assertThat(header(dlq.get(0), DlqHeaders.SOURCE_TOPIC)).isEqualTo(Topics.EVENTS_RESOLVED);
    }

    @Test
    void aRestartFromACheckpointInTheMiddleOfWaitsSendsEachActionOnce() throws Exception {
        long t = System.currentTimeMillis();
        ManualClock clock = new ManualClock("it-restart", t);
        publish(plan("later", trigger(match("view"), 10), "w", waitFor("w", 10 * MIN, "s"), sms("s", "tpl-later", null)), 1);
        publish(pingPlan("ping2", "ping2"), 1);
        Path checkpoints = FlinkTestCluster.shortTempDir("chk");
        job = start(clock, Map.of("QA_CHECKPOINT_DIR", checkpoints.toUri().toString()));
        awaitStatus("later", 1, "RUNNING");
        awaitStatus("ping2", 1, "RUNNING");
        int persons = 20;
        for (int i = 0; i < persons; i++) {
            send(event("w" + i, "w" + i + "-view", "view", t + i), ping("w" + i, "ping2", t + i + 1));
        }
        awaitActions(a -> a.stream().filter(x -> x.get("journeyId").asText().equals("ping2")).count() == persons);
        // a checkpoint that began after every person entered, then the job fails
        int before = latestCheckpoint(checkpoints).map(JourneysJobIT::number).orElse(0);
        Path restoreFrom = awaitCheckpointAfter(checkpoints, before + 1);
        cancelAndWait();

        clock.set(t + 11 * MIN + 5_000);
        job = start(clock, Map.of("QA_CHECKPOINT_DIR", checkpoints.toUri().toString(), "QA_RESTORE_FROM", restoreFrom.toString()));
        List<JsonNode> later = awaitActions(a -> a.stream().filter(x -> x.get("journeyId").asText().equals("later")).count() >= persons)
                .stream().filter(x -> x.get("journeyId").asText().equals("later")).toList();
        assertThat(later).hasSize(persons);
        assertThat(later.stream().map(a -> a.get("key").asText()).distinct()).hasSize(persons);
        assertThat(later).allSatisfy(a -> assertThat(a.get("time").asLong()).isBetween(t + 10 * MIN, t + 10 * MIN + persons));
    }

    @Test
    void participationLimitsAndTheNthEventHoldOnTheCluster() throws Exception {
        long t = System.currentTimeMillis();
        ManualClock clock = new ManualClock("it-limits", t);
        publish(plan("once", Fixtures.once(match("open")), "s", sms("s", "tpl-once", null)), 1);
        publish(plan("twice", new JourneyPlan.Trigger(dev.qaengine.model.journey.TriggerType.EVENT, match("open"), 1, 2, 7 * Fixtures.DAY, null),
                "s", sms("s", "tpl-twice", null)), 1);
        publish(plan("third", new JourneyPlan.Trigger(dev.qaengine.model.journey.TriggerType.EVENT, match("open"), 3, 10, 7 * Fixtures.DAY, null),
                "s", sms("s", "tpl-third", null)), 1);
        publish(pingPlan("ping3", "ping3"), 1);
        job = start(clock, Map.of());
        for (String j : List.of("once", "twice", "third", "ping3")) {
            awaitStatus(j, 1, "RUNNING");
        }
        for (int p = 0; p < 3; p++) {
            List<Inbound> opens = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                opens.add(event("o" + p, "o" + p + "-" + i, "open", t + i * 60_000L));
            }
            opens.add(ping("o" + p, "ping3", t + 8 * 60_000L));
            send(opens.toArray(Inbound[]::new));
        }
        List<JsonNode> all = awaitActions(a -> a.stream().filter(x -> x.get("journeyId").asText().equals("ping3")).count() == 3);
        for (String person : List.of("o0", "o1", "o2")) {
            assertThat(all.stream().filter(a -> a.get("personId").asText().equals(person) && !a.get("journeyId").asText().equals("ping3"))
                    .map(a -> a.get("journeyId").asText() + "@" + a.get("triggerEventId").asText()))
                    .as("once: the first open; twice in 7 days: the first two; every third open, as often as it comes")
                    .containsExactlyInAnyOrder("once@" + person + "-0", "twice@" + person + "-0", "twice@" + person + "-1",
                            "third@" + person + "-2", "third@" + person + "-5");
        }
    }

    @Test
    void cartAbandonmentEndsInAResultBranchThatEmailsThoseWhoseSmsFailed() throws Exception {
        long t = System.currentTimeMillis();
        ManualClock clock = new ManualClock("it-result", t);
        publish(ResultBranchTest.cartWithFallback("cart-result"), 1);
        job = start(clock, Map.of());
        awaitStatus("cart-result", 1, "RUNNING");
        send(event("r1", "r1-cart", "add_to_cart", t), event("r2", "r2-cart", "add_to_cart", t));
        // the sends: the windows close 30 minutes later, without events
        clock.set(t + 30 * MIN + 5_000);
        List<JsonNode> sms = awaitActions(a -> a.stream().filter(x -> x.get("journeyId").asText().equals("cart-result")).count() >= 2).stream()
                .filter(x -> x.get("journeyId").asText().equals("cart-result")).toList();
        assertThat(sms).extracting(a -> a.get("templateId").asText()).containsOnly("tpl-sms");
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            for (JsonNode a : sms) {
                String person = a.get("personId").asText();
                var outcome = person.equals("r1") ? dev.qaengine.model.journey.DeliveryResult.Outcome.FAILURE
                        : dev.qaengine.model.journey.DeliveryResult.Outcome.SUCCESS;
                var d = dev.qaengine.model.journey.DeliveryResult.of(ORG, person, "cart-result", a.get("runId").asText(), "sms", outcome, null, t + 31 * MIN);
                assertThat(Schemas.violations("delivery-result-v1.schema.json", Json.MAPPER.valueToTree(d))).isEmpty();
                p.send(new ProducerRecord<>(Topics.DELIVERIES, null, d.time(), (ORG + '|' + person).getBytes(StandardCharsets.UTF_8),
                        Json.MAPPER.writeValueAsBytes(d))).get();
            }
            // a webhook receipt on the same topic is not the engine's business
            p.send(new ProducerRecord<>(Topics.DELIVERIES, "task-1".getBytes(StandardCharsets.UTF_8),
                    "{\"v\":1,\"type\":\"WEBHOOK_RECEIPT\",\"orgId\":\"org1\"}".getBytes(StandardCharsets.UTF_8))).get();
        }
        awaitConsumed(JourneysJob.NAME + "-deliveries", Topics.DELIVERIES);
        clock.set(t + 90 * MIN + 5_000); // the RESULT_BRANCH waited its hour
        List<JsonNode> mails = awaitActions(a -> a.stream().anyMatch(x -> x.get("journeyId").asText().equals("cart-result")
                && x.get("nodeId").asText().equals("mail"))).stream()
                .filter(x -> x.get("journeyId").asText().equals("cart-result") && x.get("nodeId").asText().equals("mail")).toList();
        assertThat(mails).extracting(a -> a.get("personId").asText() + ":" + a.get("templateId").asText()).containsExactly("r1:tpl-mail");

        // the counts, summed over the deltas each instance committed with its checkpoints
        Map<String, Long> counts = new java.util.TreeMap<>();
        kafka.readUntil(Topics.JOURNEY_STATS, l -> {
            counts.clear();
            l.stream().map(JourneysJobIT::json).filter(d -> d.get("journeyId").asText().equals("cart-result")).forEach(d -> {
                d.path("journey").fields().forEachRemaining(f -> counts.merge("journey." + f.getKey(), f.getValue().asLong(), Long::sum));
                d.path("nodes").fields().forEachRemaining(n -> n.getValue().fields().forEachRemaining(m -> {
                    if (m.getValue().isObject()) {
                        m.getValue().fields().forEachRemaining(b -> counts.merge(n.getKey() + "." + m.getKey() + "." + b.getKey(), b.getValue().asLong(), Long::sum));
                    } else {
                        counts.merge(n.getKey() + "." + m.getKey(), m.getValue().asLong(), Long::sum);
                    }
                }));
            });
            return counts.getOrDefault("journey.ended", 0L) == 2;
        }, WAIT, Map.of("isolation.level", "read_committed"));
        assertThat(counts).containsAllEntriesOf(Map.of("journey.entered", 2L, "journey.ended", 2L, "b.branches.NOT_DONE", 2L,
                "sms.actions", 2L, "r.branches.FAILURE", 1L, "r.branches.SUCCESS", 1L, "mail.actions", 1L, "done.entered", 1L));
    }

    @Test
    void aMergeInTheMiddleOfWaitsMovesTheRunsToTheSurvivorThroughTheTransferTopic() throws Exception {
        long t = System.currentTimeMillis();
        ManualClock clock = new ManualClock("it-merge", t);
        publish(plan("merge-wait", trigger(match("browse"), 10), "w", waitFor("w", 10 * MIN, "s"), sms("s", "tpl-merge", null)), 1);
        publish(pingPlan("ping4", "ping4"), 1);
        job = start(clock, Map.of());
        awaitStatus("merge-wait", 1, "RUNNING");
        awaitStatus("ping4", 1, "RUNNING");
        send(event("m-old", "m-old-1", "browse", t), ping("m-old", "ping4", t + 1));
        send(event("m-new", "m-new-1", "browse", t + 2), ping("m-new", "ping4", t + 3));
        awaitActions(a -> a.stream().filter(x -> x.get("journeyId").asText().equals("ping4")).count() == 2);

        var change = new dev.qaengine.model.IdentityChange(1, dev.qaengine.model.IdentityChange.MERGE, ORG, "m-new", "m-old",
                List.of(), List.of(), t + MIN, 1);
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            p.send(new ProducerRecord<>(Topics.IDENTITY_CHANGES, null, change.time(), (ORG + "|m-old").getBytes(StandardCharsets.UTF_8),
                    Json.MAPPER.writeValueAsBytes(change))).get();
        }
        kafka.readUntil(Topics.JOURNEY_TRANSFERS, l -> !l.isEmpty(), WAIT, Map.of("isolation.level", "read_committed"));
        awaitConsumed(JourneysJob.NAME + "-transfers", Topics.JOURNEY_TRANSFERS);

        clock.set(t + 11 * MIN + 5_000);
        List<JsonNode> sms = awaitActions(a -> a.stream().filter(x -> x.get("journeyId").asText().equals("merge-wait")).count() >= 2).stream()
                .filter(x -> x.get("journeyId").asText().equals("merge-wait")).toList();
        assertThat(sms).extracting(a -> a.get("personId").asText() + ":" + a.get("triggerEventId").asText())
                .containsExactlyInAnyOrder("m-new:m-old-1", "m-new:m-new-1");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /**
     * Waits until the group has committed offsets past the last record of each partition: committed on a
     * completed checkpoint, so every record before them has been through the engine. (Past the last
     * record, not the end offset: a transactional topic ends with a commit marker, which a source never
     * counts as read.)
     */
    private static void awaitConsumed(String group, String topic) throws Exception {
        Map<org.apache.kafka.common.TopicPartition, Long> targets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readUntil(topic, l -> true, WAIT, Map.of("isolation.level", "read_committed"))) {
            targets.merge(new org.apache.kafka.common.TopicPartition(topic, r.partition()), r.offset() + 1, Math::max);
        }
        try (var c = kafka.consumer(Map.of("isolation.level", "read_committed"))) {
            var parts = c.partitionsFor(topic).stream().map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < until) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    targets.merge(new org.apache.kafka.common.TopicPartition(topic, r.partition()), r.offset() + 1, Math::max);
                }
            }
        }
        long end = System.nanoTime() + WAIT.toNanos();
        var admin = kafka.admin();
        while (true) {
            var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            if (targets.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue())) {
                return;
            }
            assertThat(System.nanoTime()).as("%s consumed %s in time", group, topic).isLessThan(end);
            Thread.onSpinWait();
        }
    }

    /** Cancels the job and waits until its tasks are gone (the cancel call returns before that). */
    private void cancelAndWait() throws Exception {
        job.cancel().get();
        long end = System.nanoTime() + WAIT.toNanos();
        while (!job.getJobStatus().get().isGloballyTerminalState()) {
            assertThat(System.nanoTime()).as("job cancelled in time").isLessThan(end);
            Thread.onSpinWait();
        }
        job = null;
    }

    static JourneyPlan cartPlan(String id, String template) {
        return plan(id, trigger(match("add_to_cart"), 10), "b",
                eventBranch("b", match("purchase"), 30 * MIN, dev.qaengine.model.journey.Operator.GE, 1, "e", "s"),
                sms("s", template, null, new JourneyPlan.Variable("item", "item", "REPLACE", "your cart")),
                Fixtures.end("e"));
    }

    static JourneyPlan pingPlan(String id, String code) {
        return plan(id, trigger(match(code), 10), "s", sms("s", "tpl-" + code, null));
    }

    static Inbound ping(String person, String code, long time) throws Exception {
        return event(person, person + "-" + code + "-" + time, code, time);
    }

    private JobClient start(ManualClock clock, Map<String, String> extra) throws Exception {
        Map<String, String> s = new HashMap<>(FlinkTestCluster.jobSettings(kafka.bootstrap()));
        s.put("QA_CHECKPOINT_INTERVAL", "300ms");
        s.put("QA_JOURNEYS_TICK", "50ms");
        s.put("QA_SOURCE_IDLENESS", "1s");
        s.putAll(extra);
        Settings settings = Settings.of(s);
        var conf = FlinkSettings.jobConfiguration(settings);
        conf.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        new JourneysJob(settings, clock).addTo(env);
        return env.executeAsync("journeys-it");
    }

    private static void publish(JourneyPlan plan, long version) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            var entry = Fixtures.planEntry(plan, version, 0);
            p.send(new ProducerRecord<>(Topics.CONTROL, entry.key().getBytes(StandardCharsets.UTF_8),
                    entry.value().getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    private static void send(Inbound... events) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            for (Inbound e : events) {
                p.send(new ProducerRecord<>(Topics.EVENTS_RESOLVED, null, e.timestamp(), e.key(), e.value())).get();
            }
        }
    }

    private static void sendRaw(String key, String value) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            p.send(new ProducerRecord<>(Topics.EVENTS_RESOLVED, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    private static void awaitStatus(String journeyId, long version, String status) {
        kafka.readUntil(Topics.JOURNEY_STATUS, l -> l.stream().map(JourneysJobIT::json).anyMatch(s ->
                Schemas.violations("journey-status-v1.schema.json", s).isEmpty() && s.get("orgId").asText().equals(ORG)
                        && s.get("journeyId").asText().equals(journeyId) && s.get("planVersion").asLong() == version
                        && s.get("status").asText().equals(status)), WAIT);
    }

    private static List<JsonNode> awaitActions(Predicate<List<JsonNode>> done) {
        List<JsonNode> out = new ArrayList<>();
        kafka.readUntil(Topics.ACTIONS, l -> {
            out.clear();
            l.forEach(r -> out.add(json(r)));
            return done.test(out);
        }, WAIT);
        return out;
    }

    private static List<JsonNode> actions(String journeyId) {
        return awaitActions(l -> true).stream().filter(a -> a.get("journeyId").asText().equals(journeyId)).toList();
    }

    private static JsonNode json(ConsumerRecord<byte[], byte[]> r) {
        try {
            return Json.MAPPER.readTree(r.value());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static Optional<Path> latestCheckpoint(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir, 2)) {
            return all.filter(p -> p.getFileName().toString().startsWith("chk-") && Files.exists(p.resolve("_metadata")))
                    .max(java.util.Comparator.comparingInt(JourneysJobIT::number));
        } catch (java.io.UncheckedIOException e) {
            return latestCheckpoint(dir); // a subsumed checkpoint was deleted while we looked: look again
        }
    }

    private static int number(Path chk) {
        return Integer.parseInt(chk.getFileName().toString().substring(4));
    }

    private static Path awaitCheckpointAfter(Path dir, int n) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Optional<Path> latest = latestCheckpoint(dir);
            if (latest.isPresent() && number(latest.get()) > n) {
                return latest.get();
            }
            assertThat(System.nanoTime()).as("a checkpoint after #%d completed in time", n).isLessThan(end);
            Thread.onSpinWait();
        }
    }
}
