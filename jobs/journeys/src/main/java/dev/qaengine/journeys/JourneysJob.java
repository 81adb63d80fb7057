package dev.qaengine.journeys;

import dev.qaengine.common.ControlGate;
import dev.qaengine.common.ControlStream;
import dev.qaengine.common.FlinkSettings;
import dev.qaengine.common.KafkaSettings;
import dev.qaengine.common.Settings;
import dev.qaengine.common.TopicRecord;
import dev.qaengine.model.Topics;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.time.Duration;
import java.util.Properties;

/**
 * The journeys engine as a Flink job.
 *
 * <pre>
 *  qa.events.resolved ── keyBy(org|person) ─[journeys]─► qa.actions          (action requests)
 *  qa.control ── broadcast (JOURNEY_PLAN) ──────┘  ├─► plan answers ─[acks, 1]─► qa.journeys.status
 *                                                  └─► qa.events.dlq         (unreadable events)
 * </pre>
 * Action requests are written at-least-once: their idempotency keys make a repeat harmless (the fan-out
 * claims each key before sending). A job started without state reads events from its group's committed
 * offsets, or from the end of the topic: a journey takes persons from its start on, never from history.
 */
public final class JourneysJob {
    public static final String NAME = "qa-journeys";

    private final Settings settings;
    private final KafkaSettings kafka;
    private final EngineClock clock;

    public JourneysJob(Settings settings) {
        this(settings, EngineClock.SYSTEM);
    }

    /** @param clock the wall clock engine time follows when events are quiet (tests move their own) */
    public JourneysJob(Settings settings, EngineClock clock) {
        this.settings = settings;
        this.kafka = KafkaSettings.from(settings);
        this.clock = clock;
    }

    public void addTo(StreamExecutionEnvironment env) {
        String group = settings.string("QA_JOURNEYS_GROUP_ID", NAME);
        String input = settings.string("QA_JOURNEYS_INPUT_TOPIC", Topics.EVENTS_RESOLVED);
        String actionsTopic = settings.string("QA_JOURNEYS_ACTIONS_TOPIC", Topics.ACTIONS);
        String statusTopic = settings.string("QA_JOURNEYS_STATUS_TOPIC", Topics.JOURNEY_STATUS);
        String dlqTopic = settings.string("QA_DLQ_TOPIC", Topics.EVENTS_DLQ);
        Duration lateness = settings.duration("QA_JOURNEYS_LATENESS", Duration.ofSeconds(5));

        KafkaSource<Inbound> source = KafkaSource.<Inbound>builder()
                .setBootstrapServers(kafka.bootstrap())
                .setTopics(input)
                .setGroupId(group)
                .setStartingOffsets(OffsetsInitializer.committedOffsets("earliest".equalsIgnoreCase(
                        settings.string("QA_JOURNEYS_START_OFFSETS", "latest")) ? OffsetResetStrategy.EARLIEST : OffsetResetStrategy.LATEST))
                .setDeserializer(new InboundDeserializer(Inbound.EVENT))
                .setProperties(kafka.clientProperties())
                .build();
        // Resolved events carry their event time as the Kafka record timestamp (the identity job writes it so).
        WatermarkStrategy<Inbound> watermarks = WatermarkStrategy.<Inbound>forBoundedOutOfOrderness(lateness)
                .withIdleness(settings.duration("QA_SOURCE_IDLENESS", Duration.ofSeconds(5)));
        // Flush the events' network buffers to the keyed engine every few ms rather than Flink's 100 ms: an
        // action request is a message someone waits for (fan-out target: event to delivery p50 ≤ 30 ms).
        DataStream<Inbound> events = env.fromSource(source, watermarks, input).uid("journeys-events-source")
                .setBufferTimeout(settings.duration("QA_JOURNEYS_BUFFER_TIMEOUT", Duration.ofMillis(5)).toMillis());
        // Delivery results (RESULT_BRANCH) join the events, keyed by their person. Their times are the fan-out's
        // wall clock: as a watermark they never run ahead of the events' own when events are live, and idle
        // partitions stop counting (the control input's maximum watermark must never pass for event time).
        String deliveriesTopic = settings.string("QA_JOURNEYS_DELIVERIES_TOPIC", Topics.DELIVERIES);
        KafkaSource<Inbound> deliveriesSource = KafkaSource.<Inbound>builder()
                .setBootstrapServers(kafka.bootstrap())
                .setTopics(deliveriesTopic)
                .setGroupId(group + "-deliveries")
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST))
                .setDeserializer(new DeliveriesDeserializer())
                .setProperties(kafka.clientProperties())
                .build();
        DataStream<Inbound> deliveries = env.fromSource(deliveriesSource, watermarks, deliveriesTopic).uid("journeys-deliveries-source")
                .setBufferTimeout(settings.duration("QA_JOURNEYS_BUFFER_TIMEOUT", Duration.ofMillis(5)).toMillis());
        // Merges (identity): the merged person's state moves to the survivor through the engine's own topic,
        // written in Kafka transactions and read committed (like identity's feedback topic).
        String changesTopic = settings.string("QA_JOURNEYS_CHANGES_TOPIC", Topics.IDENTITY_CHANGES);
        String transfersTopic = settings.string("QA_JOURNEYS_TRANSFERS_TOPIC", Topics.JOURNEY_TRANSFERS);
        DataStream<Inbound> changes = keyedInput(env, changesTopic, group + "-changes", Inbound.CHANGE,
                OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST), watermarks, "journeys-changes-source");
        // a job started without state has no use for the transfers of an earlier deployment: from now on
        DataStream<Inbound> transfers = keyedInput(env, transfersTopic, group + "-transfers", Inbound.TRANSFER,
                OffsetsInitializer.timestamp(System.currentTimeMillis()), watermarks, "journeys-transfers-source");
        // Persons' tags for TAG_BRANCH: a compacted topic, read from its beginning by a job started without state.
        String profilesTopic = settings.string("QA_JOURNEYS_PROFILES_TOPIC", Topics.PROFILES);
        DataStream<Inbound> profiles = keyedInput(env, profilesTopic, group + "-profiles", Inbound.PROFILE,
                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST), watermarks, "journeys-profiles-source");
        DataStream<ControlStream.ControlEntry> control = ControlStream.from(env, kafka, group + "-control", "journeys-control-source")
                .broadcast();

        String statsTopic = settings.string("QA_JOURNEYS_STATS_TOPIC", Topics.JOURNEY_STATS);
        // Trace: the steps of runs and the refusals of events whose conditions held (RUNS, the default: a few records
        // per run, on its own sink); those and every failed condition of every candidate journey (ALL: a record per
        // journey an event does not start); or none (OFF).
        String traceTopic = settings.string("QA_JOURNEYS_TRACE_TOPIC", Topics.JOURNEY_TRACE);
        JourneyEngine.Tracing tracing = JourneyEngine.Tracing.valueOf(settings.string("QA_JOURNEYS_TRACE", "RUNS").toUpperCase(java.util.Locale.ROOT));
        // Of the persons, the share traced (the same persons always: a hash of organization and person): the trace costs
        // a record per person and call, ~30 % of the rate where every event enters journeys (bench/README)
        int sampleSlots = sampleSlots(settings.string("QA_JOURNEYS_TRACE_SAMPLE", "1"));
        // The recent events kept per person for EVENT_BRANCH windows that open over events which arrived before
        // them: reorderings between a trigger (or the end of a wait) and the watched events. Live, they are bounded by
        // seconds (the lateness); a replay moves engine time in steps of one watermark interval. A minute covers both;
        // every event of a watched code is in the person's state for this long, so it is paid per event (bench/README).
        JourneyOperator.Config config = new JourneyOperator.Config(actionsTopic, transfersTopic, statsTopic, traceTopic, tracing, sampleSlots,
                lateness.toMillis(),
                settings.duration("QA_JOURNEYS_HISTORY", Duration.ofMinutes(1)).toMillis(),
                settings.integer("QA_JOURNEYS_HISTORY_MAX", 64),
                settings.duration("QA_JOURNEYS_PERSON_TTL", Duration.ofDays(30)).toMillis(),
                settings.duration("QA_JOURNEYS_TICK", Duration.ofMillis(200)).toMillis(),
                clock, ControlGate.EndOffsets.of(kafka));
        SingleOutputStreamOperator<TopicRecord> actions = events.union(deliveries, changes, transfers, profiles)
                .keyBy(Inbound::routingKey)
                .connect(control)
                .transform("journeys", TopicRecord.TYPE.type(), new JourneyOperator(config))
                .uid("journeys");

        actions.sinkTo(sink(TopicRecord.serializer())).name(actionsTopic).uid("journeys-actions-sink");
        actions.getSideOutput(JourneyOperator.TRACE).sinkTo(sink(TopicRecord.serializer())).name(traceTopic).uid("journeys-trace-sink");

        actions.getSideOutput(JourneyOperator.ACKS)
                .keyBy(PlanAck::subject)
                .process(new PlanAcks(statusTopic), TopicRecord.TYPE.type())
                .setParallelism(1).name("plan-acks").uid("journeys-plan-acks")
                .sinkTo(sink(TopicRecord.serializer())).setParallelism(1).name(statusTopic).uid("journeys-status-sink");

        Properties tx = kafka.producerProperties();
        tx.setProperty("transaction.timeout.ms", settings.string("QA_JOURNEYS_TRANSACTION_TIMEOUT_MS", "600000"));
        actions.getSideOutput(JourneyOperator.COMMITTED)
                .sinkTo(KafkaSink.<TopicRecord>builder()
                        .setBootstrapServers(kafka.bootstrap())
                        .setKafkaProducerConfig(tx)
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix(settings.string("QA_JOURNEYS_TRANSACTIONAL_ID_PREFIX", group))
                        .setRecordSerializer(TopicRecord.serializer())
                        .build())
                .name(transfersTopic + ", " + statsTopic).uid("journeys-transfers-sink");

        actions.getSideOutput(JourneyOperator.REJECTED)
                .sinkTo(sink(Rejected.serializer(dlqTopic, input, deliveriesTopic))).name(dlqTopic).uid("journeys-dlq-sink");
    }

    /** A topic keyed by {@code org|person} already (merges, transfers), read committed. */
    private DataStream<Inbound> keyedInput(StreamExecutionEnvironment env, String topic, String group, byte kind, OffsetsInitializer start,
                                           WatermarkStrategy<Inbound> watermarks, String uid) {
        Properties props = kafka.clientProperties();
        props.setProperty("isolation.level", "read_committed");
        KafkaSource<Inbound> source = KafkaSource.<Inbound>builder()
                .setBootstrapServers(kafka.bootstrap())
                .setTopics(topic)
                .setGroupId(group)
                .setStartingOffsets(start)
                .setDeserializer(new InboundDeserializer(kind))
                .setProperties(props)
                .build();
        return env.fromSource(source, watermarks, topic).uid(uid);
    }

    private <T> KafkaSink<T> sink(KafkaRecordSerializationSchema<T> serializer) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(kafka.bootstrap())
                .setKafkaProducerConfig(kafka.producerProperties())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setRecordSerializer(serializer)
                .build();
    }

    /** Keeps each record's bytes, key, time and place; the engine parses them where they are keyed. */
    static final class InboundDeserializer implements KafkaRecordDeserializationSchema<Inbound> {
        private final byte kind;

        InboundDeserializer(byte kind) {
            this.kind = kind;
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<Inbound> out) {
            out.collect(new Inbound(r.key(), r.value() == null ? new byte[0] : r.value(), r.timestamp(), r.partition(), r.offset(), kind));
        }

        @Override
        public TypeInformation<Inbound> getProducedType() {
            return Inbound.TYPE.type();
        }
    }

    /**
     * Keeps the delivery results of {@code qa.deliveries} (the topic also carries webhook receipts, which the
     * fan-out turns into results), keyed by their person ({@code org|personId} from the value: receipts are
     * keyed by task id). A record that cannot be read goes on, to the engine's DLQ.
     */
    static final class DeliveriesDeserializer implements KafkaRecordDeserializationSchema<Inbound> {
        private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<Inbound> out) {
            String type = null;
            String org = null;
            String person = null;
            byte[] value = r.value() == null ? new byte[0] : r.value();
            try (var p = JSON.createParser(value)) {
                if (p.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                    while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        p.nextToken();
                        switch (field) {
                            case "type" -> type = p.getValueAsString();
                            case "orgId" -> org = p.getValueAsString();
                            case "personId" -> person = p.getValueAsString();
                            default -> p.skipChildren();
                        }
                    }
                }
            } catch (java.io.IOException e) {
                type = dev.qaengine.model.journey.DeliveryResult.TYPE; // unreadable: the engine says why, in the DLQ
            }
            if (!dev.qaengine.model.journey.DeliveryResult.TYPE.equals(type)) {
                return; // a webhook receipt: the fan-out's to map
            }
            byte[] key = (org + '|' + person).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.collect(new Inbound(key, value, r.timestamp(), r.partition(), r.offset(), Inbound.DELIVERY));
        }

        @Override
        public TypeInformation<Inbound> getProducedType() {
            return Inbound.TYPE.type();
        }
    }

    /** Settings from the environment, overridden by {@code QA_NAME=value} arguments (a session cluster's submissions). */
    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromEnvAndArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.jobConfiguration(settings));
        new JourneysJob(settings).addTo(env);
        env.execute(NAME);
    }

    /**
     * {@code QA_JOURNEYS_TRACE_SAMPLE}: the share of persons traced, a fraction ({@code 0.1}) or a percentage ({@code 10%}), above 0
     * and at most 1 (every person, the default), to 1/10,000; anything else stops the job at start, saying so.
     */
    static int sampleSlots(String value) {
        String v = value.trim();
        double share;
        try {
            share = v.endsWith("%") ? Double.parseDouble(v.substring(0, v.length() - 1).trim()) / 100 : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            share = Double.NaN;
        }
        long slots = Math.round(share * JourneyEngine.SAMPLE_ALL);
        if (!(share > 0 && share <= 1) || slots < 1) {
            throw new IllegalArgumentException("QA_JOURNEYS_TRACE_SAMPLE must be a share of persons above 0 and at most 1 (e.g. 0.1 or 10%), "
                    + "to 1/10,000; got '" + value + "'");
        }
        return (int) slots;
    }
}
