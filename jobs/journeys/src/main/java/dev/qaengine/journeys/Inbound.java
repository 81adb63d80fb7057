package dev.qaengine.journeys;

import dev.qaengine.common.BinaryType;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A resolved event or a delivery result as read from Kafka, still JSON: the engine parses it where it is keyed (and sends it
 * to the DLQ from there, with where it came from, when it cannot).
 */
public record Inbound(byte[] key, byte[] value, long timestamp, int partition, long offset, byte kind) {
    public static final Type TYPE = new Type();
    /** A resolved event ({@code qa.events.resolved}). */
    public static final byte EVENT = 0;
    /** A delivery result ({@code qa.deliveries}, type DELIVERY_RESULT). */
    public static final byte DELIVERY = 1;
    /** A merge of two persons ({@code qa.identity.changes}), keyed by the merged person. */
    public static final byte CHANGE = 2;
    /** The engine's own record moving a merged person's state (or a result for it) to the survivor ({@link Transfers}). */
    public static final byte TRANSFER = 3;
    /** A person's tags ({@code qa.profiles}). */
    public static final byte PROFILE = 4;

    public Inbound(byte[] key, byte[] value, long timestamp, int partition, long offset) {
        this(key, value, timestamp, partition, offset, EVENT);
    }

    /** The Kafka key, {@code org|personId}: what the engine is keyed by. */
    public String routingKey() {
        return key == null ? "" : new String(key, StandardCharsets.UTF_8);
    }

    public static final class Type extends BinaryType<Inbound> {
        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        protected void write(Inbound r, DataOutputView out) throws IOException {
            writeBytes(r.key, out);
            writeBytes(r.value, out);
            out.writeLong(r.timestamp);
            out.writeInt(r.partition);
            out.writeLong(r.offset);
            out.writeByte(r.kind);
        }

        @Override
        protected Inbound read(DataInputView in) throws IOException {
            return new Inbound(readBytes(in), readBytes(in), in.readLong(), in.readInt(), in.readLong(), in.readByte());
        }

        @Override
        protected Class<Inbound> typeClass() {
            return Inbound.class;
        }

        @Override
        public TypeSerializerSnapshot<Inbound> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Inbound> {
        public Snapshot() {
            super(() -> TYPE);
        }
    }
}
