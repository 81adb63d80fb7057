package dev.qaengine.controlplane.engine;

import dev.qaengine.controlplane.engine.EngineBodies.Cluster;
import dev.qaengine.controlplane.engine.EngineBodies.EngineJob;
import dev.qaengine.controlplane.engine.EngineBodies.Savepoint;
import dev.qaengine.controlplane.engine.EngineBodies.StopJob;
import dev.qaengine.controlplane.engine.EngineBodies.SubmitJob;
import dev.qaengine.controlplane.engine.EngineBodies.Submitted;
import dev.qaengine.controlplane.engine.EngineBodies.Suite;
import dev.qaengine.controlplane.tenancy.Access;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.tenancy.Role;
import dev.qaengine.controlplane.web.Page;
import dev.qaengine.controlplane.web.PageRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;

/**
 * Engine operations: the Flink jobs of the engine as the session cluster reports them, submitting one of the
 * suite's jobs and stopping one with a savepoint. The cluster is shared by every organization, so changing
 * what runs needs the platform-admin key (the bootstrap key); any key may look.
 */
@RestController
@RequestMapping(path = "/api/v1/engine", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Engine", description = "The Flink jobs of the engine (Flink REST API at QA_FLINK_REST_URL): status, metrics, submit, stop with savepoint")
@ApiResponse(responseCode = "503", description = "the Flink cluster does not answer (flink-unavailable), or no jobs jar is configured (jobs-jar-missing)",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
@ApiResponse(responseCode = "502", description = "the Flink cluster answered with an error (flink-error)",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
public class EngineController {
    private static final Logger log = LoggerFactory.getLogger(EngineController.class);
    private static final String SUBMIT_EXAMPLE = """
            {"job":"qa-normalize","parallelism":2,"settings":{"QA_DEDUP_HORIZON":"10m"}}""";
    private static final String RESUME_EXAMPLE = """
            {"job":"qa-normalize","parallelism":2,"savepointPath":"file:/data/savepoints/savepoint-fc9e65-cfdc269ab1d8"}""";
    private static final String STOP_EXAMPLE = """
            {"drain":false}""";

    private final EngineService engine;

    public EngineController(EngineService engine) {
        this.engine = engine;
    }

    @GetMapping("/cluster")
    @Access(Role.ANALYST)
    @Operation(summary = "The Flink cluster", description = "Version, task managers, slots and job counts from Flink's /overview.")
    public Cluster cluster() {
        return engine.cluster();
    }

    @GetMapping("/suite")
    @Access(Role.ANALYST)
    @Operation(summary = "The jobs that can be submitted",
            description = "The suite's jobs jar (QA_JOBS_JAR) and the jobs its manifest lists (Qa-Jobs: name=main class).")
    public Suite suite() {
        return engine.suite();
    }

    @GetMapping("/jobs")
    @Access(Role.ANALYST)
    @Operation(summary = "List the Flink jobs",
            description = "Every job the cluster knows, newest first: state, uptime, restarts, last completed checkpoint, records "
                    + "in/out per second and the engine's operator counters (normalize: normalized, duplicates, dlq.*), per vertex too. "
                    + "Metrics are Flink's, refreshed every 10 s by its metric fetcher.")
    public Page<EngineJob> jobs(@Parameter(description = "Flink job status, any case", example = "RUNNING") @RequestParam(required = false) String state,
                                @Parameter(description = "name contains (case-insensitive)", example = "normalize") @RequestParam(required = false) String name,
                                @Parameter(example = "0") @RequestParam(required = false) Integer page,
                                @Parameter(example = "20") @RequestParam(required = false) Integer size) {
        return engine.jobs(blank(state), blank(name), PageRequest.of(page, size));
    }

    @GetMapping("/jobs/{id}")
    @Access(Role.ANALYST)
    @Operation(summary = "Get a Flink job")
    public EngineJob job(@Parameter(example = "10cb70437c27733e7f7db8cd414ead77") @PathVariable String id) {
        return engine.job(id);
    }

    @PostMapping(path = "/jobs", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Access(value = Role.ADMIN, platformAdmin = true)
    @Operation(summary = "Submit a job of the suite",
            description = "Uploads the suite's jar to the cluster (once per jar version: POST /jars/upload) and runs the job's main class "
                    + "(POST /jars/{id}/run) with QA_NAME=value program arguments. Refused (409) while a job of that name is not ended: "
                    + "two instances would process every event twice. Needs the platform-admin key: the cluster serves every organization.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = {
                    @ExampleObject(name = "fresh", value = SUBMIT_EXAMPLE),
                    @ExampleObject(name = "resume from a savepoint", value = RESUME_EXAMPLE)})))
    @ApiResponse(responseCode = "201", description = "submitted; the job is starting")
    public ResponseEntity<Submitted> submit(Caller caller, @Valid @RequestBody SubmitJob body) {
        Submitted s = engine.submit(body);
        log.info("key {} submitted {} as Flink job {}", caller.keyPrefix(), s.job(), s.jobId());
        return ResponseEntity.created(URI.create("/api/v1/engine/jobs/" + s.jobId())).body(s);
    }

    @PostMapping("/jobs/{id}/stop")
    @Access(value = Role.ADMIN, platformAdmin = true)
    @Operation(summary = "Stop a job with a savepoint",
            description = "Flink's stop-with-savepoint (POST /jobs/{id}/stop), then waits for the savepoint (QA_SAVEPOINT_TIMEOUT, 60 s): "
                    + "200 with its path, or 202 with the operation to poll at GET .../savepoints/{triggerId}. A failed savepoint is a 409 "
                    + "(savepoint-failed); the job then keeps running. Resume it with POST /jobs and the savepointPath.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = STOP_EXAMPLE))))
    @ApiResponse(responseCode = "200", description = "stopped; the savepoint's path")
    @ApiResponse(responseCode = "202", description = "the savepoint is still being written; poll the Location")
    @ApiResponse(responseCode = "409", description = "the savepoint failed (savepoint-failed)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    public ResponseEntity<Savepoint> stop(Caller caller, @Parameter(example = "fc9e655ea08a2f7ac9e2890259b848dd") @PathVariable String id,
                                          @Valid @RequestBody(required = false) StopJob body) {
        Savepoint s = engine.stop(id, body);
        log.info("key {} stopped Flink job {}: {} {}", caller.keyPrefix(), id, s.status(), s.savepointPath() == null ? "" : s.savepointPath());
        if (s.status().equals("IN_PROGRESS")) {
            return ResponseEntity.status(HttpStatus.ACCEPTED)
                    .location(URI.create("/api/v1/engine/jobs/" + id + "/savepoints/" + s.triggerId())).body(s);
        }
        return ResponseEntity.ok(s);
    }

    @GetMapping("/jobs/{id}/savepoints/{triggerId}")
    @Access(Role.ANALYST)
    @Operation(summary = "A stop-with-savepoint operation", description = "IN_PROGRESS, COMPLETED (with the savepoint's path) or FAILED (with why).")
    public Savepoint savepoint(@PathVariable String id, @PathVariable String triggerId) {
        return engine.savepoint(id, triggerId);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
