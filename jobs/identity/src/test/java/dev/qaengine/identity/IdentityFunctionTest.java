package dev.qaengine.identity;

import dev.qaengine.common.ControlGate;
import dev.qaengine.common.ControlRecords;
import dev.qaengine.common.ControlStream.ControlEntry;
import dev.qaengine.common.TopicRecord;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.ControlRecord;
import dev.qaengine.model.IdType;
import dev.qaengine.model.IdentitySettings;
import dev.qaengine.model.Topics;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The keyed operator in Flink's test harness: the start-up gate, settings from qa.control, anonymous expiry. */
class IdentityFunctionTest {
    static final String ORG = "org-h";
    KeyedBroadcastOperatorTestHarness<String, Command, ControlEntry, TopicRecord> harness;

    void open(Map<Integer, Long> controlEnd) throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new IdentityFunction(Duration.ofDays(1), () -> controlEnd, Topics.EVENTS_RESOLVED),
                Command::routingKey, Types.STRING, IdentityFunction.SETTINGS, ControlGate.PROGRESS);
        harness.setProcessingTime(0);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    List<TopicRecord> committed(String topic) {
        var side = harness.getSideOutput(IdentityFunction.COMMITTED);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).filter(r -> r.topic().equals(topic)).toList();
    }

    List<String> resolvedPersons() {
        return harness.extractOutputValues().stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
    }

    void settings(IdentitySettings s, long offset) throws Exception {
        var r = ControlRecords.record(new ControlRecord(ControlRecord.VERSION, ControlKind.IDENTITY_SETTINGS, s.orgId(), 1, s));
        harness.processBroadcastElement(new ControlEntry(new String(r.key(), StandardCharsets.UTF_8),
                new String(r.value(), StandardCharsets.UTF_8), 0, offset), 0);
    }

    @Test
    void holdsEverythingUntilTheSettingsPublishedBeforeTheStartAreApplied() throws Exception {
        open(Map.of(0, 1L)); // one control record existed when the job started
        harness.processElement(Command.link(ORG, "ONEID:a", "MOBILE:13800000000", 10), 10);
        harness.processElement(Command.event(ORG, "ONEID:a", 11, "{}".getBytes(StandardCharsets.UTF_8)), 11);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(committed(Topics.IDENTITY_FEEDBACK)).isEmpty();

        settings(new IdentitySettings(ORG, List.of(IdType.MOBILE), 2), 0);
        harness.setProcessingTime(200);
        assertThat(resolvedPersons()).containsExactly(ORG + '|' + IdentityCore.personId(ORG, "ONEID:a"));
        List<TopicRecord> feedback = committed(Topics.IDENTITY_FEEDBACK);
        assertThat(feedback).singleElement().satisfies(r ->
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(ORG + "|MOBILE:13800000000"));
        List<Command> steps = new ArrayList<>();
        Codecs.FeedbackBatch.read(feedback.get(0).value(), steps::add);
        assertThat(steps).hasSize(1);
        Command next = steps.get(0);
        assertThat(next.kind).isEqualTo(Command.LINK_AT);
        assertThat(next.p1.id()).isEqualTo(IdentityCore.personId(ORG, "ONEID:a"));
    }

    @Test
    void theOrganizationsCapsFromQaControlDecide() throws Exception {
        open(Map.of());
        settings(new IdentitySettings(ORG, List.of(), 2), -1);
        // Three identifiers of one customer; the cap is two: the merge at the older person is refused.
        run(Command.link(ORG, "ONEID:a", "EMAIL:a@x.com", 1));
        run(Command.link(ORG, "ONEID:a", "OPEN_ID:oa", 2));
        assertThat(committed(Topics.IDENTITY_CHANGES)).hasSize(1);
        assertThat(committed(Topics.IDENTITY_AUDIT)).singleElement().satisfies(r ->
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("\"reason\":\"TOO_MANY_IDENTIFIERS\"")
                        .contains("exceed the limit of 2"));
    }

    @Test
    void anAnonymousPersonExpiresAfterItsLastEventButALinkedOneStays() throws Exception {
        // (events at record time 1 ms: day 0; expiry = end of day 0 + TTL)
        open(Map.of());
        harness.processElement(Command.event(ORG, "IDFA:D1", 1, "{}".getBytes(StandardCharsets.UTF_8)), 1);
        run(Command.link(ORG, "ONEID:k", "IDFA:D2", 2)); // D2 is linked: it never expires
        harness.setProcessingTime(Duration.ofDays(3).toMillis()); // the expiry timer fires: a day's rounding + the 1-day TTL
        harness.processElement(Command.event(ORG, "IDFA:D1", 3, "{}".getBytes(StandardCharsets.UTF_8)), 3);
        harness.processElement(Command.event(ORG, "IDFA:D2", 4, "{}".getBytes(StandardCharsets.UTF_8)), 4);
        // D1's state expired: it came back as a new person (same id, created again);
        // D2 still belongs to k's person.
        List<String> persons = resolvedPersons();
        assertThat(persons.get(0)).isEqualTo(persons.get(1));
        String d1 = dev.qaengine.model.PersonRecord.personKey(ORG, IdentityCore.personId(ORG, "IDFA:D1"));
        // written at creation, deleted at expiry, written again
        assertThat(harness.getSideOutput(IdentityFunction.DIRECTORY).stream().map(StreamRecord::getValue)
                .filter(w -> w.key().equals(d1)).map(w -> w.value() != null)).containsExactly(true, false, true);
        assertThat(committed(Topics.IDENTITY_CHANGES)).hasSize(1);
        assertThat(persons.get(2)).isNotEqualTo(ORG + '|' + IdentityCore.personId(ORG, "IDFA:D2")).isEqualTo(ORG + '|' + personOf("ONEID:k"));
    }

    /** Runs a command and every protocol step it causes, through the harness (the feedback loop by hand). */
    private void run(Command first) throws Exception {
        java.util.ArrayDeque<Command> queue = new java.util.ArrayDeque<>(List.of(first));
        int seen = committed(Topics.IDENTITY_FEEDBACK).size();
        while (!queue.isEmpty()) {
            Command c = queue.poll();
            harness.processElement(c, c.time);
            List<TopicRecord> fb = committed(Topics.IDENTITY_FEEDBACK);
            for (TopicRecord r : fb.subList(seen, fb.size())) {
                Codecs.FeedbackBatch.read(r.value(), queue::add);
            }
            seen = fb.size();
        }
    }

    private String personOf(String key) throws Exception {
        harness.processElement(Command.event(ORG, key, 9, "{}".getBytes(StandardCharsets.UTF_8)), 9);
        List<String> all = resolvedPersons();
        return all.get(all.size() - 1).substring(ORG.length() + 1);
    }
}
