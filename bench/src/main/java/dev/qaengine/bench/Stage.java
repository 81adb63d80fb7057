package dev.qaengine.bench;

import dev.qaengine.common.Settings;
import dev.qaengine.testkit.EmbeddedKafka;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.List;
import java.util.Map;

/**
 * One engine stage under benchmark. Adding a stage (identity, journeys, profiles) is one class that
 * implements this, plus a line in {@link Stages}.
 *
 * <p>For every run the harness starts a fresh broker, calls {@link #prepare} (topics, definitions),
 * produces {@link #workload}'s records to its topic, builds the job with {@link #addTo}, and measures
 * how fast {@link #outputTopics} fill up to {@link #expectedOutputs}. The baseline pass-through reads
 * the same records from the same topic.
 */
public interface Stage {
    /** The name used on the command line and in reports. */
    String name();

    /** The required ratio of this stage's throughput to the pass-through's (ARCHITECTURE.md). */
    double target();

    /** The input records; by default event messages v1 on qa.events.raw. */
    default Workload workload(BenchOptions options, long baseTime) {
        return new EventWorkload(options.seed(), baseTime, options.customers(), options.events());
    }

    /**
     * Creates the stage's topics other than the workload's and publishes what the stage needs before
     * the records arrive (definitions on qa.control). Runs before the records are produced.
     */
    void prepare(EmbeddedKafka kafka) throws Exception;

    /** Stage-specific settings added to the common ones (bootstrap, parallelism, RocksDB dir, checkpoints). */
    default Map<String, String> settings() {
        return Map.of();
    }

    /** Adds the stage's job to the environment, exactly as the production job would. */
    void addTo(StreamExecutionEnvironment env, Settings settings) throws Exception;

    /** Topics whose record counts add up to the stage's output. */
    List<String> outputTopics();

    /** The production job's class: the report names the jar it came from and when that was built. */
    default Class<?> jobClass() {
        return getClass();
    }

    /** How many output records the stage must write for {@code inputs} input records. */
    long expectedOutputs(long inputs);

    /**
     * Called once the outputs are complete, with the job still running and outside the measured window:
     * a stage reports what else it knows (state size, work still in flight) on {@code log}.
     */
    default void afterOutputs(org.apache.flink.runtime.minicluster.MiniCluster cluster, org.apache.flink.api.common.JobID job,
                              java.io.PrintStream log) throws Exception {
    }
}
