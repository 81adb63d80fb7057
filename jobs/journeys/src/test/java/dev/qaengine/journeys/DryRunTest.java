package dev.qaengine.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.Json;
import dev.qaengine.model.journey.ActionRequest;
import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.Operator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static dev.qaengine.journeys.Fixtures.MIN;
import static dev.qaengine.journeys.Fixtures.T0;
import static dev.qaengine.journeys.Fixtures.cartAbandonment;
import static dev.qaengine.journeys.Fixtures.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A draft journey over a recorded event file, nothing sent: who enters, which path, what would be sent. */
class DryRunTest {

    private static String line(Inbound e) {
        return new String(e.value(), StandardCharsets.UTF_8);
    }

    @Test
    void reportsEntriesPathsAndMessagesOfARecordedFile() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(line(event("p1", "e1", "add_to_cart", T0, "item", "red shoes")));
        lines.add(line(event("p2", "e2", "add_to_cart", T0 + 1_000, "item", "hat")));
        lines.add("{not json");
        lines.add(line(event("p2", "e3", "purchase", T0 + 10 * MIN)));
        lines.add("");
        lines.add(line(event("p1", "e1", "add_to_cart", T0, "item", "red shoes"))); // recorded twice
        // a canonical event (qa.events.normalized): its person is its customer id
        lines.add("{\"v\":1,\"eventId\":\"e9\",\"orgId\":\"org1\",\"customerId\":\"c-9\",\"customerIdType\":\"ONEID\",\"channel\":\"app1\","
                + "\"eventCode\":\"add_to_cart\",\"attributes\":{},\"eventTime\":" + (T0 + 40 * MIN) + ",\"ingestTime\":" + (T0 + 40 * MIN) + "}");
        lines.add("{\"v\":1,\"personId\":\"p4\",\"event\":{\"v\":1,\"orgId\":\"org1\",\"eventCode\":\"add_to_cart\",\"eventTime\":1}}");

        DryRun.Report r = DryRun.run(cartAbandonment("j1"), lines.iterator(), 5_000, DryRun.Limits.DEFAULT);

        assertThat(r.lines()).isEqualTo(8);
        assertThat(r.events()).isEqualTo(5);
        assertThat(r.rejectedLines()).isEqualTo(2);
        assertThat(r.rejected()).extracting(DryRun.RejectedLine::line).containsExactly(3L, 8L);
        assertThat(r.rejected().get(0).reason()).startsWith("not JSON: ");
        assertThat(r.rejected().get(1).reason()).isEqualTo("event.eventId is missing");
        assertThat(r.persons()).isEqualTo(3);
        assertThat(r.entered()).isEqualTo(3);
        assertThat(r.notEntered()).as("the duplicate line").isEqualTo(1);
        assertThat(r.runs()).extracting(p -> p.personId() + " " + p.triggerEventId() + " " + p.path() + " " + p.ended())
                .containsExactly("p1 e1 [b:NOT_DONE, s] true", "p2 e2 [b:DONE, e] true", "ONEID:c-9 e9 [b:NOT_DONE, s] true");
        assertThat(r.actionRequests()).extracting(ActionRequest::personId, ActionRequest::nodeId, a -> a.variables().get("item"), ActionRequest::time)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("p1", "s", "red shoes", T0 + 30 * MIN),
                        org.assertj.core.groups.Tuple.tuple("ONEID:c-9", "s", "your cart", T0 + 70 * MIN));
        assertThat(r.actions()).isEqualTo(2);
        assertThat(r.nodes().get("b").branches()).containsExactly(java.util.Map.entry("DONE", 1L), java.util.Map.entry("NOT_DONE", 2L));
        assertThat(r.nodes().get("s").actions()).isEqualTo(2);
        assertThat(r.nodes().get("e").entered()).isEqualTo(1);
        assertThat(r.firstEventTime()).isEqualTo(T0);
        assertThat(r.lastEventTime()).isEqualTo(T0 + 40 * MIN);
        assertThat(r.endTime()).as("the last window closes after the file").isEqualTo(T0 + 70 * MIN - 1);
    }

    @Test
    void refusesWhatTheEngineWouldRefuse() {
        JourneyPlan audience = new JourneyPlan(JourneyPlan.VERSION, "org1", "j9", "J", 1,
                new JourneyPlan.Trigger(dev.qaengine.model.journey.TriggerType.AUDIENCE, null, null, null, null, null), "x",
                List.of(Fixtures.end("x")));
        assertThatThrownBy(() -> DryRun.run(audience, List.<String>of().iterator(), 5_000, DryRun.Limits.DEFAULT))
                .isInstanceOf(DryRun.Refused.class).hasMessageContaining("audience-triggered");
    }

    /**
     * The dry run and the job's operator on the same random stream (out of order by up to a minute, ties, duplicates,
     * conditions and counts): the same action requests, key for key. The operator traces runs only, so it meets the
     * candidates through the threshold index; the dry run traces refused entries too, so it meets every candidate.
     */
    @Test
    void takesExactlyThePathsTheJobTakes() throws Exception {
        JourneyPlan plan = Fixtures.plan("j1", Fixtures.trigger(Fixtures.match("view", Fixtures.numberRule("amount", Operator.GE, 300)), 3), "b",
                Fixtures.eventBranch("b", Fixtures.match("buy"), 20 * MIN, Operator.GE, 2, "w", "s"),
                Fixtures.sms("s", "t1", "w2"),
                Fixtures.waitFor("w", 7 * MIN, "m"),
                Fixtures.email("m", "t2", null),
                Fixtures.waitFor("w2", 3 * MIN, "s2"),
                Fixtures.sms("s2", "t3", null));
        Random random = new Random(7);
        List<Inbound> events = new ArrayList<>();
        long t = T0;
        for (int i = 0; i < 600; i++) {
            t += random.nextInt(20_000);
            long time = t - random.nextInt(60_000);
            String person = "p" + random.nextInt(25);
            String id = random.nextInt(20) == 0 && i > 0 ? "x" + (i - 1) : "x" + i;
            events.add(event(person, id, random.nextBoolean() ? "view" : "buy", time, "amount", random.nextInt(1000)));
        }

        DryRun.Report report = DryRun.run(plan, events.stream().map(DryRunTest::line).iterator(), Engine.LATENESS,
                new DryRun.Limits(100_000, 100_000, 100_000, 100));

        TreeSet<String> job = new TreeSet<>();
        try (Engine e = new Engine(new ManualClock("dry-run-differential", Long.MIN_VALUE), null, null, JourneyEngine.Tracing.RUNS)) {
            e.plan(plan, 1);
            long watermark = Long.MIN_VALUE;
            for (Inbound ev : events) {
                e.event(ev);
                JsonNode json = Json.MAPPER.readTree(ev.value());
                watermark = Math.max(watermark, json.get("event").get("eventTime").asLong() - Engine.LATENESS);
                e.watermark(watermark);
            }
            e.watermark(Long.MAX_VALUE - 1);
            for (JsonNode a : e.actions()) {
                job.add(a.get("key").asText() + " " + a.get("time").asLong());
            }
        }
        TreeSet<String> dry = new TreeSet<>();
        for (ActionRequest a : report.actionRequests()) {
            dry.add(a.key() + " " + a.time());
        }
        assertThat(job).as("enough happens to compare").hasSizeGreaterThan(50);
        assertThat(dry).isEqualTo(job);
        assertThat(report.nodes().get("b").branches()).containsKeys("DONE", "NOT_DONE");
    }
}
