package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.support.Api;
import org.awaitility.Awaitility;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.Topics;
import dev.qaengine.model.journey.JourneyPlanStatus;
import dev.qaengine.model.journey.JourneyStatus;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.qaengine.model.journey.JourneyPlan;
import org.junit.jupiter.api.Test;

import static dev.qaengine.controlplane.support.ControlRecords.await;
import static dev.qaengine.controlplane.support.ControlRecords.payload;
import static dev.qaengine.controlplane.support.ControlRecords.read;
import static org.assertj.core.api.Assertions.assertThat;

/** The journey API over the real service: definitions checked against the workspace's own catalog. */
class JourneyApiTest extends JourneyFixture {
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
        assertThat(started.json().get("queued").asBoolean()).as("no running limit here").isFalse();
        assertThat(started.json().get("statusReason").isNull()).isTrue();
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
        assertThat(published(id)).containsExactly("plan", "tombstone");
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
        assertThat(api.get("/api/v1/journeys/" + failing).text("/statusReason")).isEqualTo("state backend full");
        // FAILED is final: the plan the engine could not run is withdrawn
        await(ControlKind.JOURNEY_PLAN, JourneyPlan.subject(org.id(), failing), r -> r == null);
        assertThat(published(failing)).containsExactly("plan", "tombstone");
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

    @Test
    void whatAStartedJourneyUsesCannotBeDeletedUntilItStopsAndDraftsHoldNothing() {
        // an email journey on a channel of its own, triggered by an event defined for any channel
        created(api.post("/api/v1/event-channels", "{\"appKey\":\"kiosk\",\"name\":\"Kiosk\",\"appType\":\"WEB\",\"globalAttributes\":[]}"));
        created(api.post("/api/v1/event-definitions", "{\"eventCode\":\"visit\",\"name\":\"Visit\",\"attributes\":[]}"));
        String mail = created(api.post("/api/v1/email-platforms",
                "{\"name\":\"Mail\",\"callbackUrlPrefix\":\"" + platform.prefix() + "\",\"reviewTemplates\":false}"));
        String welcome = created(api.post("/api/v1/email-templates", """
                {"platformId":"%s","name":"Welcome","subject":"Welcome","content":"<p>Hello</p>","senderName":"QA Shop","remark":"r"}"""
                .formatted(mail)));
        String visits = created(api.post("/api/v1/journeys", """
                {"v":1,"name":"Welcome mail","trigger":{"type":"EVENT","event":{"eventCode":"visit","channel":"kiosk"},"participation":{"mode":"ONCE"}},
                 "start":"mail","nodes":[{"id":"mail","type":"EMAIL","config":{"channel":"%s","template":"%s","idType":"EMAIL"}}],"edges":[]}"""
                .formatted(mail, welcome)));
        String carts = created(api.post("/api/v1/journeys", cart("Cart abandonment", ONCE, DONE_EDGE)));
        String draft = api.post("/api/v1/journeys/" + visits + "/copy", "").text("/id");
        operate(visits, "start");
        operate(carts, "start");

        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("/event-definitions/add_to_cart", "event definition 'add_to_cart' is used by journey 'Cart abandonment'"); // trigger
        refused.put("/event-definitions/purchase", "event definition 'purchase' is used by journey 'Cart abandonment'"); // EVENT_BRANCH
        refused.put("/sms-templates/" + template, "SMS template 'Cart reminder' is used by journey 'Cart abandonment'");
        refused.put("/event-definitions/visit", "event definition 'visit' is used by journey 'Welcome mail'");
        refused.put("/event-channels/kiosk", "channel 'kiosk' is used by journey 'Welcome mail'");
        refused.put("/email-templates/" + welcome, "email template 'Welcome' is used by journey 'Welcome mail'");
        for (var e : refused.entrySet()) {
            Api.Response r = api.delete("/api/v1" + e.getKey());
            assertThat(r.status()).as(e.getKey() + ": " + r).isEqualTo(409);
            assertThat(r.text("/code")).isEqualTo("in-use");
            assertThat(r.text("/detail")).isEqualTo(e.getValue());
        }
        // an interface: its templates hold it too
        Api.Response platformInUse = api.delete("/api/v1/sms-platforms/" + sms);
        assertThat(platformInUse.status()).isEqualTo(409);
        assertThat(platformInUse.text("/detail")).startsWith("SMS platform 'SMS' is used by ").contains("SMS template 'Cart reminder'")
                .contains("journey 'Cart abandonment'");
        assertThat(api.delete("/api/v1/email-platforms/" + mail).text("/detail")).contains("journey 'Welcome mail'");

        // once stopped they hold nothing, and neither does the draft: it reads INCOMPLETE with the reason afterwards
        operate(visits, "stop");
        operate(carts, "stop");
        for (String path : List.of("/sms-templates/" + template, "/email-templates/" + welcome, "/sms-platforms/" + sms,
                "/email-platforms/" + mail, "/event-definitions/add_to_cart", "/event-definitions/purchase", "/event-definitions/visit",
                "/event-channels/kiosk")) {
            assertThat(api.delete("/api/v1" + path).status()).as(path).isEqualTo(204);
        }
        Api.Response copy = api.get("/api/v1/journeys/" + draft);
        assertThat(copy.text("/status")).isEqualTo("INCOMPLETE");
        assertThat(copy.json().get("check").get("errors").findValuesAsString("code"))
                .containsExactly("UNKNOWN_CHANNEL", "UNKNOWN_EVENT", "UNKNOWN_INTERFACE", "UNKNOWN_TEMPLATE");
    }

    @Test
    void anAudienceJourneyPausesWithItsPlanWithdrawnAndResumesWithANewPlan() throws Exception {
        String id = created(api.post("/api/v1/journeys", audience("Weekly digest")));
        operate(id, "start");
        long first = planVersion(id);
        engineAnswers(id, JourneyStatus.RUNNING, null);

        Api.Response paused = operate(id, "pause");
        assertThat(paused.text("/status")).isEqualTo("PAUSED");
        await(ControlKind.JOURNEY_PLAN, JourneyPlan.subject(org.id(), id), r -> r == null);
        assertThat(published(id)).containsExactly("plan", "tombstone");
        // a paused journey resumes with the same definition: what it uses stays
        Api.Response inUse = api.delete("/api/v1/sms-templates/" + template);
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(inUse.text("/detail")).isEqualTo("SMS template 'Cart reminder' is used by journey 'Weekly digest'");
        // paused journeys are neither edited nor started
        assertThat(api.put("/api/v1/journeys/" + id, audience("Weekly digest")).status()).isEqualTo(409);
        assertThat(api.post("/api/v1/journeys/" + id + "/start", "").status()).isEqualTo(409);

        Api.Response resumed = operate(id, "resume");
        assertThat(resumed.text("/status")).as("until the engine acknowledges the new plan").isEqualTo("PENDING");
        assertThat(resumed.json().get("queued").asBoolean()).isFalse();
        var records = await(ControlKind.JOURNEY_PLAN, JourneyPlan.subject(org.id(), id), r -> r != null);
        assertThat(read(records.get(records.size() - 1)).version()).isEqualTo(planVersion(id)).isGreaterThan(first);
        assertThat(payload(read(records.get(records.size() - 1)), JourneyPlan.class).trigger().audienceId()).isEqualTo("vip");
        engineAnswers(id, JourneyStatus.RUNNING, null);

        // paused again, then stopped: nothing to withdraw a second time
        operate(id, "pause");
        assertThat(operate(id, "stop").text("/status")).isEqualTo("STOPPED");
        assertThat(published(id)).containsExactly("plan", "tombstone", "plan", "tombstone");
    }

    @Test
    void onlyARunningAudienceJourneyPausesAndOnlyAPausedOneResumes() throws Exception {
        String event = created(api.post("/api/v1/journeys", cart("Cart abandonment", ONCE, DONE_EDGE)));
        operate(event, "start");
        engineAnswers(event, JourneyStatus.RUNNING, null);
        Api.Response r = api.post("/api/v1/journeys/" + event + "/pause", "");
        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.text("/code")).isEqualTo("conflict");
        assertThat(r.text("/detail")).isEqualTo("journey 'Cart abandonment' is event-triggered: event-triggered journeys can only be "
                + "stopped; only audience-triggered journeys pause");
        assertThat(r.text("/errors/0/field")).isEqualTo("trigger.type");
        assertThat(api.get("/api/v1/journeys/" + event).text("/status")).isEqualTo("RUNNING");

        String id = created(api.post("/api/v1/journeys", audience("Weekly digest")));
        assertRefused(id, "pause", "journey 'Weekly digest' is NOT_STARTED: only a RUNNING journey can be paused");
        assertRefused(id, "resume", "journey 'Weekly digest' is NOT_STARTED: only a PAUSED journey can be resumed");
        operate(id, "start");
        assertRefused(id, "pause", "journey 'Weekly digest' is PENDING: only a RUNNING journey can be paused");
        engineAnswers(id, JourneyStatus.RUNNING, null);
        assertRefused(id, "resume", "journey 'Weekly digest' is RUNNING: only a PAUSED journey can be resumed");
        operate(id, "stop");
        assertRefused(id, "pause", "journey 'Weekly digest' is STOPPED: only a RUNNING journey can be paused");
        assertRefused(id, "resume", "journey 'Weekly digest' is STOPPED: only a PAUSED journey can be resumed");
        assertThat(key(org, "ANALYST").post("/api/v1/journeys/" + id + "/pause", "").status()).isEqualTo(403);
        assertThat(api.post("/api/v1/journeys/no-such-journey/resume", "").status()).isEqualTo(404);
    }

    @Test
    void aPausedJourneyResumesOnlyWhenItCouldStart() throws Exception {
        String id = created(api.post("/api/v1/journeys", audience("Weekly digest")));
        operate(id, "start");
        engineAnswers(id, JourneyStatus.RUNNING, null);
        operate(id, "pause");
        // the template is withdrawn for review while the journey is paused
        platform.review(api.get("/api/v1/sms-templates/" + template).text("/templateCode"), 2, "revoked");
        assertThat(api.post("/api/v1/sms-templates/" + template + "/sync", "").text("/status")).isEqualTo("REJECTED");
        Api.Response r = api.post("/api/v1/journeys/" + id + "/resume", "");
        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.text("/detail")).startsWith("journey 'Weekly digest' cannot resume: nodes[sms].config.template: ");
        assertThat(r.text("/violations/0/code")).isEqualTo("TEMPLATE_NOT_APPROVED");
        assertThat(api.get("/api/v1/journeys/" + id).text("/status")).isEqualTo("PAUSED");
        assertThat(published(id)).containsExactly("plan", "tombstone");
    }

    private void assertRefused(String id, String operation, String detail) {
        Api.Response r = api.post("/api/v1/journeys/" + id + "/" + operation, "");
        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.text("/code")).isEqualTo("conflict");
        assertThat(r.text("/detail")).isEqualTo(detail);
        assertThat(r.text("/errors/0/field")).isEqualTo("status");
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
