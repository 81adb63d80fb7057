package dev.qaengine.identity;

import dev.qaengine.common.ControlStream.ControlEntry;
import dev.qaengine.common.TopicRecord;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;

import java.util.List;

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
        ((IdentityFunction) userFunction).bind(new IdentityFunction.Keys() {
            @Override
            public boolean owns(String key) {
                return mine.contains(KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism));
            }

            @Override
            public void switchTo(String key) {
                setCurrentKey(key);
            }
        });
    }
}
