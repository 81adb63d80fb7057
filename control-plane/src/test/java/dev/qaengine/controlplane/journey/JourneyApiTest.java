package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import dev.qaengine.controlplane.support.FakePlatform;
import dev.qaengine.controlplane.support.ControlRecords;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.Topics;
import dev.qaengine.model.journey.JourneyPlanStatus;
import dev.qaengine.model.journey.JourneyStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import dev.qaengine.model.journey.JourneyPlan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.qaengine.controlplane.support.ControlRecords.await;
import static dev.qaengine.controlplane.support.ControlRecords.payload;
import static dev.qaengine.controlplane.support.ControlRecords.read;
import static org.assertj.core.api.Assertions.assertThat;

/** The journey API over the real service: definitions checked against the workspace's own catalog. */
class JourneyApiTest extends ControlPlaneTest {
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

    @Test
    void aCompleteJourneyIsSavedNotStartedAndReadBackAsGiven() {
        Api.Response r = api.post("/api/v1/journeys", cart("Cart abandonment", ONCE, DONE_EDGE));
        String id = created(r);
        assertThat(r.text("/status")).isEqualTo("NOT_STARTED");
        assertThat(r.text("/triggerType")).isEqualTo("EVENT");
        assertThat(r.json().get("revision").asInt()).isEqualTo(1);
        assertThat(r.json().get("check").get("errors")).isEmpty();
        assertThat(r.json().get("check").get("incomplete")).isEmpty();
        assertThat(r.text("/definition/orgId")).as("the caller's organization").isEqualTo(org.id());
        assertThat(r.text("/definition/nodes/1/config/template")).isEqualTo(template);
        assertThat(r.json().get("definition").get("nodes").get(0).get("config").get("window").get("amount").asInt()).isEqualTo(30);

        assertThat(key(org, "ANALYST").get("/api/v1/journeys/" + id).json()).isEqualTo(r.json());
        Api.Response list = api.get("/api/v1/journeys?status=NOT_STARTED");
        assertThat(list.json().get("total").asLong()).isEqualTo(1);
        assertThat(list.text("/items/0/id")).isEqualTo(id);
        assertThat(api.get("/api/v1/journeys?status=RUNNING").json().get("total").asLong()).isZero();
        assertThat(key(org, "ANALYST").post("/api/v1/journeys", cart("Other", ONCE, DONE_EDGE)).status()).isEqualTo(403);
    }

    @Test
    void anOpenBranchSavesItIncompleteAndSaysWhichBranch() {
        Api.Response r = api.post("/api/v1/journeys", cart("Draft", ONCE, ""));
        created(r);
        assertThat(r.text("/status")).isEqualTo("INCOMPLETE");
        assertThat(r.text("/check/incomplete/0/node")).isEqualTo("check");
        assertThat(r.text("/check/incomplete/0/field")).isEqualTo("nodes[check].branches.DONE");
        assertThat(r.text("/check/incomplete/0/code")).isEqualTo("OPEN_BRANCH");
        // finishing it makes it NOT_STARTED
        Api.Response done = api.put("/api/v1/journeys/" + r.text("/id"), cart("Draft", ONCE, DONE_EDGE));
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.text("/status")).isEqualTo("NOT_STARTED");
        assertThat(done.json().get("revision").asInt()).isEqualTo(2);
    }

    @Test
    void anInvalidJourneyIsA422NamingNodeAndFieldAndNothingIsSaved() {
        String limited = "{\"mode\":\"LIMITED\",\"maxEntries\":11,\"withinDays\":7}";
        Api.Response r = api.post("/api/v1/journeys", cart("Bad", limited, DONE_EDGE).replace("\"MOBILE\"", "\"EMAIL\""));
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.text("/code")).isEqualTo("validation");
        assertThat(r.text("/detail")).isEqualTo("2 problem(s) in the journey; the first: trigger.participation.maxEntries: maxEntries must be 1-10, is 11");
        assertThat(r.text("/errors/0/field")).isEqualTo("trigger.participation.maxEntries");
        assertThat(r.text("/errors/1/field")).isEqualTo("nodes[sms].config.idType");
        assertThat(r.text("/violations/1/node")).isEqualTo("sms");
        assertThat(r.text("/violations/1/code")).isEqualTo("ID_TYPE_NOT_OBTAINABLE");
        assertThat(api.get("/api/v1/journeys").json().get("total").asLong()).isZero();

        // a template still in review may not be used
        Api.Response t = api.post("/api/v1/sms-templates", """
                {"platformId":"%s","name":"Pending","content":"hi","type":"NOTIFICATION","subject":"s","remark":"r"}""".formatted(sms));
        Api.Response pending = api.post("/api/v1/journeys", cart("Pending", ONCE, DONE_EDGE).replace(template, created(t)));
        assertThat(pending.status()).isEqualTo(422);
        assertThat(pending.text("/violations/0/code")).isEqualTo("TEMPLATE_NOT_APPROVED");
        // another organization's id in the body
        Api.Response foreign = api.post("/api/v1/journeys", cart("Foreign", ONCE, DONE_EDGE).replace("{\"v\":1,", "{\"v\":1,\"orgId\":\"someone-else\","));
        assertThat(foreign.status()).isEqualTo(422);
        assertThat(foreign.text("/errors/0/field")).isEqualTo("orgId");
        // not even JSON of the right shape
        Api.Response shape = api.post("/api/v1/journeys", "{\"v\":1,\"nodes\":5}");
        assertThat(shape.status()).as(shape.toString()).isEqualTo(422);
        assertThat(shape.text("/errors/0/field")).isEqualTo("nodes");
    }

    @Test
    void namesAreUniqueCopiesAreNumberedAndDeletingRemoves() {
        String id = created(api.post("/api/v1/journeys", cart("Cart", ONCE, DONE_EDGE)));
        Api.Response dup = api.post("/api/v1/journeys", cart("Cart", ONCE, DONE_EDGE));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.text("/errors/0/field")).isEqualTo("name");

        Api.Response copy = api.post("/api/v1/journeys/" + id + "/copy", "");
        assertThat(copy.status()).as(copy.toString()).isEqualTo(201);
        assertThat(copy.text("/name")).isEqualTo("Cart (copy)");
        assertThat(copy.text("/status")).isEqualTo("NOT_STARTED");
        assertThat(copy.json().get("definition").get("nodes")).isEqualTo(api.get("/api/v1/journeys/" + id).json().get("definition").get("nodes"));
        assertThat(api.post("/api/v1/journeys/" + id + "/copy", "").text("/name")).isEqualTo("Cart (copy 2)");
        assertThat(api.get("/api/v1/journeys?name=copy").json().get("total").asLong()).isEqualTo(2);

        assertThat(api.delete("/api/v1/journeys/" + id).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/journeys/" + id).status()).isEqualTo(404);
        // another workspace's journeys are not this one's
        assertThat(newOrg().admin().get("/api/v1/journeys/" + copy.text("/id")).status()).isEqualTo(404);
    }

    @Test
    void startingPublishesTheCompiledPlanAndStoppingWithdrawsIt() {
        String id = created(api.post("/api/v1/journeys", cart("Cart", ONCE, DONE_EDGE)));
        Api.Response started = api.post("/api/v1/journeys/" + id + "/start", "");
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(started.text("/status")).as("until the engine acknowledges the plan").isEqualTo("PENDING");
        String subject = JourneyPlan.subject(org.id(), id);
        var records = await(ControlKind.JOURNEY_PLAN, subject, r -> r != null);
        JourneyPlan plan = payload(read(records.get(records.size() - 1)), JourneyPlan.class);
        assertThat(plan.journeyId()).isEqualTo(id);
        assertThat(plan.orgId()).isEqualTo(org.id());
        assertThat(plan.trigger().event().eventCode()).isEqualTo("add_to_cart");
        assertThat(plan.trigger().event().rules().get(0).numbers()).containsExactly(100.0);
        assertThat(plan.steps()).extracting(JourneyPlan.Step::id).containsExactly("check", "sms", "done");
        assertThat(plan.steps().get(1).action().templateId()).isEqualTo(template);
        assertThat(plan.steps().get(0).next()).containsEntry("NOT_DONE", "sms").containsEntry("DONE", "done");

        // a started journey is not edited, deleted or started again
        assertThat(api.put("/api/v1/journeys/" + id, cart("Cart", ONCE, DONE_EDGE)).status()).isEqualTo(409);
        assertThat(api.delete("/api/v1/journeys/" + id).status()).isEqualTo(409);
        assertThat(api.post("/api/v1/journeys/" + id + "/start", "").status()).isEqualTo(409);

        Api.Response stopped = api.post("/api/v1/journeys/" + id + "/stop", "");
        assertThat(stopped.status()).as(stopped.toString()).isEqualTo(200);
        assertThat(stopped.text("/status")).isEqualTo("STOPPED");
        await(ControlKind.JOURNEY_PLAN, subject, r -> r == null);
        assertThat(api.post("/api/v1/journeys/" + id + "/stop", "").status()).as("STOPPED is final").isEqualTo(409);
        assertThat(api.delete("/api/v1/journeys/" + id).status()).isEqualTo(204);
    }

    @Test
    void theEnginesAcknowledgementOfTheLastPlanMakesItRunningAndNothingElseDoes() throws Exception {
        ensureStatusTopic();
        String running = created(api.post("/api/v1/journeys", cart("Runs", ONCE, DONE_EDGE)));
        String failing = created(api.post("/api/v1/journeys", cart("Fails", ONCE, DONE_EDGE)));
        assertThat(api.post("/api/v1/journeys/" + running + "/start", "").status()).isEqualTo(200);
        assertThat(api.post("/api/v1/journeys/" + failing + "/start", "").status()).isEqualTo(200);
        var published = await(ControlKind.JOURNEY_PLAN, JourneyPlan.subject(org.id(), running), r -> r != null);
        long version = read(published.get(published.size() - 1)).version();
        long failingVersion = read(await(ControlKind.JOURNEY_PLAN, JourneyPlan.subject(org.id(), failing), r -> r != null).get(0)).version();

        // an answer about an older plan, another organization's answer and garbage change nothing
        sendStatus(running, new JourneyPlanStatus(1, org.id(), running, version - 1, JourneyStatus.RUNNING, null, 1));
        sendStatus(running, new JourneyPlanStatus(1, "someone-else", running, version, JourneyStatus.RUNNING, null, 1));
        sendRaw(running, "not a status".getBytes(StandardCharsets.UTF_8));
        // (the next answer goes to the same partition, behind them: once it is applied, they were read)
        sendStatus(running, new JourneyPlanStatus(1, org.id(), failing, failingVersion, JourneyStatus.FAILED, "state backend full", 2));
        Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> "FAILED".equals(api.get("/api/v1/journeys/" + failing).text("/status")));
        assertThat(api.get("/api/v1/journeys/" + running).text("/status")).isEqualTo("PENDING");
        // then the answer about the plan published
        sendStatus(running, new JourneyPlanStatus(1, org.id(), running, version, JourneyStatus.RUNNING, null, 2));
        Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> "RUNNING".equals(api.get("/api/v1/journeys/" + running).text("/status")));

        // a replay does not bring a stopped journey back
        assertThat(api.post("/api/v1/journeys/" + running + "/stop", "").text("/status")).isEqualTo("STOPPED");
        sendStatus(running, new JourneyPlanStatus(1, org.id(), running, version, JourneyStatus.RUNNING, null, 3));
        String marker = created(api.post("/api/v1/journeys", cart("Marker", ONCE, DONE_EDGE)));
        assertThat(api.post("/api/v1/journeys/" + marker + "/start", "").status()).isEqualTo(200);
        long markerVersion = read(await(ControlKind.JOURNEY_PLAN, JourneyPlan.subject(org.id(), marker), r -> r != null).get(0)).version();
        sendStatus(running, new JourneyPlanStatus(1, org.id(), marker, markerVersion, JourneyStatus.RUNNING, null, 4)); // same partition, behind the replay
        Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
                "RUNNING".equals(api.get("/api/v1/journeys/" + marker).text("/status")));
        assertThat(api.get("/api/v1/journeys/" + running).text("/status")).as("read after the replay before it").isEqualTo("STOPPED");
        var health = anonymous().get("/actuator/health").json().at("/components/journeyStatus/details");
        assertThat(health.get("topic").asString()).isEqualTo(Topics.JOURNEY_STATUS);
        assertThat(health.get("topicExists").asBoolean()).isTrue();
        assertThat(health.get("applied").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(health.get("skipped").asLong()).isGreaterThanOrEqualTo(1);
    }

    /** The engine's side: the status topic, created once (the consumer waits for it, it does not create it). */
    static void ensureStatusTopic() throws Exception {
        try (var admin = dev.qaengine.controlplane.support.TestKafka.admin()) {
            if (!admin.listTopics().names().get(10, java.util.concurrent.TimeUnit.SECONDS).contains(Topics.JOURNEY_STATUS)) {
                try {
                    admin.createTopics(List.of(new NewTopic(Topics.JOURNEY_STATUS, 2, (short) 1)))
                            .all().get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
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

    static void sendRaw(String journeyId, byte[] value) throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, dev.qaengine.controlplane.support.TestKafka.bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (var producer = new KafkaProducer<byte[], byte[]>(p)) {
            producer.send(new ProducerRecord<>(Topics.JOURNEY_STATUS,
                    journeyId.getBytes(StandardCharsets.UTF_8), value)).get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void anIncompleteJourneyDoesNotStartAndSaysWhy() {
        String id = created(api.post("/api/v1/journeys", cart("Draft", ONCE, "")));
        Api.Response r = api.post("/api/v1/journeys/" + id + "/start", "");
        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.text("/errors/0/field")).isEqualTo("nodes[check].branches.DONE");
        assertThat(r.text("/violations/0/code")).isEqualTo("OPEN_BRANCH");
        assertThat(api.get("/api/v1/journeys/" + id).text("/status")).isEqualTo("INCOMPLETE");
    }

    @Test
    void deletingTheOrganizationTakesItsJourneysAndWithdrawsTheirPlans() {
        String id = created(api.post("/api/v1/journeys", cart("Cart", ONCE, DONE_EDGE)));
        created(api.post("/api/v1/journeys", cart("Draft", ONCE, "")));
        assertThat(api.post("/api/v1/journeys/" + id + "/start", "").status()).isEqualTo(200);
        assertThat(platform().delete("/api/v1/organizations/" + org.id()).status()).isEqualTo(204);
        await(ControlKind.JOURNEY_PLAN, JourneyPlan.subject(org.id(), id), r -> r == null);
    }
}
