package dev.qaengine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.qaengine.common.ControlRecords;
import dev.qaengine.common.FlinkSettings;
import dev.qaengine.common.Json;
import dev.qaengine.common.KafkaSettings;
import dev.qaengine.common.Settings;
import dev.qaengine.journeys.JourneysJob;
import dev.qaengine.model.CanonicalEvent;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.ControlRecord;
import dev.qaengine.model.IdType;
import dev.qaengine.model.ResolvedEvent;
import dev.qaengine.model.Topics;
import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.NodeType;
import dev.qaengine.model.journey.TriggerType;
import dev.qaengine.testkit.EmbeddedKafka;
import dev.qaengine.testkit.FlinkTestCluster;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Journey start → first possible entry (ARCHITECTURE.md: ≤ 2 s). The journeys job runs on a MiniCluster
 * (parallelism 2, RocksDB, checkpoints on) under steady traffic on {@code qa.events.resolved}; beside it,
 * in the same cluster and on the same traffic, a Flink pass-through copies the events to another topic.
 * Then, N times: a plan is published on {@code qa.control}, and the bench measures the time until the
 * journey's status is RUNNING on {@code qa.journeys.status} and until its first action request is on
 * {@code qa.actions} (the plan enters a person on the first event after it is applied); the journey is then
 * stopped. Each event's own latency (produced → action read, and produced → pass-through copy read) is
 * reported alongside: the pass-through's is the floor this machine, broker and connectors set.
 *
 * <p>Exit status: 0 every start reached its first entry within the target, 1 one did not, 2 no figure.
 */
public final class JourneyStartBench {
    static final long TARGET_MS = 2_000;
    static final String CODE = "bench_view";
    static final String ORG = "bench-org";
    static final String PASS_OUT = "bench.journeys.passthrough";
    static final String USAGE = "usage: bench/run.sh journey-start [--journeys N (10)] [--rate EVENTS_PER_SECOND (1000)] [--warmup SECONDS (15)]";

    record Options(int journeys, int rate, int warmupSeconds, Path out) {
        static Options parse(String... args) {
            int journeys = 10;
            int rate = 1000;
            int warmup = 15;
            Path out = Path.of("bench/target");
            for (Map.Entry<String, String> option : BenchOptions.pairs(USAGE, args).entrySet()) {
                String a = option.getKey();
                String v = option.getValue();
                switch (a) {
                    case "--journeys" -> journeys = Math.toIntExact(BenchOptions.number(a, v));
                    case "--rate" -> rate = Math.toIntExact(BenchOptions.number(a, v));
                    case "--warmup" -> warmup = Math.toIntExact(BenchOptions.number(a, v));
                    case "--out" -> out = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
                }
            }
            if (journeys < 1 || rate < 10) {
                throw new IllegalArgumentException("--journeys ≥ 1 and --rate ≥ 10\n" + USAGE);
            }
            return new Options(journeys, rate, warmup, out);
        }
    }

    /** One start: ms from the plan's publication to RUNNING and to the first action request read. */
    record Start(String journeyId, long runningMs, long firstActionMs) {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(64);
            return;
        }
        int exit;
        try {
            exit = new JourneyStartBench().run(options, System.out);
        } catch (Exception e) {
            e.printStackTrace();
            exit = 2;
        }
        System.out.flush();
        System.exit(exit);
    }

    int run(Options options, PrintStream out) throws Exception {
        Files.createDirectories(options.out());
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic(Topics.CONTROL, 1, Map.of("cleanup.policy", "compact"));
            kafka.createTopic(Topics.EVENTS_RESOLVED, 2);
            kafka.createTopic(Topics.ACTIONS, 2);
            kafka.createTopic(Topics.JOURNEY_STATUS, 1);
            kafka.createTopic(Topics.EVENTS_DLQ, 1);
            kafka.createTopic(PASS_OUT, 2);
            for (String t : List.of(Topics.DELIVERIES, Topics.IDENTITY_CHANGES, Topics.JOURNEY_TRANSFERS, Topics.JOURNEY_STATS, Topics.PROFILES)) {
                kafka.createTopic(t, 2);
            }
            Map<String, String> s = new LinkedHashMap<>(FlinkTestCluster.jobSettings(kafka.bootstrap()));
            s.put("QA_CHECKPOINT_INTERVAL", "10s");
            Settings settings = Settings.of(s);
            Configuration conf = FlinkSettings.jobConfiguration(settings);
            MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                    .setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(4).build());
            cluster.start();
            AtomicBoolean producing = new AtomicBoolean(true);
            Thread traffic = new Thread(() -> traffic(kafka, options.rate(), producing), "bench-traffic");
            try {
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
                new JourneysJob(settings).addTo(env);
                cluster.submitJob(env.getStreamGraph()).get(60, TimeUnit.SECONDS);
                StreamExecutionEnvironment pass = StreamExecutionEnvironment.getExecutionEnvironment(conf);
                passThrough(pass, KafkaSettings.from(settings));
                cluster.submitJob(pass.getStreamGraph()).get(60, TimeUnit.SECONDS);
                traffic.start();
                out.printf("qa-bench journey-start: %d starts under %,d events/s, parallelism 2, %d cores%n",
                        options.journeys(), options.rate(), Runtime.getRuntime().availableProcessors());

                try (KafkaConsumer<byte[], byte[]> c = consumer(kafka)) {
                    // warm-up: a journey running for a while, so the figures are not of a JIT-cold JVM
                    measure(kafka, c, "warmup", 1, Duration.ofSeconds(options.warmupSeconds()), new ArrayList<>(), new ArrayList<>());
                    List<Start> starts = new ArrayList<>();
                    List<Long> eventToAction = new ArrayList<>();
                    List<Long> eventToCopy = new ArrayList<>();
                    for (int i = 1; i <= options.journeys(); i++) {
                        Start st = measure(kafka, c, "start-" + i, 1, Duration.ofSeconds(2), eventToAction, eventToCopy);
                        starts.add(st);
                        out.printf("  %-9s RUNNING after %,5d ms, first action request after %,5d ms%n", st.journeyId(), st.runningMs(), st.firstActionMs());
                    }
                    return report(options, out, starts, eventToAction, eventToCopy);
                }
            } finally {
                producing.set(false);
                traffic.join(10_000);
                cluster.close();
            }
        }
    }

    /** Publishes a journey, waits for RUNNING and its first action, lets it run for {@code runFor}, stops it. */
    private Start measure(EmbeddedKafka kafka, KafkaConsumer<byte[], byte[]> c, String journeyId, long version, Duration runFor,
                          List<Long> eventToAction, List<Long> eventToCopy) throws Exception {
        long published;
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            published = System.nanoTime();
            p.send(ControlRecords.record(new ControlRecord(ControlRecord.VERSION, ControlKind.JOURNEY_PLAN,
                    JourneyPlan.subject(ORG, journeyId), version, plan(journeyId)))).get();
        }
        long running = -1;
        long first = -1;
        long deadline = published + Duration.ofSeconds(60).toNanos();
        long stopAt = Long.MAX_VALUE;
        while (System.nanoTime() < Math.min(deadline, stopAt)) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(5))) {
                long now = System.nanoTime();
                long wall = System.currentTimeMillis();
                JsonNode v = Json.MAPPER.readTree(r.value());
                if (r.topic().equals(Topics.JOURNEY_STATUS)) {
                    if (v.path("journeyId").asText().equals(journeyId) && running < 0) {
                        running = now;
                    }
                } else if (r.topic().equals(Topics.ACTIONS)) {
                    if (v.path("journeyId").asText().equals(journeyId)) {
                        if (first < 0) {
                            first = now;
                            stopAt = now + runFor.toNanos();
                        }
                        eventToAction.add(wall - v.path("variables").path("sentAt").asLong());
                    }
                } else {
                    eventToCopy.add(wall - v.path("event").path("attributes").path("sentAt").asLong());
                }
            }
        }
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            p.send(ControlRecords.tombstone(ControlKind.JOURNEY_PLAN, JourneyPlan.subject(ORG, journeyId))).get();
        }
        if (first < 0 || running < 0) {
            throw new IllegalStateException(journeyId + ": no " + (running < 0 ? "RUNNING status" : "action request") + " within 60 s");
        }
        return new Start(journeyId, (running - published) / 1_000_000, (first - published) / 1_000_000);
    }

    private int report(Options options, PrintStream out, List<Start> starts, List<Long> eventToAction, List<Long> eventToCopy) throws Exception {
        List<Double> first = starts.stream().map(s -> (double) s.firstActionMs()).toList();
        List<Double> running = starts.stream().map(s -> (double) s.runningMs()).toList();
        double maxFirst = first.stream().mapToDouble(d -> d).max().orElseThrow();
        long[] action = eventToAction.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] copy = eventToCopy.stream().mapToLong(Long::longValue).sorted().toArray();
        out.println("=".repeat(100));
        out.printf("journey start → first action request: median %.0f ms, max %.0f ms (target ≤ %,d ms): %s%n",
                Stats.median(first), maxFirst, TARGET_MS, maxFirst <= TARGET_MS ? "MET" : "MISSED");
        out.printf("journey start → RUNNING on qa.journeys.status: median %.0f ms, max %.0f ms%n",
                Stats.median(running), running.stream().mapToDouble(d -> d).max().orElseThrow());
        out.printf("per event, produced → read back (%,d / %,d samples): journeys action p50 %.0f ms p99 %.0f ms; pass-through copy p50 %.0f ms p99 %.0f ms%n",
                action.length, copy.length, Stats.percentile(action, 0.5), Stats.percentile(action, 0.99),
                Stats.percentile(copy, 0.5), Stats.percentile(copy, 0.99));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("journeys", options.journeys());
        json.put("rate", options.rate());
        json.put("starts", starts);
        json.put("firstActionMedianMs", Stats.median(first));
        json.put("firstActionMaxMs", maxFirst);
        json.put("targetMs", TARGET_MS);
        json.put("eventToActionP50Ms", Stats.percentile(action, 0.5));
        json.put("eventToActionP99Ms", Stats.percentile(action, 0.99));
        json.put("passThroughP50Ms", Stats.percentile(copy, 0.5));
        json.put("passThroughP99Ms", Stats.percentile(copy, 0.99));
        Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(options.out().resolve("latest-journey-start.json").toFile(), json);
        return maxFirst <= TARGET_MS ? 0 : 1;
    }

    static JourneyPlan plan(String journeyId) {
        var match = new JourneyPlan.Match(CODE, null, false, List.of());
        var action = new JourneyPlan.Action("bench-sms", "tpl", IdType.MOBILE,
                List.of(new JourneyPlan.Variable("sentAt", "sentAt", "REPLACE", "0")), null);
        return new JourneyPlan(JourneyPlan.VERSION, ORG, journeyId, journeyId, 1,
                new JourneyPlan.Trigger(TriggerType.EVENT, match, 1, 10, 7 * 86_400_000L, null), "s",
                List.of(new JourneyPlan.Step("s", NodeType.SMS, null, null, null, null, null, null, action, null, null)));
    }

    /** Resolved events for 10,000 persons at {@code rate} per second, each carrying the wall-clock ms it was sent at. */
    private static void traffic(EmbeddedKafka kafka, int rate, AtomicBoolean producing) {
        try (KafkaProducer<byte[], byte[]> p = kafka.producer(Map.of("linger.ms", "1"))) {
            long n = 0;
            long start = System.nanoTime();
            while (producing.get()) {
                long due = start + n * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                String person = "b" + (n % 10_000);
                long now = System.currentTimeMillis();
                CanonicalEvent ce = new CanonicalEvent(1, "ev-" + n, ORG, person, "app", null, CODE,
                        Map.of("sentAt", now), now, now);
                ResolvedEvent re = new ResolvedEvent(1, person, Map.of(IdType.MOBILE, List.of("1390000" + (n % 10_000))), ce);
                p.send(new ProducerRecord<>(Topics.EVENTS_RESOLVED, null, now, (ORG + '|' + person).getBytes(StandardCharsets.UTF_8),
                        Json.MAPPER.writeValueAsBytes(re)));
                n++;
            }
        } catch (Exception e) {
            throw new IllegalStateException("traffic stopped", e);
        }
    }

    private static void passThrough(StreamExecutionEnvironment env, KafkaSettings kafka) {
        KafkaSource<byte[]> source = KafkaSource.<byte[]>builder()
                .setBootstrapServers(kafka.bootstrap())
                .setTopics(Topics.EVENTS_RESOLVED)
                .setGroupId("bench-journeys-passthrough")
                .setStartingOffsets(OffsetsInitializer.latest())
                .setDeserializer(KafkaRecordDeserializationSchema.valueOnly(ByteArrayDeserializer.class))
                .setProperties(kafka.clientProperties())
                .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "pass-through source")
                .sinkTo(KafkaSink.<byte[]>builder()
                        .setBootstrapServers(kafka.bootstrap())
                        .setRecordSerializer(KafkaRecordSerializationSchema.<byte[]>builder().setTopic(PASS_OUT)
                                .setKafkaValueSerializer(ByteArraySerializer.class).build())
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .setKafkaProducerConfig(kafka.producerProperties())
                        .build()).name(PASS_OUT);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(EmbeddedKafka kafka) {
        KafkaConsumer<byte[], byte[]> c = kafka.consumer();
        List<TopicPartition> parts = new ArrayList<>();
        for (String t : List.of(Topics.JOURNEY_STATUS, Topics.ACTIONS, PASS_OUT)) {
            c.partitionsFor(t).forEach(i -> parts.add(new TopicPartition(t, i.partition())));
        }
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position);
        return c;
    }
}
