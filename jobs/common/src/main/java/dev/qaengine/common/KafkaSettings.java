package dev.qaengine.common;

import java.util.Properties;

/** Where Kafka is and how our clients talk to it. {@code QA_KAFKA_BOOTSTRAP} defaults to the local stack's broker. */
public record KafkaSettings(String bootstrap, Properties clientProperties) {

    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    public static KafkaSettings from(Settings settings) {
        Properties props = new Properties();
        // Low-latency at-least-once between stages (ARCHITECTURE: consumers are idempotent).
        props.setProperty("linger.ms", settings.string("QA_KAFKA_LINGER_MS", "5"));
        props.setProperty("compression.type", settings.string("QA_KAFKA_COMPRESSION", "lz4"));
        settings.get("QA_KAFKA_SECURITY_PROTOCOL").ifPresent(v -> props.setProperty("security.protocol", v));
        settings.get("QA_KAFKA_SASL_MECHANISM").ifPresent(v -> props.setProperty("sasl.mechanism", v));
        settings.get("QA_KAFKA_SASL_JAAS_CONFIG").ifPresent(v -> props.setProperty("sasl.jaas.config", v));
        return new KafkaSettings(settings.string("QA_KAFKA_BOOTSTRAP", DEFAULT_BOOTSTRAP), props);
    }

    public Properties copyOfProperties() {
        Properties p = new Properties();
        p.putAll(clientProperties);
        return p;
    }
}
