package dev.qaengine.bench;

import dev.qaengine.common.KafkaSettings;
import dev.qaengine.common.Settings;
import dev.qaengine.testkit.EmbeddedKafka;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.List;
import java.util.UUID;

/**
 * The baseline: a Flink job that copies record values from the workload's topic to another topic and
 * does nothing else. It runs with the same Flink configuration (RocksDB, checkpoints, parallelism) and
 * the same Kafka client properties as the stages, so the ratio of a stage's rate to this one is the cost
 * of the stage's own work on this machine, not of the machine, the broker or the connectors.
 */
public final class PassThroughStage implements Stage {
    public static final String NAME = "pass-through";
    public static final String OUTPUT = "bench.passthrough.out";
    private final Workload workload;

    public PassThroughStage(Workload workload) {
        this.workload = workload;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double target() {
        return 1.0;
    }

    /** The given workload; without one (the pass-through benchmarked alone), the stages' default. */
    @Override
    public Workload workload(BenchOptions options, long baseTime) {
        return workload != null ? workload : Stage.super.workload(options, baseTime);
    }

    @Override
    public void prepare(EmbeddedKafka kafka) {
        kafka.createTopic(OUTPUT, 2);
    }

    @Override
    public void addTo(StreamExecutionEnvironment env, Settings settings) {
        KafkaSettings kafka = KafkaSettings.from(settings);
        KafkaSource<byte[]> source = source(kafka, workload.topics(), "bench-passthrough-",
                KafkaRecordDeserializationSchema.valueOnly(ByteArrayDeserializer.class));
        env.fromSource(source, WatermarkStrategy.noWatermarks(), String.join(",", workload.topics()))
                .sinkTo(sink(kafka, OUTPUT)).name(OUTPUT);
    }

    /** {@code topics} from the start, in a group of its own, with the stages' client properties (the baselines' source). */
    static <T> KafkaSource<T> source(KafkaSettings kafka, List<String> topics, String groupPrefix, KafkaRecordDeserializationSchema<T> records) {
        return KafkaSource.<T>builder()
                .setBootstrapServers(kafka.bootstrap())
                .setTopics(topics)
                .setGroupId(groupPrefix + UUID.randomUUID())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(records)
                .setProperties(kafka.clientProperties())
                .build();
    }

    /** Record values to {@code topic}, at least once, with the stages' producer properties (the baselines' sink). */
    static KafkaSink<byte[]> sink(KafkaSettings kafka, String topic) {
        return KafkaSink.<byte[]>builder()
                .setBootstrapServers(kafka.bootstrap())
                .setRecordSerializer(KafkaRecordSerializationSchema.<byte[]>builder()
                        .setTopic(topic)
                        .setKafkaValueSerializer(ByteArraySerializer.class)
                        .build())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setKafkaProducerConfig(kafka.producerProperties())
                .build();
    }

    @Override
    public List<String> outputTopics() {
        return List.of(OUTPUT);
    }

    @Override
    public long expectedOutputs(long inputs) {
        return inputs;
    }
}
