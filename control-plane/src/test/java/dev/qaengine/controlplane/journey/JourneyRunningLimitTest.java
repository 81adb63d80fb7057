package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.JourneyPlanStatus;
import dev.qaengine.model.journey.JourneyStatus;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.qaengine.controlplane.support.ControlRecords.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-organization running limit, set to 1 — a context of its own (the other full-service tests run without a
 * limit): its own H2 database and bootstrap organization, the same broker and qa.control topic, its own consumer group
 * on qa.journeys.status (it ignores the other context's answers, as that one ignores its), no identity audit or journey
 * stats consumer.
 */
class JourneyRunningLimitTest extends JourneyFixture {
    static final String QUEUED = "queued behind the organization's running limit of 1 (qa.journeys.max-running-per-org): its plan is "
            + "published when one of the organization's started journeys stops, pauses or fails";

    @DynamicPropertySource
    static void limit(DynamicPropertyRegistry registry) {
        registry.add("qa.journeys.max-running-per-org", () -> "1");
        registry.add("qa.db.url", () -> "jdbc:h2:mem:cp-journey-limit;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        registry.add("qa.bootstrap.org-id", () -> "journey-limit-platform-org");
        registry.add("qa.journey-status.group-id", () -> "qa-control-plane-journey-status-limit-test");
        registry.add("qa.journey-status.poll-timeout", () -> "200ms");
        registry.add("qa.identity-audit.consumer-enabled", () -> "false");
        registry.add("qa.journey-stats.consumer-enabled", () -> "false");
    }

    /** An audience journey that only waits: it uses nothing an organization must define first. */
    static final String WAITS = """
            {"v":1,"name":"%s","trigger":{"type":"AUDIENCE","audience":{"audienceId":"vip"}},"start":"w",
             "nodes":[{"id":"w","type":"WAIT","config":{"duration":{"amount":1,"unit":"DAYS"}}},{"id":"end","type":"END"}],
             "edges":[{"from":"w","to":"end"}]}""";

    @Test
    void beyondTheLimitAJourneyWaitsQueuedWithNothingPublishedAndTheOldestGoesWhenAPlaceFrees() {
        String a = created(api.post("/api/v1/journeys", cart("A", ONCE, DONE_EDGE)));
        String b = created(api.post("/api/v1/journeys", cart("B", ONCE, DONE_EDGE)));
        String c = created(api.post("/api/v1/journeys", audience("C")));
        Api.Response startedA = operate(a, "start");
        assertThat(startedA.text("/status")).isEqualTo("PENDING");
        assertThat(startedA.json().get("queued").asBoolean()).isFalse();
        assertThat(published(a)).containsExactly("plan");

        Api.Response startedB = operate(b, "start");
        assertThat(startedB.text("/status")).isEqualTo("PENDING");
        assertThat(startedB.json().get("queued").asBoolean()).isTrue();
        assertThat(startedB.text("/statusReason")).isEqualTo(QUEUED);
        assertThat(published(b)).as("nothing published for a queued journey").isEmpty();
        operate(c, "start");
        assertThat(api.get("/api/v1/journeys/" + c).json().get("queued").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/journeys?status=PENDING").json().get("total").asLong()).isEqualTo(3);
        // queued journeys are started ones: neither edited, deleted nor started again
        assertThat(api.put("/api/v1/journeys/" + b, cart("B", ONCE, DONE_EDGE)).status()).isEqualTo(409);
        assertThat(api.delete("/api/v1/journeys/" + b).status()).isEqualTo(409);
        assertThat(api.post("/api/v1/journeys/" + b + "/start", "").status()).isEqualTo(409);
        // another organization has a limit of its own
        Api other = key(newOrg(), "DEVELOPER");
        String elsewhere = created(other.post("/api/v1/journeys", WAITS.formatted("Elsewhere")));
        assertThat(other.post("/api/v1/journeys/" + elsewhere + "/start", "").json().get("queued").asBoolean()).isFalse();

        // stopping A: the oldest queued journey, B, is published as a start publishes it
        operate(a, "stop");
        assertThat(published(a)).containsExactly("plan", "tombstone");
        Api.Response nowB = api.get("/api/v1/journeys/" + b);
        assertThat(nowB.text("/status")).isEqualTo("PENDING");
        assertThat(nowB.json().get("queued").asBoolean()).isFalse();
        assertThat(nowB.json().get("statusReason").isNull()).isTrue();
        assertThat(published(b)).containsExactly("plan");
        var plan = await(ControlKind.JOURNEY_PLAN, JourneyPlan.subject(org.id(), b), r -> r != null);
        assertThat(plan).hasSize(1);
        assertThat(published(c)).as("C waits behind B").isEmpty();

        // a queued journey stops without a tombstone: no plan of it was ever published
        Api.Response stoppedC = operate(c, "stop");
        assertThat(stoppedC.text("/status")).isEqualTo("STOPPED");
        assertThat(stoppedC.json().get("queued").asBoolean()).isFalse();
        assertThat(published(c)).isEmpty();
        assertThat(api.get("/api/v1/journeys/" + b).text("/status")).isEqualTo("PENDING");
    }

    @Test
    void aPauseAndAFailedAnswerFreeTheirPlacesAndAResumeQueuesLikeAStart() throws Exception {
        String digest = created(api.post("/api/v1/journeys", audience("Digest")));
        String carts = created(api.post("/api/v1/journeys", cart("Carts", ONCE, DONE_EDGE)));
        operate(digest, "start");
        engineAnswers(digest, JourneyStatus.RUNNING, null);
        assertThat(operate(carts, "start").json().get("queued").asBoolean()).isTrue();
        long first = planVersion(digest);

        // a paused journey holds no plan, so no place: the queued one goes
        operate(digest, "pause");
        assertThat(published(digest)).containsExactly("plan", "tombstone");
        assertThat(published(carts)).containsExactly("plan");
        // resuming while the place is taken queues it, behind nobody
        Api.Response resumed = operate(digest, "resume");
        assertThat(resumed.text("/status")).isEqualTo("PENDING");
        assertThat(resumed.json().get("queued").asBoolean()).isTrue();
        assertThat(published(digest)).containsExactly("plan", "tombstone");
        // an answer about its old plan does not make a queued journey RUNNING (sent on the partition of the next answer, before it)
        sendStatus(carts, new JourneyPlanStatus(1, org.id(), digest, first, JourneyStatus.RUNNING, null, 2));

        // the engine cannot run the other one: FAILED, its plan withdrawn, its place to the queued journey
        engineAnswers(carts, JourneyStatus.FAILED, "too many journeys on this instance");
        assertThat(published(carts)).containsExactly("plan", "tombstone");
        Api.Response promoted = api.get("/api/v1/journeys/" + digest);
        assertThat(promoted.text("/status")).isEqualTo("PENDING");
        assertThat(promoted.json().get("queued").asBoolean()).isFalse();
        assertThat(published(digest)).containsExactly("plan", "tombstone", "plan");
        assertThat(planVersion(digest)).isGreaterThan(first);
        engineAnswers(digest, JourneyStatus.RUNNING, null);
    }

    @Test
    void aQueuedJourneyThatCannotStartWhenItsTurnComesFailsAndTheNextGoes() {
        String a = created(api.post("/api/v1/journeys", cart("A", ONCE, DONE_EDGE)));
        String b = created(api.post("/api/v1/journeys", cart("B", ONCE, DONE_EDGE)));
        String c = created(api.post("/api/v1/journeys", WAITS.formatted("C")));
        operate(a, "start");
        operate(b, "start");
        operate(c, "start");
        // B's template is rejected while B waits
        platform.review(api.get("/api/v1/sms-templates/" + template).text("/templateCode"), 2, "revoked");
        assertThat(api.post("/api/v1/sms-templates/" + template + "/sync", "").text("/status")).isEqualTo("REJECTED");

        operate(a, "stop");
        Api.Response failed = api.get("/api/v1/journeys/" + b);
        assertThat(failed.text("/status")).isEqualTo("FAILED");
        assertThat(failed.json().get("queued").asBoolean()).isFalse();
        assertThat(failed.text("/statusReason")).isEqualTo("its turn in the queue came, but it cannot start any more: "
                + "nodes[sms].config.template: template " + template + " is not approved");
        assertThat(published(b)).isEmpty();
        assertThat(published(c)).containsExactly("plan");
        assertThat(api.get("/api/v1/journeys/" + c).json().get("queued").asBoolean()).isFalse();
    }

    @Test
    void deletingTheOrganizationWithdrawsThePublishedPlansOnly() {
        String a = created(api.post("/api/v1/journeys", cart("A", ONCE, DONE_EDGE)));
        String b = created(api.post("/api/v1/journeys", cart("B", ONCE, DONE_EDGE)));
        operate(a, "start");
        operate(b, "start");
        assertThat(platform().delete("/api/v1/organizations/" + org.id()).status()).isEqualTo(204);
        assertThat(published(a)).containsExactly("plan", "tombstone");
        assertThat(published(b)).as("queued: never published, nothing to withdraw, nothing promoted").isEmpty();
        await(ControlKind.JOURNEY_PLAN, JourneyPlan.subject(org.id(), a), r -> r == null);
    }
}
