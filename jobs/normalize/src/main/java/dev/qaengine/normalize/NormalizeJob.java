package dev.qaengine.normalize;

import dev.qaengine.common.ControlGate;
import dev.qaengine.common.ControlStream;
import dev.qaengine.common.FlinkSettings;
import dev.qaengine.common.KafkaSettings;
import dev.qaengine.common.Settings;
import dev.qaengine.model.Topics;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;

/**
 * The event normalization job: {@code qa.events.raw} (event message v1, an object or an array per
 * record) → {@code qa.events.normalized} (canonical events keyed by org + customer) and
 * {@code qa.events.dlq} (every rejected message, with its reason). Definitions come from {@code qa.control}.
 *
 * <pre>
 *  qa.events.raw ─[source: parse]─ keyBy(hash of org|customer) ─[normalize: definitions, dedup]─► qa.events.normalized
 *  qa.control ─[source]─ broadcast ───────────────────────┘            └─ DLQ side output ─► qa.events.dlq
 * </pre>
 */
public final class NormalizeJob {
    public static final String NAME = "qa-normalize";

    private final Settings settings;
    private final KafkaSettings kafka;
    private final Limits limits;

    public NormalizeJob(Settings settings) {
        this.settings = settings;
        this.kafka = KafkaSettings.from(settings);
        this.limits = Limits.from(settings);
    }

    /** Adds the normalization pipeline (sources, operators, sinks) to the environment. */
    public void addTo(StreamExecutionEnvironment env) {
        String group = settings.string("QA_NORMALIZE_GROUP_ID", NAME);
        String input = settings.string("QA_NORMALIZE_INPUT_TOPIC", Topics.EVENTS_RAW);
        KafkaSource<RawElement> source = KafkaSource.<RawElement>builder()
                .setBootstrapServers(kafka.bootstrap())
                .setTopics(input)
                .setGroupId(group)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawEventDeserializer(limits))
                .setProperties(kafka.clientProperties())
                .build();
        Duration outOfOrderness = settings.duration("QA_MAX_OUT_OF_ORDERNESS", Duration.ofSeconds(5));
        Duration idleness = settings.duration("QA_SOURCE_IDLENESS", Duration.ofSeconds(5));
        WatermarkStrategy<RawElement> watermarks = WatermarkStrategy.<RawElement>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((e, recordTs) -> e.reject == null ? e.eventTime : recordTs)
                .withIdleness(idleness);

        DataStream<RawElement> raw = env.fromSource(source, watermarks, "qa.events.raw").uid("normalize-raw-source");
        var control = ControlStream.from(env, kafka, group + "-control", "normalize-control-source")
                .broadcast(NormalizeFunction.CATALOGS, NormalizeFunction.CONTROL_PROGRESS);

        SingleOutputStreamOperator<KafkaOut> normalized = raw
                .keyBy(RawElement::routingKey, Types.LONG)
                .connect(control)
                .process(new NormalizeFunction(
                        settings.duration("QA_DEDUP_HORIZON", Duration.ofMinutes(10)),
                        settings.integer("QA_DEDUP_MAX_IDS", 2_000_000),
                        settings.duration("QA_DEFINITION_GRACE", Duration.ofSeconds(5)),
                        ControlGate.EndOffsets.of(kafka)))
                .name("normalize").uid("normalize");

        normalized.sinkTo(KafkaSink.<KafkaOut>builder()
                        .setBootstrapServers(kafka.bootstrap())
                        .setKafkaProducerConfig(kafka.producerProperties())
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .setRecordSerializer(toTopic(settings.string("QA_NORMALIZE_OUTPUT_TOPIC", Topics.EVENTS_NORMALIZED)))
                        .build())
                .name(Topics.EVENTS_NORMALIZED).uid("normalize-normalized-sink");

        normalized.getSideOutput(NormalizeFunction.DLQ)
                .sinkTo(KafkaSink.<RawElement>builder()
                        .setBootstrapServers(kafka.bootstrap())
                        .setKafkaProducerConfig(kafka.producerProperties())
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .setRecordSerializer(new DlqSerializer(settings.string("QA_NORMALIZE_DLQ_TOPIC", Topics.EVENTS_DLQ), input,
                                settings.integer("QA_DLQ_MAX_VALUE_BYTES", 900 * 1024)))
                        .build())
                .name(Topics.EVENTS_DLQ).uid("normalize-dlq-sink");
    }

    static KafkaRecordSerializationSchema<KafkaOut> toTopic(String topic) {
        return (out, ctx, ts) -> new ProducerRecord<>(topic, null, out.timestamp, out.key, out.value);
    }

    /** Settings from the environment, overridden by {@code QA_NAME=value} arguments (a session cluster's submissions). */
    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromEnvAndArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.jobConfiguration(settings));
        new NormalizeJob(settings).addTo(env);
        env.execute(NAME);
    }
}
