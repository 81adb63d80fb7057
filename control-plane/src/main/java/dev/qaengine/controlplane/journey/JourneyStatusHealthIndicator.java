package dev.qaengine.controlplane.journey;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "journeyStatus": whether the engine's plan acknowledgements are
 * flowing from {@code qa.journeys.status}. Always UP: the service does its other work without them.
 */
@Component
public class JourneyStatusHealthIndicator implements HealthIndicator {
    private final JourneyStatusConsumer consumer;
    private final MeterRegistry meters;

    public JourneyStatusHealthIndicator(JourneyStatusConsumer consumer, MeterRegistry meters) {
        this.consumer = consumer;
        this.meters = meters;
    }

    @Override
    public Health health() {
        Health.Builder b = Health.up();
        consumer.describe(b);
        if (consumer.enabled()) {
            b.withDetail("applied", count("qa.journeys.status.applied"))
                    .withDetail("ignored", count("qa.journeys.status.ignored"))
                    .withDetail("skipped", count("qa.journeys.status.skipped"));
        }
        return b.build();
    }

    private long count(String name) {
        return (long) meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
