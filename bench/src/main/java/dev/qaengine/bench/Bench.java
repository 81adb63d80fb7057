package dev.qaengine.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.qaengine.common.Json;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark: each stage beside a Flink Kafka-to-Kafka pass-through over the same records, in the
 * same JVM, at the same parallelism and Flink configuration, alternating pass-through and stage run by
 * run (B S B S ...). The figure that matters is median(stage) / median(pass-through), compared with the
 * stage's target from ARCHITECTURE.md. See bench/README.md.
 *
 * <p>Exit status: 0 every stage met its target, 1 a stage ran below its target, 2 a stage or the
 * pass-through gave no figure (failed to build, failed, stalled).
 */
public final class Bench {
    /** A run during which other processes took more than this share of the CPU is flagged (and retried). */
    static final double NOISY = 0.10;

    private final BenchOptions options;
    private final PrintStream out;

    Bench(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    @FunctionalInterface
    interface MainMethod {
        void run(String[] args) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        // not throughput stages, so not ratios to the pass-through: the control plane's HTTP API, and the time
        // from a journey's start to its first entry. run.sh passes --out DIR first.
        Map<String, MainMethod> others = Map.of("control-plane", ControlPlaneBench::main, "journey-start", JourneyStartBench::main);
        for (Map.Entry<String, MainMethod> other : others.entrySet()) {
            if (args.length > 0 && args[0].equals(other.getKey()) || args.length > 2 && args[2].equals(other.getKey())) {
                List<String> rest = new ArrayList<>(List.of(args));
                rest.remove(other.getKey());
                other.getValue().run(rest.toArray(String[]::new));
                return;
            }
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(64);
            return;
        }
        int exit = new Bench(options, System.out).run();
        System.out.flush();
        // Flink and Kafka leave non-daemon threads behind after close; the results are written
        System.exit(exit);
    }

    /** One stage's outcome across runs. */
    public record StageReport(String stage, double target, String targetText, long events, int runs,
                              List<RunResult> baselineRuns, List<RunResult> stageRuns,
                              double baselineMedian, double stageMedian, double ratio,
                              double baselineSteadyMedian, double stageSteadyMedian, double steadyRatio,
                              String verdict, List<String> warnings, Map<String, Object> environment) {
    }

    int run() throws Exception {
        Files.createDirectories(options.out());
        Instant started = Instant.now();
        // event times start 30 minutes back and span at most 25 minutes: near "now" for the whole bench
        long baseTime = started.toEpochMilli() - Duration.ofMinutes(30).toMillis();
        List<Stage> stages = options.stages().stream()
                .map(n -> n.equals(PassThroughStage.NAME) ? new PassThroughStage(null) : Stages.byName(n)).toList();
        Runner runner = new Runner(options, out);

        out.printf("qa-bench: %s vs %s, %,d events, %d run(s), parallelism %d, %d cores, heap %,d MB%n",
                String.join(", ", options.stages()), PassThroughStage.NAME, options.events(), options.runs(),
                Runner.PARALLELISM, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        if (load > 1.0) {
            out.printf("WARNING: the load average is %.1f before the bench starts: other work on this machine skews the figures%n", load);
        }
        if (!options.flink().isEmpty()) {
            out.println("extra Flink configuration: " + options.flink());
        }
        if (options.warmup() == 0) {
            out.println("WARNING: no warm-up: the first runs are JIT-cold (the pass-through runs at a third of its warm rate); "
                    + "the ratio is not comparable with warmed-up figures");
        }
        if (options.profile() && options.jfr()) {
            out.println("WARNING: --profile with --jfr: the two samplers interfere and slow the stage down about threefold; "
                    + "its figures are not comparable");
        }
        stages.stream().filter(st -> !(st instanceof PassThroughStage))
                .forEach(st -> out.printf("%s job: %s%n", st.name(), origin(st.jobClass())));

        // JIT compilation (on 2 busy cores it takes tens of seconds) and class loading make a JVM's first
        // runs slow: an uncounted warm-up pair keeps that from landing on whichever job runs first
        for (int w = 1; w <= options.warmup(); w++) {
            for (Stage stage : stages) {
                Workload workload = stage.workload(options, baseTime);
                runOne(runner, new PassThroughStage(workload), workload, -w);
                if (!(stage instanceof PassThroughStage)) {
                    runOne(runner, stage, workload, -w);
                }
            }
        }
        // one pass-through per distinct workload, so that each stage is compared over its own input
        Map<String, List<RunResult>> baselines = new LinkedHashMap<>();
        Map<String, List<RunResult>> stageRuns = new LinkedHashMap<>();
        Map<String, String> buildFailure = new LinkedHashMap<>();
        for (int run = 1; run <= options.runs(); run++) {
            Map<String, RunResult> baselineThisRun = new LinkedHashMap<>();
            for (Stage stage : stages) {
                Workload workload = stage.workload(options, baseTime);
                String key = workloadKey(workload);
                if (!baselineThisRun.containsKey(key)) {
                    RunResult b = runOne(runner, new PassThroughStage(workload), workload, run);
                    baselineThisRun.put(key, b);
                    baselines.computeIfAbsent(key, k -> new ArrayList<>()).add(b);
                }
                if (stage instanceof PassThroughStage || buildFailure.containsKey(stage.name())) {
                    continue; // pass-through alone; or a stage that will not build any better the next time
                }
                RunResult s = runOne(runner, stage, workload, run);
                stageRuns.computeIfAbsent(stage.name(), k -> new ArrayList<>()).add(s);
                if (s.status().equals("BUILD_FAILED")) {
                    buildFailure.put(stage.name(), s.error());
                }
            }
        }
        if (Duration.between(started, Instant.now()).compareTo(Duration.ofMinutes(25)) > 0) {
            out.println("NOTE: the bench ran over 25 minutes; the oldest event times were over 55 minutes old by the end.");
        }

        int exit = 0;
        out.println();
        out.println("=".repeat(100));
        for (Stage stage : stages) {
            List<RunResult> b = baselines.get(workloadKey(stage.workload(options, baseTime)));
            if (stage instanceof PassThroughStage) {
                out.printf("%s alone, %,d events per run: %s; median %s (steady 10-90%%: %s)%n", PassThroughStage.NAME,
                        options.events(), String.join(", ", b.stream().map(Bench::cell).toList()),
                        Stats.rate(Stats.median(b.stream().filter(RunResult::ok).map(RunResult::rate).toList())),
                        Stats.rate(Stats.median(b.stream().filter(RunResult::ok).map(RunResult::steadyRate).toList())));
                continue;
            }
            List<RunResult> s = stageRuns.getOrDefault(stage.name(), List.of());
            StageReport report = report(stage, b, s);
            print(report);
            Path json = options.out().resolve("latest-" + stage.name() + ".json");
            ObjectMapper mapper = Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);
            mapper.writeValue(json.toFile(), report);
            out.println("results: " + json.toAbsolutePath().normalize());
            exit = Math.max(exit, switch (report.verdict()) {
                case "PASS" -> 0;
                case "BELOW TARGET" -> 1;
                default -> 2;
            });
        }
        return exit;
    }

    private RunResult runOne(Runner runner, Stage subject, Workload workload, int run) {
        out.printf("%n%s  %s, %,d events%n", run < 0 ? "warm-up " + -run : "run " + run, subject.name(), workload.count());
        RunResult r = null;
        for (int attempt = 0; attempt <= options.noisyRetries(); attempt++) {
            if (attempt > 0) {
                out.printf("    running it again (%d of %d): other processes took %.0f%% of the CPU%n",
                        attempt, options.noisyRetries(), r.usage().otherCpuUtilization() * 100);
            }
            System.gc(); // every run starts from a collected heap, not the previous run's garbage
            waitForQuiet();
            r = runner.run(subject, workload, run);
            print(subject, r);
            if (!r.ok() || !(r.usage().otherCpuUtilization() > NOISY)) {
                break;
            }
        }
        return r;
    }

    private void print(Stage subject, RunResult r) {
        if (!r.ok()) {
            out.printf("    %-13s %s: %s%n", subject.name(), r.status(), r.error());
            if (!r.outputs().isEmpty()) {
                out.println("    outputs so far: " + r.outputs());
            }
            return;
        }
        Resources.Usage u = r.usage();
        out.printf("    %-13s %s  (steady 10-90%%: %s)  %,d outputs in %.2f s; first output %.1f s after submit%n",
                subject.name(), Stats.rate(r.rate()), Stats.rate(r.steadyRate()), r.expected(), r.measuredSeconds(),
                r.firstOutputSeconds());
        out.printf("    CPU %.0f%% of %d cores (other processes: %.0f%%), GC %d collections / %,d ms; outputs %s%n",
                u.cpuUtilization() * 100, Runtime.getRuntime().availableProcessors(), u.otherCpuUtilization() * 100,
                u.gcCount(), u.gcMillis(), r.outputs());
        if (u.otherCpuUtilization() > NOISY) {
            out.printf("    WARNING: other processes used %.0f%% of the CPU during this run; its figure is not reliable%n",
                    u.otherCpuUtilization() * 100);
        }
        out.println("    busiest threads (CPU s): " + String.join(", ", u.busiestThreads().stream().limit(6)
                .map(t -> String.format("%s %.1f", t.name(), t.cpuSeconds())).toList()));
        if (r.profile() != null) {
            out.print(r.profile().indent(4));
        }
    }

    /** Waits (bounded) until other processes leave the CPU to us: a busy neighbour distorts both jobs' figures. */
    private void waitForQuiet() {
        if (options.quietWaitSeconds() <= 0) {
            return;
        }
        try {
            long deadline = System.nanoTime() + options.quietWaitSeconds() * 1_000_000_000L;
            double other = Resources.otherCpuNow(1000);
            if (Double.isNaN(other) || other < NOISY) {
                return;
            }
            out.printf("    waiting up to %d s for other processes to quiet down (they use %.0f%% of the CPU) ...%n",
                    options.quietWaitSeconds(), other * 100);
            long start = System.nanoTime();
            int quietSeconds = 0;
            while (System.nanoTime() < deadline && quietSeconds < 3) {
                other = Resources.otherCpuNow(1000);
                quietSeconds = other < NOISY ? quietSeconds + 1 : 0;
            }
            out.printf(quietSeconds < 3 ? "    still busy (%2$.0f%%) after %1$.0f s; running anyway%n" : "    quiet after %.0f s%n",
                    (System.nanoTime() - start) / 1e9, other * 100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static StageReport report(Stage stage, List<RunResult> baseline, List<RunResult> runs) {
        double bMedian = Stats.median(baseline.stream().filter(RunResult::ok).map(RunResult::rate).toList());
        double sMedian = Stats.median(runs.stream().filter(RunResult::ok).map(RunResult::rate).toList());
        double bSteady = Stats.median(baseline.stream().filter(RunResult::ok).map(RunResult::steadyRate).toList());
        double sSteady = Stats.median(runs.stream().filter(RunResult::ok).map(RunResult::steadyRate).toList());
        double ratio = Stats.ratio(sMedian, bMedian);
        String verdict;
        if (runs.stream().anyMatch(r -> r.status().equals("BUILD_FAILED"))) {
            verdict = "STAGE FAILED TO BUILD";
        } else if (Double.isNaN(bMedian)) {
            verdict = "NO BASELINE";
        } else if (Double.isNaN(sMedian)) {
            verdict = "STAGE FAILED";
        } else {
            verdict = ratio >= stage.target() ? "PASS" : "BELOW TARGET";
        }
        if (verdict.equals("PASS") && runs.stream().anyMatch(r -> !r.ok())) {
            verdict = "STAGE FAILED"; // a median over the runs that happened to work would flatter it
        }
        List<String> warnings = new ArrayList<>();
        for (RunResult r : concat(baseline, runs)) {
            if (r.ok() && r.usage().otherCpuUtilization() > NOISY) {
                warnings.add(String.format("%s run %d: other processes used %.0f%% of the CPU", r.subject(), r.run(),
                        r.usage().otherCpuUtilization() * 100));
            }
        }
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        env.put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20);
        env.put("jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments());
        env.put("parallelism", Runner.PARALLELISM);
        env.put("job", origin(stage.jobClass()));
        env.put("at", Instant.now().toString());
        return new StageReport(stage.name(), stage.target(), String.format("≥ %.2f", stage.target()),
                baseline.isEmpty() ? 0 : baseline.get(0).inputs(), Math.max(baseline.size(), runs.size()), baseline, runs,
                bMedian, sMedian, ratio, bSteady, sSteady, Stats.ratio(sSteady, bSteady), verdict, warnings, env);
    }

    private static List<RunResult> concat(List<RunResult> a, List<RunResult> b) {
        List<RunResult> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private void print(StageReport r) {
        out.printf("%s vs %s, %,d events per run%n", r.stage(), PassThroughStage.NAME, r.events());
        out.printf("  %-5s %-16s %-16s %s%n", "run", PassThroughStage.NAME, r.stage(), "ratio");
        int n = Math.max(r.baselineRuns().size(), r.stageRuns().size());
        for (int i = 0; i < n; i++) {
            RunResult b = i < r.baselineRuns().size() ? r.baselineRuns().get(i) : null;
            RunResult s = i < r.stageRuns().size() ? r.stageRuns().get(i) : null;
            out.printf("  %-5d %-16s %-16s %s%n", i + 1, cell(b), cell(s),
                    b != null && s != null && b.ok() && s.ok() ? String.format("%.2f", s.rate() / b.rate()) : "");
        }
        out.printf("  %-5s %-16s %-16s %s%n", "median", Stats.rate(r.baselineMedian()), Stats.rate(r.stageMedian()),
                Double.isNaN(r.ratio()) ? "n/a" : String.format("%.2f", r.ratio()));
        out.printf("  (steady state, 10%%-90%% of the output, medians: %s %s, %s %s, ratio %s)%n",
                r.stage(), Stats.rate(r.stageSteadyMedian()), PassThroughStage.NAME, Stats.rate(r.baselineSteadyMedian()),
                Double.isNaN(r.steadyRatio()) ? "n/a" : String.format("%.2f", r.steadyRatio()));
        out.println();
        out.printf("%s: %s  %s: %s  ratio %s (target %s) %s%n", r.stage(), Stats.rate(r.stageMedian()),
                PassThroughStage.NAME, Stats.rate(r.baselineMedian()),
                Double.isNaN(r.ratio()) ? "n/a" : String.format("%.2f", r.ratio()), r.targetText(), r.verdict());
        r.warnings().forEach(w -> out.println("  WARNING: " + w + "; the figures are not reliable"));
        r.stageRuns().stream().filter(x -> !x.ok()).findFirst()
                .ifPresent(x -> out.println("  " + r.stage() + " run " + x.run() + " " + x.status() + ": " + x.error()));
    }

    private static final Map<Class<?>, String> ORIGINS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Where a class was loaded from, with the jar's size and time: which build of a job was measured.
     * Taken once, at the start: a jar re-installed during the bench must not be named in its report.
     */
    static String origin(Class<?> c) {
        return ORIGINS.computeIfAbsent(c, k -> {
            try {
                Path p = Path.of(k.getProtectionDomain().getCodeSource().getLocation().toURI());
                return String.format("%s (%,d bytes, %s)", p.getFileName(), Files.size(p),
                        Files.getLastModifiedTime(p).toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            } catch (Exception e) {
                return k.getName();
            }
        });
    }

    private static String cell(RunResult r) {
        if (r == null) {
            return "-";
        }
        return r.ok() ? Stats.rate(r.rate()) : r.status();
    }

    private static String workloadKey(Workload w) {
        return w.getClass().getName() + "@" + w.topics() + "#" + w.count();
    }
}
