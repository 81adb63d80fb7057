package dev.qaengine.normalize;

import dev.qaengine.common.Settings;

import java.time.Duration;

/**
 * What the normalize job accepts. Every limit is a setting; a message beyond one goes to the DLQ with
 * reason TOO_LARGE or TIME_OUT_OF_RANGE, never silently.
 *
 * @param maxRecordBytes    a raw Kafka record larger than this is rejected whole
 * @param maxElements       an array record with more messages than this is rejected whole (the HTTP API
 *                          takes ≤ 100 per call; Kafka producers may batch more)
 * @param maxIdLength       orgnizationId, customerId, eventSourceCode, eventCode
 * @param maxAttributes     entries in extendAttributes
 * @param maxValueLength    characters of one attribute value
 * @param maxNestingDepth   JSON nesting (unknown fields are skipped, but not unboundedly deep)
 * @param maxFuture         how far past the record's ingest time an eventTime may be
 * @param maxPast           how far before the record's ingest time an eventTime may be
 */
public record Limits(int maxRecordBytes, int maxElements, int maxIdLength, int maxAttributes, int maxValueLength,
                     int maxNestingDepth, Duration maxFuture, Duration maxPast) implements java.io.Serializable {

    public static Limits from(Settings s) {
        return new Limits(
                s.integer("QA_MAX_RECORD_BYTES", 1 << 20),
                s.integer("QA_MAX_MESSAGES_PER_RECORD", 1000),
                s.integer("QA_MAX_ID_LENGTH", 256),
                s.integer("QA_MAX_ATTRIBUTES", 100),
                s.integer("QA_MAX_ATTRIBUTE_LENGTH", 4096),
                s.integer("QA_MAX_JSON_DEPTH", 32),
                s.duration("QA_MAX_EVENT_FUTURE", Duration.ofMinutes(10)),
                s.duration("QA_MAX_EVENT_AGE", Duration.ofDays(7)));
    }

    public static Limits defaults() {
        return from(Settings.of(java.util.Map.of()));
    }
}
