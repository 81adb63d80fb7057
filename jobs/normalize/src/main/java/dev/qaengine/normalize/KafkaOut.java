package dev.qaengine.normalize;

/** A record bound for a Kafka topic: key, value and timestamp (Flink POJO). */
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
