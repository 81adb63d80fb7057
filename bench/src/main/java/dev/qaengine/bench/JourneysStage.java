package dev.qaengine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.ControlRecords;
import dev.qaengine.common.Json;
import dev.qaengine.common.Settings;
import dev.qaengine.journeys.JourneysJob;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.ControlRecord;
import dev.qaengine.model.IdType;
import dev.qaengine.model.Topics;
import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.NodeType;
import dev.qaengine.model.journey.Operator;
import dev.qaengine.model.journey.TriggerType;
import dev.qaengine.testkit.EmbeddedKafka;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The journeys engine over {@link JourneysWorkload} with {@code QA_BENCH_JOURNEYS} running journeys (1,000
 * by default) spread over the 100 event codes. Per code: one "observer" journey that sends an SMS on every
 * event of its code (so each event yields exactly one action request: the measured output), and the rest
 * "work" journeys — amount above a threshold (about half the events), then an EVENT_BRANCH on the next code
 * within 30 minutes, both ways to END: entries, participation records, windows, timers, no extra output.
 * Every event is thus matched against {@code journeys / 100} candidate journeys.
 *
 * <p>{@link #afterOutputs} takes a checkpoint and reports the state: per person with state, and per run
 * still active (the runs entered and not ended, summed from the engine's own counts on qa.journeys.stats).
 */
public final class JourneysStage implements Stage {
    private JourneysWorkload workload;
    private EmbeddedKafka kafka;
    private final int journeys = Integer.parseInt(System.getenv().getOrDefault("QA_BENCH_JOURNEYS", "1000"));
    /** {@code enter} (default): work journeys take about half the events; {@code idle}: their conditions match none. */
    private final boolean idle = "idle".equals(System.getenv().getOrDefault("QA_BENCH_WORK", "enter"));

    @Override
    public String name() {
        return "journeys";
    }

    @Override
    public double target() {
        return 0.2;
    }

    @Override
    public Workload workload(BenchOptions options, long baseTime) {
        workload = new JourneysWorkload(options.seed(), baseTime, options.persons(), options.events());
        return workload;
    }

    static List<JourneyPlan> plans(int journeys) {
        return plans(journeys, false);
    }

    /**
     * @param idle the work journeys' conditions match no event (amount above 10,000): every event is still
     *             matched against all its code's journeys, but enters the observer only — what the
     *             10,000-journey criterion measures: the cost of journeys an event does not start
     */
    static List<JourneyPlan> plans(int journeys, boolean idle) {
        List<JourneyPlan> plans = new ArrayList<>();
        int perCode = Math.max(1, journeys / JourneysWorkload.CODES);
        for (int code = 0; code < JourneysWorkload.CODES; code++) {
            for (int k = 0; k < perCode; k++) {
                String id = "j" + code + "-" + k;
                JourneyPlan.Trigger any = new JourneyPlan.Trigger(TriggerType.EVENT,
                        new JourneyPlan.Match("e" + code, null, false, k == 0 ? List.of()
                                : List.of(new JourneyPlan.Rule("amount", Operator.GT, true, null, List.of((idle ? 10_000.0 : 400.0) + k)))),
                        1, 10, 7 * 86_400_000L, null);
                List<JourneyPlan.Step> steps = k == 0
                        ? List.of(new JourneyPlan.Step("s", NodeType.SMS, null, null, null, null, null, null,
                        new JourneyPlan.Action("bench-sms", "tpl", IdType.MOBILE, null, null), null, null))
                        : List.of(new JourneyPlan.Step("b", NodeType.EVENT_BRANCH, Map.of("DONE", "x", "NOT_DONE", "x"), 30 * 60_000L, null,
                                new JourneyPlan.Match("e" + ((code + 1) % JourneysWorkload.CODES), null, false, List.of()), Operator.GE, 1L,
                                null, null, null),
                        new JourneyPlan.Step("x", NodeType.END, null, null, null, null, null, null, null, null, null));
                plans.add(new JourneyPlan(JourneyPlan.VERSION, JourneysWorkload.ORG, id, id, 1, any, k == 0 ? "s" : "b", steps));
            }
        }
        return plans;
    }

    @Override
    public void prepare(EmbeddedKafka kafka) throws Exception {
        this.kafka = kafka;
        for (String t : List.of(Topics.ACTIONS, Topics.DELIVERIES, Topics.IDENTITY_CHANGES, Topics.JOURNEY_TRANSFERS, Topics.JOURNEY_STATS, Topics.JOURNEY_TRACE,
                Topics.PROFILES, Topics.EVENTS_DLQ)) {
            kafka.createTopic(t, 2);
        }
        kafka.createTopic(Topics.JOURNEY_STATUS, 1);
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            for (JourneyPlan plan : plans(journeys, idle)) {
                p.send(ControlRecords.record(new ControlRecord(ControlRecord.VERSION, ControlKind.JOURNEY_PLAN,
                        JourneyPlan.subject(plan.orgId(), plan.journeyId()), 1, plan)));
            }
            p.flush();
        }
    }

    @Override
    public Map<String, String> settings() {
        // the harness reads the workload from the start; the job's default is the end of the topic
        // the trace (a few records per run) is measured apart: QA_BENCH_TRACE=ALL or RUNS; the engine alone by default
        return Map.of("QA_JOURNEYS_GROUP_ID", "bench-journeys-" + System.nanoTime(), "QA_JOURNEYS_START_OFFSETS", "earliest",
                "QA_JOURNEYS_TRACE", System.getenv().getOrDefault("QA_BENCH_TRACE", "OFF"));
    }

    @Override
    public void addTo(StreamExecutionEnvironment env, Settings settings) {
        new JourneysJob(settings).addTo(env);
    }

    @Override
    public Class<?> jobClass() {
        return JourneysJob.class;
    }

    @Override
    public List<String> outputTopics() {
        return List.of(Topics.ACTIONS);
    }

    @Override
    public long expectedOutputs(long inputs) {
        return inputs; // one observer SMS per event (a person meets a code at most 10 times in the 20 minutes: see bench/README)
    }

    @Override
    public void afterOutputs(MiniCluster cluster, JobID job, PrintStream log) throws Exception {
        cluster.triggerCheckpoint(job).get(5, TimeUnit.MINUTES);
        CompletedCheckpointStats latest = cluster.getExecutionGraph(job).get(1, TimeUnit.MINUTES)
                .getCheckpointStatsSnapshot().getHistory().getLatestCompletedCheckpoint();
        long entered = 0;
        long ended = 0;
        try (var c = kafka.consumer(Map.of("isolation.level", "read_committed"))) {
            var parts = c.partitionsFor(Topics.JOURNEY_STATS).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(Topics.JOURNEY_STATS, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            int empty = 0;
            while (empty < 3) { // the committed deltas are all there: read until polls come back empty
                var batch = c.poll(Duration.ofMillis(500));
                empty = batch.isEmpty() ? empty + 1 : 0;
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    JsonNode d = Json.MAPPER.readTree(r.value());
                    entered += d.path("journey").path("entered").asLong();
                    ended += d.path("journey").path("ended").asLong();
                }
            }
        }
        if (latest != null) {
            long active = entered - ended;
            log.printf("    %d journeys; entries %,d, runs ended %,d, active %,d; state: checkpoint %d holds %,.1f MB — %.0f bytes per person "
                            + "of the workload, at most %.0f bytes per active run%n", journeys, entered, ended, active, latest.getCheckpointId(),
                    latest.getStateSize() / 1e6, (double) latest.getStateSize() / workload.persons(),
                    active > 0 ? (double) latest.getStateSize() / active : Double.NaN);
        }
    }
}
