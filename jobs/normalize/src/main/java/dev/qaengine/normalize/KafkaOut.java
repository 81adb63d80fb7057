package dev.qaengine.normalize;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A record bound for a Kafka topic: key, value and timestamp. Never changed once made, and typed for
 * Flink by {@link KafkaOutSerializer} (an immutable type: no copy between chained operators).
 */
@TypeInfo(KafkaOutSerializer.Factory.class)
public final class KafkaOut {
    public byte[] key;
    public byte[] value;
    public long timestamp;

    public KafkaOut() {
    }

    public KafkaOut(byte[] key, byte[] value, long timestamp) {
        this.key = key;
        this.value = value;
        this.timestamp = timestamp;
    }
}
