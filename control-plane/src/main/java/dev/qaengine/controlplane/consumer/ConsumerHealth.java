package dev.qaengine.controlplane.consumer;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.LinkedHashMap;
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

    /**
     * @param prefix  what the counters' names start with
     * @param details the counters shown, in this order, each as a detail of its name after the prefix
     *                ({@code "qa.journeys.stats", "applied"}: detail {@code applied}, counter {@code qa.journeys.stats.applied})
     */
    protected ConsumerHealth(TopicConsumer consumer, MeterRegistry meters, String prefix, String... details) {
        this.consumer = consumer;
        this.meters = meters;
        this.counters = new LinkedHashMap<>();
        for (String d : details) {
            counters.put(d, prefix + "." + d);
        }
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
