package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.consumer.ConsumerHealth;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "journeyStatus": whether the engine's plan acknowledgements are
 * flowing from {@code qa.journeys.status}, and how many moved a journey, were ignored, were skipped.
 */
@Component
public class JourneyStatusHealthIndicator extends ConsumerHealth {

    public JourneyStatusHealthIndicator(JourneyStatusConsumer consumer, MeterRegistry meters) {
        super(consumer, meters, "qa.journeys.status", "applied", "ignored", "skipped");
    }
}
