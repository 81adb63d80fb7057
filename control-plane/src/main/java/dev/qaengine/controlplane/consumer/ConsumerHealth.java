package dev.qaengine.controlplane.consumer;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.Map;

/**
 * A health component for a {@link TopicConsumer}: its state, and counters of what it did since this
 * instance started (counters of one name summed over their tags). Always UP, like the outbox: the
 * service does its other work without the topic; the details tell.
 */
public abstract class ConsumerHealth implements HealthIndicator {
    private final TopicConsumer consumer;
    private final MeterRegistry meters;
    private final Map<String, String> counters;

    /** @param counters detail name → counter name, in the order they are shown */
    protected ConsumerHealth(TopicConsumer consumer, MeterRegistry meters, Map<String, String> counters) {
        this.consumer = consumer;
        this.meters = meters;
        this.counters = counters;
    }

    @Override
    public Health health() {
        Health.Builder b = Health.up();
        consumer.describe(b);
        if (consumer.enabled()) {
            counters.forEach((detail, name) ->
                    b.withDetail(detail, (long) meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum()));
        }
        return b.build();
    }
}
