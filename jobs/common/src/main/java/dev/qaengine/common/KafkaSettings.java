package dev.qaengine.common;

import java.io.Serializable;
import java.util.Properties;

/**
 * Where Kafka is and how our clients talk to it. {@code QA_KAFKA_BOOTSTRAP} defaults to the local
 * stack's broker; SASL/TLS settings apply to every client, producer tuning only to producers.
 */
public record KafkaSettings(String bootstrap, Properties common, Properties producerTuning) implements Serializable {

    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    public static KafkaSettings from(Settings settings) {
        Properties common = new Properties();
        settings.get("QA_KAFKA_SECURITY_PROTOCOL").ifPresent(v -> common.setProperty("security.protocol", v));
        settings.get("QA_KAFKA_SASL_MECHANISM").ifPresent(v -> common.setProperty("sasl.mechanism", v));
        settings.get("QA_KAFKA_SASL_JAAS_CONFIG").ifPresent(v -> common.setProperty("sasl.jaas.config", v));
        Properties producer = new Properties();
        // Low-latency at-least-once between stages (ARCHITECTURE: consumers are idempotent).
        producer.setProperty("linger.ms", settings.string("QA_KAFKA_LINGER_MS", "5"));
        producer.setProperty("compression.type", settings.string("QA_KAFKA_COMPRESSION", "lz4"));
        // Canonical events are ~400 bytes: Kafka's 16 KB default closes a batch every ~40 records, and
        // each batch costs a sender wake-up, a compression frame and a broker append.
        producer.setProperty("batch.size", settings.string("QA_KAFKA_BATCH_SIZE", "65536"));
        return new KafkaSettings(settings.string("QA_KAFKA_BOOTSTRAP", DEFAULT_BOOTSTRAP), common, producer);
    }

    /** Properties for consumers and admin clients. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(common);
        return p;
    }

    /** Properties for producers and Kafka sinks. */
    public Properties producerProperties() {
        Properties p = clientProperties();
        p.putAll(producerTuning);
        return p;
    }
}
