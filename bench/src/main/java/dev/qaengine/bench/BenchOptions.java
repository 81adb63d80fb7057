package dev.qaengine.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command line: {@code [stage ...] [--events N] [--runs R] [--customers C] [--seed S] [--poll-ms MS]
 * [--profile] [--flink key=value ...] [--out DIR]}. Numbers accept separators and suffixes:
 * {@code 2,000,000}, {@code 2_000_000}, {@code 2m}, {@code 500k}.
 */
public record BenchOptions(List<String> stages, long events, int runs, int warmup, int customers, int persons, long seed,
                           long pollMs, long quietWaitSeconds, int noisyRetries, boolean profile, boolean jfr,
                           Map<String, String> flink, Path out) {

    public static final long DEFAULT_EVENTS = 3_000_000;
    public static final int DEFAULT_RUNS = 3;

    public static final String USAGE = """
            usage: bench/run.sh [stage ...] [options]
              stages            %s (default: normalize); pass-through alone benchmarks the baseline only
              control-plane     instead of stages: the control plane's read latency and ingestion throughput
                                (its own options: bench/run.sh control-plane --help)
              --events N        records produced per run (default %,d; accepts 2m, 500k, 2,000,000)
              --runs R          pass-through/stage pairs, alternating B S B S ... (default %d)
              --warmup W        uncounted pairs first, same as a measured pair (default 1)
              --customers C     distinct customer ids (default 100k)
              --persons P       persons of the identity workload (default 1m; --events 10m gives each one message)
              --seed S          workload seed (default 42); same seed => same bytes
              --poll-ms MS      output-count polling interval (default 50)
              --quiet-wait S    before each run, wait up to S seconds (default 120) for other processes to
                                use under 10%% of the CPU; 0 = do not wait
              --noisy-retries K a run during which other processes took over 10%% of the CPU is run again,
                                up to K times (default 2)
              --profile         sample the stack of every Flink task thread of each measured stage run (every
                                20 ms; RocksDB's JNI time included; no measurable slow-down) and summarize
              --jfr             record each measured stage run with JFR (Java and native samples, GC) to
                                bench/target/profile-<stage>-run<k>.jfr and summarize it; ~10%% slower, and
                                combined with --profile about 3x slower (the two samplers interfere)
              --flink k=v       extra Flink configuration for both jobs, e.g. --flink state.backend.type=hashmap
              --out DIR         where results go (default bench/target)
            """;

    public static BenchOptions parse(String... args) {
        List<String> stages = new ArrayList<>();
        long events = DEFAULT_EVENTS;
        int runs = DEFAULT_RUNS;
        int warmup = 1;
        int customers = 100_000;
        int persons = 1_000_000;
        long seed = 42;
        long pollMs = 50;
        long quietWait = 120;
        int noisyRetries = 2;
        boolean profile = false;
        boolean jfr = false;
        Map<String, String> flink = new LinkedHashMap<>();
        Path out = Path.of("bench", "target");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                stages.add(a);
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (name.equals("--profile")) {
                profile = true;
                continue;
            }
            if (name.equals("--jfr")) {
                jfr = true;
                continue;
            }
            if (name.equals("--help") || name.equals("-h")) {
                throw new IllegalArgumentException(usage());
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value\n" + usage());
                }
                value = args[++i];
            }
            switch (name) {
                case "--events" -> events = number(name, value);
                case "--runs" -> runs = Math.toIntExact(number(name, value));
                case "--warmup" -> warmup = Math.toIntExact(number(name, value));
                case "--customers" -> customers = Math.toIntExact(number(name, value));
                case "--persons" -> persons = Math.toIntExact(number(name, value));
                case "--seed" -> seed = Long.parseLong(value);
                case "--poll-ms" -> pollMs = number(name, value);
                case "--quiet-wait" -> quietWait = number(name, value);
                case "--noisy-retries" -> noisyRetries = Math.toIntExact(number(name, value));
                case "--out" -> out = Path.of(value);
                case "--flink" -> {
                    int kv = value.indexOf('=');
                    if (kv <= 0) {
                        throw new IllegalArgumentException("--flink takes key=value, got " + value);
                    }
                    flink.put(value.substring(0, kv), value.substring(kv + 1));
                }
                default -> throw new IllegalArgumentException("unknown option " + name + "\n" + usage());
            }
        }
        if (stages.isEmpty()) {
            stages.add("normalize");
        }
        if (events < 1 || runs < 1 || customers < 1 || persons < 1 || pollMs < 1 || warmup < 0 || noisyRetries < 0) {
            throw new IllegalArgumentException(
                    "--events, --runs, --customers and --poll-ms must be positive, --warmup and --noisy-retries not negative");
        }
        if (stages.contains(PassThroughStage.NAME) && stages.size() > 1) {
            throw new IllegalArgumentException(
                    PassThroughStage.NAME + " runs beside every stage anyway; name it alone to benchmark only it");
        }
        stages.stream().filter(n -> !n.equals(PassThroughStage.NAME)).forEach(Stages::byName); // fail early on a typo
        return new BenchOptions(List.copyOf(stages), events, runs, warmup, customers, persons, seed, pollMs, quietWait,
                noisyRetries, profile, jfr, Map.copyOf(flink), out);
    }

    static String usage() {
        return USAGE.formatted(String.join(", ", Stages.names()), DEFAULT_EVENTS, DEFAULT_RUNS);
    }

    /**
     * The {@code --option value} pairs of a command line, in order; {@code -h}/{@code --help} or an option
     * without a value throws with the usage (the caller prints it).
     */
    static Map<String, String> pairs(String usage, String... args) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                throw new IllegalArgumentException(usage);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + a + "\n" + usage);
            }
            out.put(a, args[++i]);
        }
        return out;
    }

    /** Parses 2000000, 2,000,000, 2_000_000, 2m, 500k, 1.5m. */
    static long number(String option, String text) {
        String t = text.trim().toLowerCase().replace(",", "").replace("_", "");
        long unit = 1;
        if (t.endsWith("k")) {
            unit = 1_000;
        } else if (t.endsWith("m")) {
            unit = 1_000_000;
        }
        if (unit != 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return t.contains(".") ? Math.round(Double.parseDouble(t) * unit) : Math.multiplyExact(Long.parseLong(t), unit);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + " takes a number, got '" + text + "'");
        }
    }
}
