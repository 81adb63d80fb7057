package dev.qaengine.controlplane.identity;

import dev.qaengine.controlplane.consumer.ConsumerHealth;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /actuator/health} component "identityAudit": whether refused identity links are flowing from
 * {@code qa.identity.audit} into the audit table — Kafka reachable, the topic there, batches stored, the
 * lag, and how many were stored, were duplicates, were skipped.
 */
@Component
public class IdentityAuditHealthIndicator extends ConsumerHealth {

    public IdentityAuditHealthIndicator(IdentityAuditConsumer consumer, MeterRegistry meters) {
        super(consumer, meters, counters());
    }

    private static Map<String, String> counters() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("stored", "qa.identity.audit.stored");
        c.put("duplicates", "qa.identity.audit.duplicates");
        c.put("skipped", "qa.identity.audit.skipped");
        return c;
    }
}
