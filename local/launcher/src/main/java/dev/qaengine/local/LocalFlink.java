package dev.qaengine.local;

import dev.qaengine.common.FlinkSettings;
import dev.qaengine.common.Settings;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One Flink {@link MiniCluster} (JobManager + one TaskManager with N slots + REST API and dashboard) that
 * runs every job of the engine, each submitted as its own JobGraph — like a session cluster. Jobs keep
 * their checkpoints under {@code <checkpoints>/<job name>/}, retained on cancellation, and a job is
 * resumed from its newest retained checkpoint on the next start.
 */
public final class LocalFlink implements AutoCloseable {
    private static final Pattern CHK = Pattern.compile("chk-(\\d+)");
    /** A job resumed from a checkpoint that fails this soon is resubmitted without the checkpoint. */
    private static final Duration RESTORE_GRACE = Duration.ofSeconds(30);

    private final MiniCluster cluster;
    private final StackConfig config;
    private final PrintStream out;
    private final Map<String, Submitted> jobs = new ConcurrentHashMap<>();

    /** A submitted job: its current id, the job and settings it was built from, and whether it was restored. */
    public record Submitted(FlinkJob job, Settings settings, JobID id, Optional<Path> restoredFrom, Instant at) {
    }

    private LocalFlink(MiniCluster cluster, StackConfig config, PrintStream out) {
        this.cluster = cluster;
        this.config = config;
        this.out = out;
    }

    /** Starts the cluster; the REST API and (with flink-runtime-web on the classpath) the dashboard answer on flinkPort. */
    public static LocalFlink start(StackConfig config, Settings settings, PrintStream out) throws Exception {
        Net.requireFree(config.flinkBindAddress(), config.flinkPort(), "Flink REST/dashboard", "Set QA_FLINK_PORT to another port.");
        Files.createDirectories(config.rocksdbDir());
        // Job defaults at cluster level too, so that every job gets RocksDB even if it sets nothing itself.
        Configuration conf = FlinkSettings.jobConfiguration(settings);
        conf.setString("rest.port", String.valueOf(config.flinkPort()));
        conf.setString("rest.bind-address", config.flinkBindAddress());
        conf.setString("rest.address", "localhost");
        conf.setString("jobmanager.rpc.address", "localhost");
        conf.setString("jobmanager.bind-host", StackConfig.HOST);
        conf.setString("taskmanager.host", "localhost");
        conf.setString("taskmanager.bind-host", StackConfig.HOST);
        conf.setString("taskmanager.numberOfTaskSlots", String.valueOf(config.flinkSlots()));
        conf.setString("state.backend.rocksdb.localdir", config.rocksdbDir().toString());
        // MiniCluster's default of 128 MB managed memory leaves RocksDB 16 MB per slot: too little for its
        // memtables ("RocksDBStateBackend performance will be poor"). 512 MB gives each of 8 slots 64 MB.
        if (!conf.containsKey("taskmanager.memory.managed.size")) {
            conf.setString("taskmanager.memory.managed.size", settings.string("QA_FLINK_MANAGED_MEMORY", "512m"));
        }
        // Jobs submitted as a jar (the dashboard's "Submit New Job", the control plane's POST /api/v1/engine/jobs) carry
        // the Kafka connector and clients that this JVM already has. Child-first loading would give the job its own
        // copies next to the connector classes Flink loads from here (org.apache.flink.* is always parent-first):
        // a ProducerRecord of one loader handed to a sink of the other. Parent-first keeps one copy of each class.
        if (!conf.containsKey("classloader.resolve-order")) {
            conf.setString("classloader.resolve-order", "parent-first");
        }
        // Fresher figures on the dashboard and in the control plane's GET /api/v1/engine/jobs (Flink's default: 10 s).
        if (!conf.containsKey("metrics.fetcher.update-interval")) {
            conf.setString("metrics.fetcher.update-interval", "3s");
        }
        // The dashboard's "Job Manager > Logs" tab shows the stack's log file.
        conf.setString("web.log.path", config.logsDir().resolve("local-stack.log").toString());
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(config.flinkSlots())
                .build());
        try {
            cluster.start();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return new LocalFlink(cluster, config, out);
    }

    /** The job's configuration: {@link FlinkSettings#jobConfiguration} plus the local stack's dirs and retention. */
    public Configuration jobConfiguration(FlinkJob job, Settings jobSettings) {
        Configuration conf = FlinkSettings.jobConfiguration(jobSettings);
        conf.setString("execution.checkpointing.dir", checkpointUri(job, jobSettings).toString());
        conf.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        conf.setString("execution.checkpointing.num-retained", "1");
        if (!conf.containsKey("state.backend.rocksdb.localdir")) {
            conf.setString("state.backend.rocksdb.localdir", config.rocksdbDir().toString());
        }
        return conf;
    }

    /** {@code <QA_CHECKPOINT_DIR or data/checkpoints>/<job name>/}: each job's checkpoints in a dir of its own. */
    URI checkpointUri(FlinkJob job, Settings jobSettings) {
        String base = jobSettings.get("QA_CHECKPOINT_DIR").orElse(config.checkpointsDir().toUri().toString());
        return URI.create(base.endsWith("/") ? base : base + "/").resolve(job.name() + "/");
    }

    /**
     * Builds the job's pipeline and submits it. Throws when the pipeline cannot be built (the cluster and
     * the other jobs stay up).
     */
    public Submitted submit(FlinkJob job, Settings jobSettings, boolean restore) throws Exception {
        URI checkpoints = checkpointUri(job, jobSettings);
        boolean local = "file".equals(checkpoints.getScheme());
        if (local) {
            pruneEmptyJobDirs(Path.of(checkpoints));
        }
        // An explicit QA_RESTORE_FROM (FlinkSettings: execution.state-recovery.path) wins over the automatic resume.
        boolean explicit = jobSettings.get("QA_RESTORE_FROM").isPresent();
        Optional<Path> checkpoint = restore && local && !explicit ? latestCheckpoint(Path.of(checkpoints)) : Optional.empty();
        Configuration conf = jobConfiguration(job, jobSettings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        job.pipeline().addTo(jobSettings, env);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(job.name());
        JobGraph jobGraph = graph.getJobGraph(LocalFlink.class.getClassLoader(), JobID.generate());
        checkpoint.ifPresent(c -> jobGraph.setSavepointRestoreSettings(
                // CLAIM: the restored checkpoint becomes the job's own and is deleted once subsumed.
                SavepointRestoreSettings.forPath(c.toString(), true, RecoveryClaimMode.CLAIM)));
        cluster.submitJob(jobGraph).get(60, TimeUnit.SECONDS);
        Submitted s = new Submitted(job, jobSettings, jobGraph.getJobID(), checkpoint, Instant.now());
        jobs.put(job.name(), s);
        return s;
    }

    /** The newest {@code chk-N} with a {@code _metadata} file under {@code <dir>/<job id>/}, if any. */
    static Optional<Path> latestCheckpoint(Path jobDir) throws IOException {
        if (!Files.isDirectory(jobDir)) {
            return Optional.empty();
        }
        try (Stream<Path> ids = Files.list(jobDir)) {
            List<Path> chks = ids.filter(Files::isDirectory)
                    .flatMap(LocalFlink::listQuietly)
                    .filter(p -> CHK.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .toList();
            return chks.stream().max(Comparator.comparingLong(LocalFlink::modifiedMillis)
                    .thenComparingLong(LocalFlink::checkpointNumber));
        }
    }

    /**
     * Removes the {@code <job id>} dirs of earlier runs that hold no file any more (their last checkpoint
     * was claimed and then subsumed by a later run), so that they do not pile up over restarts.
     */
    static void pruneEmptyJobDirs(Path jobDir) throws IOException {
        if (!Files.isDirectory(jobDir)) {
            return;
        }
        try (Stream<Path> ids = Files.list(jobDir)) {
            for (Path id : ids.filter(Files::isDirectory).toList()) {
                boolean hasFiles;
                try (Stream<Path> all = Files.walk(id)) {
                    hasFiles = all.anyMatch(Files::isRegularFile);
                }
                if (!hasFiles) {
                    try (Stream<Path> all = Files.walk(id)) {
                        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
            }
        }
    }

    private static Stream<Path> listQuietly(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private static long modifiedMillis(Path chk) {
        try {
            return Files.getLastModifiedTime(chk.resolve("_metadata")).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long checkpointNumber(Path chk) {
        Matcher m = CHK.matcher(chk.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    public Map<String, Submitted> jobs() {
        return Map.copyOf(jobs);
    }

    public Optional<JobStatus> status(JobID id) {
        try {
            return Optional.of(cluster.getJobStatus(id).get(5, TimeUnit.SECONDS));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The root cause of the job's last failure, one line, if it failed. */
    public Optional<String> failureCause(JobID id) {
        try {
            ErrorInfo info = cluster.getExecutionGraph(id).get(5, TimeUnit.SECONDS).getFailureInfo();
            return info == null ? Optional.empty() : Optional.of(rootCause(info.getExceptionAsString()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    static String rootCause(String stackTrace) {
        String cause = stackTrace.lines().findFirst().orElse("");
        for (String line : stackTrace.lines().toList()) {
            if (line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length());
            }
        }
        return cause;
    }

    /** Waits until the job is RUNNING (true) or has failed / the timeout passed (false). */
    public boolean awaitRunning(JobID id, Duration timeout) throws InterruptedException {
        Net.await(timeout, () -> status(id).map(s -> s == JobStatus.RUNNING || s.isTerminalState()
                || s == JobStatus.RESTARTING || s == JobStatus.FAILING).orElse(false));
        return status(id).map(s -> s == JobStatus.RUNNING).orElse(false);
    }

    /**
     * A job resumed from a checkpoint that fails within {@link #RESTORE_GRACE} most likely cannot use
     * that state (the job's code changed): cancel it and start it from scratch. Returns the new submission.
     */
    public Optional<Submitted> fallBackIfRestoreFailed(Submitted s) throws Exception {
        if (s.restoredFrom().isEmpty() || Instant.now().isAfter(s.at().plus(RESTORE_GRACE))) {
            return Optional.empty();
        }
        JobStatus st = status(s.id()).orElse(JobStatus.RUNNING);
        if (st != JobStatus.RESTARTING && st != JobStatus.FAILING && st != JobStatus.FAILED) {
            return Optional.empty();
        }
        out.printf("[flink] %s failed right after resuming from %s: %s%n", s.job().name(), s.restoredFrom().get(),
                failureCause(s.id()).orElse(st.name()));
        out.printf("[flink] %s: starting it again WITHOUT that checkpoint (its state starts empty; "
                + "Kafka sources resume from their committed offsets)%n", s.job().name());
        cancel(s.id(), Duration.ofSeconds(30));
        return Optional.of(submit(s.job(), s.settings(), false));
    }

    private void cancel(JobID id, Duration timeout) {
        try {
            JobStatus st = status(id).orElse(JobStatus.CANCELED);
            if (!st.isGloballyTerminalState()) {
                cluster.cancelJob(id).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            cluster.requestJobResult(id).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            out.println("[flink] could not cancel job " + id + ": " + e);
        }
    }

    /** Cancels every job (their last checkpoint is retained), then stops the cluster. */
    @Override
    public void close() throws Exception {
        for (Submitted s : jobs.values()) {
            cancel(s.id(), Duration.ofSeconds(30));
        }
        cluster.closeAsync().get(60, TimeUnit.SECONDS);
    }

    public String restUrl() {
        return config.flinkUrl();
    }
}
