package dev.qaengine.controlplane.identity;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "identityAudit": whether refused identity links are flowing from
 * {@code qa.identity.audit} into the audit table — Kafka reachable, the topic there, batches stored, the
 * lag. Always UP, like the outbox: the service does its other work without them; the details tell.
 */
@Component
public class IdentityAuditHealthIndicator implements HealthIndicator {
    private final IdentityAuditConsumer consumer;
    private final MeterRegistry meters;

    public IdentityAuditHealthIndicator(IdentityAuditConsumer consumer, MeterRegistry meters) {
        this.consumer = consumer;
        this.meters = meters;
    }

    @Override
    public Health health() {
        Health.Builder b = Health.up();
        consumer.describe(b);
        if (consumer.enabled()) {
            b.withDetail("stored", count("qa.identity.audit.stored"))
                    .withDetail("duplicates", count("qa.identity.audit.duplicates"))
                    .withDetail("skipped", count("qa.identity.audit.skipped"));
        }
        return b.build();
    }

    /** Since this instance started; the skipped counters summed over their reasons. */
    private long count(String name) {
        return (long) meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
