package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.consumer.ConsumerHealth;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "journeyTrace": whether the journeys engine's trace steps are flowing from
 * {@code qa.journeys.trace}, and how many were stored, were duplicates, named no journey, were skipped.
 */
@Component
public class JourneyTraceHealthIndicator extends ConsumerHealth {

    public JourneyTraceHealthIndicator(JourneyTraceConsumer consumer, MeterRegistry meters) {
        super(consumer, meters, "qa.journeys.trace", "stored", "duplicates", "ignored", "skipped");
    }
}
