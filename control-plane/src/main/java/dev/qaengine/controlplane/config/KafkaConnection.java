package dev.qaengine.controlplane.config;

import org.apache.kafka.clients.CommonClientConfigs;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.HashMap;
import java.util.Map;

/**
 * How every Kafka client of the control plane connects: QA_KAFKA_BOOTSTRAP plus the optional SASL/TLS
 * settings the jobs honour too (QA_KAFKA_SECURITY_PROTOCOL, QA_KAFKA_SASL_MECHANISM, QA_KAFKA_SASL_JAAS_CONFIG).
 */
@Configuration(proxyBeanMethods = false)
public class KafkaConnection {
    private final QaProperties.Kafka kafka;

    public KafkaConnection(QaProperties properties) {
        this.kafka = properties.kafka();
    }

    /** Connection properties for any client (admin, producer, consumer). */
    public Map<String, Object> clientProperties() {
        Map<String, Object> p = new HashMap<>(security());
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        return p;
    }

    private Map<String, Object> security() {
        Map<String, Object> p = new HashMap<>();
        putIfSet(p, CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, kafka.securityProtocol());
        putIfSet(p, "sasl.mechanism", kafka.saslMechanism());
        putIfSet(p, "sasl.jaas.config", kafka.saslJaasConfig());
        return p;
    }

    private static void putIfSet(Map<String, Object> p, String key, String value) {
        if (value != null && !value.isBlank()) {
            p.put(key, value);
        }
    }

    /** Boot's producer factory gets bootstrap and tuning from application.yml; the optional security settings come from here. */
    @Bean
    DefaultKafkaProducerFactoryCustomizer qaKafkaSecurity() {
        return factory -> factory.updateConfigs(security());
    }
}
