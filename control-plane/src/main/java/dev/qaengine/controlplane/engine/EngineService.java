package dev.qaengine.controlplane.engine;

import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.ProblemCode;
import dev.qaengine.controlplane.engine.EngineBodies.Checkpoint;
import dev.qaengine.controlplane.engine.EngineBodies.Cluster;
import dev.qaengine.controlplane.engine.EngineBodies.EngineJob;
import dev.qaengine.controlplane.engine.EngineBodies.JobMetrics;
import dev.qaengine.controlplane.engine.EngineBodies.Savepoint;
import dev.qaengine.controlplane.engine.EngineBodies.StopJob;
import dev.qaengine.controlplane.engine.EngineBodies.SubmitJob;
import dev.qaengine.controlplane.engine.EngineBodies.Submitted;
import dev.qaengine.controlplane.engine.EngineBodies.Suite;
import dev.qaengine.controlplane.engine.EngineBodies.Vertex;
import dev.qaengine.controlplane.engine.FlinkRest.FlinkError;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.FieldError;
import dev.qaengine.controlplane.web.Page;
import dev.qaengine.controlplane.web.PageRequest;
import dev.qaengine.controlplane.web.ProblemCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Engine operations over Flink's REST API: what runs (state, uptime, last checkpoint, throughput, the
 * engine's operator counters), submitting a job of the suite from its jar, stopping one with a savepoint.
 * The cluster is the source of truth; nothing is stored here.
 */
@Service
public class EngineService {
    private static final Logger log = LoggerFactory.getLogger(EngineService.class);
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SETTING = Pattern.compile("QA_[A-Z0-9_]+");
    private static final Set<String> TERMINAL = Set.of("FINISHED", "CANCELED", "FAILED");
    private static final String WRITER_IN = "__Writer.numRecordsInPerSecond";

    private final FlinkRest flink;
    private final QaProperties.Engine properties;
    private final String kafkaBootstrap;
    /** The last upload of the suite jar: reused while the file is unchanged and the cluster still has it. */
    private volatile Uploaded uploaded;

    private record Uploaded(Path jar, long size, long modified, String jarId) {
    }

    public EngineService(FlinkRest flink, QaProperties qa) {
        this.flink = flink;
        this.properties = qa.engine();
        this.kafkaBootstrap = qa.kafka().bootstrap();
    }

    public Cluster cluster() {
        JsonNode o = flink.get("/overview");
        return new Cluster(flink.baseUrl(), o.path("flink-version").asString(null), o.path("taskmanagers").asInt(),
                o.path("slots-total").asInt(), o.path("slots-available").asInt(), o.path("jobs-running").asInt(),
                o.path("jobs-finished").asInt(), o.path("jobs-cancelled").asInt(), o.path("jobs-failed").asInt());
    }

    public Suite suite() {
        Path jar = SuiteJar.require(properties);
        return new Suite(jar.toString(), SuiteJar.jobs(jar));
    }

    // --- reading

    /** The cluster's jobs, newest first, filtered by state (exact, any case) and name (contains, any case). */
    public Page<EngineJob> jobs(String state, String name, PageRequest page) {
        List<JsonNode> all = new ArrayList<>();
        flink.get("/jobs/overview").path("jobs").forEach(all::add);
        List<JsonNode> matching = all.stream()
                .filter(j -> state == null || j.path("state").asString("").equalsIgnoreCase(state))
                .filter(j -> name == null || j.path("name").asString("").toLowerCase(Locale.ROOT).contains(name.toLowerCase(Locale.ROOT)))
                .sorted(Comparator.comparingLong((JsonNode j) -> j.path("start-time").asLong()).reversed()
                        .thenComparing(j -> j.path("jid").asString("")))
                .toList();
        List<EngineJob> items = matching.stream().skip(page.offset()).limit(page.size()).map(this::describe).toList();
        return new Page<>(items, page.page(), page.size(), matching.size());
    }

    public EngineJob job(String id) {
        return describe(requireJobId(id), onJob(id, () -> flink.get("/jobs/" + id)));
    }

    /** A job of the overview, in detail; as the overview has it when the cluster no longer details it (it just expired). */
    private EngineJob describe(JsonNode overview) {
        String id = overview.path("jid").asString();
        JsonNode d;
        try {
            d = flink.get("/jobs/" + id);
        } catch (FlinkError e) {
            if (e.status() != 404) {
                throw flinkError(e);
            }
            d = overview;
        }
        return describe(id, d);
    }

    private EngineJob describe(String id, JsonNode d) {
        String state = d.path("state").asString("UNKNOWN");
        boolean ended = TERMINAL.contains(state);
        long start = d.path("start-time").asLong(-1);
        long end = d.path("end-time").asLong(-1);
        Map<String, Map<String, Double>> byVertex = new LinkedHashMap<>();
        List<Vertex> vertices = new ArrayList<>();
        for (JsonNode v : d.path("vertices")) {
            String vid = v.path("id").asString();
            Map<String, Double> metrics = ended ? Map.of() : vertexMetrics(id, vid);
            byVertex.put(vid, metrics);
            vertices.add(new Vertex(vid, v.path("name").asString(), v.path("parallelism").asInt(), v.path("status").asString(),
                    round(metrics.get("numRecordsInPerSecond")), round(metrics.get("numRecordsOutPerSecond"))));
        }
        return new EngineJob(id, d.path("name").asString(), state,
                start > 0 ? Instant.ofEpochMilli(start) : null,
                end > 0 ? Instant.ofEpochMilli(end) : null,
                ended ? null : d.path("duration").asLong(),
                ended ? null : restarts(id),
                lastCheckpoint(id),
                ended ? null : jobMetrics(d.path("plan"), byVertex),
                vertices);
    }

    /** Task metrics (summed over subtasks) of one vertex: throughput, sink writers' input and the configured counters. */
    private Map<String, Double> vertexMetrics(String jobId, String vertexId) {
        String path = "/jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics";
        try {
            List<String> wanted = new ArrayList<>();
            for (JsonNode m : flink.get(path)) {
                String name = m.path("id").asString();
                if (name.equals("numRecordsInPerSecond") || name.equals("numRecordsOutPerSecond") || name.endsWith(WRITER_IN)
                        || counterName(name)) {
                    wanted.add(name);
                }
            }
            Map<String, Double> values = new TreeMap<>();
            for (JsonNode m : flink.metrics(path, wanted)) {
                JsonNode sum = m.has("sum") ? m.path("sum") : m.path("value");
                values.put(m.path("id").asString(), sum.asDouble());
            }
            return values;
        } catch (FlinkError e) {
            log.debug("no metrics for vertex {} of job {}: {}", vertexId, jobId, e.getMessage());
            return Map.of(); // the vertex ended or is being redeployed: no figures this time
        }
    }

    /** {@code <operator>.<counter>} where the counter is one of {@code qa.engine.counters} ({@code x.*}: any suffix). */
    boolean counterName(String metric) {
        int dot = metric.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        String counter = metric.substring(dot + 1);
        for (String c : properties.counters()) {
            if (c.endsWith("*") ? counter.startsWith(c.substring(0, c.length() - 1)) : counter.equals(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Records in = what the source vertices (no inputs in the plan) emit; records out = what enters the sink
     * writers (Sink V2 {@code <sink>: Writer} operators), or else what the last vertices take in.
     */
    private JobMetrics jobMetrics(JsonNode plan, Map<String, Map<String, Double>> byVertex) {
        Set<String> sources = new HashSet<>();
        Set<String> fed = new HashSet<>();
        for (JsonNode node : plan.path("nodes")) {
            if (!node.path("inputs").isArray() || node.path("inputs").isEmpty()) {
                sources.add(node.path("id").asString());
            }
            node.path("inputs").forEach(i -> fed.add(i.path("id").asString()));
        }
        Double in = null;
        Double writers = null;
        Double lastIn = null;
        Map<String, Long> counters = new TreeMap<>();
        for (Map.Entry<String, Map<String, Double>> v : byVertex.entrySet()) {
            Map<String, Double> m = v.getValue();
            if (sources.contains(v.getKey())) {
                in = add(in, m.get("numRecordsOutPerSecond"));
            }
            if (!fed.contains(v.getKey())) {
                lastIn = add(lastIn, m.get("numRecordsInPerSecond"));
            }
            for (Map.Entry<String, Double> e : m.entrySet()) {
                if (e.getKey().endsWith(WRITER_IN)) {
                    writers = add(writers, e.getValue());
                } else if (counterName(e.getKey())) {
                    counters.merge(e.getKey(), Math.round(e.getValue()), Long::sum);
                }
            }
        }
        return new JobMetrics(round(in), round(writers != null ? writers : lastIn), counters);
    }

    private Long restarts(String id) {
        try {
            for (JsonNode m : flink.get("/jobs/" + id + "/metrics?get=numRestarts")) {
                return m.path("value").asLong();
            }
        } catch (FlinkError e) {
            log.debug("no restart count for job {}: {}", id, e.getMessage());
        }
        return null; // not fetched yet (Flink's metric fetcher runs every 10 s)
    }

    /** The newer of the latest completed checkpoint and savepoint; null without checkpointing or before the first. */
    private Checkpoint lastCheckpoint(String id) {
        JsonNode latest;
        try {
            latest = flink.get("/jobs/" + id + "/checkpoints").path("latest");
        } catch (FlinkError e) {
            return null; // checkpointing is off for this job
        }
        JsonNode best = null;
        for (JsonNode c : List.of(latest.path("completed"), latest.path("savepoint"))) {
            if (c.isObject() && (best == null || c.path("latest_ack_timestamp").asLong() > best.path("latest_ack_timestamp").asLong())) {
                best = c;
            }
        }
        if (best == null) {
            return null;
        }
        return new Checkpoint(best.path("id").asLong(), Instant.ofEpochMilli(best.path("latest_ack_timestamp").asLong()),
                longOrNull(best.path("state_size")), longOrNull(best.path("checkpointed_size")),
                longOrNull(best.path("end_to_end_duration")), best.path("external_path").asString(null),
                best.path("is_savepoint").asBoolean(false));
    }

    // --- changing

    public Submitted submit(SubmitJob body) {
        Path jar = SuiteJar.require(properties);
        List<SuiteJar.Job> jobs = SuiteJar.jobs(jar);
        SuiteJar.Job job = jobs.stream().filter(j -> j.name().equals(body.job().strip())).findFirst().orElseThrow(() ->
                ApiException.field(ProblemCode.VALIDATION, "job", "'" + body.job() + "' is not a job of the suite; one of "
                        + jobs.stream().map(SuiteJar.Job::name).toList()));
        List<String> args = programArgs(body.settings());
        for (JsonNode running : flink.get("/jobs/overview").path("jobs")) {
            if (running.path("name").asString("").equals(job.name()) && !TERMINAL.contains(running.path("state").asString(""))) {
                throw new ApiException(ProblemCode.CONFLICT, job.name() + " already runs as job " + running.path("jid").asString()
                        + " (" + running.path("state").asString() + "); stop it first — two instances would process every event twice");
            }
        }
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("entryClass", job.mainClass());
        run.put("programArgsList", args);
        if (body.parallelism() != null) {
            run.put("parallelism", body.parallelism());
        }
        if (body.savepointPath() != null && !body.savepointPath().isBlank()) {
            run.put("savepointPath", body.savepointPath().strip());
            run.put("allowNonRestoredState", Boolean.TRUE.equals(body.allowNonRestoredState()));
        }
        String jarId = uploadedJarId(jar, false);
        JsonNode answer;
        try {
            answer = flink.post("/jars/" + jarId + "/run", run);
        } catch (FlinkError e) {
            if (!e.getMessage().contains("does not exist")) {
                throw flinkError(e);
            }
            jarId = uploadedJarId(jar, true); // the cluster lost the upload (restarted): once more
            try {
                answer = flink.post("/jars/" + jarId + "/run", run);
            } catch (FlinkError again) {
                throw flinkError(again);
            }
        }
        String jobId = answer.path("jobid").asString();
        log.info("submitted {} ({}) as Flink job {} with {}", job.name(), job.mainClass(), jobId, args);
        return new Submitted(jobId, job.name(), job.mainClass(), body.parallelism(), args,
                run.containsKey("savepointPath") ? body.savepointPath().strip() : null, jarId);
    }

    /** {@code QA_KAFKA_BOOTSTRAP} (this control plane's Kafka unless given), then the given settings in name order. */
    List<String> programArgs(Map<String, String> settings) {
        Map<String, String> all = new TreeMap<>();
        List<FieldError> bad = new ArrayList<>();
        if (settings != null) {
            settings.forEach((k, v) -> {
                if (k == null || !SETTING.matcher(k).matches()) {
                    bad.add(new FieldError("settings." + k, "must be a QA_* setting name (QA_ and capitals, digits, _)"));
                } else if (v == null) {
                    bad.add(new FieldError("settings." + k, "must not be null"));
                } else {
                    all.put(k, v);
                }
            });
        }
        if (!bad.isEmpty()) {
            throw new ApiException(ProblemCode.VALIDATION, bad.get(0).field() + ": " + bad.get(0).message(), bad);
        }
        List<String> args = new ArrayList<>();
        args.add("QA_KAFKA_BOOTSTRAP=" + all.getOrDefault("QA_KAFKA_BOOTSTRAP", kafkaBootstrap));
        all.remove("QA_KAFKA_BOOTSTRAP");
        all.forEach((k, v) -> args.add(k + "=" + v));
        return args;
    }

    /** The id of the suite jar on the cluster: uploaded once per file version, again when the cluster no longer lists it. */
    private synchronized String uploadedJarId(Path jar, boolean force) {
        long size;
        long modified;
        try {
            size = Files.size(jar);
            modified = Files.getLastModifiedTime(jar).toMillis();
        } catch (java.io.IOException e) {
            throw new ApiException(ProblemCode.JOBS_JAR_MISSING, "cannot read the jobs jar " + jar + ": " + e.getMessage(), e);
        }
        Uploaded u = uploaded;
        if (!force && u != null && u.jar().equals(jar) && u.size() == size && u.modified() == modified) {
            for (JsonNode f : flink.get("/jars").path("files")) {
                if (f.path("id").asString("").equals(u.jarId())) {
                    return u.jarId();
                }
            }
        }
        JsonNode r;
        try {
            r = flink.uploadJar(jar);
        } catch (FlinkError e) {
            throw flinkError(e);
        }
        String filename = r.path("filename").asString("");
        String jarId = filename.substring(filename.lastIndexOf('/') + 1);
        if (jarId.isEmpty()) {
            throw new ApiException(ProblemCode.FLINK_ERROR, "the jar upload answered no file name: " + r);
        }
        log.info("uploaded {} to {} as {}", jar, flink.baseUrl(), jarId);
        uploaded = new Uploaded(jar, size, modified, jarId);
        return jarId;
    }

    /**
     * Stop-with-savepoint; waits up to {@code qa.engine.savepoint-timeout} for it. Answers the completed
     * operation, or one still IN_PROGRESS to poll with {@link #savepoint}.
     */
    public Savepoint stop(String id, StopJob body) {
        requireJobId(id);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("drain", body != null && Boolean.TRUE.equals(body.drain()));
        if (body != null && body.targetDirectory() != null && !body.targetDirectory().isBlank()) {
            request.put("targetDirectory", body.targetDirectory().strip());
        }
        String trigger = onJob(id, () -> flink.post("/jobs/" + id + "/stop", request)).path("request-id").asString();
        long deadline = System.nanoTime() + properties.savepointTimeout().toNanos();
        Savepoint s = savepoint(id, trigger);
        while (s.status().equals("IN_PROGRESS") && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200); // Flink offers no long poll for savepoint operations
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            s = savepoint(id, trigger);
        }
        if (s.status().equals("FAILED")) {
            if (s.failure() != null && (s.failure().contains("Could not find Flink job") || s.failure().contains("FlinkJobNotFoundException"))) {
                throw ApiException.notFound("job", id);
            }
            throw new ApiException(ProblemCode.SAVEPOINT_FAILED, "stop with savepoint of job " + id + " failed: " + s.failure());
        }
        if (s.status().equals("COMPLETED")) {
            log.info("stopped Flink job {} with savepoint {}", id, s.savepointPath());
        }
        return s;
    }

    public Savepoint savepoint(String id, String triggerId) {
        requireJobId(id);
        if (!JOB_ID.matcher(triggerId).matches()) {
            throw ApiException.notFound("savepoint operation", triggerId);
        }
        JsonNode r;
        try {
            r = flink.get("/jobs/" + id + "/savepoints/" + triggerId);
        } catch (FlinkError e) {
            if (e.status() == 400 || e.status() == 404) {
                throw ApiException.notFound("savepoint operation", triggerId);
            }
            throw flinkError(e);
        }
        String status = r.path("status").path("id").asString("IN_PROGRESS");
        JsonNode op = r.path("operation");
        if (!status.equals("COMPLETED")) {
            return new Savepoint(id, triggerId, "IN_PROGRESS", null, null);
        }
        if (op.has("failure-cause")) {
            JsonNode cause = op.path("failure-cause");
            return new Savepoint(id, triggerId, "FAILED", null, FlinkRest.digest(cause.path("stack-trace").asString(cause.toString())));
        }
        return new Savepoint(id, triggerId, "COMPLETED", op.path("location").asString(null), null);
    }

    // --- helpers

    private static String requireJobId(String id) {
        if (id == null || !JOB_ID.matcher(id).matches()) {
            throw ApiException.notFound("job", String.valueOf(id));
        }
        return id;
    }

    /** A call about one job: Flink's 404 is the API's. */
    private static JsonNode onJob(String id, java.util.function.Supplier<JsonNode> call) {
        try {
            return call.get();
        } catch (FlinkError e) {
            if (e.status() == 404) {
                throw ApiException.notFound("job", id);
            }
            throw flinkError(e);
        }
    }

    private static ApiException flinkError(FlinkError e) {
        return new ApiException(ProblemCode.FLINK_ERROR, "the Flink cluster answered " + e.status() + " to " + e.getMessage(), e);
    }

    /** a + b where either may be absent (a metric not fetched yet); absent when both are. */
    static Double add(Double a, Double b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a + b;
    }

    private static Double round(Double d) {
        return d == null ? null : Math.round(d * 100) / 100.0;
    }

    private static Long longOrNull(JsonNode n) {
        return n.isNumber() ? n.asLong() : null;
    }
}
