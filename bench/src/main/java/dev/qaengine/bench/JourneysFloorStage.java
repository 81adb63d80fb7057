package dev.qaengine.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.qaengine.common.Json;
import dev.qaengine.common.KafkaSettings;
import dev.qaengine.common.Settings;
import dev.qaengine.common.TopicRecord;
import dev.qaengine.model.IdType;
import dev.qaengine.model.journey.ActionRequest;
import dev.qaengine.model.journey.NodeType;
import dev.qaengine.testkit.EmbeddedKafka;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The floor under the journeys stage: what any engine that keeps per-person state must do with the journeys
 * workload, and nothing more — read each event's JSON (every token, building no object), read and write the
 * person's state in RocksDB (a value of the size the journeys engine keeps per person,
 * {@code QA_BENCH_FLOOR_STATE_BYTES}, 283 by default: the figure measured with 1M persons), and write one
 * message of an action request's size per event to Kafka. No journey is matched, no run created, no timer
 * kept: whatever ratio this stage reaches, the journeys stage cannot, on the same machine and broker. Same
 * source, Flink configuration (RocksDB, incremental checkpoints) and Kafka client properties as the stages.
 */
public final class JourneysFloorStage implements Stage {
    static final String OUTPUT = "bench.floor.out";
    private static final int STATE_BYTES = Integer.parseInt(System.getenv().getOrDefault("QA_BENCH_FLOOR_STATE_BYTES", "283"));

    @Override
    public String name() {
        return "journeys-floor";
    }

    @Override
    public double target() {
        return 0.2; // the journeys stage's: can the floor under it reach it?
    }

    @Override
    public Workload workload(BenchOptions options, long baseTime) {
        return new JourneysWorkload(options.seed(), baseTime, options.persons(), options.events());
    }

    @Override
    public void prepare(EmbeddedKafka kafka) {
        kafka.createTopic(OUTPUT, 2);
    }

    @Override
    public void addTo(StreamExecutionEnvironment env, Settings settings) {
        KafkaSettings kafka = KafkaSettings.from(settings);
        KafkaSource<TopicRecord> source = KafkaSource.<TopicRecord>builder()
                .setBootstrapServers(kafka.bootstrap())
                .setTopics(dev.qaengine.model.Topics.EVENTS_RESOLVED)
                .setGroupId("bench-floor-" + UUID.randomUUID())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new WithKey())
                .setProperties(kafka.clientProperties())
                .build();
        KafkaSink<byte[]> sink = KafkaSink.<byte[]>builder()
                .setBootstrapServers(kafka.bootstrap())
                .setRecordSerializer(KafkaRecordSerializationSchema.<byte[]>builder()
                        .setTopic(OUTPUT)
                        .setKafkaValueSerializer(ByteArraySerializer.class)
                        .build())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setKafkaProducerConfig(kafka.producerProperties())
                .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), dev.qaengine.model.Topics.EVENTS_RESOLVED)
                .keyBy(r -> new String(r.key(), StandardCharsets.UTF_8))
                .process(new Floor()).name("journeys-floor")
                .sinkTo(sink).name(OUTPUT);
    }

    /** The record's key and value (the key is the person). */
    static final class WithKey implements KafkaRecordDeserializationSchema<TopicRecord> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<TopicRecord> out) {
            out.collect(new TopicRecord(r.topic(), r.key(), r.value(), r.timestamp()));
        }

        @Override
        public org.apache.flink.api.common.typeinfo.TypeInformation<TopicRecord> getProducedType() {
            return TopicRecord.TYPE.type();
        }
    }

    /** Per event: every JSON token read, the person's state read and written, one action-sized message out. */
    static final class Floor extends KeyedProcessFunction<String, TopicRecord, byte[]> {
        private transient ValueState<byte[]> person;
        private transient byte[] action;

        @Override
        public void open(OpenContext context) throws Exception {
            person = getRuntimeContext().getState(new ValueStateDescriptor<>("person", org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
            // what the journeys stage writes per event: the observer's SMS request
            action = Json.MAPPER.writeValueAsBytes(new ActionRequest(ActionRequest.VERSION, ActionRequest.key("0123456789abcdef0123456789abcdef", "s"),
                    JourneysWorkload.ORG, "j0-0", 1, "0123456789abcdef0123456789abcdef", "s", NodeType.SMS, "p123456", "bench-123456",
                    "bench-sms", "tpl", IdType.MOBILE, "13900123456", null, null, null, 1_795_824_000_000L, 1_795_824_000_000L));
        }

        @Override
        public void processElement(TopicRecord r, Context ctx, Collector<byte[]> out) throws Exception {
            long seen = 0;
            try (JsonParser p = Json.MAPPER.getFactory().createParser(r.value())) {
                for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                    seen += t == JsonToken.VALUE_STRING || t == JsonToken.FIELD_NAME ? p.getText().length() : 1;
                }
            }
            byte[] before = person.value();
            byte[] after = before == null ? new byte[STATE_BYTES] : before;
            after[0] += (byte) seen;
            person.update(after);
            out.collect(action);
        }
    }

    @Override
    public List<String> outputTopics() {
        return List.of(OUTPUT);
    }

    @Override
    public long expectedOutputs(long inputs) {
        return inputs;
    }

    @Override
    public Map<String, String> settings() {
        return Map.of();
    }
}
