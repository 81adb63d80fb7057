package dev.qaengine.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.ControlRecord;
import dev.qaengine.model.EventCatalog;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

import static dev.qaengine.model.Topics.CONTROL;

/** Builds the Kafka records of {@code qa.control}; used by the control plane's outbox, the demo, tests and the benchmark. */
public final class ControlRecords {
    private ControlRecords() {
    }

    public static ProducerRecord<byte[], byte[]> catalog(EventCatalog catalog, long version) {
        return record(new ControlRecord(ControlRecord.VERSION, ControlKind.EVENT_CATALOG, catalog.orgId(), version, catalog));
    }

    /** Removes the subject from every job's broadcast state (compaction then drops the key). */
    public static ProducerRecord<byte[], byte[]> tombstone(ControlKind kind, String subject) {
        return new ProducerRecord<>(CONTROL, ControlRecord.key(kind, subject).getBytes(StandardCharsets.UTF_8), null);
    }

    public static ProducerRecord<byte[], byte[]> record(ControlRecord record) {
        try {
            return new ProducerRecord<>(CONTROL, record.key().getBytes(StandardCharsets.UTF_8),
                    Json.MAPPER.writeValueAsBytes(record));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("control record cannot be written as JSON", e);
        }
    }
}
