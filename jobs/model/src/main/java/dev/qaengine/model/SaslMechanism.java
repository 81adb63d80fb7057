package dev.qaengine.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** SASL mechanisms of a Kafka interface, spelled as Kafka's {@code sasl.mechanism} spells them. */
public enum SaslMechanism {
    @JsonProperty("PLAIN") PLAIN("PLAIN"),
    @JsonProperty("SCRAM-SHA-256") SCRAM_SHA_256("SCRAM-SHA-256"),
    @JsonProperty("SCRAM-SHA-512") SCRAM_SHA_512("SCRAM-SHA-512");

    private final String kafkaName;

    SaslMechanism(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** The value of Kafka's {@code sasl.mechanism}, which is also the JSON spelling. */
    public String kafkaName() {
        return kafkaName;
    }

    /** The JAAS login module Kafka's clients need for this mechanism. */
    public String loginModule() {
        return this == PLAIN ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
    }
}
