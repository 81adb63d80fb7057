package dev.qaengine.common;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;

/** A record bound for a Kafka topic, the topic chosen per record: one sink can write several topics. */
public record TopicRecord(String topic, byte[] key, byte[] value, long timestamp) {

    public static final Type TYPE = new Type();

    /** Writes each record to its own topic. */
    public static KafkaRecordSerializationSchema<TopicRecord> serializer() {
        return (r, ctx, ts) -> new ProducerRecord<>(r.topic(), null, r.timestamp(), r.key(), r.value());
    }

    public static final class Type extends BinaryType<TopicRecord> {
        @Override
        protected void write(TopicRecord r, DataOutputView out) throws IOException {
            writeString(r.topic, out);
            writeBytes(r.key, out);
            writeBytes(r.value, out);
            out.writeLong(r.timestamp);
        }

        @Override
        protected TopicRecord read(DataInputView in) throws IOException {
            return new TopicRecord(readString(in), readBytes(in), readBytes(in), in.readLong());
        }

        @Override
        protected Class<TopicRecord> typeClass() {
            return TopicRecord.class;
        }

        @Override
        public TypeSerializerSnapshot<TopicRecord> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<TopicRecord> {
        public Snapshot() {
            super(() -> TYPE);
        }
    }
}
