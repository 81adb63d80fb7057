package dev.qaengine.normalize;

import dev.qaengine.model.DlqReason;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import dev.qaengine.common.BinaryType;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The wire form of {@link RawElement} between the source and the keyed operator (and in held-event
 * state). Flink's POJO serializer spent almost half of the operator's time here, reading strings one
 * byte at a time through reflection; this one writes every string and byte array as a length and a
 * bulk copy; strings the fast parser found as plain slices of the original bytes ({@link RawElement#spans})
 * travel as their places in those bytes, which travel anyway (the DLQ needs them), so nothing is sent twice.
 * Format version 2 (version 1, before the routing hash and spans, was never released): a change to it
 * is a deliberate act (new snapshot version, migration).
 */
public final class RawElementSerializer extends BinaryType<RawElement> {
    public static final RawElementSerializer INSTANCE = new RawElementSerializer();
    public static final TypeInformation<RawElement> TYPE = INSTANCE.type();

    private static final DlqReason[] REASONS = DlqReason.values();
    private static final int HAS_REJECT = 1;
    private static final int HAS_KEY = 2;
    private static final int SPANNED = 4;



    @Override
    public RawElement copy(RawElement from) {
        RawElement e = new RawElement();
        e.lazy = from.lazy;
        e.orgId = from.orgId;
        e.customerId = from.customerId;
        e.channel = from.channel;
        e.eventCode = from.eventCode;
        e.eventTime = from.eventTime;
        e.route = from.route;
        e.attrNames = from.attrNames == null ? null : from.attrNames.clone();
        e.attrValues = from.attrValues == null ? null : from.attrValues.clone();
        e.attrNumeric = from.attrNumeric.clone();
        e.ingestTime = from.ingestTime;
        e.sourcePartition = from.sourcePartition;
        e.sourceOffset = from.sourceOffset;
        e.element = from.element;
        e.original = from.original.clone();
        e.originalKey = from.originalKey == null ? null : from.originalKey.clone();
        e.spans = from.spans == null ? null : from.spans.clone();
        e.reject = from.reject;
        e.detail = from.detail;
        return e;
    }

    @Override
    public RawElement copy(RawElement from, RawElement reuse) {
        return copy(from);
    }


    @Override
    protected void write(RawElement e, DataOutputView out) throws IOException {
        int[] spans = e.spans;
        boolean spanned = spans != null && e.original.length < 0xFFFF;
        if (!spanned) {
            e.materialize(); // strings are written as strings
        }
        out.writeByte((e.reject != null ? HAS_REJECT : 0) | (e.originalKey != null ? HAS_KEY : 0) | (spanned ? SPANNED : 0));
        out.writeLong(e.eventTime);
        out.writeLong(e.ingestTime);
        out.writeLong(e.route);
        out.writeInt(e.sourcePartition);
        out.writeLong(e.sourceOffset);
        out.writeInt(e.element);
        writeBytes(e.original, out);
        if (e.originalKey != null) {
            writeBytes(e.originalKey, out);
        }
        int n = e.attrNumeric.length;
        out.writeInt(n);
        if (spanned) {
            // The strings are slices of the original bytes: their places (unsigned shorts), not their bytes.
            for (int k = 0; k < spans.length; k += 2) {
                out.writeShort(spans[k] < 0 ? 0 : spans[k]);
                out.writeShort(spans[k] < 0 ? 0 : spans[k + 1] + 1);
            }
        } else {
            writeString(e.orgId, out);
            writeString(e.customerId, out);
            writeString(e.channel, out);
            writeString(e.eventCode, out);
            for (int i = 0; i < n; i++) {
                writeString(e.attrNames[i], out);
                writeString(e.attrValues[i], out);
            }
        }
        for (int i = 0; i < n; i++) {
            out.writeBoolean(e.attrNumeric[i]);
        }
        if (e.reject != null) {
            out.writeByte(e.reject.ordinal());
            writeString(e.detail, out);
        }
    }

    @Override
    protected RawElement read(DataInputView in) throws IOException {
        RawElement e = new RawElement();
        int flags = in.readByte();
        e.eventTime = in.readLong();
        e.ingestTime = in.readLong();
        e.route = in.readLong();
        e.sourcePartition = in.readInt();
        e.sourceOffset = in.readLong();
        e.element = in.readInt();
        byte[] original = readBytes(in);
        e.original = original;
        if ((flags & HAS_KEY) != 0) {
            e.originalKey = readBytes(in);
        }
        int n = in.readInt();
        e.attrNumeric = n == 0 ? EventParser.NO_FLAGS : new boolean[n];
        if ((flags & SPANNED) != 0) {
            int[] spans = new int[8 + 4 * n];
            for (int k = 0; k < spans.length; k += 2) {
                int start = in.readUnsignedShort();
                int length = in.readUnsignedShort() - 1;
                spans[k] = length < 0 ? -1 : start;
                spans[k + 1] = length < 0 ? 0 : length;
            }
            e.spans = spans;
            e.lazy = true; // decoded below, once the numeric flags are read
        } else {
            e.orgId = readString(in);
            e.customerId = readString(in);
            e.channel = readString(in);
            e.eventCode = readString(in);
            e.attrNames = n == 0 ? EventParser.NO_STRINGS : new String[n];
            e.attrValues = n == 0 ? EventParser.NO_STRINGS : new String[n];
            for (int i = 0; i < n; i++) {
                e.attrNames[i] = readString(in);
                e.attrValues[i] = readString(in);
            }
        }
        for (int i = 0; i < n; i++) {
            e.attrNumeric[i] = in.readBoolean();
        }
        if ((flags & HAS_REJECT) != 0) {
            e.reject = REASONS[in.readByte()];
            e.detail = readString(in);
        }
        return e.materialize();
    }



    @Override
    public TypeSerializerSnapshot<RawElement> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores this serializer from checkpoints (format version 1). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RawElement> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    @Override
    protected Class<RawElement> typeClass() {
        return RawElement.class;
    }
}
