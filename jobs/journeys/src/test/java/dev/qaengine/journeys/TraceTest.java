package dev.qaengine.journeys;

import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.Operator;
import dev.qaengine.model.journey.TraceStep;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.qaengine.journeys.Fixtures.MIN;
import static dev.qaengine.journeys.Fixtures.T0;
import static dev.qaengine.journeys.Fixtures.end;
import static dev.qaengine.journeys.Fixtures.event;
import static dev.qaengine.journeys.Fixtures.eventBranch;
import static dev.qaengine.journeys.Fixtures.match;
import static dev.qaengine.journeys.Fixtures.numberRule;
import static dev.qaengine.journeys.Fixtures.plan;
import static dev.qaengine.journeys.Fixtures.sms;
import static dev.qaengine.journeys.Fixtures.trigger;
import static org.assertj.core.api.Assertions.assertThat;

/** The trace on qa.journeys.trace: every step of a person, and why — entries refused included. */
class TraceTest {

    /** add_to_cart with amount ≥ 400 → purchase within 30 min? DONE → END, NOT_DONE → SMS. */
    static JourneyPlan cart() {
        return plan("j1", trigger(match("add_to_cart", numberRule("amount", Operator.GE, 400)), 10), "b",
                eventBranch("b", match("purchase"), 30 * MIN, Operator.GE, 1, "e", "s"),
                sms("s", "tpl-remind", null),
                end("e"));
    }

    /** A step as one line: person, kind, node, exit, reason. */
    static String line(TraceStep t) {
        return t.personId() + " " + t.step() + " " + t.nodeId() + " " + t.exit() + " | " + t.reason();
    }

    @Test
    void explainsEveryStepAndEveryRefusedEntry() throws Exception {
        try (Engine e = new Engine(new ManualClock("trace", T0), null, null)) {
            e.plan(cart(), 3);
            e.event(event("p1", "e1", "add_to_cart", T0, "amount", 500));
            e.event(event("p2", "e2", "add_to_cart", T0 + 1_000, "amount", 450));
            e.event(event("p2", "e3", "purchase", T0 + 10 * MIN));
            e.event(event("p3", "e4", "add_to_cart", T0 + 2_000, "amount", 100));
            e.event(event("p3", "e5", "add_to_cart", T0 + 3_000));
            e.event(event("p2", "e2", "add_to_cart", T0 + 1_000, "amount", 450)); // the same event again

            List<TraceStep> steps = e.traces();
            assertThat(steps).extracting(TraceTest::line).containsExactly(
                    "p1 ENTERED null null | event add_to_cart at 2026-11-28T00:00:00Z met the trigger",
                    "p1 WAITING b null | for purchase until 2026-11-28T00:30:00Z (0 so far)",
                    "p2 ENTERED null null | event add_to_cart at 2026-11-28T00:00:01Z met the trigger",
                    "p2 WAITING b null | for purchase until 2026-11-28T00:30:01Z (0 so far)",
                    "p2 PASSED b DONE | 1 matching purchase event(s) once event e3 arrived in [2026-11-28T00:00:01Z, 2026-11-28T00:30:01Z), the branch asks GE 1",
                    "p2 ENDED e null | END node",
                    "p3 NOT_ENTERED null null | condition amount GE 400 failed (amount = 100)",
                    "p3 NOT_ENTERED null null | condition amount GE 400 failed (amount is absent)",
                    "p2 NOT_ENTERED null null | the event was already counted (a duplicate or a replay)");
            // one record per person and engine call, its steps in order: six events, six records for nine steps
            assertThat(e.traceRecords()).isEqualTo(6);
            TraceStep entered = steps.get(0);
            assertThat(entered.runId()).isEqualTo(Hashes.runId("org1", "j1", "p1", "e1"));
            assertThat(entered.eventId()).isEqualTo("e1");
            assertThat(entered.planVersion()).isEqualTo(3);
            assertThat(entered.at()).isEqualTo(T0);
            assertThat(steps.get(6).eventId()).isEqualTo("e4");
            assertThat(steps.get(6).runId()).isNull();

            // the window closes with no event: p1 leaves by NOT_DONE and gets the SMS
            e.wallClock(T0 + 30 * MIN + Engine.LATENESS + 1_000);
            assertThat(e.traces()).extracting(TraceTest::line).containsExactly(
                    "p1 PASSED b NOT_DONE | 0 matching purchase event(s) when the window closed in [2026-11-28T00:00:00Z, 2026-11-28T00:30:00Z), the branch asks GE 1",
                    "p1 ACTION s null | SMS requested through interface sms-if",
                    "p1 ENDED null null | no next node");
            assertThat(e.traceRecords()).as("the three steps of p1's deadline in one record").isEqualTo(7);
            assertThat(e.actions()).hasSize(1);
        }
    }

    @Test
    void explainsTheBranchOfEveryOtherNodeType() throws Exception {
        var splits = List.of(Fixtures.split("A", 50, null), Fixtures.split("B", 50, null));
        JourneyPlan random = plan("j2", trigger(match("view"), 10), "r",
                Fixtures.branches("r", dev.qaengine.model.journey.NodeType.RANDOM_BRANCH, splits, java.util.Map.of("A", "t", "B", "t")),
                Fixtures.branches("t", dev.qaengine.model.journey.NodeType.TAG_BRANCH, List.of(Fixtures.tagSplit("gold", "level=gold")),
                        java.util.Map.of("gold", "w", "OTHER", "w")),
                Fixtures.waitFor("w", 5 * MIN, "x"),
                end("x"));
        try (Engine e = new Engine(new ManualClock("trace-other", T0), null, null)) {
            e.plan(random, 1);
            e.event(event("p1", "v1", "view", T0));
            String branch = JourneyEngine.randomBranch(random.steps().get(0), "j2", "p1");
            long slot = Long.remainderUnsigned(Hashes.id64("j2\u0000p1"), 10_000);
            assertThat(e.traces()).extracting(TraceTest::line).containsExactly(
                    "p1 ENTERED null null | event view at 2026-11-28T00:00:00Z met the trigger",
                    "p1 PASSED r " + branch + " | slot " + slot + " of 10000 (the same for this person in every run)",
                    "p1 PASSED t OTHER | no branch's tag filter matched the person's tags {}",
                    "p1 WAITING w null | until 2026-11-28T00:05:00Z");
            e.wallClock(T0 + 5 * MIN + Engine.LATENESS + 1_000);
            assertThat(e.traces()).extracting(TraceTest::line).containsExactly(
                    "p1 PASSED w next | waited until 2026-11-28T00:05:00Z",
                    "p1 ENDED x null | END node");
        }
    }

    /** The default, RUNS: the refusals of events whose conditions held are traced, a failed condition is not. */
    @Test
    void runsTracesRefusalsOfMatchingEventsOnly() throws Exception {
        try (Engine e = new Engine(new ManualClock("trace-runs", T0), null, null, JourneyEngine.Tracing.RUNS)) {
            e.plan(cart(), 1);
            e.event(event("p3", "e4", "add_to_cart", T0 + 2_000, "amount", 100));
            e.event(event("p2", "e2", "add_to_cart", T0 + 1_000, "amount", 450));
            e.event(event("p2", "e2", "add_to_cart", T0 + 1_000, "amount", 450));
            assertThat(e.traces()).extracting(TraceTest::line).containsExactly(
                    "p2 ENTERED null null | event add_to_cart at 2026-11-28T00:00:01Z met the trigger",
                    "p2 WAITING b null | for purchase until 2026-11-28T00:30:01Z (0 so far)",
                    "p2 NOT_ENTERED null null | the event was already counted (a duplicate or a replay)");
        }
        try (Engine e = new Engine(new ManualClock("trace-off", T0), null, null, JourneyEngine.Tracing.OFF)) {
            e.plan(cart(), 1);
            e.event(event("p2", "e2", "add_to_cart", T0 + 1_000, "amount", 450));
            e.event(event("p2", "e2", "add_to_cart", T0 + 1_000, "amount", 450));
            assertThat(e.traces()).isEmpty();
            assertThat(e.actions()).isEmpty();
        }
    }

    @Test
    void aSampleTracesTheSamePersonsWholeAndOnlyThem() throws Exception {
        int slots = JourneysJob.sampleSlots("50%");
        assertThat(slots).isEqualTo(5_000);
        List<String> in = new java.util.ArrayList<>();
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; in.size() < 2 || out.size() < 2; i++) {
            (JourneyEngine.inSample("org1", "p" + i, slots) ? in : out).add("p" + i);
        }
        try (Engine e = new Engine(new ManualClock("sample", T0), null, null, JourneyEngine.Tracing.RUNS, slots)) {
            e.plan(cart(), 1);
            int n = 0;
            for (String p : List.of(in.get(0), out.get(0), in.get(1), out.get(1))) {
                e.event(event(p, "a" + n, "add_to_cart", T0 + n * 1_000L, "amount", 500));
                e.event(event(p, "b" + n, "purchase", T0 + n * 1_000L + MIN));
                n++;
            }
            // the persons in the sample: every step; the others: none — yet all four took the same path
            assertThat(e.traces()).extracting(TraceStep::personId).containsOnly(in.get(0), in.get(1)).hasSize(8);
            assertThat(e.traceRecords()).isEqualTo(4);
        }
        assertThat(JourneysJob.sampleSlots("1")).isEqualTo(JourneyEngine.SAMPLE_ALL);
        assertThat(JourneysJob.sampleSlots(" 0.001 ")).isEqualTo(10);
        for (String bad : List.of("0", "-0.1", "1.5", "200%", "abc", "", "0.00001", "NaN")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> JourneysJob.sampleSlots(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QA_JOURNEYS_TRACE_SAMPLE");
        }
    }
}
