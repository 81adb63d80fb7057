package dev.qaengine.identity;

import dev.qaengine.common.ControlGate;
import dev.qaengine.common.ControlStream.ControlEntry;
import dev.qaengine.common.TopicRecord;
import dev.qaengine.model.Topics;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link IdentityOperator} on RocksDB, as the job runs it: two instances, each handling steps for its own
 * key groups in-task and batching the others into feedback records emitted at the checkpoint barrier,
 * with a node cache so small (2) that nodes are evicted and written back all the time, and a snapshot
 * and restore in the middle of the merges (with batches still "in Kafka"). Held to Flink's plain
 * keyed-broadcast operator running the same function without cache or batching, on heap state: every
 * identifier must end in the same person with the same identifiers, and the same number of merges made.
 */
class IdentityOperatorTest {
    static final String ORG = "org-op";
    static final int MAX_PARALLELISM = 128;

    @TempDir
    Path tmp;

    /** The inputs: 12 anonymous phones, their customers, then registrations, two of which join persons. */
    static List<Command> inputs() {
        List<Command> in = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            in.add(Command.event(ORG, "IDFA:D" + i, 1 + i, "{}".getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < 12; i++) {
            in.add(Command.event(ORG, "ONEID:c" + i, 100 + i, "{}".getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < 12; i++) {
            long t = 200 + i;
            in.add(Command.link(ORG, "ONEID:c" + i, "IDFA:D" + i, t));
            in.add(Command.link(ORG, "ONEID:c" + i, "MOBILE:1380000000" + (i % 10) + (i / 10), t));
            in.add(Command.link(ORG, "ONEID:c" + i, "EMAIL:c" + i + "@x.com", t));
            if (i % 5 == 4) {
                in.add(Command.link(ORG, "ONEID:c" + i, "IDFA:D" + (i - 1), t)); // a phone shared with another customer: refused (ONEID is unique)
            }
        }
        return in;
    }

    static List<String> identifiers() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add("IDFA:D" + i);
            ids.add("ONEID:c" + i);
            ids.add("MOBILE:1380000000" + (i % 10) + (i / 10));
            ids.add("EMAIL:c" + i + "@x.com");
        }
        return ids;
    }

    @Test
    void cachedBatchedAndRestoredGivesWhatThePlainOperatorGives() throws Exception {
        Map<String, String> expected;
        int expectedMerges;
        int expectedRefusals;
        try (Cluster plain = new Cluster(1, false, null)) {
            for (Command c : inputs()) {
                plain.deliver(c);
                plain.pump();
            }
            expected = plain.resolveAll();
            expectedMerges = plain.committed(Topics.IDENTITY_CHANGES);
            expectedRefusals = plain.committed(Topics.IDENTITY_AUDIT);
        }
        assertThat(expectedRefusals).isEqualTo(2);
        assertThat(expectedMerges).isEqualTo(12 * 3);

        // One input at a time (with refusals, which of two links wins depends on their order: see the README).
        List<Command> in = inputs();
        int half = in.size() * 2 / 3;
        List<OperatorSubtaskState> snapshot;
        List<Command> inKafka;
        int mergesBefore;
        int refusalsBefore;
        try (Cluster first = new Cluster(2, true, null)) {
            for (Command c : in.subList(0, half)) {
                first.deliver(c);
                first.pump();
            }
            first.deliver(in.get(half));
            first.pump(1); // some steps done, others still on their way
            snapshot = first.snapshot();
            inKafka = first.undelivered();
            mergesBefore = first.committed(Topics.IDENTITY_CHANGES);
            refusalsBefore = first.committed(Topics.IDENTITY_AUDIT);
        }
        assertThat(inKafka).as("the snapshot is taken in the middle of the merges").isNotEmpty();
        try (Cluster restored = new Cluster(2, true, snapshot)) {
            for (Command c : inKafka) {
                restored.deliver(c);
            }
            restored.pump();
            for (Command c : in.subList(half + 1, in.size())) {
                restored.deliver(c);
                restored.pump();
            }
            assertThat(restored.resolveAll()).isEqualTo(expected);
            assertThat(mergesBefore + restored.committed(Topics.IDENTITY_CHANGES)).isEqualTo(expectedMerges);
            assertThat(refusalsBefore + restored.committed(Topics.IDENTITY_AUDIT)).isEqualTo(2);
            assertThat(restored.feedbackRecords).as("steps travel many to a record").isLessThan(restored.feedbackSteps);
        }
    }

    /** Instances of the identity operator and the feedback topic between them, driven by hand. */
    private final class Cluster implements AutoCloseable {
        final List<KeyedBroadcastOperatorTestHarness<String, Command, ControlEntry, TopicRecord>> instances = new ArrayList<>();
        final int[] seen;
        final List<Command> kafka = new ArrayList<>();
        long checkpoint;
        int feedbackRecords;
        int feedbackSteps;

        Cluster(int parallelism, boolean operator, List<OperatorSubtaskState> restore) throws Exception {
            seen = new int[parallelism];
            for (int i = 0; i < parallelism; i++) {
                IdentityFunction f = new IdentityFunction(Duration.ZERO, Map::of, Topics.EVENTS_RESOLVED, Topics.IDENTITY_FEEDBACK, false, operator ? 2 : 0);
                var descriptors = List.<org.apache.flink.api.common.state.MapStateDescriptor<?, ?>>of(IdentityFunction.SETTINGS, ControlGate.PROGRESS);
                CoBroadcastWithKeyedOperator<String, Command, ControlEntry, TopicRecord> op =
                        operator ? new IdentityOperator(f, descriptors) : new CoBroadcastWithKeyedOperator<>(f, descriptors);
                var h = new KeyedBroadcastOperatorTestHarness<>(op, Command::routingKey, Types.STRING, MAX_PARALLELISM, parallelism, i);
                if (operator) {
                    EmbeddedRocksDBStateBackend rocks = new EmbeddedRocksDBStateBackend();
                    rocks.setDbStoragePath(tmp.resolve("r" + i).toString());
                    h.setStateBackend(rocks);
                }
                if (restore != null) {
                    h.initializeState(restore.get(i));
                }
                h.open();
                instances.add(h);
            }
        }

        void deliver(Command c) throws Exception {
            int owner = KeyGroupRangeAssignment.assignKeyToParallelOperator(c.routingKey(), MAX_PARALLELISM, instances.size());
            instances.get(owner).processElement(c, c.time);
        }

        /** Checkpoint barriers and deliveries until no step is left. */
        void pump() throws Exception {
            pump(Integer.MAX_VALUE);
        }

        void pump(int rounds) throws Exception {
            for (int r = 0; r < rounds; r++) {
                collect();
                if (kafka.isEmpty()) {
                    return;
                }
                List<Command> now = new ArrayList<>(kafka);
                kafka.clear();
                for (Command c : now) {
                    deliver(c);
                }
            }
            collect();
        }

        /** Each instance passes a barrier; the feedback records written so far go "to Kafka". */
        private void collect() throws Exception {
            checkpoint++;
            for (int i = 0; i < instances.size(); i++) {
                var h = instances.get(i);
                h.prepareSnapshotPreBarrier(checkpoint);
                List<TopicRecord> records = records(h, Topics.IDENTITY_FEEDBACK);
                for (TopicRecord r : records.subList(seen[i], records.size())) {
                    feedbackRecords++;
                    Codecs.FeedbackBatch.read(r.value(), c -> {
                        feedbackSteps++;
                        kafka.add(c);
                    });
                }
                seen[i] = records.size();
            }
        }

        List<OperatorSubtaskState> snapshot() throws Exception {
            collect();
            List<OperatorSubtaskState> states = new ArrayList<>();
            for (var h : instances) {
                states.add(h.snapshot(checkpoint, checkpoint));
            }
            return states;
        }

        List<Command> undelivered() {
            return List.copyOf(kafka);
        }

        int committed(String topic) {
            int n = 0;
            for (var h : instances) {
                n += records(h, topic).size();
            }
            return n;
        }

        /** identifier → the resolved record of an event for it (person and identifiers). */
        Map<String, String> resolveAll() throws Exception {
            Map<String, String> out = new TreeMap<>();
            for (String id : identifiers()) {
                Command e = Command.event(ORG, id, 9_999, "{}".getBytes(StandardCharsets.UTF_8));
                int owner = KeyGroupRangeAssignment.assignKeyToParallelOperator(e.routingKey(), MAX_PARALLELISM, instances.size());
                var h = instances.get(owner);
                int before = h.extractOutputValues().size();
                h.processElement(e, e.time);
                List<TopicRecord> resolved = h.extractOutputValues();
                assertThat(resolved).hasSize(before + 1);
                out.put(id, new String(resolved.get(before).value(), StandardCharsets.UTF_8));
            }
            return out;
        }

        private List<TopicRecord> records(KeyedBroadcastOperatorTestHarness<String, Command, ControlEntry, TopicRecord> h, String topic) {
            var side = h.getSideOutput(IdentityFunction.COMMITTED);
            return side == null ? List.of() : side.stream().map(StreamRecord::getValue).filter(r -> r.topic().equals(topic)).toList();
        }

        @Override
        public void close() throws Exception {
            for (var h : instances) {
                h.close();
            }
        }
    }
}
