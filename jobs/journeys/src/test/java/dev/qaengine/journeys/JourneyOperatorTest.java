package dev.qaengine.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.model.DlqReason;
import dev.qaengine.model.Schemas;
import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.JourneyStatus;
import dev.qaengine.model.journey.NodeType;
import dev.qaengine.model.journey.Operator;
import dev.qaengine.model.journey.JourneyPlan.Variable;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static dev.qaengine.journeys.Fixtures.DAY;
import static dev.qaengine.journeys.Fixtures.MIN;
import static dev.qaengine.journeys.Fixtures.T0;
import static dev.qaengine.journeys.Fixtures.cartAbandonment;
import static dev.qaengine.journeys.Fixtures.end;
import static dev.qaengine.journeys.Fixtures.event;
import static dev.qaengine.journeys.Fixtures.eventBranch;
import static dev.qaengine.journeys.Fixtures.match;
import static dev.qaengine.journeys.Fixtures.numberRule;
import static dev.qaengine.journeys.Fixtures.once;
import static dev.qaengine.journeys.Fixtures.plan;
import static dev.qaengine.journeys.Fixtures.sms;
import static dev.qaengine.journeys.Fixtures.trigger;
import static dev.qaengine.journeys.Fixtures.waitFor;
import static dev.qaengine.journeys.Fixtures.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** The engine operator in a Flink harness: every node of this issue, time, plans, state clean-up. */
class JourneyOperatorTest {
    @TempDir
    Path tmp;

    private Engine engine(String clockName) throws Exception {
        return new Engine(new ManualClock(clockName, T0), null, null); // heap state: the harness counts its entries
    }

    @Test
    void cartAbandonmentSendsTheSmsWhenNoPurchaseFollowsWithin30MinutesOnTheWallClock() throws Exception {
        try (Engine e = engine("cart")) {
            e.plan(cartAbandonment("j1"), 7);
            assertThat(e.acks()).containsExactly(new PlanAck("org1", "j1", 7, 0, 1, JourneyStatus.RUNNING, null));

            e.event(event("p1", "e1", "add_to_cart", T0, "item", "red shoes"));
            e.event(event("p2", "e2", "add_to_cart", T0 + 1_000, "item", "hat"));
            e.event(event("p2", "e3", "purchase", T0 + 10 * MIN));
            e.event(event("p3", "e4", "add_to_cart", T0 + 2_000)); // no item: the variable is REPLACEd
            assertThat(e.actions()).isEmpty();

            // 30 minutes of wall clock without a single event: the windows close on time
            e.wallClock(T0 + 30 * MIN + Engine.LATENESS - 2);
            assertThat(e.actions()).as("p1's window [T0, T0+30min) holds events up to T0+30min-1 ms").isEmpty();
            e.wallClock(T0 + 30 * MIN + Engine.LATENESS + 2_000);
            List<JsonNode> sms = e.actions();
            assertThat(sms).hasSize(2);
            JsonNode a = sms.get(0);
            assertThat(Schemas.violations("action-request-v1.schema.json", a)).isEmpty();
            assertThat(a.get("personId").asText()).isEqualTo("p1");
            assertThat(a.get("nodeId").asText()).isEqualTo("s");
            assertThat(a.get("nodeType").asText()).isEqualTo("SMS");
            assertThat(a.get("journeyId").asText()).isEqualTo("j1");
            assertThat(a.get("planVersion").asLong()).isEqualTo(7);
            assertThat(a.get("triggerEventId").asText()).isEqualTo("e1");
            assertThat(a.get("interfaceId").asText()).isEqualTo("sms-if");
            assertThat(a.get("templateId").asText()).isEqualTo("tpl-remind");
            assertThat(a.get("idType").asText()).isEqualTo("MOBILE");
            assertThat(a.get("idValue").asText()).startsWith("1380000");
            assertThat(a.get("variables").get("item").asText()).isEqualTo("red shoes");
            assertThat(a.get("time").asLong()).isEqualTo(T0 + 30 * MIN);
            assertThat(a.get("key").asText()).isEqualTo(a.get("runId").asText() + ":s");
            assertThat(a.has("skip")).isFalse();
            assertThat(sms.get(1).get("personId").asText()).isEqualTo("p3");
            assertThat(sms.get(1).get("variables").get("item").asText()).isEqualTo("your cart");

            assertThat(e.timers()).as("only the clean-up timers of the three persons are left").isEqualTo(3);
        }
    }

    @Test
    void aLateTriggerWhoseWindowHasPassedIsJudgedAtTheNextTickThoughTheClockStandsStill() throws Exception {
        try (Engine e = engine("late")) {
            e.plan(cartAbandonment("j1"), 1);
            e.wallClock(T0 + 31 * MIN + Engine.LATENESS);
            e.event(event("p1", "e1", "add_to_cart", T0)); // arrives 31 minutes late: its window is over
            assertThat(e.actions()).isEmpty();
            e.wallClock(T0 + 31 * MIN + Engine.LATENESS); // the next tick, the same time
            assertThat(e.actions()).extracting(a -> a.get("personId").asText()).containsExactly("p1");
        }
    }

    @Test
    void outOfOrderAndDuplicatedEventsNeitherEnterTwiceNorMissAPurchase() throws Exception {
        try (Engine e = engine("ooo")) {
            e.plan(cartAbandonment("j1"), 1);
            // the purchase arrives before the add_to_cart it follows in event time
            e.event(event("p1", "buy", "purchase", T0 + 5 * MIN));
            e.event(event("p1", "cart", "add_to_cart", T0));
            // the same add_to_cart delivered three times, and a purchase too early (before the cart)
            e.event(event("p2", "c2", "add_to_cart", T0 + 1_000));
            e.event(event("p2", "c2", "add_to_cart", T0 + 1_000));
            e.event(event("p2", "early", "purchase", T0));
            e.event(event("p2", "c2", "add_to_cart", T0 + 1_000));
            e.watermark(T0 + 31 * MIN);
            List<JsonNode> sms = e.actions();
            assertThat(sms).extracting(a -> a.get("personId").asText()).containsExactly("p2");
            // a replay after the run ended: same event, no second entry
            e.event(event("p2", "c2", "add_to_cart", T0 + 1_000));
            e.watermark(T0 + 62 * MIN);
            assertThat(e.actions()).isEmpty();
        }
    }

    @Test
    void eventBranchWithAttributeAndCountConditionsTakesDoneOnlyWhenBothHoldAndNotDoneIncludesPartialMatches() throws Exception {
        try (Engine e = engine("count")) {
            // DONE when at least 2 purchases over 100 within 1 hour; NOT_DONE gets an SMS
            e.plan(plan("j", trigger(match("add_to_cart"), 10), "b",
                    eventBranch("b", match("purchase", numberRule("amount", Operator.GT, 100)), 60 * MIN, Operator.GE, 2, "done", "sms"),
                    sms("done", "tpl-thanks", null), sms("sms", "tpl-remind", null)), 1);
            e.event(event("full", "f0", "add_to_cart", T0));
            e.event(event("full", "f1", "purchase", T0 + MIN, "amount", 150));
            e.event(event("full", "f1", "purchase", T0 + MIN, "amount", 150)); // a duplicate does not count twice
            assertThat(e.actions()).isEmpty();
            e.event(event("full", "f2", "purchase", T0 + 2 * MIN, "amount", 101));
            List<JsonNode> done = e.actions();
            assertThat(done).as("DONE as soon as it is certain").extracting(a -> a.get("templateId").asText()).containsExactly("tpl-thanks");
            assertThat(done.get(0).get("time").asLong()).isEqualTo(T0 + 2 * MIN);

            e.event(event("partial", "q0", "add_to_cart", T0));
            e.event(event("partial", "q1", "purchase", T0 + MIN, "amount", 150));
            e.event(event("partial", "q2", "purchase", T0 + 2 * MIN, "amount", 50));   // attribute condition fails
            e.event(event("partial", "q3", "purchase", T0 + 60 * MIN, "amount", 500)); // outside [T0, T0+60min)
            e.watermark(T0 + 60 * MIN);
            assertThat(e.actions()).extracting(a -> a.get("personId").asText() + ":" + a.get("templateId").asText())
                    .containsExactly("partial:tpl-remind");
        }
    }

    @Test
    void countOperatorsDecideAsSoonAsTheOutcomeIsCertain() {
        var ge2 = eventBranch("b", match("x"), MIN, Operator.GE, 2, null, null);
        assertThat(JourneyEngine.decide(ge2, 1, false)).isNull();
        assertThat(JourneyEngine.decide(ge2, 2, false)).isTrue();
        assertThat(JourneyEngine.decide(ge2, 1, true)).isFalse();
        var eq2 = eventBranch("b", match("x"), MIN, Operator.EQ, 2, null, null);
        assertThat(JourneyEngine.decide(eq2, 2, false)).isNull();
        assertThat(JourneyEngine.decide(eq2, 3, false)).isFalse();
        assertThat(JourneyEngine.decide(eq2, 2, true)).isTrue();
        var lt2 = eventBranch("b", match("x"), MIN, Operator.LT, 2, null, null);
        assertThat(JourneyEngine.decide(lt2, 1, false)).isNull();
        assertThat(JourneyEngine.decide(lt2, 2, false)).isFalse();
        assertThat(JourneyEngine.decide(lt2, 0, true)).isTrue();
        var le0 = eventBranch("b", match("x"), MIN, Operator.LE, 0, null, null);
        assertThat(JourneyEngine.decide(le0, 1, false)).isFalse();
        assertThat(JourneyEngine.decide(le0, 0, true)).isTrue();
        var ne1 = eventBranch("b", match("x"), MIN, Operator.NE, 1, null, null);
        assertThat(JourneyEngine.decide(ne1, 1, false)).isNull();
        assertThat(JourneyEngine.decide(ne1, 2, false)).isTrue();
        assertThat(JourneyEngine.decide(ne1, 1, true)).isFalse();
        var gt1 = eventBranch("b", match("x"), MIN, Operator.GT, 1, null, null);
        assertThat(JourneyEngine.decide(gt1, 2, false)).isTrue();
        assertThat(JourneyEngine.decide(gt1, 1, true)).isFalse();
    }

    @Test
    void waitsRelativeAndUntilATimeFireOnEngineTimeAndVariablesSkipOrReplace() throws Exception {
        try (Engine e = engine("wait")) {
            e.plan(plan("rel", once(match("signup")), "w", waitFor("w", 2 * DAY, "s"),
                    sms("s", "tpl-day2", null, new Variable("name", "name", "SKIP", null))), 1);
            e.plan(plan("abs", once(match("signup")), "w", waitUntil("w", T0 + 3 * DAY, "s"),
                    sms("s", "tpl-day3", null, new Variable("name", "name", "REPLACE", "friend"))), 1);
            e.event(event("named", "s1", "signup", T0, "name", "Ann"));
            e.event(event("anon", "s2", "signup", T0 + 1_000));
            e.watermark(T0 + 2 * DAY - 1);
            assertThat(e.actions()).isEmpty();
            e.watermark(T0 + 2 * DAY + 1_000);
            List<JsonNode> day2 = e.actions();
            assertThat(day2).extracting(a -> a.get("personId").asText()).containsExactly("named", "anon");
            assertThat(day2.get(0).get("variables").get("name").asText()).isEqualTo("Ann");
            assertThat(day2.get(1).get("skip").asText()).as("no name, SKIP: the request still says who reached the node").isEqualTo("EMPTY_VARIABLE:name");
            e.wallClock(T0 + 3 * DAY + Engine.LATENESS); // events are quiet: the wall clock moves engine time
            List<JsonNode> day3 = e.actions();
            assertThat(day3).extracting(a -> a.get("variables").get("name").asText()).containsExactlyInAnyOrder("Ann", "friend");
            assertThat(day3).allSatisfy(a -> assertThat(a.get("time").asLong()).isEqualTo(T0 + 3 * DAY));
        }
    }

    @Test
    void participationOnceAndYInXDays() throws Exception {
        try (Engine e = engine("limits")) {
            e.plan(plan("once", once(match("open")), "s", sms("s", "tpl-once", null)), 1);
            e.plan(plan("twice", new JourneyPlan.Trigger(dev.qaengine.model.journey.TriggerType.EVENT, match("open"), 1, 2, 7 * DAY, null),
                    "s", sms("s", "tpl-twice", null)), 1);
            e.plan(plan("third", new JourneyPlan.Trigger(dev.qaengine.model.journey.TriggerType.EVENT, match("open"), 3, 10, 7 * DAY, null),
                    "s", sms("s", "tpl-third", null)), 1);
            for (int i = 0; i < 7; i++) {
                e.event(event("p", "o" + i, "open", T0 + i * DAY / 2));
            }
            e.event(event("p", "o7", "open", T0 + 8 * DAY));
            assertThat(e.actions()).extracting(a -> a.get("templateId").asText() + "@" + (a.get("time").asLong() - T0) / (DAY / 2))
                    .containsExactly("tpl-once@0", "tpl-twice@0", "tpl-twice@1", "tpl-third@2", "tpl-third@5", "tpl-twice@16");
        }
    }

    @Test
    void aNewPlanVersionTakesNewEntriesWhileRunsInProgressFinishOnTheirOwn() throws Exception {
        try (Engine e = engine("versions")) {
            JourneyPlan v1 = plan("j", trigger(match("view"), 10), "w", waitFor("w", 10 * MIN, "s"), sms("s", "tpl-v1", null));
            JourneyPlan v2 = plan("j", trigger(match("view"), 10), "w", waitFor("w", 20 * MIN, "s"), sms("s", "tpl-v2", null));
            e.plan(v1, 1);
            e.event(event("early", "a", "view", T0));
            e.plan(v2, 2);
            e.plan(v1, 1); // a reordered older record changes nothing
            e.event(event("late", "b", "view", T0 + MIN));
            e.watermark(T0 + 30 * MIN);
            assertThat(e.actions()).extracting(a -> a.get("personId").asText() + ":" + a.get("templateId").asText() + ":v" + a.get("planVersion").asLong())
                    .containsExactly("early:tpl-v1:v1", "late:tpl-v2:v2");
            assertThat(e.acks()).extracting(PlanAck::version).containsExactly(1L, 2L);
            // v1 is kept while a run could still be on it, then retired from the broadcast state
            assertThat(e.h.getOperator().getOperatorStateBackend().getBroadcastState(JourneyOperator.PLANS).entries()).hasSize(2);
            e.watermark(T0 + 2 * DAY);
            assertThat(e.h.getOperator().getOperatorStateBackend().getBroadcastState(JourneyOperator.PLANS).entries())
                    .extracting(java.util.Map.Entry::getKey).containsExactly("org1/j@2");
        }
    }

    @Test
    void aStoppedJourneySendsNothingMoreAndLeavesNoStateOrTimersBehind() throws Exception {
        try (Engine e = engine("stop")) {
            e.plan(plan("j", trigger(match("view"), 10), "w", waitFor("w", 10 * MIN, "s"), sms("s", "tpl", null)), 1);
            for (int i = 0; i < 5; i++) {
                e.event(event("p" + i, "v" + i, "view", T0));
            }
            assertThat(e.stateEntries()).isEqualTo(5);
            assertThat(e.timers()).as("one timer per person: its wait, earlier than its clean-up").isEqualTo(5);
            e.stop("j");
            e.event(event("p9", "v9", "view", T0 + MIN)); // no journey starts on it any more: no state either
            e.watermark(T0 + 11 * MIN);
            assertThat(e.actions()).isEmpty();
            assertThat(e.timers()).as("the clean-up of each person, its run ended").isEqualTo(5);
            e.watermark(T0 + 11 * MIN + Engine.TTL);
            assertThat(e.stateEntries()).isZero();
            assertThat(e.timers()).isZero();
        }
    }

    @Test
    void finishedRunsLeaveOnlyWhatParticipationNeedsAndThatGoesWithTheJourney() throws Exception {
        try (Engine e = engine("gc")) {
            e.plan(plan("once", once(match("open")), "s", sms("s", "tpl", null)), 1);
            e.plan(cartAbandonment("cart"), 1);
            e.event(event("p", "o1", "open", T0));
            e.event(event("p", "c1", "add_to_cart", T0));
            e.event(event("p", "b1", "purchase", T0 + MIN));
            assertThat(e.actions()).hasSize(1);
            e.watermark(T0 + Engine.TTL + MIN);
            assertThat(e.stateEntries()).as("the 'once' entry is kept while the journey runs").isEqualTo(1);
            assertThat(e.timers()).isEqualTo(1);
            e.event(event("p", "o2", "open", T0 + Engine.TTL + 2 * MIN));
            assertThat(e.actions()).as("once means once, after the clean-up too").isEmpty();
            e.stop("once");
            e.stop("cart");
            e.watermark(T0 + 3 * Engine.TTL);
            assertThat(e.stateEntries()).isZero();
            assertThat(e.timers()).isZero();
        }
    }

    @Test
    void aRestoreInTheMiddleOfWaitsSendsEachActionOnce() throws Exception {
        OperatorSubtaskState snapshot;
        ManualClock clock = new ManualClock("restore", T0);
        try (Engine e = new Engine(clock, tmp.resolve("r1"), null)) {
            e.plan(cartAbandonment("j1"), 1);
            e.event(event("p1", "e1", "add_to_cart", T0));
            e.event(event("p2", "e2", "add_to_cart", T0));
            snapshot = e.snapshot();
            // what happened after the checkpoint is lost with the failure, and replayed from Kafka
            e.event(event("p2", "e3", "purchase", T0 + MIN));
        }
        try (Engine e = new Engine(clock, tmp.resolve("r2"), snapshot)) {
            e.event(event("p1", "e1", "add_to_cart", T0)); // replayed: already in
            e.event(event("p2", "e3", "purchase", T0 + MIN));
            e.wallClock(T0 + 31 * MIN + Engine.LATENESS);
            assertThat(e.actions()).extracting(a -> a.get("personId").asText()).containsExactly("p1");
            assertThat(e.acks()).as("the plan came back with the state, no new answer").isEmpty();
        }
    }

    @Test
    void plansTheEngineCannotRunAreRefusedWithTheReason() throws Exception {
        try (Engine e = engine("refuse")) {
            e.plan(new JourneyPlan(2, "org1", "rb", "Later format", 1, once(match("x")), "r",
                    List.of(Fixtures.step("r", NodeType.END))), 3);
            e.plan(new JourneyPlan(1, "org1", "aud", "Audience", 1,
                    new JourneyPlan.Trigger(dev.qaengine.model.journey.TriggerType.AUDIENCE, null, null, null, null, "a1"), "s",
                    List.of(sms("s", "t", null))), 4);
            assertThat(e.acks()).extracting(a -> a.journeyId() + ":" + a.status() + ":" + a.reason()).containsExactly(
                    "rb:FAILED:plan format v2 is not known to this engine (it reads v1)",
                    "aud:FAILED:audience-triggered journeys are not run by this engine version (issue #9)");
        }
    }

    @Test
    void unreadableEventsGoToTheDlqWithTheReasonAndTheEngineGoesOn() throws Exception {
        try (Engine e = engine("dlq")) {
            e.plan(cartAbandonment("j1"), 1);
            e.event(new Inbound(Fixtures.key("p1").getBytes(StandardCharsets.UTF_8), "{not json".getBytes(StandardCharsets.UTF_8), T0, 3, 42));
            e.event(new Inbound(Fixtures.key("p1").getBytes(StandardCharsets.UTF_8), "{\"v\":1,\"event\":{}}".getBytes(StandardCharsets.UTF_8), T0, 3, 43));
            e.event(event("p1", "e1", "add_to_cart", T0));
            assertThat(e.rejected()).extracting(r -> r.reason() + ":" + r.record().offset() + ":" + r.detail().split(":")[0])
                    .containsExactly(DlqReason.MALFORMED_JSON + ":42:not a resolved event", DlqReason.MISSING_FIELD + ":43:personId is missing");
            assertThat(e.stateEntries()).isEqualTo(1);
        }
    }
}
