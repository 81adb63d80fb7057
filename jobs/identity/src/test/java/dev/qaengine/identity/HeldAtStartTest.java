package dev.qaengine.identity;

import dev.qaengine.common.ControlGate;
import dev.qaengine.common.ControlRecords;
import dev.qaengine.common.ControlStream.ControlEntry;
import dev.qaengine.common.Json;
import dev.qaengine.common.TopicRecord;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.ControlRecord;
import dev.qaengine.model.IdentityChange;
import dev.qaengine.model.IdentitySettings;
import dev.qaengine.model.Topics;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link IdentityOperator} on RocksDB at the start of a job, while its start-up gate holds what arrives
 * until the {@code qa.control} records published before the start are applied (a fresh start with a
 * backlog in the topics: the first run of {@code IdentityJobIT}). What was held must come out as if it
 * had been handled on arrival: protocol steps it causes in this task happen at their own key, and
 * nothing that arrives after the gate opens overtakes it.
 */
class HeldAtStartTest {
    static final String ORG = "org-gate";
    static final byte[] EVENT = "{}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;
    KeyedBroadcastOperatorTestHarness<String, Command, ControlEntry, TopicRecord> harness;

    /** One instance owning every key (every step is in-task), one control record to apply before it starts. */
    void open(int cacheNodes) throws Exception {
        open(cacheNodes, null);
    }

    void open(int cacheNodes, OperatorSubtaskState restore) throws Exception {
        IdentityFunction f = new IdentityFunction(Duration.ZERO, () -> Map.of(0, 1L), Topics.EVENTS_RESOLVED,
                Topics.IDENTITY_FEEDBACK, false, cacheNodes);
        var op = new IdentityOperator(f, List.of(IdentityFunction.SETTINGS, ControlGate.PROGRESS));
        harness = new KeyedBroadcastOperatorTestHarness<>(op, Command::routingKey, Types.STRING, 128, 1, 0);
        EmbeddedRocksDBStateBackend rocks = new EmbeddedRocksDBStateBackend();
        rocks.setDbStoragePath(tmp.resolve(restore == null ? "rocks" : "restored").toString());
        harness.setStateBackend(rocks);
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
        harness.setProcessingTime(0);
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    /** The control record the gate waits for (offset 0 of the one partition). */
    void applyControl() throws Exception {
        var r = ControlRecords.record(new ControlRecord(ControlRecord.VERSION, ControlKind.IDENTITY_SETTINGS, ORG, 1,
                IdentitySettings.defaults(ORG)));
        harness.processBroadcastElement(new ControlEntry(new String(r.key(), StandardCharsets.UTF_8),
                new String(r.value(), StandardCharsets.UTF_8), 0, 0), 0);
    }

    List<IdentityChange> changes() throws Exception {
        var side = harness.getSideOutput(IdentityFunction.COMMITTED);
        List<IdentityChange> out = new ArrayList<>();
        if (side != null) {
            for (TopicRecord r : side.stream().map(StreamRecord::getValue).filter(r -> r.topic().equals(Topics.IDENTITY_CHANGES)).toList()) {
                out.add(Json.MAPPER.readValue(r.value(), IdentityChange.class));
            }
        }
        return out;
    }

    /** The person an event of {@code key} resolves to now. */
    String personOf(String key) throws Exception {
        int before = harness.extractOutputValues().size();
        harness.processElement(Command.event(ORG, key, 9_999, EVENT), 9_999);
        List<TopicRecord> all = harness.extractOutputValues();
        assertThat(all).hasSize(before + 1);
        return new String(all.get(before).key(), StandardCharsets.UTF_8).substring(ORG.length() + 1);
    }

    @ParameterizedTest(name = "node cache {0}")
    @ValueSource(ints = {0, 100})
    void aLinkHeldAtStartIsCarriedOutWhenItsTimerReleasesIt(int cacheNodes) throws Exception {
        open(cacheNodes);
        harness.processElement(Command.link(ORG, "ONEID:a", "MOBILE:13800000000", 10), 10);
        assertThat(changes()).isEmpty(); // held: the gate is closed

        applyControl();
        harness.setProcessingTime(1_000); // the key's poll timer finds the gate open and hands the link on

        // The link's steps at MOBILE run in this task, from the timer of ONEID:a: they must see MOBILE's
        // state, not ONEID:a's (a timer's context names the timer's key, whatever key is current).
        assertThat(changes()).as("the held link merged the two persons").hasSize(1);
        assertThat(personOf("MOBILE:13800000000")).isEqualTo(personOf("ONEID:a"));
    }

    @ParameterizedTest(name = "node cache {0}")
    @ValueSource(ints = {0, 100})
    void aDeviceWhoseEventWasHeldIsFirstSeenAtThatEventEvenIfALinkArrivesBeforeTheHoldEnds(int cacheNodes) throws Exception {
        open(cacheNodes);
        String device = "IDFA:6D92078A-8246-4BA4-AE5B-000000000006";
        // A customer whose person id sorts before the device's: on equal first-seen times the customer would survive.
        int i = 0;
        while (IdentityCore.personId(ORG, "ONEID:c" + i).compareTo(IdentityCore.personId(ORG, device)) > 0) {
            i++;
        }
        String customer = "ONEID:c" + i;
        String anonymous = IdentityCore.personId(ORG, device);

        harness.processElement(Command.event(ORG, device, 1, EVENT), 1); // the phone, anonymously: held
        applyControl(); // the gate opens now, before the event's poll timer fires
        harness.processElement(Command.link(ORG, customer, device, 5), 5); // the customer logs in on it

        harness.setProcessingTime(1_000);
        assertThat(changes()).singleElement().satisfies(c -> {
            assertThat(c.survivor()).as("the device was seen first (time 1, the link at 5): its person survives").isEqualTo(anonymous);
            assertThat(c.merged()).isEqualTo(IdentityCore.personId(ORG, customer));
        });
        assertThat(harness.extractOutputValues().get(0).key()).as("the held event resolved to the device's own person")
                .isEqualTo((ORG + '|' + anonymous).getBytes(StandardCharsets.UTF_8));
        assertThat(personOf(customer)).isEqualTo(anonymous);
    }

    @ParameterizedTest(name = "node cache {0}")
    @ValueSource(ints = {0, 100})
    void commandsHeldBeforeACheckpointComeOutAfterTheRestoreFirstThenTheOthersInArrivalOrder(int cacheNodes) throws Exception {
        String device = "IDFA:6D92078A-8246-4BA4-AE5B-000000000007";
        int i = 0;
        while (IdentityCore.personId(ORG, "ONEID:b" + i).compareTo(IdentityCore.personId(ORG, device)) > 0) {
            i++;
        }
        String customer = "ONEID:b" + i;
        open(cacheNodes);
        harness.processElement(Command.event(ORG, device, 10, EVENT), 10); // held
        harness.processElement(Command.link(ORG, "ONEID:a", "MOBILE:13800000000", 15), 15); // held
        OperatorSubtaskState snapshot = harness.snapshot(1, 1); // a checkpoint while the gate is still closed
        harness.close();

        open(cacheNodes, snapshot);
        harness.processElement(Command.link(ORG, customer, device, 30), 30); // held by the restored instance
        assertThat(changes()).isEmpty();

        applyControl();
        harness.setProcessingTime(1_000);
        assertThat(changes()).extracting(IdentityChange::survivor).containsExactlyInAnyOrder(
                personOf("ONEID:a"), IdentityCore.personId(ORG, device));
        assertThat(personOf("MOBILE:13800000000")).isEqualTo(personOf("ONEID:a"));
        assertThat(personOf(customer)).as("the device's event, held before the checkpoint, came before the link")
                .isEqualTo(IdentityCore.personId(ORG, device));
    }
}
