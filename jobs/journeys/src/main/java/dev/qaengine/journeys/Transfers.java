package dev.qaengine.journeys;

import dev.qaengine.common.BinaryType;
import dev.qaengine.common.TopicRecord;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The records on the engine's own topic {@code qa.journeys.transfers} (internal; written in Kafka
 * transactions, read committed), keyed by {@code <org>|<survivor>}: a merged person's whole state moving to
 * the survivor, or a delivery result or event that reached the merged person after it moved. Binary: a kind
 * byte, org, from, to, then the payload — {@link PersonState.Type}'s bytes, or the result's or event's JSON.
 */
final class Transfers {
    static final byte STATE = 'S';
    static final byte DELIVERY = 'D';
    static final byte EVENT = 'E';

    record Transfer(byte kind, String org, String from, String to, byte[] payload) {
    }

    private Transfers() {
    }

    static TopicRecord record(String topic, byte kind, String org, String from, String to, byte[] payload, long time) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(payload.length + 64);
            out.writeByte(kind);
            BinaryType.writeString(org, out);
            BinaryType.writeString(from, out);
            BinaryType.writeString(to, out);
            BinaryType.writeBytes(payload, out);
            return new TopicRecord(topic, (org + '|' + to).getBytes(StandardCharsets.UTF_8), out.getCopyOfBuffer(), time);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Transfer read(byte[] value) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(value);
        byte kind = in.readByte();
        if (kind != STATE && kind != DELIVERY && kind != EVENT) {
            throw new IOException("transfer kind " + kind + " is not known to this engine");
        }
        return new Transfer(kind, BinaryType.readString(in), BinaryType.readString(in), BinaryType.readString(in), BinaryType.readBytes(in));
    }
}
