package dev.qaengine.bench;

import dev.qaengine.common.Settings;
import dev.qaengine.identity.IdentityJob;
import dev.qaengine.model.Topics;
import dev.qaengine.testkit.EmbeddedKafka;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The identity job over {@link IdentityWorkload}: events and identity messages in, resolved events out.
 * The rate counts resolved events only: the identity messages (10 % of the records) are processed in
 * the same window but not counted, so the ratio to the pass-through (which copies every record) errs low.
 * The merges they cause run through the job's transactional feedback topic; once the events are
 * resolved, {@link #afterOutputs} reports how many merges were committed, how long the rest took, and
 * the state size per identifier from a checkpoint taken then.
 */
public final class IdentityStage implements Stage {
    private IdentityWorkload workload;

    @Override
    public String name() {
        return "identity";
    }

    @Override
    public double target() {
        return 0.25;
    }

    @Override
    public Workload workload(BenchOptions options, long baseTime) {
        workload = new IdentityWorkload(options.seed(), baseTime, options.persons(), options.events());
        return workload;
    }

    @Override
    public void prepare(EmbeddedKafka kafka) {
        for (String t : List.of(Topics.EVENTS_RESOLVED, Topics.IDENTITY_FEEDBACK, Topics.IDENTITY_CHANGES, Topics.IDENTITY_AUDIT)) {
            kafka.createTopic(t, 2);
        }
        bootstrap = kafka.bootstrap();
        this.kafka = kafka;
    }

    private String bootstrap;
    private EmbeddedKafka kafka;

    @Override
    public Map<String, String> settings() {
        // The merge protocol advances one step per checkpoint (its feedback is transactional): 1 s, not the
        // harness's 10 s. No Redis here: the directory is a sink beside the job, measured on its own.
        return Map.of("QA_CHECKPOINT_INTERVAL", System.getenv().getOrDefault("QA_CHECKPOINT_INTERVAL", "1s"),
                "QA_IDENTITY_DIRECTORY", "off");
    }

    @Override
    public void addTo(StreamExecutionEnvironment env, Settings settings) {
        new IdentityJob(settings).addTo(env);
    }

    @Override
    public Class<?> jobClass() {
        return IdentityJob.class;
    }

    @Override
    public List<String> outputTopics() {
        return List.of(Topics.EVENTS_RESOLVED);
    }

    @Override
    public long expectedOutputs(long inputs) {
        return workload.events();
    }

    @Override
    public void afterOutputs(MiniCluster cluster, JobID job, PrintStream log) throws Exception {
        long start = System.nanoTime();
        long merges = committedMerges();
        log.printf("    merges committed when the last event was resolved: %,d of %,d%n", merges, workload.merges());
        long deadline = start + Duration.ofMinutes(5).toNanos();
        while (merges < workload.merges() && System.nanoTime() < deadline) {
            Thread.sleep(500); // poll pacing; the run's measurement is over
            merges = committedMerges();
        }
        log.printf("    all %,d merges committed %.1f s later%s%n", merges, (System.nanoTime() - start) / 1e9,
                merges == workload.merges() ? "" : " (INCOMPLETE: expected " + workload.merges() + ")");
        cluster.triggerCheckpoint(job).get(5, TimeUnit.MINUTES);
        CompletedCheckpointStats latest = cluster.getExecutionGraph(job).get(1, TimeUnit.MINUTES)
                .getCheckpointStatsSnapshot().getHistory().getLatestCompletedCheckpoint();
        if (latest != null) {
            long ids = workload.identifiers();
            log.printf("    state: checkpoint %d holds %,.1f MB (%,d bytes checkpointed incrementally) for %,d identifiers: %.0f bytes per identifier%n",
                    latest.getCheckpointId(), latest.getStateSize() / 1e6, latest.getCheckpointedSize(), ids,
                    (double) latest.getStateSize() / ids);
        }
    }

    /** Merges on qa.identity.changes, read committed (the end offsets also count transaction markers). */
    private long committedMerges() {
        long n = 0;
        try (KafkaConsumer<byte[], byte[]> c = kafka.consumer(Map.of("isolation.level", "read_committed", "fetch.max.bytes", "52428800"))) {
            List<TopicPartition> parts = c.partitionsFor(Topics.IDENTITY_CHANGES).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> ignored : c.poll(Duration.ofMillis(200))) {
                    n++;
                }
            }
        }
        return n;
    }
}
