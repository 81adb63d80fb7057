package dev.qaengine.local;

import dev.qaengine.model.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The local broker formats its storage once and, started again on the same dir, keeps topics and records. */
class EmbeddedKafkaRestartTest {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void secondStartReusesTheData(@TempDir Path dir) throws Exception {
        int port = Net.freePort();
        int controllerPort = Net.freePort();
        String key = "demo-org|cust-1";
        String value = "{\"written\":\"before the restart\",\"id\":\"" + UUID.randomUUID() + "\"}";
        String clusterId;

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, port, controllerPort, START_TIMEOUT)) {
            assertThat(kafka.formatted()).as("first start formats the empty dir").isTrue();
            assertThat(kafka.bootstrap()).isEqualTo("127.0.0.1:" + port);
            assertThat(KafkaTopics.ensure(kafka.bootstrap(), new Properties(), Duration.ofSeconds(30)))
                    .containsExactlyInAnyOrder(Topics.EVENTS_RAW, Topics.IDENTITIES_RAW, Topics.DELIVERIES, Topics.EVENTS_NORMALIZED,
                            Topics.EVENTS_DLQ, Topics.EVENTS_RESOLVED, Topics.IDENTITY_CHANGES, Topics.IDENTITY_AUDIT,
                            Topics.IDENTITY_FEEDBACK, Topics.JOURNEY_STATUS, Topics.ACTIONS, Topics.JOURNEY_TRANSFERS, Topics.JOURNEY_STATS, Topics.JOURNEY_TRACE, Topics.PROFILES, Topics.CONTROL);
            try (KafkaProducer<String, String> producer = producer(kafka.bootstrap())) {
                producer.send(new ProducerRecord<>(Topics.EVENTS_RAW, key, value)).get(30, TimeUnit.SECONDS);
            }
            clusterId = kafka.clusterId();
        }
        assertThat(dir.resolve("meta.properties")).exists();
        assertThat(Net.isListening(StackConfig.HOST, port)).as("broker port closed after stop").isFalse();

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, port, controllerPort, START_TIMEOUT)) {
            assertThat(kafka.formatted()).as("second start reuses the formatted dir").isFalse();
            assertThat(kafka.clusterId()).isEqualTo(clusterId);
            assertThat(KafkaTopics.ensure(kafka.bootstrap(), new Properties(), Duration.ofSeconds(30)))
                    .as("no topic needs creating again").isEmpty();
            assertTopicLayout(kafka.bootstrap());
            assertThat(readUntilFound(kafka.bootstrap(), Topics.EVENTS_RAW, value, Duration.ofSeconds(20)))
                    .as("the record written before the restart").isNotNull()
                    .satisfies(r -> assertThat(r.key()).isEqualTo(key));
        }
    }

    private static void assertTopicLayout(String bootstrap) throws Exception {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            Map<String, TopicDescription> topics = admin.describeTopics(
                    List.of(Topics.EVENTS_RAW, Topics.IDENTITIES_RAW, Topics.DELIVERIES, Topics.EVENTS_NORMALIZED, Topics.EVENTS_DLQ,
                            Topics.EVENTS_RESOLVED, Topics.IDENTITY_CHANGES, Topics.IDENTITY_AUDIT, Topics.IDENTITY_FEEDBACK,
                            Topics.JOURNEY_STATUS, Topics.ACTIONS, Topics.JOURNEY_TRANSFERS, Topics.JOURNEY_STATS, Topics.JOURNEY_TRACE, Topics.PROFILES, Topics.CONTROL))
                    .allTopicNames().get();
            Map<String, Integer> partitions = topics.values().stream()
                    .collect(Collectors.toMap(TopicDescription::name, t -> t.partitions().size()));
            assertThat(partitions).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                    Map.entry(Topics.EVENTS_RAW, 2), Map.entry(Topics.IDENTITIES_RAW, 2), Map.entry(Topics.DELIVERIES, 2),
                    Map.entry(Topics.EVENTS_NORMALIZED, 2), Map.entry(Topics.EVENTS_DLQ, 2), Map.entry(Topics.EVENTS_RESOLVED, 2),
                    Map.entry(Topics.IDENTITY_CHANGES, 2), Map.entry(Topics.IDENTITY_AUDIT, 2), Map.entry(Topics.IDENTITY_FEEDBACK, 2),
                    Map.entry(Topics.JOURNEY_STATUS, 2), Map.entry(Topics.ACTIONS, 2), Map.entry(Topics.JOURNEY_TRANSFERS, 2), Map.entry(Topics.JOURNEY_STATS, 2), Map.entry(Topics.JOURNEY_TRACE, 2), Map.entry(Topics.PROFILES, 2), Map.entry(Topics.CONTROL, 1)));
            ConfigResource control = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CONTROL);
            assertThat(admin.describeConfigs(List.of(control)).all().get().get(control).get("cleanup.policy").value())
                    .isEqualTo("compact");
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** Reads the topic from the beginning until a record with this value shows up or the deadline passes. */
    private static ConsumerRecord<String, String> readUntilFound(String bootstrap, String topic, String value, Duration timeout) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, timeout).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(250))) {
                    if (value.equals(r.value())) {
                        return r;
                    }
                }
            }
            return null;
        }
    }
}
