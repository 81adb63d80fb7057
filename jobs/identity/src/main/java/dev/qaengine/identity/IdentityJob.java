package dev.qaengine.identity;

import dev.qaengine.common.ControlGate;
import dev.qaengine.common.ControlStream;
import dev.qaengine.common.FlinkSettings;
import dev.qaengine.common.KafkaSettings;
import dev.qaengine.common.Settings;
import dev.qaengine.common.TopicRecord;
import dev.qaengine.model.Topics;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * The identity stitching job: canonical events and identity messages in; resolved events, merges
 * ({@code qa.identity.changes}), refusals ({@code qa.identity.audit}) and the Redis person directory out.
 *
 * <pre>
 *  qa.events.normalized ─┐
 *  qa.identities.raw ────┼─ keyBy(org|identifier) ─[identity]─► qa.events.resolved (at-least-once)
 *  qa.identity.feedback ─┘        ▲        │  └─ committed ─► qa.identity.changes, .audit, .feedback (transactions)
 *  qa.control ── broadcast ───────┘        └──── directory ─► Redis
 * </pre>
 * The feedback topic carries the merge protocol between keys (see {@link IdentityCore}); it is written
 * in Kafka transactions and read committed, so after a failover the protocol resumes exactly from the
 * checkpoint: no step is lost and no step of an abandoned attempt is ever seen.
 */
public final class IdentityJob {
    public static final String NAME = "qa-identity";
    /** Identifier nodes cached per operator instance (~0.5 KB of heap each: ~50 MB). */
    public static final int DEFAULT_NODE_CACHE = 100_000;

    private final Settings settings;
    private final KafkaSettings kafka;

    public IdentityJob(Settings settings) {
        this.settings = settings;
        this.kafka = KafkaSettings.from(settings);
    }

    public void addTo(StreamExecutionEnvironment env) {
        String group = settings.string("QA_IDENTITY_GROUP_ID", NAME);
        String eventsTopic = settings.string("QA_IDENTITY_EVENTS_TOPIC", Topics.EVENTS_NORMALIZED);
        String identitiesTopic = settings.string("QA_IDENTITY_INPUT_TOPIC", Topics.IDENTITIES_RAW);
        String feedbackTopic = settings.string("QA_IDENTITY_FEEDBACK_TOPIC", Topics.IDENTITY_FEEDBACK);
        String resolvedTopic = settings.string("QA_IDENTITY_OUTPUT_TOPIC", Topics.EVENTS_RESOLVED);

        boolean directory = !"off".equalsIgnoreCase(settings.string("QA_IDENTITY_DIRECTORY", "redis"));
        DataStream<Command> events = input(env, eventsTopic, group, new Inputs.Events(), OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST), "identity-events-source");
        DataStream<Command> identities = input(env, identitiesTopic, group, new Inputs.Identities(), OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST), "identity-messages-source");
        // A job started without state has no use for protocol steps of an earlier deployment: read what is
        // written from now on. A restored job resumes at its checkpointed offsets instead.
        DataStream<Command> feedback = input(env, feedbackTopic, group + "-feedback", new Inputs.Feedback(),
                OffsetsInitializer.timestamp(System.currentTimeMillis()), "identity-feedback-source");
        DataStream<ControlStream.ControlEntry> control = ControlStream.from(env, kafka, group + "-control", "identity-control-source")
                .broadcast();

        SingleOutputStreamOperator<TopicRecord> resolved = events.union(identities, feedback)
                .keyBy(Command::routingKey)
                .connect(control)
                .transform("identity", TopicRecord.TYPE.type(), new IdentityOperator(
                        new IdentityFunction(settings.duration("QA_IDENTITY_ANONYMOUS_TTL", Duration.ofDays(90)),
                                ControlGate.EndOffsets.of(kafka), resolvedTopic, feedbackTopic, directory,
                                settings.integer("QA_IDENTITY_NODE_CACHE", DEFAULT_NODE_CACHE)),
                        List.of(IdentityFunction.SETTINGS, ControlGate.PROGRESS)))
                .uid("identity");

        resolved.sinkTo(KafkaSink.<TopicRecord>builder()
                        .setBootstrapServers(kafka.bootstrap())
                        .setKafkaProducerConfig(kafka.producerProperties())
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .setRecordSerializer(TopicRecord.serializer())
                        .build())
                .name(resolvedTopic).uid("identity-resolved-sink");

        Properties tx = kafka.producerProperties();
        tx.setProperty("transaction.timeout.ms", settings.string("QA_IDENTITY_TRANSACTION_TIMEOUT_MS", "600000"));
        resolved.getSideOutput(IdentityFunction.COMMITTED)
                .sinkTo(KafkaSink.<TopicRecord>builder()
                        .setBootstrapServers(kafka.bootstrap())
                        .setKafkaProducerConfig(tx)
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix(settings.string("QA_IDENTITY_TRANSACTIONAL_ID_PREFIX", group))
                        .setRecordSerializer(TopicRecord.serializer())
                        .build())
                .name("identity-committed").uid("identity-committed-sink");

        String redis = settings.string("QA_REDIS_URL", "redis://127.0.0.1:6379");
        if (directory) {
            resolved.getSideOutput(IdentityFunction.DIRECTORY)
                    .sinkTo(new RedisDirectorySink(redis, settings.integer("QA_IDENTITY_REDIS_BATCH", 500)))
                    .name("person-directory").uid("identity-directory-sink");
        }
    }

    private DataStream<Command> input(StreamExecutionEnvironment env, String topic, String group,
                                      KafkaRecordDeserializationSchema<Command> deserializer, OffsetsInitializer start, String uid) {
        Properties props = kafka.clientProperties();
        props.setProperty("isolation.level", "read_committed");
        KafkaSource<Command> source = KafkaSource.<Command>builder()
                .setBootstrapServers(kafka.bootstrap())
                .setTopics(topic)
                .setGroupId(group)
                .setStartingOffsets(start)
                .setDeserializer(deserializer)
                .setProperties(props)
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), topic).uid(uid);
    }

    /** Settings from the environment, overridden by {@code QA_NAME=value} arguments (a session cluster's submissions). */
    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromEnvAndArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.jobConfiguration(settings));
        new IdentityJob(settings).addTo(env);
        env.execute(NAME);
    }
}
