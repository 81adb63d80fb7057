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
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

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
    /**
     * {@code entries}: also what every correct engine must do for the entries of this workload — per event, the journeys
     * it enters (the observer, and the work journeys whose bound {@code amount > 400 + k} it passes: 6.3 on average) each
     * get a run id that is the same on a replay (SHA-256 of org, journey, person and event: what makes a message go out
     * once), 68 bytes of state (what the engine keeps per active run), and the person a timer for the runs' wait.
     */
    private static final boolean ENTRIES = "entries".equals(System.getenv().getOrDefault("QA_BENCH_FLOOR", "state"));
    static final int RUN_BYTES = 68;
    /** {@code QA_BENCH_FLOOR_HASH=none}: run ids by a cheap 64-bit hash instead (how much of the floor SHA-256 is). */
    private static final boolean SHA = !"none".equals(System.getenv().getOrDefault("QA_BENCH_FLOOR_HASH", "sha256"));

    private static byte[] cheapId(String code, int k, String eventId) {
        long h = 0xcbf29ce484222325L;
        for (String part : new String[] {code, eventId}) {
            for (int i = 0; i < part.length(); i++) {
                h = (h ^ part.charAt(i)) * 0x100000001b3L;
            }
        }
        h ^= k;
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (h >>> (8 * i));
            b[8 + i] = (byte) (h >>> (8 * i + 3));
        }
        return b;
    }

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
        KafkaSource<TopicRecord> source = PassThroughStage.source(kafka, List.of(dev.qaengine.model.Topics.EVENTS_RESOLVED), "bench-floor-",
                new WithKey());
        env.fromSource(source, WatermarkStrategy.noWatermarks(), dev.qaengine.model.Topics.EVENTS_RESOLVED)
                .keyBy(r -> new String(r.key(), StandardCharsets.UTF_8))
                .process(new Floor()).name("journeys-floor")
                .sinkTo(PassThroughStage.sink(kafka, OUTPUT)).name(OUTPUT);
    }

    /** The journeys an event of this amount enters in {@link JourneysStage}'s plans: the observer, and each k in 1..9 with amount > 400 + k. */
    static int entries(int amount) {
        return 1 + Math.max(0, Math.min(9, amount - 401));
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
        private transient java.security.MessageDigest sha;

        @Override
        public void open(OpenContext context) throws Exception {
            sha = java.security.MessageDigest.getInstance("SHA-256");
            person = getRuntimeContext().getState(new ValueStateDescriptor<>("person", org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
            // what the journeys stage writes per event: the observer's SMS request
            action = Json.MAPPER.writeValueAsBytes(new ActionRequest(ActionRequest.VERSION, ActionRequest.key("0123456789abcdef0123456789abcdef", "s"),
                    JourneysWorkload.ORG, "j0-0", 1, "0123456789abcdef0123456789abcdef", "s", NodeType.SMS, "p123456", "bench-123456",
                    "bench-sms", "tpl", IdType.MOBILE, "13900123456", null, null, null, 1_795_824_000_000L, 1_795_824_000_000L));
        }

        @Override
        public void processElement(TopicRecord r, Context ctx, Collector<byte[]> out) throws Exception {
            long seen = 0;
            String code = null;
            String eventId = null;
            int amount = -1;
            try (JsonParser p = Json.MAPPER.getFactory().createParser(r.value())) {
                String field = null;
                for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                    if (t == JsonToken.FIELD_NAME) {
                        field = p.currentName();
                    } else if (ENTRIES && "eventCode".equals(field) && t == JsonToken.VALUE_STRING) {
                        code = p.getText();
                    } else if (ENTRIES && "eventId".equals(field) && t == JsonToken.VALUE_STRING) {
                        eventId = p.getText();
                    } else if (ENTRIES && "amount".equals(field) && t == JsonToken.VALUE_NUMBER_INT) {
                        amount = p.getIntValue();
                    }
                    seen += t == JsonToken.VALUE_STRING || t == JsonToken.FIELD_NAME ? p.getText().length() : 1;
                }
            }
            byte[] before = person.value();
            byte[] after = before == null ? new byte[STATE_BYTES] : before;
            if (ENTRIES) {
                int entries = entries(amount);
                byte[] grown = java.util.Arrays.copyOf(after, after.length + entries * RUN_BYTES);
                for (int k = 0; k < entries; k++) {
                    byte[] id = !SHA ? cheapId(code, k, eventId) : sha.digest((JourneysWorkload.ORG + '\u0000' + "j" + code + "-" + k + '\u0000' + ctx.getCurrentKey() + '\u0000' + eventId)
                            .getBytes(StandardCharsets.UTF_8));
                    System.arraycopy(id, 0, grown, after.length + k * RUN_BYTES, 16);
                }
                after = grown;
                ctx.timerService().registerEventTimeTimer(r.timestamp() + 30 * 60_000L);
            }
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
