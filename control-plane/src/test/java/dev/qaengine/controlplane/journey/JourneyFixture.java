package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.outbox.OutboxRepository;
import dev.qaengine.controlplane.outbox.OutboxRow;
import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import dev.qaengine.controlplane.support.ControlRecords;
import dev.qaengine.controlplane.support.FakePlatform;
import dev.qaengine.controlplane.support.TestKafka;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.ControlRecord;
import dev.qaengine.model.Topics;
import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.JourneyPlanStatus;
import dev.qaengine.model.journey.JourneyStatus;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the journey tests share: an organization of their own per test with a catalog (the shop app's channel and
 * events, an SMS platform and an approved template), journeys built on it, and the engine's side — its plan
 * acknowledgements on {@code qa.journeys.status} — played by the test.
 */
abstract class JourneyFixture extends ControlPlaneTest {
    @Autowired
    OutboxRepository outbox;

    FakePlatform.Tenant platform;
    Org org;
    Api api;
    String sms;
    String template;

    /** The cart abandonment journey of the product docs, on this workspace's SMS platform and approved template. */
    String cart(String name, String participation, String doneEdge) {
        return """
                {"v":1,"name":"%s",
                 "trigger":{"type":"EVENT","event":{"eventCode":"add_to_cart","channel":"shop-app",
                            "conditions":{"combine":"AND","rules":[{"attribute":"price","operator":"GE","values":["100"]}]}},
                            "participation":%s},
                 "start":"check",
                 "nodes":[{"id":"check","type":"EVENT_BRANCH","config":{"event":{"eventCode":"purchase"},"window":{"amount":30,"unit":"MINUTES"}}},
                          {"id":"sms","type":"SMS","config":{"channel":"%s","template":"%s","idType":"MOBILE",
                                   "variables":[{"name":"count","from":"sku","ifEmpty":"SKIP"}]}},
                          {"id":"done","type":"END"}],
                 "edges":[{"from":"check","to":"sms","branch":"NOT_DONE"}%s]}""".formatted(name, participation, sms, template, doneEdge);
    }

    static final String ONCE = "{\"mode\":\"ONCE\"}";
    static final String DONE_EDGE = ",{\"from\":\"check\",\"to\":\"done\",\"branch\":\"DONE\"}";

    @BeforeEach
    void catalog() {
        platform = FakePlatform.tenant();
        org = newOrg();
        api = key(org, "DEVELOPER");
        created(api.post("/api/v1/event-channels", "{\"appKey\":\"shop-app\",\"name\":\"Shop\",\"appType\":\"APP\",\"globalAttributes\":[]}"));
        created(api.post("/api/v1/event-definitions", """
                {"eventCode":"add_to_cart","name":"Add to cart","channel":"shop-app",
                 "attributes":[{"id":"sku","type":"TEXT"},{"id":"price","type":"NUMBER"}]}"""));
        created(api.post("/api/v1/event-definitions", "{\"eventCode\":\"purchase\",\"name\":\"Purchase\",\"channel\":\"shop-app\",\"attributes\":[]}"));
        sms = created(api.post("/api/v1/sms-platforms", "{\"name\":\"SMS\",\"callbackUrlPrefix\":\"" + platform.prefix() + "/\"}"));
        Api.Response t = api.post("/api/v1/sms-templates", """
                {"platformId":"%s","name":"Cart reminder","content":"您的购物车里还有${count}件商品","type":"PROMOTION","subject":"购物车提醒",
                 "remark":"Cart reminders"}""".formatted(sms));
        template = created(t);
        platform.review(t.text("/templateCode"), 1, "ok");
        assertThat(api.post("/api/v1/sms-templates/" + template + "/sync", "").text("/status")).isEqualTo("APPROVED");
    }

    @AfterEach
    void theContractWasKept() {
        assertThat(platform.violations()).isEmpty();
    }

    static String created(Api.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.text("/id");
    }


    /** An audience-triggered journey sending the approved SMS template to every person of audience "vip". */
    String audience(String name) {
        return """
                {"v":1,"name":"%s","trigger":{"type":"AUDIENCE","audience":{"audienceId":"vip"}},"start":"sms",
                 "nodes":[{"id":"sms","type":"SMS","config":{"channel":"%s","template":"%s","idType":"MOBILE"}}],"edges":[]}"""
                .formatted(name, sms, template);
    }

    /** {@code POST /journeys/{id}/<operation>} (start, stop, pause, resume), which must answer 200. */
    Api.Response operate(String id, String operation) {
        Api.Response r = api.post("/api/v1/journeys/" + id + "/" + operation, "");
        assertThat(r.status()).as(operation + ": " + r).isEqualTo(200);
        return r;
    }

    /**
     * What the control plane published for the journey, oldest first, read from the outbox table (written in the
     * transaction of the change, so nothing else will be published): "plan" or "tombstone" per JOURNEY_PLAN record.
     */
    List<String> published(String journeyId) {
        return planRecords(journeyId).stream().map(r -> r.payload() == null ? "tombstone" : "plan").toList();
    }

    /** The version of the plan last published for the journey (what the engine acknowledges). */
    long planVersion(String journeyId) {
        List<OutboxRow> rows = planRecords(journeyId);
        assertThat(rows).isNotEmpty();
        OutboxRow last = rows.get(rows.size() - 1);
        assertThat(last.payload()).as("a plan, not a tombstone").isNotNull();
        return last.version();
    }

    private List<OutboxRow> planRecords(String journeyId) {
        return outbox.history(ControlRecord.key(ControlKind.JOURNEY_PLAN, JourneyPlan.subject(org.id(), journeyId)));
    }

    /** The engine answers for the journey's last plan, and the journey shows it. */
    void engineAnswers(String journeyId, JourneyStatus status, String reason) throws Exception {
        ensureStatusTopic();
        sendStatus(journeyId, new JourneyPlanStatus(1, org.id(), journeyId, planVersion(journeyId), status, reason, 1));
        awaitStatus(journeyId, status.name());
    }

    void awaitStatus(String journeyId, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> status.equals(api.get("/api/v1/journeys/" + journeyId).text("/status")));
    }

    /** The engine's side: the status topic, created once (the consumer waits for it, it does not create it). */
    static void ensureStatusTopic() throws Exception {
        ensureTopic(Topics.JOURNEY_STATUS);
    }

    /** One of the engine's topics, created once with two partitions (the control plane's consumers wait for them). */
    static void ensureTopic(String topic) throws Exception {
        try (var admin = TestKafka.admin()) {
            if (!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1)))
                            .all().get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    static void sendStatus(String journeyId, JourneyPlanStatus status) throws Exception {
        sendRaw(journeyId, ControlRecords.JOBS_JSON.writeValueAsBytes(status));
    }

    /** A qa.journeys.stats delta as the engine writes it; {@code counts} is the rest of the object after {@code time}. */
    static String delta(String orgId, String journeyId, int instance, long checkpoint, long time, String counts) {
        return """
                {"v":1,"orgId":"%s","journeyId":"%s","deltaId":"%s/%s#%d@%d","instance":%d,"time":%d%s}"""
                .formatted(orgId, journeyId, orgId, journeyId, instance, checkpoint, instance, time, counts.isEmpty() ? "" : "," + counts);
    }

    static void sendRaw(String journeyId, byte[] value) throws Exception {
        send(Topics.JOURNEY_STATUS, journeyId, value);
    }

    /** One record on one of the engine's topics (not in a transaction: a read-committed consumer reads it too). */
    static void send(String topic, String key, byte[] value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (var producer = new KafkaProducer<byte[], byte[]>(p)) {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get(10, TimeUnit.SECONDS);
        }
    }
}
