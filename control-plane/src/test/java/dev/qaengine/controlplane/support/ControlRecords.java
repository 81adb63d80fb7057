package dev.qaengine.controlplane.support;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.ControlRecord;
import dev.qaengine.model.EventCatalog;
import dev.qaengine.model.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads qa.control the way the jobs do: Jackson 2, the shared qa-model records, the payload converted
 * from a generic value (jobs/common Json.MAPPER's configuration).
 */
public final class ControlRecords {
    public static final ObjectMapper JOBS_JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ControlRecords() {
    }

    public static String catalogKey(String orgId) {
        return ControlRecord.key(ControlKind.EVENT_CATALOG, orgId);
    }

    /** A record's value as the jobs read it; null for a tombstone. */
    public static ControlRecord read(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        try {
            return JOBS_JSON.readValue(r.value(), ControlRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static EventCatalog catalog(ControlRecord r) {
        return JOBS_JSON.convertValue(r.payload(), EventCatalog.class);
    }

    /** Waits until the org's newest catalog record satisfies {@code done}; answers every record of the org so far. */
    public static List<ConsumerRecord<byte[], byte[]>> awaitCatalog(String orgId, Predicate<EventCatalog> done) {
        return TestKafka.readUntil(Topics.CONTROL, catalogKey(orgId), l -> !l.isEmpty() && read(l.get(l.size() - 1)) != null
                && done.test(catalog(read(l.get(l.size() - 1)))), Duration.ofSeconds(30));
    }

    /**
     * Waits until the newest record of {@code kind:subject} satisfies {@code done} (its value read as the jobs
     * read it; null for a tombstone); answers every record of that key so far.
     */
    public static List<ConsumerRecord<byte[], byte[]>> await(ControlKind kind, String subject, Predicate<ControlRecord> done) {
        return TestKafka.readUntil(Topics.CONTROL, ControlRecord.key(kind, subject),
                l -> !l.isEmpty() && done.test(read(l.get(l.size() - 1))), Duration.ofSeconds(30));
    }

    /** The payload of a record as the given qa-model type, converted the way the jobs convert it. */
    public static <T> T payload(ControlRecord r, Class<T> type) {
        return JOBS_JSON.convertValue(r.payload(), type);
    }

    public static List<ConsumerRecord<byte[], byte[]>> awaitTombstone(String orgId) {
        return TestKafka.readUntil(Topics.CONTROL, catalogKey(orgId), l -> !l.isEmpty() && l.get(l.size() - 1).value() == null,
                Duration.ofSeconds(30));
    }
}
