package dev.qaengine.controlplane.outbox;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "outbox" (the bean name less its suffix): how many changes wait for Kafka and whether Kafka was
 * reachable at the last attempt. Always UP — the service keeps accepting changes while Kafka is away;
 * the details say whether they are flowing.
 */
@Component
public class OutboxHealthIndicator implements HealthIndicator {
    private final OutboxRepository repository;
    private final OutboxPublisher publisher;

    public OutboxHealthIndicator(OutboxRepository repository, OutboxPublisher publisher) {
        this.repository = repository;
        this.publisher = publisher;
    }

    @Override
    public Health health() {
        Health.Builder b = Health.up()
                .withDetail("pending", repository.countPending())
                .withDetail("publisher", publisher.enabled() ? "enabled" : "disabled on this instance")
                .withDetail("kafkaReachable", publisher.attempted() ? !publisher.kafkaDown() : "not tried yet");
        if (publisher.kafkaDown() && publisher.lastFailure() != null) {
            b.withDetail("lastFailure", publisher.lastFailure());
        }
        return b.build();
    }
}
