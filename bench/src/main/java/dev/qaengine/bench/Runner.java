package dev.qaengine.bench;

import dev.qaengine.common.FlinkSettings;
import dev.qaengine.common.Settings;
import dev.qaengine.model.Topics;
import dev.qaengine.testkit.EmbeddedKafka;
import dev.qaengine.testkit.FlinkTestCluster;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Runs one job (pass-through or stage) over the workload, each time on a fresh broker and a fresh
 * Flink MiniCluster, so that no run inherits topics, committed offsets or broker state from another,
 * and the pass-through and the stage meet the same conditions. The MiniCluster is driven directly
 * (submit, status, cancel, close) rather than through {@code env.executeAsync()}, whose per-job
 * cluster shuts down in the background: here the next run starts only once this one's cluster is gone.
 */
final class Runner {
    static final int PARALLELISM = 2;
    /** No new output for this long after the first output: the job is stuck. */
    private static final Duration STALL = Duration.ofSeconds(60);
    /** No output at all this long after submission. */
    private static final Duration NO_START = Duration.ofSeconds(120);

    private final BenchOptions options;
    private final PrintStream log;

    Runner(BenchOptions options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    RunResult run(Stage subject, Workload workload, int run) {
        String name = subject.name();
        long expected = subject.expectedOutputs(workload.count());
        Path scratch = FlinkTestCluster.shortTempDir("bench-");
        double produceSeconds = Double.NaN;
        try (EmbeddedKafka kafka = quietly(EmbeddedKafka::start)) {
            for (String t : workload.topics()) {
                kafka.createTopic(t, PARALLELISM);
            }
            kafka.createTopic(Topics.CONTROL, 1, Map.of("cleanup.policy", "compact"));
            subject.prepare(kafka);
            produceSeconds = produce(kafka, workload);

            Settings settings = settings(kafka, scratch, subject);
            Configuration conf = flinkConfiguration(settings, name);
            StreamGraph graph;
            try {
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
                subject.addTo(env, settings);
                graph = env.getStreamGraph();
            } catch (Throwable e) {
                return RunResult.failed(name, run, "BUILD_FAILED", describe(e), workload.count(), expected, Map.of(), produceSeconds);
            }
            return measure(subject, workload, run, kafka, conf, graph, expected, produceSeconds);
        } catch (Throwable e) {
            return RunResult.failed(name, run, "ERROR", describe(e), workload.count(), expected, Map.of(), produceSeconds);
        } finally {
            deleteRecursively(scratch);
        }
    }

    /** The broker's formatter prints to System.out; keep the report readable. */
    private static <T> T quietly(java.util.function.Supplier<T> action) {
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            return action.get();
        } finally {
            System.setOut(stdout);
        }
    }

    /** Produces the workload (timed, reported, not part of any measurement) and waits until all is acknowledged. */
    private double produce(EmbeddedKafka kafka, Workload workload) throws Exception {
        long start = System.nanoTime();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            for (long i = 0; i < workload.count() && failure.get() == null; i++) {
                byte[] value = workload.value(i);
                bytes += value.length;
                producer.send(new ProducerRecord<>(workload.topic(i), workload.key(i), value), (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing the workload failed", failure.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long inTopic = workload.topics().stream().mapToLong(kafka::count).sum();
        if (inTopic != workload.count()) {
            throw new IllegalStateException("produced " + workload.count() + " records but " + inTopic + " are in " + workload.topics());
        }
        log.printf("    produced %,d records (%,.1f MB, %.1f bytes avg) in %.1f s (%,.0f rec/s)%n",
                workload.count(), bytes / 1e6, (double) bytes / workload.count(), seconds, workload.count() / seconds);
        return seconds;
    }

    Settings settings(EmbeddedKafka kafka, Path scratch, Stage subject) throws IOException {
        Map<String, String> s = new HashMap<>();
        // QA_* from the environment tune both jobs alike (e.g. QA_KAFKA_COMPRESSION=none); the broker
        // address and the directories are always the harness's own
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("QA_") && !k.equals("QA_SKIP_BUILD")) {
                s.put(k, v);
            }
        });
        s.putIfAbsent("QA_CHECKPOINT_INTERVAL", "10s");
        s.putAll(subject.settings());
        s.put("QA_KAFKA_BOOTSTRAP", kafka.bootstrap());
        s.put("QA_PARALLELISM", String.valueOf(PARALLELISM));
        s.put("QA_ROCKSDB_LOCALDIR", Files.createDirectories(scratch.resolve("rdb")).toString());
        s.put("QA_CHECKPOINT_DIR", Files.createDirectories(scratch.resolve("ckpt")).toUri().toString());
        s.remove("QA_SAVEPOINT_DIR");
        return Settings.of(s);
    }

    Configuration flinkConfiguration(Settings settings, String jobName) {
        Configuration conf = FlinkSettings.jobConfiguration(settings);
        conf.setString("pipeline.name", "bench-" + jobName);
        // a failing job fails the run at once instead of restarting for minutes (FLINK2-NOTES pitfall 8)
        conf.setString("restart-strategy.type", "none");
        conf.setString("taskmanager.numberOfTaskSlots", String.valueOf(PARALLELISM));
        // MiniCluster's default of 128 MB managed memory leaves RocksDB 64 MB per slot, far below any real
        // TaskManager; the local stack's setting (QA_FLINK_MANAGED_MEMORY, 512m) is the closer picture
        conf.setString("taskmanager.memory.managed.size", settings.string("QA_FLINK_MANAGED_MEMORY", "512m"));
        // never bind the local stack's ports, and only on loopback
        conf.setString("rest.bind-port", "0");
        conf.setString("rest.bind-address", "127.0.0.1");
        conf.setString("rest.address", "127.0.0.1");
        options.flink().forEach(conf::setString);
        return conf;
    }

    private RunResult measure(Stage subject, Workload workload, int run, EmbeddedKafka kafka, Configuration conf,
                              StreamGraph graph, long expected, double produceSeconds) throws Exception {
        String name = subject.name();
        OutputCounter counter = new OutputCounter(kafka, subject.outputTopics());
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(PARALLELISM).build());
        cluster.start();
        JobID jobId = null;
        Profiler profiler = null;
        StackSampler sampler = null;
        try {
            long submitted = System.nanoTime();
            try {
                jobId = cluster.submitJob(graph).get(60, TimeUnit.SECONDS).getJobID();
            } catch (Exception e) {
                return RunResult.failed(name, run, "SUBMIT_FAILED", describe(e), workload.count(), expected, Map.of(), produceSeconds);
            }
            int cap = 1 << 16;
            long[] times = new long[cap];
            long[] counts = new long[cap];
            int n = 0;
            long t0 = 0;
            long c0 = 0;
            long t1 = 0;
            long lastChange = submitted;
            long last = 0;
            Resources before = null;
            int polls = 0;
            while (true) {
                long now = System.nanoTime();
                long c = counter.count();
                if (c > 0 && n < cap) {
                    times[n] = now;
                    counts[n] = c;
                    n++;
                }
                if (c > 0 && t0 == 0) {
                    t0 = now;
                    c0 = c;
                    before = Resources.snapshot();
                    if (run > 0 && !(subject instanceof PassThroughStage)) {
                        if (options.jfr()) {
                            profiler = Profiler.start("bench-" + name + "-" + run);
                        }
                        if (options.profile()) {
                            sampler = StackSampler.start(20);
                        }
                    }
                }
                if (c != last) {
                    last = c;
                    lastChange = now;
                }
                if (c >= expected) {
                    t1 = now;
                    break;
                }
                if (++polls % 20 == 0) {
                    JobStatus status = cluster.getJobStatus(jobId).get(10, TimeUnit.SECONDS);
                    if (status.isGloballyTerminalState()) {
                        return RunResult.failed(name, run, "JOB_FAILED", status + ": " + failureOf(cluster, jobId),
                                workload.count(), expected, counter.byTopic(), produceSeconds);
                    }
                }
                if (t0 == 0 && now - submitted > NO_START.toNanos() || t0 != 0 && now - lastChange > STALL.toNanos()) {
                    return RunResult.failed(name, run, "STALLED", "no " + (t0 == 0 ? "output" : "progress") + " for "
                                    + Duration.ofNanos(now - lastChange).toSeconds() + " s at " + c + " of " + expected,
                            workload.count(), expected, counter.byTopic(), produceSeconds);
                }
                Thread.sleep(options.pollMs());
            }
            Resources.Usage usage = Resources.snapshot().since(before, 10);
            try {
                subject.afterOutputs(cluster, jobId, log);
            } catch (Exception e) {
                log.println("    (after the run: " + describe(e) + ")");
            }
            String profile = null;
            if (profiler != null || sampler != null) {
                profile = "";
                if (sampler != null) {
                    sampler.close();
                    profile += sampler.summary();
                    sampler = null;
                }
                if (profiler != null) {
                    profile += profiler.stop(options.out().resolve("profile-" + name + "-run" + run + ".jfr"));
                    profiler = null;
                }
                Files.writeString(options.out().resolve("profile-" + name + "-run" + run + ".txt"), profile);
            }
            Map<String, Long> outputs = counter.byTopic();
            reportDlq(kafka, subject, outputs);
            return new RunResult(name, run, "OK", null, workload.count(), expected, outputs,
                    Stats.rate(expected, c0, t0, t1), Stats.windowRate(times, counts, n, expected, 0.1, 0.9),
                    (t1 - t0) / 1e9, (t0 - submitted) / 1e9, produceSeconds, usage, profile, progress(times, counts, n));
        } finally {
            if (sampler != null) {
                sampler.close();
            }
            if (profiler != null) {
                profiler.discard();
            }
            stop(cluster, jobId);
        }
    }

    /** The output count over time, [ms since the first output, count], about every 500 ms: shows a slowing job. */
    static List<long[]> progress(long[] times, long[] counts, int n) {
        List<long[]> points = new ArrayList<>();
        long next = 0;
        for (int i = 0; i < n; i++) {
            long ms = (times[i] - times[0]) / 1_000_000;
            if (ms >= next || i == n - 1) {
                points.add(new long[]{ms, counts[i]});
                next = ms + 500;
            }
        }
        return points;
    }

    /** Cancels the job, waits for it to end, and shuts the cluster down before the broker goes. */
    private void stop(MiniCluster cluster, JobID jobId) {
        try {
            if (jobId != null) {
                JobStatus status = cluster.getJobStatus(jobId).get(10, TimeUnit.SECONDS);
                if (!status.isGloballyTerminalState()) {
                    cluster.cancelJob(jobId).get(30, TimeUnit.SECONDS);
                }
                cluster.requestJobResult(jobId).get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            log.println("    (cancelling the job: " + describe(e) + ")");
        }
        try {
            cluster.closeAsync().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.println("    (closing the MiniCluster: " + describe(e) + ")");
        }
    }

    private static String failureOf(MiniCluster cluster, JobID jobId) {
        try {
            JobResult result = cluster.requestJobResult(jobId).get(10, TimeUnit.SECONDS);
            return result.getSerializedThrowable()
                    .map(t -> describe(t.deserializeError(Runner.class.getClassLoader())))
                    .orElse("no exception recorded");
        } catch (Exception e) {
            return "(no job result: " + describe(e) + ")";
        }
    }

    /** Every workload record is valid: a DLQ record means a harness or job bug, so show one. */
    private void reportDlq(EmbeddedKafka kafka, Stage subject, Map<String, Long> outputs) {
        Long dlq = outputs.get(Topics.EVENTS_DLQ);
        if (dlq == null || dlq == 0 || !subject.outputTopics().contains(Topics.EVENTS_DLQ)) {
            return;
        }
        log.printf("    WARNING: %,d records went to %s although the workload is all valid; the first one:%n", dlq, Topics.EVENTS_DLQ);
        try {
            List<ConsumerRecord<byte[], byte[]>> got = kafka.readUntil(Topics.EVENTS_DLQ, l -> !l.isEmpty(), Duration.ofSeconds(10));
            ConsumerRecord<byte[], byte[]> r = got.get(0);
            for (Header h : r.headers()) {
                log.printf("      %s = %s%n", h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
            log.printf("      value = %s%n", r.value() == null ? "null" : new String(r.value(), StandardCharsets.UTF_8));
        } catch (RuntimeException | AssertionError e) {
            log.println("      (could not read it: " + e.getMessage() + ")");
        }
    }

    static String describe(Throwable e) {
        Throwable root = e;
        List<String> chain = new ArrayList<>();
        while (root != null && chain.size() < 6) {
            chain.add(root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + firstLine(root.getMessage())));
            if (root.getCause() == root) {
                break;
            }
            root = root.getCause();
        }
        return String.join(" <- caused by ", chain);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sums end offsets of the output topics with one admin call per poll (partitions looked up once). */
    private static final class OutputCounter {
        private final EmbeddedKafka kafka;
        private final Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();

        OutputCounter(EmbeddedKafka kafka, List<String> topics) throws Exception {
            this.kafka = kafka;
            kafka.admin().describeTopics(topics).allTopicNames().get().forEach((topic, d) ->
                    d.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
        }

        long count() throws Exception {
            return kafka.admin().listOffsets(request).all().get().values().stream().mapToLong(i -> i.offset()).sum();
        }

        Map<String, Long> byTopic() {
            Map<String, Long> out = new LinkedHashMap<>();
            try {
                kafka.admin().listOffsets(request).all().get()
                        .forEach((tp, info) -> out.merge(tp.topic(), info.offset(), Long::sum));
            } catch (Exception e) {
                out.put("?", -1L);
            }
            return out;
        }
    }
}
