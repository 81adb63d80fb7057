package dev.qaengine.controlplane.outbox;

/** A pending outbox row. {@code payload} is the Kafka record value (UTF-8 JSON), null for a tombstone. */
public record OutboxRow(long id, String topic, String entityKey, long version, String payload) {
}
