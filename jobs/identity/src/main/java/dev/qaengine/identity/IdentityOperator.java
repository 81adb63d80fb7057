package dev.qaengine.identity;

import dev.qaengine.common.ControlStream.ControlEntry;
import dev.qaengine.common.TopicRecord;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.List;
import java.util.stream.Stream;

/**
 * Flink's keyed-broadcast operator, giving {@link IdentityFunction} one more power: handling a protocol
 * step for <em>another</em> key in this instance's own key-group range right away, instead of sending it
 * round through the feedback topic (and waiting for a checkpoint). State stays where Flink expects it:
 * only keys whose key group this instance owns are ever made current.
 */
final class IdentityOperator extends CoBroadcastWithKeyedOperator<String, Command, ControlEntry, TopicRecord> {

    IdentityOperator(IdentityFunction function, List<MapStateDescriptor<?, ?>> broadcastState) {
        super(function, broadcastState);
    }

    @Override
    public void open() throws Exception {
        super.open();
        var task = getRuntimeContext().getTaskInfo();
        int maxParallelism = task.getMaxNumberOfParallelSubtasks();
        KeyGroupRange mine = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                maxParallelism, task.getNumberOfParallelSubtasks(), task.getIndexOfThisSubtask());
        // The node cache only in front of RocksDB: heap state is an in-memory map already, and one that
        // keeps the objects it is given (a cached node changed after a snapshot would change the snapshot).
        boolean serialized = getKeyedStateBackend() instanceof RocksDBKeyedStateBackend;
        ((IdentityFunction) userFunction).bind(serialized, new IdentityFunction.Keys() {
            @Override
            public boolean owns(String key) {
                return mine.contains(KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism));
            }

            @Override
            public void switchTo(String key) {
                setCurrentKey(key);
            }

            @Override
            public String currentKey() {
                return (String) getCurrentKey();
            }

            @Override
            public List<String> keysWith(String state) {
                try (Stream<String> keys = IdentityOperator.this.<String>getKeyedStateBackend().getKeys(state, VoidNamespace.INSTANCE)) {
                    return keys.toList();
                }
            }
        });
    }

    /**
     * Before a checkpoint or savepoint snapshots the state: cached nodes reach the keyed state, and the
     * batched protocol steps go out ahead of the barrier, into the transaction that checkpoint commits.
     */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flushAll();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flushAll();
        super.finish();
    }

    private void flushAll() {
        IdentityFunction f = (IdentityFunction) userFunction;
        f.flush();
        TopicRecord feedback = f.takeFeedback();
        if (feedback != null) {
            output.collect(IdentityFunction.COMMITTED, new StreamRecord<>(feedback));
        }
    }
}
