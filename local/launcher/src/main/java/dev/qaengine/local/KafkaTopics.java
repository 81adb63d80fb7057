package dev.qaengine.local;

import dev.qaengine.model.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** The engine's topics, created when missing (never altered: an existing topic is left as it is). */
public final class KafkaTopics {
    /** name → partitions, config. The replication factor is the broker's default (1 on the local broker). */
    public static final List<NewTopic> ALL = List.of(
            topic(Topics.EVENTS_RAW, 2, Map.of()),
            topic(Topics.IDENTITIES_RAW, 2, Map.of()),
            topic(Topics.DELIVERIES, 2, Map.of()),
            topic(Topics.EVENTS_NORMALIZED, 2, Map.of()),
            topic(Topics.EVENTS_DLQ, 2, Map.of()),
            topic(Topics.EVENTS_RESOLVED, 2, Map.of()),
            topic(Topics.IDENTITY_CHANGES, 2, Map.of()),
            topic(Topics.IDENTITY_AUDIT, 2, Map.of()),
            topic(Topics.IDENTITY_FEEDBACK, 2, Map.of()),
            topic(Topics.JOURNEY_STATUS, 2, Map.of()),
            topic(Topics.ACTIONS, 2, Map.of()),
            topic(Topics.JOURNEY_TRANSFERS, 2, Map.of()),
            topic(Topics.JOURNEY_STATS, 2, Map.of()),
            // a person's steps are explained for a week (the control plane keeps what it read as long)
            topic(Topics.JOURNEY_TRACE, 2, Map.of("retention.ms", "604800000")),
            topic(Topics.PROFILES, 2, Map.of("cleanup.policy", "compact")),
            topic(Topics.CONTROL, 1, Map.of("cleanup.policy", "compact")));

    private KafkaTopics() {
    }

    private static NewTopic topic(String name, int partitions, Map<String, String> config) {
        return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(config);
    }

    /**
     * Creates every topic of {@link #ALL} that does not exist yet and returns the names it created.
     *
     * @param clientProperties security settings for an external Kafka (may be empty)
     */
    public static List<String> ensure(String bootstrap, Properties clientProperties, Duration timeout) throws Exception {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<String> created = new ArrayList<>();
            for (NewTopic t : ALL) {
                if (existing.contains(t.name())) {
                    continue;
                }
                try {
                    admin.createTopics(List.of(t)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(t.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topic " + t.name() + " on " + bootstrap
                                + ": " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            return created;
        }
    }
}
