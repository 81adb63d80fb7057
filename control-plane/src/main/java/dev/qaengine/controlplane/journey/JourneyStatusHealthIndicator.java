package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.consumer.ConsumerHealth;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /actuator/health} component "journeyStatus": whether the engine's plan acknowledgements are
 * flowing from {@code qa.journeys.status}, and how many moved a journey, were ignored, were skipped.
 */
@Component
public class JourneyStatusHealthIndicator extends ConsumerHealth {

    public JourneyStatusHealthIndicator(JourneyStatusConsumer consumer, MeterRegistry meters) {
        super(consumer, meters, counters());
    }

    private static Map<String, String> counters() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("applied", "qa.journeys.status.applied");
        c.put("ignored", "qa.journeys.status.ignored");
        c.put("skipped", "qa.journeys.status.skipped");
        return c;
    }
}
