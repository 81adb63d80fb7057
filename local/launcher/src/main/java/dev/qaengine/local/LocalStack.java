package dev.qaengine.local;

import dev.qaengine.common.KafkaSettings;
import dev.qaengine.common.Settings;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * The zero-install local stack behind {@code local/run.sh}: in one JVM, a Kafka broker (KRaft), Redis,
 * and one Flink cluster running every job of the engine; the control plane as a child process (its own
 * JVM: Spring Boot's classpath must not meet Flink's); {@code --demo} traffic on request.
 * Ctrl-C (SIGINT) or SIGTERM stops everything through a shutdown hook; the data under
 * {@code QA_DATA_DIR} is reused by the next start. See local/README.md.
 */
public final class LocalStack {
    private static final String LOG_CONFIG = "qa-local-log4j2.properties";

    private final StackConfig config;
    private final Settings env;
    private final boolean demo;
    private final PrintStream out;
    private final Deque<Named> started = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Map<String, String> jobStates = new LinkedHashMap<>();
    private volatile boolean stopping;
    private LocalFlink flink;
    private ControlPlaneProcess controlPlane;
    private Thread watcher;

    private record Named(String name, AutoCloseable resource) {
    }

    public LocalStack(StackConfig config, Settings env, boolean demo, PrintStream out) {
        this.config = config;
        this.env = env;
        this.demo = demo;
        this.out = out;
    }

    public static void main(String[] args) {
        boolean demo = false;
        for (String a : args) {
            switch (a) {
                case "--demo" -> demo = true;
                case "-h", "--help" -> {
                    System.out.println("usage: local/run.sh [--demo]   (see local/README.md)");
                    return;
                }
                default -> {
                    System.err.println("unknown argument: " + a + "\nusage: local/run.sh [--demo]");
                    System.exit(2);
                }
            }
        }
        Settings env = Settings.fromEnv();
        StackConfig config = StackConfig.from(env);
        // Before any logger exists: our log4j2 config writes everything to a file and only errors to the console.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        System.setProperty("qa.log.dir", config.logsDir().toString());

        LocalStack stack = new LocalStack(config, env, demo, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.stop();
            org.apache.logging.log4j.LogManager.shutdown(); // last: the config disables log4j's own hook
        }, "qa-local-shutdown"));
        handleSignal("INT", 130);
        handleSignal("TERM", 143);
        try {
            stack.start();
        } catch (Throwable e) {
            if (!stack.stopping) {
                System.out.println();
                System.out.println("FAILED to start the local stack: " + e.getMessage());
                if (e.getCause() != null && e.getCause().getMessage() != null) {
                    System.out.println("  cause: " + e.getCause().getMessage());
                }
                System.out.println("  stack trace in " + config.logsDir().resolve("local-stack.log"));
                org.apache.logging.log4j.LogManager.getLogger(LocalStack.class).warn("the local stack could not start", e); // WARN: file only
            }
            System.exit(1);
        }
        stack.awaitStopped();
    }

    /**
     * Ctrl-C / SIGTERM run the shutdown hook (as the JVM's own handler does); a second signal while
     * stopping halts at once. A signal the JVM inherited as ignored stays ignored (the JVM cannot
     * re-enable it): a script's {@code ./local/run.sh &} ignores SIGINT, so say how to stop it then.
     */
    private static void handleSignal(String name, int status) {
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        try {
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                if (seen.incrementAndGet() > 1) {
                    System.out.println("SIG" + name + " again: halting without a clean stop");
                    Runtime.getRuntime().halt(status);
                }
                Thread t = new Thread(() -> System.exit(status), "qa-local-exit");
                t.setDaemon(true);
                t.start();
            });
            if (previous == sun.misc.SignalHandler.SIG_IGN) {
                System.out.println("note: this process ignores SIG" + name + " (started in the background by a script);"
                        + " stop it with: kill " + ProcessHandle.current().pid() + "   (SIGTERM)");
            }
        } catch (IllegalArgumentException e) {
            // the signal is not available on this platform: the JVM's default handling applies
        }
    }

    public void start() throws Exception {
        long t0 = System.nanoTime();
        out.println("qa-engine local stack — data in " + config.dataDir());
        org.apache.logging.log4j.LogManager.getLogger(LocalStack.class).info("starting the local stack, data in {}", config.dataDir());

        // a. Kafka
        String bootstrap;
        KafkaSettings kafkaSettings = KafkaSettings.from(env); // SASL/TLS settings for an external Kafka
        if (config.externalKafka().isPresent()) {
            bootstrap = config.externalKafka().get();
            out.println("[kafka] using the Kafka at QA_KAFKA_BOOTSTRAP=" + bootstrap + " (no broker started)");
        } else {
            long t = System.nanoTime();
            boolean reuse = java.nio.file.Files.exists(config.kafkaDir().resolve("meta.properties"));
            out.println("[kafka] starting a broker (KRaft, broker+controller) on " + StackConfig.HOST + ":" + config.kafkaPort()
                    + ", controller on port " + config.controllerPort()
                    + (reuse ? ", reusing the data in " : ", formatting new storage in ") + config.kafkaDir());
            EmbeddedKafka kafka = EmbeddedKafka.start(config.kafkaDir(), config.kafkaPort(), config.controllerPort(), Duration.ofSeconds(90));
            register("kafka broker", kafka);
            bootstrap = kafka.bootstrap();
            out.printf("[kafka] broker up in %.1f s (cluster id %s)%n", secondsSince(t), kafka.clusterId());
        }
        List<String> created = KafkaTopics.ensure(bootstrap, kafkaSettings.clientProperties(), Duration.ofSeconds(60));
        out.println("[kafka] topics: " + (created.isEmpty() ? "all " + KafkaTopics.ALL.size() + " exist" : "created " + String.join(", ", created)));
        checkNotStopping();

        // b. Redis
        LocalRedis redis = LocalRedis.start(config.externalRedis(), config.redisPort(), config.redisDir(),
                config.logsDir().resolve("redis.log"));
        // a Redis the stack did not start is left running: say so where the shutdown lists what it stopped
        register(redis.kind() == LocalRedis.Kind.REUSED || redis.kind() == LocalRedis.Kind.EXTERNAL ? "its use of redis (the server, not started by the stack, stays up)" : "redis",
                redis);
        out.println("[redis] " + masked(redis.url()) + " — " + redis.description());
        checkNotStopping();

        // c. Control plane: started now, awaited after Flink (Spring Boot takes a while; Flink starts meanwhile)
        // the stack's Redis, wherever it runs (QA_REDIS_URL, QA_REDIS_PORT): the person directory is read there
        Map<String, String> cpEnv = new HashMap<>(Map.of("QA_FLINK_REST_URL", config.flinkUrl(), "QA_REDIS_URL", redis.url()));
        if (env.get("QA_JOBS_JAR").isEmpty()) {
            // the suite's jar, so that POST /api/v1/engine/jobs can submit to the local cluster
            ControlPlaneProcess.findJobsJar(java.nio.file.Path.of("")).ifPresent(j -> cpEnv.put("QA_JOBS_JAR", j.toAbsolutePath().toString()));
        }
        ControlPlaneProcess.Config cpConfig = ControlPlaneProcess.Config.from(env, config).withEnv(cpEnv);
        boolean withControlPlane = !java.util.Set.of("off", "false", "no", "0")
                .contains(env.string("QA_CONTROL_PLANE", "on").toLowerCase(java.util.Locale.ROOT));
        if (withControlPlane) {
            out.println("[control-plane] starting " + cpConfig.url() + " in its own JVM; database "
                    + masked(cpConfig.dbUrl().orElse(cpConfig.h2Url())) + "; log " + cpConfig.logFile());
            controlPlane = ControlPlaneProcess.start(cpConfig, bootstrap);
            register("control plane", controlPlane);
        } else {
            out.println("[control-plane] not started (QA_CONTROL_PLANE=off)");
        }
        checkNotStopping();

        // d. Flink
        startFlink(jobSettings(bootstrap, redis.url()), LocalJobs.ALL);

        String orgId = null;
        if (controlPlane != null) {
            long t = System.nanoTime();
            controlPlane.awaitHealthy(Duration.ofSeconds(180));
            orgId = controlPlane.client().organizationId();
            out.printf("[control-plane] up (pid %d) after %.1f s more; organization %s%n", controlPlane.pid(), secondsSince(t), orgId);
        }

        out.println();
        out.println("  Kafka bootstrap   " + bootstrap);
        out.println("  Topics            " + KafkaTopics.ALL.stream().map(LocalStack::describe).collect(Collectors.joining(", ")));
        out.println("  Redis             " + masked(redis.url()));
        out.println("  Flink dashboard   " + config.flinkUrl());
        out.println("  Flink jobs        " + jobsLine());
        if (controlPlane != null) {
            out.println("  Control plane     " + controlPlane.url() + "   (API " + controlPlane.url() + "/api/v1, health "
                    + controlPlane.url() + "/actuator/health)");
            out.println("  Swagger UI        " + controlPlane.url() + "/swagger-ui.html   (OpenAPI " + controlPlane.url() + "/v3/api-docs)");
            out.println("  Admin API key     " + controlPlane.adminKey() + "   (organization " + orgId + "; "
                    + (cpConfig.adminKey().isPresent() ? "from QA_BOOTSTRAP_ADMIN_KEY" : "kept in "
                    + cpConfig.dir().resolve(ControlPlaneProcess.KEY_FILE)) + ")");
            out.println("                    curl -H 'Authorization: Bearer " + controlPlane.adminKey() + "' " + controlPlane.url() + "/api/v1/me");
        } else {
            out.println("  Control plane     not started (QA_CONTROL_PLANE=off)");
        }
        out.println("  Data              " + config.dataDir() + " (reused by the next start)");
        out.println("  Logs              " + config.logsDir().resolve("local-stack.log")
                + (controlPlane != null ? ", " + cpConfig.logFile().getFileName() : ""));
        out.println("  Stop              Ctrl-C");
        out.printf("ready (%.1f s)%n", secondsSince(t0));

        if (demo) {
            checkNotStopping();
            if (jobStates().values().stream().noneMatch(s -> s.equals(JobStatus.RUNNING.name()))) {
                out.println("[demo] note: no Flink job is running, so normalized/dlq will stay at 0");
            }
            if (controlPlane == null) {
                out.println("[demo] not started: the demo defines its events through the control plane, which is off");
                return;
            }
            DemoTraffic traffic = new DemoTraffic(controlPlane.client(), bootstrap, kafkaSettings.clientProperties(),
                    kafkaSettings.producerProperties(), env.integer("QA_DEMO_RATE", 20), out);
            register("demo traffic", traffic);
            traffic.start();
        }
    }

    /** Starts the one Flink cluster and submits the jobs; a job that cannot be built is reported, the rest go on. */
    void startFlink(Settings jobSettings, List<FlinkJob> jobs) throws Exception {
        long t = System.nanoTime();
        flink = LocalFlink.start(config, jobSettings, out);
        register("flink cluster", flink);
        out.printf("[flink] local cluster up in %.1f s: %d task slots, dashboard %s%n", secondsSince(t), config.flinkSlots(), config.flinkUrl());
        for (FlinkJob job : jobs) {
            checkNotStopping();
            submit(job, jobSettings);
        }
        for (LocalFlink.Submitted s : flink.jobs().values()) {
            flink.awaitRunning(s.id(), Duration.ofSeconds(60));
        }
        reportJobChanges();
        startWatcher();
    }

    /** Job name → state as last reported (RUNNING, NOT STARTED, ...). */
    Map<String, String> jobStates() {
        synchronized (jobStates) {
            return Map.copyOf(jobStates);
        }
    }

    /** The settings every job gets: the environment, plus this stack's Kafka, Redis and directories unless set. */
    Settings jobSettings(String bootstrap, String redisUrl) {
        Map<String, String> m = new HashMap<>(System.getenv());
        m.put("QA_KAFKA_BOOTSTRAP", bootstrap);
        m.put("QA_REDIS_URL", redisUrl);
        if (env.get("QA_CHECKPOINT_DIR").isEmpty()) {
            m.put("QA_CHECKPOINT_DIR", config.checkpointsDir().toUri().toString());
        }
        if (env.get("QA_ROCKSDB_LOCALDIR").isEmpty()) {
            m.put("QA_ROCKSDB_LOCALDIR", config.rocksdbDir().toString());
        }
        if (env.get("QA_SAVEPOINT_DIR").isEmpty()) {
            m.put("QA_SAVEPOINT_DIR", config.savepointsDir().toUri().toString());
        }
        return Settings.of(m);
    }

    private void submit(FlinkJob job, Settings jobSettings) {
        try {
            LocalFlink.Submitted s = flink.submit(job, jobSettings, config.restoreJobs());
            out.println("[flink] " + job.name() + ": submitted, job id " + s.id()
                    + s.restoredFrom().map(p -> ", resuming from checkpoint " + p).orElse(", fresh state"));
        } catch (Throwable e) {
            synchronized (jobStates) {
                jobStates.put(job.name(), "NOT STARTED");
            }
            out.println("[flink] ERROR " + job.name() + ": NOT STARTED — building or submitting its pipeline failed: " + e);
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            if (root != e) {
                out.println("[flink]   root cause: " + root);
            }
            out.println("[flink]   the rest of the stack stays up; the stack trace is in " + config.logsDir().resolve("local-stack.log"));
            org.apache.logging.log4j.LogManager.getLogger(LocalStack.class).error("job {} could not be started", job.name(), e);
        }
    }

    private void startWatcher() {
        watcher = new Thread(() -> {
            while (!stopping) {
                try {
                    Thread.sleep(1000);
                    for (LocalFlink.Submitted s : flink.jobs().values()) {
                        if (stopping) {
                            return;
                        }
                        Optional<LocalFlink.Submitted> again = flink.fallBackIfRestoreFailed(s);
                        again.ifPresent(n -> out.println("[flink] " + n.job().name() + ": resubmitted, job id " + n.id()));
                    }
                    reportJobChanges();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    if (!stopping) {
                        out.println("[flink] job watcher: " + e);
                    }
                }
            }
        }, "qa-local-job-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Prints each job whose state changed, with the root cause when it is failing. */
    private void reportJobChanges() {
        for (LocalFlink.Submitted s : flink.jobs().values()) {
            String state = flink.status(s.id()).map(Enum::name).orElse("UNKNOWN");
            String before;
            synchronized (jobStates) {
                before = jobStates.put(s.job().name(), state);
            }
            if (!state.equals(before) && !stopping) {
                String cause = "";
                if (state.equals("RESTARTING") || state.equals("FAILING") || state.equals("FAILED")) {
                    cause = flink.failureCause(s.id()).map(c -> " — " + c).orElse("");
                }
                out.println("[flink] " + s.job().name() + ": " + state + cause);
            }
        }
    }

    private String jobsLine() {
        synchronized (jobStates) {
            return jobStates.isEmpty() ? "(none)" : jobStates.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        }
    }

    private static String describe(NewTopic t) {
        String compact = "compact".equals(t.configs().get("cleanup.policy")) ? ", compacted" : "";
        return t.name() + " (" + t.numPartitions() + compact + ")";
    }

    private synchronized void register(String name, AutoCloseable resource) throws Exception {
        if (stopping) {
            resource.close();
            throw new IllegalStateException("stopping");
        }
        started.push(new Named(name, resource));
    }

    private void checkNotStopping() {
        if (stopping) {
            throw new IllegalStateException("stopping");
        }
    }

    /** Stops what was started, newest first: demo, Flink jobs and cluster, control plane, Redis (if ours), the broker. */
    public void stop() {
        Deque<Named> toClose;
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            toClose = new ArrayDeque<>(started);
            started.clear();
        }
        if (!toClose.isEmpty()) {
            out.println();
            out.println("stopping the local stack ...");
        }
        if (watcher != null) {
            watcher.interrupt();
        }
        for (Named n : toClose) {
            long t = System.nanoTime();
            try {
                n.resource().close();
                out.printf("  stopped %s (%.1f s)%n", n.name(), secondsSince(t));
            } catch (Throwable e) {
                out.println("  could not stop " + n.name() + " cleanly: " + e);
            }
        }
        if (!toClose.isEmpty()) {
            out.println("stopped; data kept in " + config.dataDir());
        }
        out.flush();
        stopped.countDown();
    }

    public void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A URL fit for printing: the password of {@code scheme://user:password@host} and {@code password=} replaced by ***. */
    static String masked(String url) {
        return url.replaceAll("(://[^/@:]*:)[^/@]*@", "$1***@")
                .replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }
}
