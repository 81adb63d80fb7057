package dev.qaengine.local;

import dev.qaengine.common.Settings;
import dev.qaengine.model.DlqHeaders;
import dev.qaengine.model.EventMessageV1;
import dev.qaengine.model.Topics;
import dev.qaengine.normalize.NormalizeJob;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The integration test of "publishing to the engine", end to end with real parts only: the
 * control plane as its own process (its Boot jar, H2 file, production settings), the local stack's Kafka
 * broker in this JVM, and the normalize job on a Flink cluster in this JVM (parallelism 2).
 * <ol>
 *   <li>An event definition created through the API is applied by the running job within 2 s, without a
 *   restart: events of the new code, sent through {@code POST /api/v1/events}, go to
 *   {@code qa.events.normalized} instead of the DLQ.</li>
 *   <li>With Kafka stopped, a definition change is still accepted (2xx); once Kafka is started again on the
 *   same port, the change arrives on {@code qa.control} and the job applies it.</li>
 * </ol>
 * The job runs with {@code QA_DEFINITION_GRACE=0}: a message rejected for definitions is judged once, at
 * once, so the first normalized probe marks when the definition took effect (with the default 5 s grace,
 * a probe sent just before the definition would be judged again later and blur the measurement).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ControlPlaneToNormalizeIT {
    private static final String ADMIN_KEY = "qak_e2e-admin-key-0123456789abcdef";
    private static final String ORG = "e2e-org";
    private static final String CHANNEL = "shop";
    private static final Duration APPLY_TARGET = Duration.ofSeconds(2);
    private static final PrintStream OUT = System.out;

    @TempDir
    static Path dir;
    private int kafkaPort;
    private int controllerPort;
    private EmbeddedKafka kafka;
    private ControlPlaneProcess controlPlane;
    private ControlPlaneClient api;
    private LocalFlink flink;
    private JobID jobId;
    private int flinkPort;
    private Outputs outputs;
    private int probes;

    @BeforeAll
    void startEverything() throws Exception {
        kafkaPort = Net.freePort();
        controllerPort = Net.freePort();
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), kafkaPort, controllerPort, Duration.ofSeconds(60));
        KafkaTopics.ensure(kafka.bootstrap(), new Properties(), Duration.ofSeconds(30));

        StackConfig stack = new StackConfig(dir, kafkaPort, controllerPort, Net.freePort(), 0, 4, Optional.empty(), Optional.empty(),
                Optional.empty(), false, StackConfig.HOST);
        flinkPort = stack.flinkPort();
        ControlPlaneProcess.Config cp = new ControlPlaneProcess.Config(Optional.empty(), Net.freePort(), StackConfig.HOST,
                dir.resolve("control-plane"), dir.resolve("logs/control-plane.log"), Optional.empty(), Optional.of(ADMIN_KEY), ORG,
                List.of("-Xmx384m"), Map.of("QA_FLINK_REST_URL", stack.flinkUrl()));
        controlPlane = ControlPlaneProcess.start(cp, kafka.bootstrap());

        // Flink starts while the control plane boots, as in the stack
        Settings jobSettings = Settings.of(Map.of(
                "QA_KAFKA_BOOTSTRAP", kafka.bootstrap(),
                "QA_PARALLELISM", "2",
                "QA_DEFINITION_GRACE", "0s",
                "QA_CHECKPOINT_INTERVAL", "5s",
                "QA_CHECKPOINT_DIR", dir.resolve("checkpoints").toUri().toString()));
        flink = LocalFlink.start(stack, jobSettings, OUT);
        jobId = flink.submit(LocalJobs.ALL.stream().filter(j -> j.name().equals(NormalizeJob.NAME)).findFirst().orElseThrow(),
                jobSettings, false).id();
        assertThat(flink.awaitRunning(jobId, Duration.ofSeconds(60))).as("normalize RUNNING").isTrue();

        controlPlane.awaitHealthy(Duration.ofSeconds(180));
        api = controlPlane.client();
        assertThat(api.organizationId()).isEqualTo(ORG);
        api.post("/api/v1/event-channels", """
                {"appKey":"shop","name":"Shop","appType":"APP"}""").requireOk("create channel");
        api.post("/api/v1/event-definitions", """
                {"eventCode":"view_item","name":"View item","channel":"shop","attributes":[{"id":"sku","type":"TEXT"}]}""")
                .requireOk("create view_item");
        outputs = new Outputs(kafka.bootstrap());
        // The job is up and has the first catalog once a defined event comes out normalized.
        probeUntilNormalized("view_item", System.nanoTime(), Duration.ofSeconds(60));
    }

    @AfterAll
    void stopEverything() throws Exception {
        Parts.closeInOrder(outputs, flink, controlPlane, kafka);
    }

    @Test
    @Order(1)
    void anEventDefinedThroughTheApiIsAppliedByTheRunningJobWithinTwoSeconds() throws Exception {
        Probe before = probe("wishlist_add");
        assertThat(outputs.awaitOutcome(before, Duration.ofSeconds(30))).as("not defined yet").isEqualTo("dlq:UNKNOWN_EVENT");

        long t0 = System.nanoTime();
        ControlPlaneClient.Response created = api.post("/api/v1/event-definitions", """
                {"eventCode":"wishlist_add","name":"Add to wishlist","channel":"shop","attributes":[{"id":"sku","type":"TEXT"}]}""");
        long answered = System.nanoTime();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);

        Applied applied = probeUntilNormalized("wishlist_add", t0, Duration.ofSeconds(30));
        OUT.printf("[e2e] definition created in %d ms; the first probe of the new code that came out normalized was sent %d ms and read "
                        + "from qa.events.normalized %d ms after the API call (%s)%n",
                millis(answered - t0), applied.firstNormalizedMillis(), applied.observedMillis(), applied.lastRejectedMillis() == 0
                        ? "no probe sent after the call was rejected" : "the last rejected one was sent at " + applied.lastRejectedMillis() + " ms");
        // The whole path counts: API call → outbox → qa.control → broadcast state, and a probe through the API → job → output.
        assertThat(Duration.ofMillis(applied.observedMillis())).as("applied within 2 s").isLessThanOrEqualTo(APPLY_TARGET);
        assertThat(applied.laterRejected()).as("no probe after the first normalized one is rejected").isEmpty();

        assertThat(flink.jobs().get(NormalizeJob.NAME).id()).as("the same job").isEqualTo(jobId);
        assertThat(flink.status(jobId)).contains(JobStatus.RUNNING);
        assertThat(restUrl("/jobs/" + jobId + "/exceptions")).as("no failure, so no restart").contains("\"entries\":[]");
    }

    @Test
    @Order(2)
    void aChangeMadeWhileKafkaIsDownArrivesWhenItIsBackAndTheJobAppliesIt() throws Exception {
        Probe before = probe("wishlist_remove");
        assertThat(outputs.awaitOutcome(before, Duration.ofSeconds(30))).as("not defined yet").isEqualTo("dlq:UNKNOWN_EVENT");

        kafka.close();
        assertThat(Net.isListening(StackConfig.HOST, kafkaPort)).as("broker down").isFalse();
        ControlPlaneClient.Response created = api.post("/api/v1/event-definitions", """
                {"eventCode":"wishlist_remove","name":"Remove from wishlist","channel":"shop","attributes":[{"id":"sku","type":"TEXT"}]}""");
        assertThat(created.status()).as("accepted while Kafka is down: " + created).isEqualTo(201);
        assertThat(Net.await(Duration.ofSeconds(30), () -> api.get("/actuator/health").json().at("/components/outbox/details/pending").asLong() > 0))
                .as("the change waits in the outbox").isTrue();
        ControlPlaneClient.Response ingest = api.post("/api/v1/events", List.of(message("wishlist_remove", "during-outage")));
        assertThat(ingest.status()).as("ingestion answers 503 while Kafka is down: " + ingest).isEqualTo(503);

        long restart = System.nanoTime();
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), kafkaPort, controllerPort, Duration.ofSeconds(60));
        OUT.printf("[e2e] broker back on port %d after %d ms%n", kafkaPort, millis(System.nanoTime() - restart));

        Applied applied = probeUntilNormalized("wishlist_remove", restart, Duration.ofSeconds(120));
        OUT.printf("[e2e] after the outage, a probe of the changed definition was read from qa.events.normalized %d ms after the broker "
                + "start began%n", applied.observedMillis());
        assertThat(Net.await(Duration.ofSeconds(30), () -> api.get("/actuator/health").json().at("/components/outbox/details/pending").asLong() == 0))
                .as("the outbox drained").isTrue();
        assertThat(flink.status(jobId)).contains(JobStatus.RUNNING);
    }

    // --- probes: one event message per call of POST /api/v1/events, each of its own customer

    private record Probe(String customer, long sentNanos) {
    }

    /**
     * Relative to t0: when the first probe that came out normalized was sent, and when the test read it from
     * qa.events.normalized; when the last rejected probe before it was sent (0: none was).
     */
    private record Applied(long firstNormalizedMillis, long observedMillis, long lastRejectedMillis, List<String> laterRejected) {
    }

    private Probe probe(String eventCode) {
        String customer = "probe-" + (++probes);
        long sent = System.nanoTime();
        ControlPlaneClient.Response r = api.post("/api/v1/events", List.of(message(eventCode, customer)));
        return r.ok() ? new Probe(customer, sent) : null; // 503 while the control plane's producer reconnects
    }

    private static EventMessageV1 message(String eventCode, String customer) {
        return EventMessageV1.of(ORG, customer, CHANNEL, eventCode, System.currentTimeMillis(), Map.of("sku", "SKU-1"));
    }

    /**
     * Sends a probe every 100 ms until one comes out normalized (then waits for the outcome of every probe
     * sent), and reports when that probe was sent, relative to {@code t0}.
     */
    private Applied probeUntilNormalized(String eventCode, long t0, Duration deadline) throws Exception {
        List<Probe> sent = new ArrayList<>();
        long end = System.nanoTime() + deadline.toNanos();
        long nextSend = 0;
        while (sent.stream().noneMatch(p -> "normalized".equals(outputs.outcome(p)))) {
            assertThat(System.nanoTime()).as("a probe normalized within " + deadline + "; outcomes " + outputs.outcomes(sent)).isLessThan(end);
            if (System.nanoTime() >= nextSend) {
                nextSend = System.nanoTime() + 100_000_000L;
                Optional.ofNullable(probe(eventCode)).ifPresent(sent::add);
            }
            outputs.poll(Duration.ofMillis(20));
        }
        for (Probe p : sent) {
            outputs.awaitOutcome(p, Duration.ofSeconds(30));
        }
        Probe first = sent.stream().filter(p -> "normalized".equals(outputs.outcome(p))).findFirst().orElseThrow();
        long lastRejected = sent.stream().filter(p -> p.sentNanos() < first.sentNanos() && !"normalized".equals(outputs.outcome(p)))
                .mapToLong(p -> millis(p.sentNanos() - t0)).max().orElse(0);
        List<String> laterRejected = sent.stream().filter(p -> p.sentNanos() > first.sentNanos())
                .filter(p -> !"normalized".equals(outputs.outcome(p))).map(p -> p.customer() + "=" + outputs.outcome(p)).toList();
        return new Applied(millis(first.sentNanos() - t0), millis(outputs.seenAt(first) - t0), lastRejected, laterRejected);
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private String restUrl(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + flinkPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    /** Reads the job's two outputs from their end as of now; the outcome of each probe by its record key. */
    private static final class Outputs implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Map<String, String> byCustomer = new LinkedHashMap<>();
        private final Map<String, Long> seenAt = new LinkedHashMap<>();

        Outputs(String bootstrap) {
            Properties p = new Properties();
            p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> parts = new ArrayList<>();
            for (String topic : List.of(Topics.EVENTS_NORMALIZED, Topics.EVENTS_DLQ)) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
            }
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
        }

        void poll(Duration d) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(d)) {
                String key = new String(r.key(), StandardCharsets.UTF_8);
                String customer = key.substring(key.indexOf('|') + 1);
                seenAt.putIfAbsent(customer, System.nanoTime());
                if (r.topic().equals(Topics.EVENTS_NORMALIZED)) {
                    byCustomer.put(customer, "normalized");
                } else {
                    Header h = r.headers().lastHeader(DlqHeaders.REASON);
                    byCustomer.putIfAbsent(customer, "dlq:" + (h == null ? "?" : new String(h.value(), StandardCharsets.UTF_8)));
                }
            }
        }

        String outcome(Probe p) {
            return byCustomer.get(p.customer());
        }

        long seenAt(Probe p) {
            return seenAt.get(p.customer());
        }

        Map<String, String> outcomes(List<Probe> probes) {
            Map<String, String> m = new LinkedHashMap<>();
            probes.forEach(p -> m.put(p.customer(), outcome(p)));
            return m;
        }

        String awaitOutcome(Probe p, Duration deadline) {
            assertThat(p).as("the probe was accepted by the API").isNotNull();
            long end = System.nanoTime() + deadline.toNanos();
            while (outcome(p) == null) {
                assertThat(System.nanoTime()).as("an outcome for " + p.customer() + " within " + deadline).isLessThan(end);
                poll(Duration.ofMillis(100));
            }
            return outcome(p);
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
