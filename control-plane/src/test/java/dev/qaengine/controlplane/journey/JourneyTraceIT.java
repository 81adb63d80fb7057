package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlRecords;
import dev.qaengine.controlplane.support.TestKafka;
import dev.qaengine.model.Topics;
import dev.qaengine.model.journey.NodeType;
import dev.qaengine.model.journey.TraceStep;
import dev.qaengine.model.journey.TraceStep.Kind;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * qa.journeys.trace → journey_trace → GET /api/v1/journeys/{id}/persons/{personId}/trace, with the in-JVM broker: steps
 * written as the journeys engine writes them (Jackson 2, key {@code <orgId>|<personId>}), among them steps written again
 * after a "restore" (only their time differs), a refused entry, steps of another person, of a journey that does not exist
 * and of another organization, and garbage; the exact answer once the consumer has been through every record. Waits are
 * conditions with deadlines.
 */
@ExtendWith(OutputCaptureExtension.class)
class JourneyTraceIT extends JourneyFixture {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** 2026-11-28T00:00:00Z: the events' time in these steps. */
    private static final long T = 1_795_824_000_000L;
    private static final long MIN = 60_000L;
    private static final String PERSON = "ONEID:c-9";

    @Autowired
    JourneyTraceConsumer consumer;
    @Autowired
    MeterRegistry meters;

    /** Every record the consumer went through: stored, duplicates, ignored, skipped. */
    private long handled() {
        return List.of("qa.journeys.trace.stored", "qa.journeys.trace.duplicates", "qa.journeys.trace.ignored", "qa.journeys.trace.skipped")
                .stream().mapToLong(this::count).sum();
    }

    private long count(String name, String... tags) {
        return (long) meters.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** A step as the engine writes it (plan version 1); {@code time}: the engine's wall clock when it wrote it. */
    private TraceStep step(String journeyId, String person, String runId, Kind kind, String node, NodeType type, String exit, String reason,
                           String eventId, long at, long time) {
        return new TraceStep(TraceStep.VERSION, org.id(), journeyId, 1, person, runId, kind, node, type, exit, reason, eventId, at, time);
    }

    private static ProducerRecord<byte[], byte[]> record(String orgId, String person, byte[] value) {
        return new ProducerRecord<>(Topics.JOURNEY_TRACE, (orgId + "|" + person).getBytes(StandardCharsets.UTF_8), value);
    }

    private ProducerRecord<byte[], byte[]> record(TraceStep s) throws Exception {
        return record(s.orgId(), s.personId(), ControlRecords.JOBS_JSON.writeValueAsBytes(s));
    }

    private static void send(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r).get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String text(JsonNode n) {
        return n.isNull() ? "null" : n.asString();
    }

    private static JsonNode json(String text) {
        return Api.json().readTree(text);
    }

    /** The cart abandonment journey, its branch node named. */
    private String journey(String name) {
        return created(api.post("/api/v1/journeys", cart(name, ONCE, DONE_EDGE)
                .replace("{\"id\":\"check\",\"type\":\"EVENT_BRANCH\"", "{\"id\":\"check\",\"type\":\"EVENT_BRANCH\",\"name\":\"Bought?\"")));
    }

    @Test
    void everyStepIsShownOnceInTheEnginesOrderWithTheNodesNames(CapturedOutput output) throws Exception {
        ensureTopic(consumer.topic());
        String j = journey("Traced");
        Api analyst = key(org, "ANALYST");
        Org other = newOrg();
        long wall = System.currentTimeMillis();
        String r1 = "9f2c41d07a55e1b3";
        List<TraceStep> run = List.of(
                step(j, PERSON, r1, Kind.ENTERED, null, null, null, "event add_to_cart at 2026-11-28T00:00:00Z met the trigger", "e1", T, wall),
                step(j, PERSON, r1, Kind.WAITING, "check", NodeType.EVENT_BRANCH, null, "until 2026-11-28T00:30:00Z for purchase", null, T, wall),
                step(j, PERSON, r1, Kind.PASSED, "check", NodeType.EVENT_BRANCH, "NOT_DONE", "no purchase within 30 min", null, T + 30 * MIN, wall),
                step(j, PERSON, r1, Kind.ACTION, "sms", NodeType.SMS, null, "SMS requested through interface " + sms, null, T + 30 * MIN, wall),
                step(j, PERSON, r1, Kind.ENDED, "sms", NodeType.SMS, null, "nothing after node sms", null, T + 30 * MIN, wall));
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        records.add(record(step(j, PERSON, null, Kind.NOT_ENTERED, null, null, null, "price: 50 is not GE 100", "e0", T - MIN, wall)));
        // as the engine writes them: one record per engine call — the event (entered, waiting), the deadline (the rest)
        records.add(record(org.id(), PERSON, ControlRecords.JOBS_JSON.writeValueAsBytes(run.subList(0, 2))));
        records.add(record(org.id(), PERSON, ControlRecords.JOBS_JSON.writeValueAsBytes(run.subList(2, 5))));
        // the engine restored from a checkpoint taken before the branch: the same steps again, written later (one step
        // per record, as builds before the arrays wrote)
        for (TraceStep s : run.subList(1, 5)) {
            records.add(record(new TraceStep(s.v(), s.orgId(), s.journeyId(), s.planVersion(), s.personId(), s.runId(), s.step(), s.nodeId(),
                    s.nodeType(), s.exit(), s.reason(), s.eventId(), s.at(), wall + 5_000)));
        }
        records.add(record(step(j, PERSON, null, Kind.NOT_ENTERED, null, null, null, "participation limit: entered 1 time(s) already", "e2",
                T + 40 * MIN, wall)));
        // another person; a journey that does not exist; this journey named under another organization; garbage
        records.add(record(step(j, "p2", "r2", Kind.ENTERED, null, null, null, "met the trigger", "e7", T, wall)));
        records.add(record(step(UUID.randomUUID().toString(), PERSON, "r3", Kind.ENTERED, null, null, null, "met", "e8", T, wall)));
        records.add(record(new TraceStep(1, other.id(), j, 1, PERSON, "r4", Kind.ENTERED, null, null, null, "met", "e9", T, wall)));
        records.add(record(org.id(), PERSON, "{\"v\":1,\"orgId\":\"13800138000\"".getBytes(StandardCharsets.UTF_8)));
        records.add(record(org.id(), PERSON, ("{\"v\":2,\"orgId\":\"" + org.id() + "\"}").getBytes(StandardCharsets.UTF_8)));

        long handled = handled();
        long stored = count("qa.journeys.trace.stored");
        long duplicates = count("qa.journeys.trace.duplicates");
        long ignored = count("qa.journeys.trace.ignored");
        long malformed = count("qa.journeys.trace.skipped", "reason", "malformed");
        long unsupported = count("qa.journeys.trace.skipped", "reason", "unsupported_version");
        int steps = records.size() + 3; // two records hold the five steps of the run
        send(records);
        await().atMost(DEADLINE).until(() -> handled() >= handled + steps);

        String expected = """
                {"journeyId":"%1$s","personId":"ONEID:c-9",
                 "runs":[{"runId":"9f2c41d07a55e1b3","parentRunId":null,"triggerEventId":"e1",
                          "enteredAt":"2026-11-28T00:00:00Z","enteredAtMs":1795824000000,"planVersion":1,
                          "ended":true,"endedAt":"2026-11-28T00:30:00Z","endedAtMs":1795825800000,"waitingAt":null,
                          "steps":[
                   {"step":"ENTERED","nodeId":null,"nodeName":null,"nodeType":null,"exit":null,
                    "reason":"event add_to_cart at 2026-11-28T00:00:00Z met the trigger","eventId":"e1","at":"2026-11-28T00:00:00Z","atMs":1795824000000},
                   {"step":"WAITING","nodeId":"check","nodeName":"Bought?","nodeType":"EVENT_BRANCH","exit":null,
                    "reason":"until 2026-11-28T00:30:00Z for purchase","eventId":null,"at":"2026-11-28T00:00:00Z","atMs":1795824000000},
                   {"step":"PASSED","nodeId":"check","nodeName":"Bought?","nodeType":"EVENT_BRANCH","exit":"NOT_DONE",
                    "reason":"no purchase within 30 min","eventId":null,"at":"2026-11-28T00:30:00Z","atMs":1795825800000},
                   {"step":"ACTION","nodeId":"sms","nodeName":null,"nodeType":"SMS","exit":null,
                    "reason":"SMS requested through interface %2$s","eventId":null,"at":"2026-11-28T00:30:00Z","atMs":1795825800000},
                   {"step":"ENDED","nodeId":"sms","nodeName":null,"nodeType":"SMS","exit":null,
                    "reason":"nothing after node sms","eventId":null,"at":"2026-11-28T00:30:00Z","atMs":1795825800000}]}],
                 "refused":[{"eventId":"e0","reason":"price: 50 is not GE 100","at":"2026-11-27T23:59:00Z","atMs":1795823940000},
                            {"eventId":"e2","reason":"participation limit: entered 1 time(s) already","at":"2026-11-28T00:40:00Z","atMs":1795826400000}]}"""
                .formatted(j, sms);
        Api.Response r = analyst.get("/api/v1/journeys/" + j + "/persons/" + PERSON + "/trace");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json()).isEqualTo(json(expected));
        assertThat(analyst.get("/api/v1/journeys/" + j + "/persons/ONEID%3Ac-9/trace").json()).as("percent-encoded").isEqualTo(json(expected));

        assertThat(handled()).isEqualTo(handled + steps);
        assertThat(count("qa.journeys.trace.stored")).as("7 steps of the person, 1 of p2").isEqualTo(stored + 8);
        assertThat(count("qa.journeys.trace.duplicates")).isEqualTo(duplicates + 4);
        assertThat(count("qa.journeys.trace.ignored")).isEqualTo(ignored + 2);
        assertThat(count("qa.journeys.trace.skipped", "reason", "malformed")).isEqualTo(malformed + 1);
        assertThat(count("qa.journeys.trace.skipped", "reason", "unsupported_version")).isEqualTo(unsupported + 1);
        // the log says where the garbage was, never what it held
        assertThat(output.getAll()).contains("skipped the qa.journeys.trace record at partition").doesNotContain("13800138000");
        JsonNode health = anonymous().get("/actuator/health").json().at("/components/journeyTrace/details");
        assertThat(health.get("topic").asString()).isEqualTo(Topics.JOURNEY_TRACE);
        assertThat(health.get("groupId").asString()).isEqualTo("qa-control-plane-journey-trace");
        assertThat(health.get("consumer").asString()).isEqualTo("running");
        assertThat(health.get("stored").asLong()).isGreaterThanOrEqualTo(8);
        assertThat(health.get("duplicates").asLong()).isGreaterThanOrEqualTo(4);

        // limit: the newest refusal only
        JsonNode one = analyst.get("/api/v1/journeys/" + j + "/persons/" + PERSON + "/trace?limit=1").json();
        assertThat(one.get("refused")).isEqualTo(json("[" + json(expected).get("refused").get(1) + "]"));
        assertThat(one.get("runs")).isEqualTo(json(expected).get("runs"));
        for (String bad : List.of("0", "1001", "-3", "lots")) {
            Api.Response b = analyst.get("/api/v1/journeys/" + j + "/persons/" + PERSON + "/trace?limit=" + bad);
            assertThat(b.status()).as(b.toString()).isEqualTo(400);
            assertThat(b.text("/code")).isEqualTo("bad-parameter");
            assertThat(b.text("/field")).isEqualTo("limit");
        }

        // a person the engine traced nothing for; the steps of another person are theirs only
        assertThat(analyst.get("/api/v1/journeys/" + j + "/persons/ONEID:nobody/trace").json())
                .isEqualTo(json("{\"journeyId\":\"" + j + "\",\"personId\":\"ONEID:nobody\",\"runs\":[],\"refused\":[]}"));
        assertThat(analyst.get("/api/v1/journeys/" + j + "/persons/a%2Fb/trace").status()).as("an encoded '/' is refused").isEqualTo(400);
        JsonNode p2 = analyst.get("/api/v1/journeys/" + j + "/persons/p2/trace").json();
        assertThat(p2.at("/runs/0/runId").asString()).isEqualTo("r2");
        assertThat(p2.at("/runs/0/ended").asBoolean()).isFalse();
        assertThat(p2.get("runs").size()).isEqualTo(1);

        // another organization's journey is not there, like any journey endpoint's; nor is one that does not exist
        for (Api.Response nf : List.of(other.admin().get("/api/v1/journeys/" + j + "/persons/" + PERSON + "/trace"),
                analyst.get("/api/v1/journeys/nope/persons/" + PERSON + "/trace"))) {
            assertThat(nf.status()).as(nf.toString()).isEqualTo(404);
            assertThat(nf.text("/code")).isEqualTo("not-found");
        }
        assertThat(anonymous().get("/api/v1/journeys/" + j + "/persons/" + PERSON + "/trace").status()).isEqualTo(401);
    }

    @Test
    void branchesOfAForkAreRunsOfTheirOwnAfterTheRunTheyCameFromAndAWaitingRunSaysWhere() throws Exception {
        ensureTopic(consumer.topic());
        String j = journey("Forked");
        long wall = System.currentTimeMillis();
        List<TraceStep> steps = List.of(
                step(j, "p1", "a", Kind.ENTERED, null, null, null, "met", "e1", T, wall),
                step(j, "p1", "a/X", Kind.PASSED, "copy", NodeType.COPY_BRANCH, "X", "every branch is taken", null, T, wall),
                step(j, "p1", "b", Kind.ENTERED, null, null, null, "met", "e2", T + MIN, wall),
                step(j, "p1", "a/Y", Kind.PASSED, "copy", NodeType.COPY_BRANCH, "Y", "every branch is taken", null, T, wall),
                step(j, "p1", "a/X", Kind.WAITING, "check", NodeType.EVENT_BRANCH, null, "until later", null, T, wall),
                step(j, "p1", "a/Y", Kind.ENDED, "done", NodeType.END, null, "END", null, T, wall),
                step(j, "p1", "b", Kind.WAITING, "check", NodeType.EVENT_BRANCH, null, "until later", null, T + MIN, wall));
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (TraceStep s : steps) {
            records.add(record(s));
        }
        long stored = count("qa.journeys.trace.stored");
        send(records);
        await().atMost(DEADLINE).until(() -> count("qa.journeys.trace.stored") >= stored + steps.size());

        JsonNode runs = api.get("/api/v1/journeys/" + j + "/persons/p1/trace").json().get("runs");
        List<String> seen = new ArrayList<>();
        runs.forEach(r -> seen.add(r.get("runId").asString() + " parent=" + text(r.get("parentRunId")) + " trigger="
                + r.get("triggerEventId").asString() + " entered=" + r.get("enteredAtMs").asLong() + " ended=" + r.get("ended").asBoolean()
                + " waitingAt=" + text(r.get("waitingAt")) + " steps=" + r.get("steps").size()));
        assertThat(seen).containsExactly(
                "a parent=null trigger=e1 entered=" + T + " ended=false waitingAt=null steps=1",
                "a/X parent=a trigger=e1 entered=" + T + " ended=false waitingAt=check steps=2",
                "a/Y parent=a trigger=e1 entered=" + T + " ended=true waitingAt=null steps=2",
                "b parent=null trigger=e2 entered=" + (T + MIN) + " ended=false waitingAt=check steps=2");
        assertThat(api.get("/api/v1/journeys/" + j + "/persons/p1/trace?limit=2").json().get("runs")).extracting(r -> r.get("runId").asString())
                .as("the newest two").containsExactly("a/Y", "b");
    }
}
