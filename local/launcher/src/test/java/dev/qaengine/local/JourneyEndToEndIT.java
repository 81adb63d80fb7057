package dev.qaengine.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.Json;
import dev.qaengine.common.Settings;
import dev.qaengine.model.EventMessageV1;
import dev.qaengine.model.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A journey from the API to an action request, with real parts only and the real wall clock: the control
 * plane as its own process, the local stack's broker, and the normalize, identity and journeys jobs on one
 * Flink cluster in this JVM. Journeys are defined and started through {@code /api/v1/journeys}; they become
 * RUNNING only when the engine has applied their plans; events sent through {@code POST /api/v1/events}
 * pass normalization and identity and come out as action requests on {@code qa.actions} — at once for a
 * welcome journey, and one minute later for the persons who put something in their cart and did not buy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class JourneyEndToEndIT {
    private static final String ADMIN_KEY = "qak_e2e-admin-key-0123456789abcdef";
    private static final String ORG = "journey-e2e-org";
    private static final PrintStream OUT = System.out;

    @TempDir
    static Path dir;
    private EmbeddedKafka kafka;
    private ControlPlaneProcess controlPlane;
    private ControlPlaneClient api;
    private LocalFlink flink;

    @BeforeAll
    void startEverything() throws Exception {
        int kafkaPort = Net.freePort();
        int controllerPort = Net.freePort();
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), kafkaPort, controllerPort, Duration.ofSeconds(60));
        KafkaTopics.ensure(kafka.bootstrap(), new Properties(), Duration.ofSeconds(30));
        StackConfig stack = new StackConfig(dir, kafkaPort, controllerPort, Net.freePort(), 0, 4, Optional.empty(), Optional.empty(),
                Optional.empty(), false, StackConfig.HOST);
        controlPlane = ControlPlaneProcess.start(new ControlPlaneProcess.Config(Optional.empty(), Net.freePort(), StackConfig.HOST,
                dir.resolve("control-plane"), dir.resolve("logs/control-plane.log"), Optional.empty(), Optional.of(ADMIN_KEY), ORG,
                List.of("-Xmx384m"), Map.of("QA_FLINK_REST_URL", stack.flinkUrl())), kafka.bootstrap());
        Settings jobSettings = Settings.of(Map.of(
                "QA_KAFKA_BOOTSTRAP", kafka.bootstrap(),
                "QA_PARALLELISM", "1",
                "QA_IDENTITY_DIRECTORY", "off",
                "QA_CHECKPOINT_INTERVAL", "5s",
                "QA_CHECKPOINT_DIR", dir.resolve("checkpoints").toUri().toString()));
        flink = LocalFlink.start(stack, jobSettings, OUT);
        for (FlinkJob job : LocalJobs.ALL) {
            assertThat(flink.awaitRunning(flink.submit(job, jobSettings, false).id(), Duration.ofSeconds(90))).as(job.name()).isTrue();
        }
        controlPlane.awaitHealthy(Duration.ofSeconds(180));
        api = controlPlane.client();
    }

    @AfterAll
    void stopEverything() throws Exception {
        Parts.closeInOrder(flink, controlPlane, kafka);
    }

    @Test
    void journeysStartedThroughTheApiTurnEventsIntoActionRequestsOnTime() throws Exception {
        api.post("/api/v1/event-channels", "{\"appKey\":\"shop\",\"name\":\"Shop\",\"appType\":\"APP\",\"globalAttributes\":[]}").requireOk("channel");
        for (String code : List.of("signup", "add_to_cart", "purchase")) {
            api.post("/api/v1/event-definitions", """
                    {"eventCode":"%s","name":"%s","channel":"shop","attributes":[{"id":"item","type":"TEXT"}]}""".formatted(code, code))
                    .requireOk(code);
        }
        String hook = api.post("/api/v1/webhooks", """
                {"name":"CRM","url":"https://crm.example.com/hook","auth":"NONE","idTypes":["ONEID"],"parameters":[],
                 "receipt":{"period":30,"periodUnit":"MINUTES","statusCodes":[{"code":"200","status":"SUCCESS"}]}}""")
                .requireOk("webhook").json().get("id").asText();
        String welcome = create("""
                {"v":1,"name":"Welcome","trigger":{"type":"EVENT","event":{"eventCode":"signup","channel":"shop"},"participation":{"mode":"ONCE"}},
                 "start":"hook","nodes":[{"id":"hook","type":"WEBHOOK","config":{"channel":"%s","idType":"ONEID"}}],"edges":[]}""".formatted(hook));
        String cart = create("""
                {"v":1,"name":"Cart abandonment","trigger":{"type":"EVENT","event":{"eventCode":"add_to_cart","channel":"shop"},
                  "participation":{"mode":"LIMITED","maxEntries":3,"withinDays":1}},
                 "start":"check","nodes":[
                   {"id":"check","type":"EVENT_BRANCH","config":{"window":{"amount":1,"unit":"MINUTES"},"event":{"eventCode":"purchase"}}},
                   {"id":"remind","type":"WEBHOOK","config":{"channel":"%s","idType":"ONEID"}},
                   {"id":"bought","type":"END"}],
                 "edges":[{"from":"check","to":"remind","branch":"NOT_DONE"},{"from":"check","to":"bought","branch":"DONE"}]}""".formatted(hook));
        for (String id : List.of(welcome, cart)) {
            var started = api.post("/api/v1/journeys/" + id + "/start", "");
            assertThat(started.status()).as(started.toString()).isEqualTo(200);
            assertThat(started.json().get("status").asText()).isEqualTo("PENDING");
        }
        long startedAt = System.nanoTime();
        for (String id : List.of(welcome, cart)) {
            assertThat(Net.await(Duration.ofSeconds(60), () -> api.get("/api/v1/journeys/" + id).json().get("status").asText().equals("RUNNING")))
                    .as("the engine applied the plan of %s", id).isTrue();
        }
        OUT.printf("[e2e] both journeys RUNNING %d ms after the start calls%n", (System.nanoTime() - startedAt) / 1_000_000);

        try (KafkaConsumer<byte[], byte[]> actions = consumer()) {
            long t = System.currentTimeMillis();
            EventMessageV1 signup = EventMessageV1.of(ORG, "c1", "shop", "signup", t, Map.of("item", "-"));
            api.post("/api/v1/events", List.of(signup, signup, EventMessageV1.of(ORG, "c2", "shop", "signup", t, Map.of("item", "-"))))
                    .requireOk("signups");
            api.post("/api/v1/events", List.of(EventMessageV1.of(ORG, "c3", "shop", "add_to_cart", t, Map.of("item", "shoes")),
                    EventMessageV1.of(ORG, "c4", "shop", "add_to_cart", t, Map.of("item", "hat")),
                    EventMessageV1.of(ORG, "c4", "shop", "purchase", t + 10_000, Map.of("item", "hat")))).requireOk("carts");
            long sent = System.nanoTime();

            List<JsonNode> got = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
            long welcomed = 0;
            while (got.stream().filter(a -> a.get("journeyId").asText().equals(cart)).count() < 1 && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : actions.poll(Duration.ofMillis(200))) {
                    got.add(Json.MAPPER.readTree(r.value()));
                }
                if (welcomed == 0 && got.stream().filter(a -> a.get("journeyId").asText().equals(welcome)).count() == 2) {
                    welcomed = System.nanoTime();
                }
            }
            long reminded = System.nanoTime();
            // two more seconds: nothing else may follow (a second welcome, a reminder for the buyer)
            long quiet = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < quiet) {
                for (ConsumerRecord<byte[], byte[]> r : actions.poll(Duration.ofMillis(200))) {
                    got.add(Json.MAPPER.readTree(r.value()));
                }
            }
            OUT.printf("[e2e] welcome requests %d ms after the events were accepted; the cart reminder after %d ms%n",
                    (welcomed - sent) / 1_000_000, (reminded - sent) / 1_000_000);
            List<JsonNode> welcomes = got.stream().filter(a -> a.get("journeyId").asText().equals(welcome)).toList();
            List<JsonNode> reminders = got.stream().filter(a -> a.get("journeyId").asText().equals(cart)).toList();
            assertThat(welcomes).as("c1's signup twice, c2's once: one welcome each").hasSize(2);
            assertThat(reminders).as("c3 did not buy; c4 did").hasSize(1);
            assertThat(reminders.get(0).get("nodeId").asText()).isEqualTo("remind");
            remindedPerson = reminders.get(0).get("personId").asText();
            assertThat(reminders.get(0).get("interfaceId").asText()).isEqualTo(hook);
            assertThat(reminders.get(0).get("time").asLong()).as("the window closes one minute after the add_to_cart").isEqualTo(t + 60_000);
            assertThat(reminded - sent).as("on the wall clock, without further events").isGreaterThan(Duration.ofSeconds(50).toNanos());
        }

        // the engine's counts reach the control plane with its checkpoints
        assertThat(Net.await(Duration.ofSeconds(60), () -> {
            JsonNode w = api.get("/api/v1/journeys/" + welcome + "/stats").json();
            JsonNode c = api.get("/api/v1/journeys/" + cart + "/stats").json();
            return w.get("entered").asLong() == 2 && c.get("ended").asLong() == 2;
        })).as("stats counted").isTrue();
        JsonNode c = api.get("/api/v1/journeys/" + cart + "/stats").json();
        OUT.println("[e2e] cart stats: " + c);
        assertThat(c.get("entered").asLong()).isEqualTo(2);
        JsonNode check = c.get("nodes").get(0);
        assertThat(check.get("id").asText()).isEqualTo("check");
        assertThat(check.get("branches").get("DONE").asLong()).isEqualTo(1);
        assertThat(check.get("branches").get("NOT_DONE").asLong()).isEqualTo(1);
        assertThat(c.get("nodes").get(1).get("actions").asLong()).as("remind").isEqualTo(1);
        assertThat(api.get("/api/v1/journeys/" + welcome + "/stats").json().get("nodes").get(0).get("actions").asLong()).isEqualTo(2);

        // and why: the reminded person's steps through the cart journey, from the engine's trace
        String trace = "/api/v1/journeys/" + cart + "/persons/" + remindedPerson + "/trace";
        assertThat(Net.await(Duration.ofSeconds(30), () -> api.get(trace).json().path("runs").path(0).path("ended").asBoolean()))
                .as("the trace of the reminded person reached the control plane").isTrue();
        JsonNode run = api.get(trace).json().get("runs").get(0);
        OUT.println("[e2e] trace: " + run);
        List<String> steps = new ArrayList<>();
        run.get("steps").forEach(s -> steps.add(s.get("step").asText() + " " + s.get("nodeId").asText("-") + " " + s.get("exit").asText("-")));
        assertThat(steps).containsExactly("ENTERED - -", "WAITING check -", "PASSED check NOT_DONE", "ACTION remind -", "ENDED - -");
        assertThat(run.get("steps").get(2).get("reason").asText()).startsWith("0 matching purchase event(s) when the window closed");
    }

    private String remindedPerson;

    private String create(String journey) {
        var r = api.post("/api/v1/journeys", journey);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("status").asText()).as(r.toString()).isEqualTo("NOT_STARTED");
        return r.json().get("id").asText();
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = c.partitionsFor(Topics.ACTIONS, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(Topics.ACTIONS, i.partition())).toList();
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position);
        return c;
    }
}
