package dev.qaengine.journeys;

import dev.qaengine.common.BinaryType;
import dev.qaengine.model.DlqHeaders;
import dev.qaengine.model.DlqReason;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** A resolved event the engine could not read, bound for the DLQ with the reason (DlqHeaders). */
public record Rejected(Inbound record, DlqReason reason, String detail) {
    public static final Type TYPE = new Type();

    /** The DLQ record: the original key and bytes unchanged, the why and the where in headers. */
    static KafkaRecordSerializationSchema<Rejected> serializer(String dlqTopic, String eventsTopic, String deliveriesTopic) {
        return (r, ctx, ts) -> {
            RecordHeaders h = new RecordHeaders();
            h.add(DlqHeaders.REASON, utf8(r.reason.name()));
            h.add(DlqHeaders.DETAIL, utf8(r.detail));
            h.add(DlqHeaders.SOURCE_TOPIC, utf8(r.record.kind() == Inbound.DELIVERY ? deliveriesTopic : eventsTopic));
            h.add(DlqHeaders.SOURCE_PARTITION, utf8(Integer.toString(r.record.partition())));
            h.add(DlqHeaders.SOURCE_OFFSET, utf8(Long.toString(r.record.offset())));
            h.add(DlqHeaders.REJECTED_AT, utf8(Long.toString(System.currentTimeMillis())));
            return new ProducerRecord<>(dlqTopic, null, r.record.timestamp(), r.record.key(), r.record.value(), h);
        };
    }

    private static byte[] utf8(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    public static final class Type extends BinaryType<Rejected> {
        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        protected void write(Rejected r, DataOutputView out) throws IOException {
            Inbound.TYPE.serialize(r.record, out);
            writeString(r.reason.name(), out);
            writeString(r.detail, out);
        }

        @Override
        protected Rejected read(DataInputView in) throws IOException {
            return new Rejected(Inbound.TYPE.deserialize(in), DlqReason.valueOf(readString(in)), readString(in));
        }

        @Override
        protected Class<Rejected> typeClass() {
            return Rejected.class;
        }

        @Override
        public TypeSerializerSnapshot<Rejected> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Rejected> {
        public Snapshot() {
            super(() -> TYPE);
        }
    }
}
