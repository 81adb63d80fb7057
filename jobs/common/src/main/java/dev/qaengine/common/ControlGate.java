package dev.qaengine.common;

import dev.qaengine.common.ControlStream.ControlEntry;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;

import java.io.Serializable;
import java.util.Map;

/**
 * The start-up gate of an operator fed by {@code qa.control}: it knows every definition published before
 * it started once it has applied every control record below the end offsets read at open. Progress is
 * kept in broadcast state ({@link #PROGRESS}), so an operator restored from a checkpoint passes at once.
 */
public final class ControlGate {
    /** Per control partition, the offset of the last record applied. */
    public static final MapStateDescriptor<Integer, Long> PROGRESS = new MapStateDescriptor<>("control-progress", Types.INT, Types.LONG);

    /** The end offsets of {@code qa.control} per partition, asked once at open. */
    @FunctionalInterface
    public interface EndOffsets extends Serializable {
        Map<Integer, Long> offsets();

        static EndOffsets of(KafkaSettings kafka) {
            return () -> ControlStream.endOffsets(kafka);
        }
    }

    private final Map<Integer, Long> endAtOpen;
    private boolean caughtUp;

    public ControlGate(EndOffsets end) {
        this.endAtOpen = end.offsets();
        this.caughtUp = endAtOpen.values().stream().allMatch(e -> e == 0);
    }

    /** Records that {@code entry} was applied. */
    public static void applied(BroadcastState<Integer, Long> progress, ControlEntry entry) throws Exception {
        if (entry.offset() >= 0) {
            progress.put(entry.partition(), entry.offset());
        }
    }

    /** Whether every control record that existed at open has been applied (then it stays true). */
    public boolean caughtUp(ReadOnlyBroadcastState<Integer, Long> progress) throws Exception {
        if (!caughtUp) {
            for (Map.Entry<Integer, Long> end : endAtOpen.entrySet()) {
                Long applied = progress.get(end.getKey());
                if (end.getValue() > 0 && (applied == null || applied < end.getValue() - 1)) {
                    return false;
                }
            }
            caughtUp = true;
        }
        return true;
    }

    public Map<Integer, Long> endAtOpen() {
        return endAtOpen;
    }
}
