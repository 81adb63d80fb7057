package dev.qaengine.normalize;

import dev.qaengine.model.DlqHeaders;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/** Writes a rejected message to {@code qa.events.dlq}: original bytes and key unchanged, the why in headers. */
final class DlqSerializer implements KafkaRecordSerializationSchema<RawElement> {
    private final String topic;
    private final String sourceTopic;
    private final int maxValueBytes;

    /** @param maxValueBytes larger originals are cut to this many bytes (Kafka's default record limit is ~1 MB) */
    DlqSerializer(String topic, String sourceTopic, int maxValueBytes) {
        this.topic = topic;
        this.sourceTopic = sourceTopic;
        this.maxValueBytes = maxValueBytes;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(RawElement e, KafkaSinkContext context, Long timestamp) {
        RecordHeaders h = new RecordHeaders();
        h.add(DlqHeaders.REASON, utf8(e.reject.name()));
        h.add(DlqHeaders.DETAIL, utf8(e.detail == null ? "" : e.detail));
        h.add(DlqHeaders.SOURCE_TOPIC, utf8(sourceTopic));
        h.add(DlqHeaders.SOURCE_PARTITION, utf8(Integer.toString(e.sourcePartition)));
        h.add(DlqHeaders.SOURCE_OFFSET, utf8(Long.toString(e.sourceOffset)));
        if (e.element >= 0) {
            h.add(DlqHeaders.SOURCE_ELEMENT, utf8(Integer.toString(e.element)));
        }
        byte[] value = e.original;
        if (value.length > maxValueBytes) {
            h.add(DlqHeaders.ORIGINAL_SIZE, utf8(Integer.toString(value.length)));
            value = java.util.Arrays.copyOf(value, maxValueBytes);
        }
        h.add(DlqHeaders.REJECTED_AT, utf8(Long.toString(System.currentTimeMillis())));
        return new ProducerRecord<>(topic, null, e.ingestTime > 0 ? e.ingestTime : null, e.originalKey, value, h);
    }

    private static byte[] utf8(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }
}
