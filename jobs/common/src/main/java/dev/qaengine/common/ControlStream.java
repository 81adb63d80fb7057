package dev.qaengine.common;

import dev.qaengine.model.Topics;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The {@code qa.control} topic as a stream of (key, value-or-null) pairs for broadcast state.
 *
 * <p>It is always read from the beginning: a job started from scratch rebuilds its definitions from
 * the compacted topic alone; a job restored from a checkpoint resumes at the checkpointed offsets.
 * It emits the maximum watermark so that a quiet control topic never holds back event time in the
 * operator it is connected to (an operator's watermark is the minimum of its inputs).
 */
public final class ControlStream {
    private ControlStream() {
    }

    /** @param uid the source operator's uid, unique per job (savepoint compatibility) */
    public static DataStream<ControlEntry> from(StreamExecutionEnvironment env, KafkaSettings kafka, String groupId, String uid) {
        KafkaSource<ControlEntry> source = KafkaSource.<ControlEntry>builder()
                .setBootstrapServers(kafka.bootstrap())
                .setTopics(Topics.CONTROL)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new Deserializer())
                .setProperties(kafka.clientProperties())
                .build();
        return env.fromSource(source, WatermarkStrategy.<ControlEntry>forGenerator(ctx -> new MaxWatermark()), "qa.control")
                .uid(uid)
                .setParallelism(1);
    }

    /**
     * A control record as read: the compaction key, the UTF-8 value (null for a tombstone) and where it
     * stands in the topic, so a job can tell when it has caught up with the definitions (see
     * {@link #endOffsets}).
     */
    public record ControlEntry(String key, String value, int partition, long offset) {
        public ControlEntry(String key, String value) {
            this(key, value, 0, -1);
        }
    }

    /**
     * The end offset of each partition of {@code qa.control} now: a job that has applied every record
     * below these offsets knows every definition published before it started. A missing topic has none.
     */
    public static Map<Integer, Long> endOffsets(KafkaSettings kafka) {
        Properties p = kafka.clientProperties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<PartitionInfo> parts = c.partitionsFor(Topics.CONTROL, Duration.ofSeconds(30));
            if (parts == null || parts.isEmpty()) {
                return Map.of();
            }
            Map<Integer, Long> ends = new HashMap<>();
            c.endOffsets(parts.stream().map(i -> new TopicPartition(Topics.CONTROL, i.partition())).toList(), Duration.ofSeconds(30))
                    .forEach((tp, off) -> ends.put(tp.partition(), off));
            return ends;
        }
    }

    static final class Deserializer implements KafkaRecordDeserializationSchema<ControlEntry> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ControlEntry> out) {
            if (record.key() == null) {
                return; // not addressable, compaction could not keep it either; the reader logs unknown kinds
            }
            out.collect(new ControlEntry(new String(record.key(), StandardCharsets.UTF_8),
                    record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8),
                    record.partition(), record.offset()));
        }

        @Override
        public TypeInformation<ControlEntry> getProducedType() {
            return TypeInformation.of(ControlEntry.class);
        }
    }

    static final class MaxWatermark implements WatermarkGenerator<ControlEntry> {
        @Override
        public void onEvent(ControlEntry event, long eventTimestamp, WatermarkOutput output) {
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(Long.MAX_VALUE));
        }
    }
}
