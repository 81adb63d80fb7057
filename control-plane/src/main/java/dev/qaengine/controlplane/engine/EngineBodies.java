package dev.qaengine.controlplane.engine;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Request and response bodies of the engine operations. */
public final class EngineBodies {
    private EngineBodies() {
    }

    @Schema(description = "The Flink session cluster the control plane manages")
    public record Cluster(
            @Schema(example = "http://localhost:8081") String flinkUrl,
            @Schema(example = "2.2.1") String flinkVersion,
            @Schema(example = "1") int taskManagers,
            @Schema(example = "8") int slotsTotal,
            @Schema(example = "6") int slotsAvailable,
            @Schema(example = "1") int jobsRunning,
            int jobsFinished,
            int jobsCancelled,
            int jobsFailed) {
    }

    @Schema(description = "The suite's jobs jar (QA_JOBS_JAR) and the jobs it can run")
    public record Suite(@Schema(example = "/opt/qa/qa-jobs-0.1.0.jar") String jar, List<SuiteJar.Job> jobs) {
    }

    @Schema(description = "A Flink job as the cluster reports it")
    public record EngineJob(
            @Schema(example = "10cb70437c27733e7f7db8cd414ead77") String id,
            @Schema(example = "qa-normalize") String name,
            @Schema(example = "RUNNING", description = "Flink's job status: INITIALIZING, CREATED, RUNNING, FAILING, CANCELLING, "
                    + "RESTARTING, FINISHED, CANCELED, FAILED, SUSPENDED, RECONCILING") String state,
            Instant startTime,
            @Schema(description = "absent while the job has not ended") Instant endTime,
            @Schema(example = "85392", description = "milliseconds since the job started; absent once it ended") Long uptimeMs,
            @Schema(example = "0", description = "restarts since it was submitted; absent when not reported yet") Long restarts,
            @Schema(description = "the last completed checkpoint or savepoint; absent before the first") Checkpoint lastCheckpoint,
            @Schema(description = "absent once the job ended") JobMetrics metrics,
            List<Vertex> vertices) {
    }

    public record Checkpoint(
            @Schema(example = "6") long id,
            @Schema(description = "when the last task acknowledged it") Instant completedAt,
            @Schema(example = "75164", description = "full size of the state in it") Long stateSizeBytes,
            @Schema(example = "67097", description = "what this checkpoint wrote (incremental)") Long checkpointedSizeBytes,
            @Schema(example = "166") Long durationMs,
            @Schema(example = "file:/data/checkpoints/qa-normalize/10cb70437c27733e7f7db8cd414ead77/chk-6") String externalPath,
            boolean savepoint) {
    }

    @Schema(description = "Throughput and the engine's operator counters, summed over subtasks. Flink's metric "
            + "fetcher refreshes them every 10 s (metrics.fetcher.update-interval); right after a start they may be absent.")
    public record JobMetrics(
            @Schema(example = "5.55", description = "records per second read by the job's sources") Double recordsInPerSecond,
            @Schema(example = "5.27", description = "records per second written by its sinks") Double recordsOutPerSecond,
            @Schema(example = "{\"normalize.normalized\":355,\"normalize.duplicates\":0,\"normalize.dlq.UNKNOWN_EVENT\":5}",
                    description = "operator counters named <operator>.<counter> (qa.engine.counters: normalized, duplicates, "
                            + "heldForDefinitions, controlRecordsRejected, dlq.*)") Map<String, Long> counters) {
    }

    public record Vertex(
            @Schema(example = "45a15354dc6693cebce08818ce4d3252") String id,
            @Schema(example = "normalize -> (qa.events.normalized: Writer, qa.events.dlq: Writer)") String name,
            @Schema(example = "2") int parallelism,
            @Schema(example = "RUNNING") String status,
            Double recordsInPerSecond,
            Double recordsOutPerSecond) {
    }

    @Schema(description = "Which job of the suite to run, and how")
    public record SubmitJob(
            @Schema(example = "qa-normalize", description = "a job of GET /api/v1/engine/suite") @NotBlank @Size(max = 200) String job,
            @Schema(example = "2", description = "the cluster's default when absent") @Min(1) @Max(1024) Integer parallelism,
            @Schema(example = "file:/data/savepoints/savepoint-fc9e65-cfdc269ab1d8", description = "start from this savepoint or retained checkpoint")
            @Size(max = 2000) String savepointPath,
            @Schema(description = "skip state of operators the job no longer has (default false)") Boolean allowNonRestoredState,
            @Schema(example = "{\"QA_DEDUP_HORIZON\":\"10m\"}", description = "QA_* settings passed as QA_NAME=value program "
                    + "arguments, on top of the cluster's environment. QA_KAFKA_BOOTSTRAP defaults to the control plane's own. "
                    + "Secrets belong in the cluster's environment: program arguments show on the Flink dashboard.")
            @Size(max = 100) Map<String, String> settings) {
    }

    public record Submitted(
            @Schema(example = "fc9e655ea08a2f7ac9e2890259b848dd") String jobId,
            @Schema(example = "qa-normalize") String job,
            @Schema(example = "dev.qaengine.normalize.NormalizeJob") String entryClass,
            Integer parallelism,
            List<String> programArgs,
            String savepointPath,
            @Schema(example = "454504eb-8315-4322-acbc-266907f59fc8_qa-jobs-0.1.0-SNAPSHOT.jar") String jarId) {
    }

    @Schema(description = "How to stop: with a savepoint, always")
    public record StopJob(
            @Schema(description = "emit MAX_WATERMARK first, firing every event-time timer (for a job that will not be resumed); default false")
            Boolean drain,
            @Schema(example = "file:/data/savepoints", description = "where the savepoint goes; the cluster's "
                    + "execution.checkpointing.savepoint-dir when absent") @Size(max = 2000) String targetDirectory) {
    }

    @Schema(description = "A stop-with-savepoint operation")
    public record Savepoint(
            @Schema(example = "fc9e655ea08a2f7ac9e2890259b848dd") String jobId,
            @Schema(example = "a961a722422360679f8251ee372f86f7") String triggerId,
            @Schema(example = "COMPLETED", description = "IN_PROGRESS, COMPLETED or FAILED") String status,
            @Schema(example = "file:/data/savepoints/savepoint-fc9e65-cfdc269ab1d8") String savepointPath,
            @Schema(description = "why it failed") String failure) {
    }
}
