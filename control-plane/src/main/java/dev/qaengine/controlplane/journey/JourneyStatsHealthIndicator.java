package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.consumer.ConsumerHealth;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "journeyStats": whether the journeys engine's counts are flowing from
 * {@code qa.journeys.stats}, and how many deltas were added, were duplicates, named no journey, were skipped.
 */
@Component
public class JourneyStatsHealthIndicator extends ConsumerHealth {

    public JourneyStatsHealthIndicator(JourneyStatsConsumer consumer, MeterRegistry meters) {
        super(consumer, meters, "qa.journeys.stats", "applied", "duplicates", "ignored", "skipped");
    }
}
