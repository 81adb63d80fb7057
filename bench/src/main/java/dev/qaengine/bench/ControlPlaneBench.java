package dev.qaengine.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.qaengine.common.Json;
import dev.qaengine.local.ControlPlaneClient;
import dev.qaengine.local.ControlPlaneProcess;
import dev.qaengine.local.KafkaTopics;
import dev.qaengine.local.Net;
import dev.qaengine.local.StackConfig;
import dev.qaengine.model.EventMessageV1;
import dev.qaengine.model.Topics;
import dev.qaengine.testkit.EmbeddedKafka;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The control plane's benchmark (issue: read endpoints p99 ≤ 50 ms, ingestion ≥ 5,000 events/s through
 * {@code POST /api/v1/events}, on the local stack). It runs the control plane as the local stack does — its
 * Boot jar in a JVM of its own ({@link ControlPlaneProcess}, H2 file, {@code -Xmx512m}) — against a fresh
 * in-JVM Kafka broker, defines a catalog, warms up, then measures with concurrent HTTP clients:
 * <ol>
 *   <li>reads: GET list and get endpoints of the catalog, round robin, latency of every request;</li>
 *   <li>ingestion: batches of 100 event messages v1, throughput from the first request to the last answer
 *   (every 200 = acknowledged by Kafka with acks=all), and each batch's latency; the records on
 *   {@code qa.events.raw} are counted afterwards.</li>
 * </ol>
 * Client, broker and control plane share the machine's cores, as on a developer's machine running the stack.
 * Exit status: 0 both targets met, 1 a target missed, 2 no figure.
 */
public final class ControlPlaneBench {
    static final double READ_P99_TARGET_MS = 50;
    static final double INGEST_TARGET_EVENTS_PER_SECOND = 5_000;
    static final int BATCH = 100;
    private static final String ADMIN_KEY = "qak_bench-admin-key-0123456789abcdef";
    private static final String ORG = "bench-org";
    private static final String CHANNEL = "shop-app";

    /** Command line of {@code bench/run.sh control-plane ...}. */
    public record Options(int reads, int readClients, int warmupReads, int batches, int ingestClients, int warmupBatches,
                          int definitions, long quietWaitSeconds, String javaOptions, Path out) {
        static final String USAGE = """
                usage: bench/run.sh control-plane [options]
                  --reads N            measured GET requests, all endpoints together (default 20,000)
                  --read-clients C     concurrent HTTP clients for the reads (default 4)
                  --warmup-reads N     unmeasured GETs first (default 5,000)
                  --batches N          measured POST /api/v1/events calls of 100 events (default 2,000)
                  --ingest-clients C   concurrent HTTP clients for ingestion (default 4)
                  --warmup-batches N   unmeasured batches first (default 500)
                  --definitions N      event definitions in the catalog (default 50)
                  --quiet-wait S       wait up to S s for other processes to use < 10%% of the CPU (default 120)
                  --java-opts "..."    the control plane's JVM options (default -Xmx512m, as in the local stack)
                  --out DIR            where results go (default bench/target)
                """;

        static Options parse(String... args) {
            int reads = 20_000;
            int readClients = 4;
            int warmupReads = 5_000;
            int batches = 2_000;
            int ingestClients = 4;
            int warmupBatches = 500;
            int definitions = 50;
            long quiet = 120;
            String javaOptions = "-Xmx512m";
            Path out = Path.of("bench/target");
            for (Map.Entry<String, String> option : BenchOptions.pairs(USAGE, args).entrySet()) {
                String a = option.getKey();
                String v = option.getValue();
                switch (a) {
                    case "--reads" -> reads = count(a, v);
                    case "--read-clients" -> readClients = count(a, v);
                    case "--warmup-reads" -> warmupReads = count(a, v);
                    case "--batches" -> batches = count(a, v);
                    case "--ingest-clients" -> ingestClients = count(a, v);
                    case "--warmup-batches" -> warmupBatches = count(a, v);
                    case "--definitions" -> definitions = count(a, v);
                    case "--quiet-wait" -> quiet = count(a, v);
                    case "--java-opts" -> javaOptions = v;
                    case "--out" -> out = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
                }
            }
            if (reads < 1 || readClients < 1 || batches < 1 || ingestClients < 1 || definitions < 1) {
                throw new IllegalArgumentException("counts must be at least 1\n" + USAGE);
            }
            return new Options(reads, readClients, warmupReads, batches, ingestClients, warmupBatches, definitions, quiet, javaOptions, out);
        }

        /** Numbers as the other bench options take them: 20000, 20,000, 20_000, 20k. */
        private static int count(String option, String v) {
            return Math.toIntExact(BenchOptions.number(option, v));
        }
    }

    /** Latency figures of one endpoint (or all together), in milliseconds. */
    public record Latency(String name, int count, int errors, double p50Ms, double p99Ms, double maxMs, double meanMs, double perSecond) {
        static Latency of(String name, long[] nanos, int errors, double seconds) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            double mean = sorted.length == 0 ? Double.NaN : Arrays.stream(sorted).average().orElse(Double.NaN) / 1e6;
            return new Latency(name, sorted.length, errors, ms(Stats.percentile(sorted, 0.50)), ms(Stats.percentile(sorted, 0.99)),
                    sorted.length == 0 ? Double.NaN : ms(sorted[sorted.length - 1]), round(mean), round(sorted.length / seconds));
        }
    }

    public record Reads(int requests, int clients, double seconds, List<Latency> endpoints, Latency overall, double targetP99Ms,
                        String verdict, double controlPlaneCpuSeconds) {
    }

    public record Ingest(int batches, int eventsPerBatch, int clients, long events, double seconds, double eventsPerSecond,
                         Latency batchLatency, long recordsOnTopic, long recordsExpected, double targetEventsPerSecond,
                         String verdict, double controlPlaneCpuSeconds) {
    }

    public record Report(String at, Map<String, Object> environment, Options options, double controlPlaneStartSeconds, Reads reads,
                         Ingest ingest, String verdict) {
    }

    private final Options options;
    private final PrintStream out;

    ControlPlaneBench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
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
            exit = new ControlPlaneBench(options, System.out).run();
        } catch (Exception e) {
            System.out.println("control-plane bench: NO FIGURE — " + e);
            e.printStackTrace(System.out);
            exit = 2;
        }
        System.out.flush();
        System.exit(exit);
    }

    int run() throws Exception {
        Files.createDirectories(options.out());
        out.printf("qa-bench control-plane: %,d reads (%d clients), %,d batches of %d events (%d clients), %d cores%n",
                options.reads(), options.readClients(), options.batches(), BATCH, options.ingestClients(),
                Runtime.getRuntime().availableProcessors());
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        if (load > 1.0) {
            out.printf("WARNING: the load average is %.1f before the bench starts: other work on this machine skews the figures%n", load);
        }
        waitForQuiet();
        Path jar = ControlPlaneProcess.findJar(Path.of("")).orElseThrow(() ->
                new IllegalStateException("control-plane/target/qa-control-plane-*.jar is missing: build it (bench/run.sh does)"));
        out.println("control plane: " + jar + " (" + Files.size(jar) / (1 << 20) + " MB, " + Files.getLastModifiedTime(jar) + "), "
                + options.javaOptions());

        Path data = options.out().resolve("control-plane-bench");
        deleteTree(data);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            KafkaTopics.ensure(kafka.bootstrap(), new Properties(), Duration.ofSeconds(30));
            long t = System.nanoTime();
            ControlPlaneProcess.Config config = new ControlPlaneProcess.Config(Optional.of(jar), Net.freePort(), StackConfig.HOST,
                    data, options.out().resolve("control-plane.log"), Optional.empty(), Optional.of(ADMIN_KEY), ORG,
                    List.of(options.javaOptions().split("\\s+")), Map.of());
            try (ControlPlaneProcess cp = ControlPlaneProcess.start(config, kafka.bootstrap())) {
                cp.awaitHealthy(Duration.ofSeconds(180));
                double startSeconds = (System.nanoTime() - t) / 1e9;
                out.printf("control plane up in %.1f s on %s (pid %d), broker %s%n", startSeconds, cp.url(), cp.pid(), kafka.bootstrap());
                ControlPlaneClient api = cp.client().withTimeout(Duration.ofSeconds(30));
                List<String> codes = defineCatalog(api);

                Reads reads = reads(api, codes, cp.pid());
                Ingest ingest = ingest(api, codes, kafka, cp.pid());
                String verdict = reads.verdict().equals("PASS") && ingest.verdict().equals("PASS") ? "PASS"
                        : reads.verdict().equals("NO FIGURE") || ingest.verdict().equals("NO FIGURE") ? "NO FIGURE" : "BELOW TARGET";
                Report report = new Report(Instant.now().toString(), environment(), options, round(startSeconds), reads, ingest, verdict);
                print(report);
                Path json = options.out().resolve("latest-control-plane.json");
                ObjectMapper mapper = Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);
                mapper.writeValue(json.toFile(), report);
                out.println("results: " + json.toAbsolutePath().normalize());
                return switch (verdict) {
                    case "PASS" -> 0;
                    case "BELOW TARGET" -> 1;
                    default -> 2;
                };
            }
        }
    }

    /** One APP channel and {@code definitions} events with 5 typed attributes each, through the API. */
    private List<String> defineCatalog(ControlPlaneClient api) {
        long t = System.nanoTime();
        api.post("/api/v1/event-channels", Map.of("appKey", CHANNEL, "name", "Shop app", "appType", "APP",
                "globalAttributes", List.of(Map.of("id", "appVersion", "type", "TEXT")))).requireOk("channel");
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < options.definitions(); i++) {
            String code = "event_" + i;
            api.post("/api/v1/event-definitions", Map.of("eventCode", code, "name", "Event " + i, "channel", CHANNEL,
                    "attributes", List.of(Map.of("id", "sku", "type", "TEXT"), Map.of("id", "price", "type", "NUMBER"),
                            Map.of("id", "quantity", "type", "NUMBER"), Map.of("id", "category", "type", "TEXT"),
                            Map.of("id", "campaign", "type", "TEXT")))).requireOk("event definition");
            codes.add(code);
        }
        out.printf("catalog: 1 channel, %d event definitions defined through the API in %.1f s%n", codes.size(), (System.nanoTime() - t) / 1e9);
        return codes;
    }

    private record Endpoint(String name, java.util.function.IntFunction<String> path) {
    }

    private Reads reads(ControlPlaneClient api, List<String> codes, long pid) throws Exception {
        List<Endpoint> endpoints = List.of(
                new Endpoint("GET /event-definitions?size=20", i -> "/api/v1/event-definitions?size=20&page=" + (i % 3)),
                new Endpoint("GET /event-definitions/{code}", i -> "/api/v1/event-definitions/" + codes.get(i % codes.size())),
                new Endpoint("GET /event-channels", i -> "/api/v1/event-channels"),
                new Endpoint("GET /event-channels/{appKey}", i -> "/api/v1/event-channels/" + CHANNEL),
                new Endpoint("GET /event-catalog", i -> "/api/v1/event-catalog"));
        out.printf("%nreads: warm-up %,d requests ...%n", options.warmupReads());
        readRound(api, endpoints, options.warmupReads(), options.readClients());
        out.printf("reads: measuring %,d requests with %d clients ...%n", options.reads(), options.readClients());
        double cpu0 = cpuSeconds(pid);
        long t0 = System.nanoTime();
        ReadRound r = readRound(api, endpoints, options.reads(), options.readClients());
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = cpuSeconds(pid) - cpu0;
        List<Latency> figures = new ArrayList<>();
        List<long[]> all = new ArrayList<>();
        for (int e = 0; e < endpoints.size(); e++) {
            figures.add(Latency.of(endpoints.get(e).name(), r.nanos().get(e), r.errors()[e], seconds));
            all.add(r.nanos().get(e));
        }
        long[] merged = all.stream().flatMapToLong(Arrays::stream).toArray();
        Latency overall = Latency.of("all reads", merged, Arrays.stream(r.errors()).sum(), seconds);
        String verdict = overall.count() == 0 ? "NO FIGURE"
                : overall.errors() == 0 && figures.stream().allMatch(f -> f.p99Ms() <= READ_P99_TARGET_MS) ? "PASS" : "BELOW TARGET";
        return new Reads(options.reads(), options.readClients(), round(seconds), figures, overall, READ_P99_TARGET_MS, verdict, round(cpu));
    }

    private record ReadRound(List<long[]> nanos, int[] errors) {
    }

    /** {@code total} GETs over {@code clients} threads, each cycling through the endpoints; latency per request. */
    private ReadRound readRound(ControlPlaneClient api, List<Endpoint> endpoints, int total, int clients) throws Exception {
        int n = endpoints.size();
        List<List<Long>> perEndpoint = new ArrayList<>();
        for (int e = 0; e < n; e++) {
            perEndpoint.add(java.util.Collections.synchronizedList(new ArrayList<>()));
        }
        int[] errors = new int[n];
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    long i;
                    while ((i = next.getAndIncrement()) < total) {
                        int e = (int) (i % n);
                        String path = endpoints.get(e).path().apply((int) (i / n));
                        long t = System.nanoTime();
                        ControlPlaneClient.Response res = api.get(path);
                        long dt = System.nanoTime() - t;
                        if (res.status() == 200) {
                            perEndpoint.get(e).add(dt);
                        } else {
                            synchronized (errors) {
                                errors[e]++;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<long[]> nanos = perEndpoint.stream().map(l -> l.stream().mapToLong(Long::longValue).toArray()).toList();
        return new ReadRound(nanos, errors);
    }

    private Ingest ingest(ControlPlaneClient api, List<String> codes, EmbeddedKafka kafka, long pid) throws Exception {
        List<byte[]> bodies = batches(codes, 200);
        out.printf("%ningestion: batches of %d event messages v1, %,d bytes per batch on average%n", BATCH,
                (long) bodies.stream().mapToInt(b -> b.length).average().orElse(0));
        out.printf("ingestion: warm-up %,d batches ...%n", options.warmupBatches());
        ingestRound(api, bodies, options.warmupBatches(), options.ingestClients());
        out.printf("ingestion: measuring %,d batches of %d events with %d clients ...%n", options.batches(), BATCH, options.ingestClients());
        double cpu0 = cpuSeconds(pid);
        long t0 = System.nanoTime();
        IngestRound r = ingestRound(api, bodies, options.batches(), options.ingestClients());
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = cpuSeconds(pid) - cpu0;
        long events = (long) r.nanos().length * BATCH;
        long expected = (long) (options.warmupBatches() + options.batches()) * BATCH;
        long onTopic = kafka.count(Topics.EVENTS_RAW);
        double rate = events / seconds;
        String verdict = r.nanos().length == 0 ? "NO FIGURE"
                : r.errors() == 0 && onTopic >= expected && rate >= INGEST_TARGET_EVENTS_PER_SECOND ? "PASS" : "BELOW TARGET";
        return new Ingest(options.batches(), BATCH, options.ingestClients(), events, round(seconds), round(rate),
                Latency.of("POST /events (100 events)", r.nanos(), r.errors(), seconds), onTopic, expected,
                INGEST_TARGET_EVENTS_PER_SECOND, verdict, round(cpu));
    }

    private record IngestRound(long[] nanos, int errors) {
    }

    private IngestRound ingestRound(ControlPlaneClient api, List<byte[]> bodies, int total, int clients) throws Exception {
        List<Long> nanos = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong errors = new AtomicLong();
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    long i;
                    while ((i = next.getAndIncrement()) < total) {
                        byte[] body = bodies.get((int) (i % bodies.size()));
                        long t = System.nanoTime();
                        ControlPlaneClient.Response res = api.post("/api/v1/events", body);
                        long dt = System.nanoTime() - t;
                        if (res.status() == 200 && res.body().contains("\"success\":true")) {
                            nanos.add(dt);
                        } else if (errors.incrementAndGet() == 1) {
                            out.println("    first refused batch: " + res);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new IngestRound(nanos.stream().mapToLong(Long::longValue).toArray(), (int) errors.get());
    }

    /** {@code count} JSON arrays of 100 event messages v1 (~280 bytes each, like the normalize bench's), built once. */
    static List<byte[]> batches(List<String> codes, int count) throws IOException {
        java.util.Random r = new java.util.Random(42);
        long now = System.currentTimeMillis();
        List<byte[]> bodies = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            List<EventMessageV1> batch = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                Map<String, String> attrs = new LinkedHashMap<>();
                attrs.put("sku", "SKU-" + r.nextInt(10_000));
                attrs.put("price", (5 + r.nextInt(200)) + "." + r.nextInt(10) + r.nextInt(10));
                attrs.put("quantity", String.valueOf(1 + r.nextInt(5)));
                attrs.put("appVersion", "3.1.0");
                batch.add(EventMessageV1.of(ORG, "customer-" + r.nextInt(100_000), CHANNEL, codes.get(r.nextInt(codes.size())),
                        now - r.nextInt(600_000), attrs));
            }
            bodies.add(Json.MAPPER.writeValueAsBytes(batch));
        }
        return bodies;
    }

    private void print(Report r) {
        out.println();
        out.println("=".repeat(100));
        out.printf("control plane on the local stack's settings (%s, H2 file, in-JVM broker), %d cores%n",
                options.javaOptions(), Runtime.getRuntime().availableProcessors());
        out.printf("reads: %,d GETs, %d clients, %.1f s (%,.0f req/s; control plane CPU %.1f s)%n", r.reads().requests(), r.reads().clients(),
                r.reads().seconds(), r.reads().overall().perSecond(), r.reads().controlPlaneCpuSeconds());
        out.printf("  %-34s %8s %8s %8s %8s %7s%n", "endpoint", "p50 ms", "p99 ms", "max ms", "mean ms", "errors");
        for (Latency l : concat(r.reads().endpoints(), r.reads().overall())) {
            out.printf("  %-34s %8.2f %8.2f %8.1f %8.2f %7d%n", l.name(), l.p50Ms(), l.p99Ms(), l.maxMs(), l.meanMs(), l.errors());
        }
        out.printf("  read p99 target ≤ %.0f ms: %s%n", r.reads().targetP99Ms(), r.reads().verdict());
        Ingest i = r.ingest();
        out.printf("ingestion: %,d events in %,d batches of %d, %d clients, %.1f s: %,.0f events/s (control plane CPU %.1f s)%n",
                i.events(), i.batches(), i.eventsPerBatch(), i.clients(), i.seconds(), i.eventsPerSecond(), i.controlPlaneCpuSeconds());
        out.printf("  batch latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; refused %d; records on %s: %,d of %,d sent%n",
                i.batchLatency().p50Ms(), i.batchLatency().p99Ms(), i.batchLatency().maxMs(), i.batchLatency().errors(), Topics.EVENTS_RAW,
                i.recordsOnTopic(), i.recordsExpected());
        out.printf("  ingestion target ≥ %,.0f events/s: %s%n", i.targetEventsPerSecond(), i.verdict());
        out.println("control-plane: " + r.verdict());
    }

    private static List<Latency> concat(List<Latency> a, Latency b) {
        List<Latency> all = new ArrayList<>(a);
        all.add(b);
        return all;
    }

    private void waitForQuiet() throws InterruptedException {
        if (options.quietWaitSeconds() <= 0) {
            return;
        }
        double other = Resources.otherCpuNow(1000);
        if (Double.isNaN(other) || other < Bench.NOISY) {
            return;
        }
        out.printf("waiting up to %d s for other processes to quiet down (they use %.0f%% of the CPU) ...%n", options.quietWaitSeconds(), other * 100);
        long deadline = System.nanoTime() + options.quietWaitSeconds() * 1_000_000_000L;
        int quiet = 0;
        while (System.nanoTime() < deadline && quiet < 3) {
            other = Resources.otherCpuNow(1000);
            quiet = other < Bench.NOISY ? quiet + 1 : 0;
        }
        out.printf(quiet < 3 ? "still busy (%.0f%%); running anyway: the figures are not reliable%n" : "quiet (%.0f%%)%n", other * 100);
    }

    private static double cpuSeconds(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    private static Map<String, Object> environment() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        env.put("loadAverageAtEnd", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return env;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static double ms(double nanos) {
        return round(nanos / 1e6);
    }

    private static double round(double d) {
        return Double.isNaN(d) ? d : Math.round(d * 100) / 100.0;
    }
}
