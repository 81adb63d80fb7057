package dev.qaengine.controlplane.outbox;

import dev.qaengine.controlplane.config.KafkaConnection;
import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.model.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure {@code qa.control} exists and is compacted before anything is published to it. Called by
 * the publisher's thread, never during start-up: the service starts (and accepts changes into the
 * outbox) while Kafka is away.
 */
@Component
public class ControlTopic {
    private static final Logger log = LoggerFactory.getLogger(ControlTopic.class);
    /** The largest catalog record; the producer's max.request.size is the same. */
    static final String MAX_MESSAGE_BYTES = String.valueOf(8 << 20);

    private final KafkaConnection connection;
    private final QaProperties.Outbox settings;

    public ControlTopic(KafkaConnection connection, QaProperties properties) {
        this.connection = connection;
        this.settings = properties.outbox();
    }

    /** Returns once the topic exists (created now or before); throws when Kafka cannot be reached. */
    public void ensure() throws Exception {
        Map<String, Object> props = connection.clientProperties();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        try (Admin admin = Admin.create(props)) {
            if (!exists(admin)) {
                create(admin);
            }
            warnIfNotCompacted(admin);
        }
    }

    private static boolean exists(Admin admin) throws Exception {
        try {
            admin.describeTopics(List.of(Topics.CONTROL)).allTopicNames().get(10, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }

    private void create(Admin admin) throws Exception {
        NewTopic topic = new NewTopic(Topics.CONTROL, settings.controlTopicPartitions(), settings.controlTopicReplication())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, MAX_MESSAGE_BYTES));
        try {
            admin.createTopics(List.of(topic)).all().get(10, TimeUnit.SECONDS);
            log.info("created {} (compacted, {} partition(s))", Topics.CONTROL, settings.controlTopicPartitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** A topic made by someone else is left alone, but a non-compacted one would lose definitions: say so loudly. */
    private static void warnIfNotCompacted(Admin admin) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CONTROL);
        ConfigEntry policy = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS)
                .get(resource).get(TopicConfig.CLEANUP_POLICY_CONFIG);
        if (policy == null || !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            log.error("{} exists with cleanup.policy={}, not compact: old definitions will be deleted by retention "
                    + "and jobs restarting later will miss them", Topics.CONTROL, policy == null ? "?" : policy.value());
        }
    }

}
