package dev.qaengine.controlplane.identity;

import dev.qaengine.controlplane.consumer.ConsumerHealth;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "identityAudit": whether refused identity links are flowing from
 * {@code qa.identity.audit} into the audit table — Kafka reachable, the topic there, batches stored, the
 * lag, and how many were stored, were duplicates, were skipped.
 */
@Component
public class IdentityAuditHealthIndicator extends ConsumerHealth {

    public IdentityAuditHealthIndicator(IdentityAuditConsumer consumer, MeterRegistry meters) {
        super(consumer, meters, "qa.identity.audit", "stored", "duplicates", "skipped");
    }
}
