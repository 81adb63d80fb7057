package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.journey.JourneyTraceBodies.PersonTrace;
import dev.qaengine.controlplane.tenancy.Access;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.tenancy.Role;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.ProblemCode;
import dev.qaengine.journeys.DryRun;
import dev.qaengine.model.journey.JourneyPlan;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Encoding;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.util.WebUtils;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.regex.Pattern;

/**
 * What the journeys engine did and would do with a journey's persons: a person's trace (the engine's steps and why, from
 * {@code qa.journeys.trace}) and a dry run over a recorded event file (nothing sent).
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Journeys")
public class JourneyInsightController {
    public static final String NDJSON = "application/x-ndjson";
    /** The dry run's path: the one /api body allowed above the ingestion limit (config.WebConfig). */
    private static final Pattern DRY_RUN_PATH = Pattern.compile("/api/v1/journeys/[^/]+/dry-run");
    static final String DRY_RUN_EXAMPLE = """
            {"v":1,"personId":"p-1","identifiers":{"MOBILE":["13800138000"]},"event":{"v":1,"eventId":"e-1","orgId":"<your org id>","customerId":"c-1","channel":"shop-app","eventCode":"add_to_cart","attributes":{"sku":"2","price":150},"eventTime":1795856400000,"ingestTime":1795856400000}}
            {"v":1,"eventId":"e-2","orgId":"<your org id>","customerId":"c-9","customerIdType":"ONEID","channel":"shop-app","eventCode":"add_to_cart","attributes":{"sku":"1","price":120},"eventTime":1795856460000,"ingestTime":1795856460000}
            """;

    private final JourneyTraceService trace;
    private final JourneyDryRunService dryRuns;

    public JourneyInsightController(JourneyTraceService trace, JourneyDryRunService dryRuns) {
        this.trace = trace;
        this.dryRuns = dryRuns;
    }

    /** Whether the request is a dry run's upload (its body limit is QA_JOURNEYS_DRY_RUN_MAX_BODY_SIZE). */
    public static boolean isDryRun(HttpServletRequest request) {
        return "POST".equals(request.getMethod())
                && DRY_RUN_PATH.matcher(request.getRequestURI().substring(request.getContextPath().length())).matches();
    }

    @GetMapping("/journeys/{id}/persons/{personId}/trace")
    @Access(Role.ANALYST)
    @Operation(summary = "A person's way through a journey, and why",
            description = "What the journeys engine traced for the person (qa.journeys.trace, kept QA_JOURNEYS_TRACE_RETENTION, 7 days): "
                    + "each run — its trigger event, when the person entered, whether it ended or where it waits — with every step in "
                    + "the engine's order (ENTERED, PASSED with the exit taken, WAITING, ACTION, ENDED, MOVED), the node's name from the "
                    + "definition, the reason in words and the step's event time (ISO-8601 and epoch ms); a branch of a COPY_BRANCH or "
                    + "TIME_BRANCH is a run of its own (<runId>/<branch>, parentRunId) right after the run it forked from. refused lists "
                    + "the trigger events that did not let the person in, newest last. limit (1-1000, default 200) caps runs and "
                    + "refusals, each to its newest. A step the engine wrote twice (it writes at least once) is shown once. A person "
                    + "with no steps answers empty lists; the engine traces everything with QA_JOURNEYS_TRACE=ALL, runs only with RUNS.")
    @ApiResponse(responseCode = "200", description = "the person's runs and refusals (empty lists when the engine traced nothing for them)",
            content = @Content(schema = @Schema(implementation = PersonTrace.class)))
    @ApiResponse(responseCode = "400", description = "limit out of range (bad-parameter, field limit)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    public PersonTrace trace(Caller caller, @PathVariable String id,
                             @Parameter(description = "the person id the engine keys the person by (the identity job's person id; "
                                     + "<customerIdType>:<customerId> for events that were not resolved); percent-encode it, '/' is refused",
                                     example = "ONEID:c-9") @PathVariable String personId,
                             @Parameter(description = "the most runs and the most refusals listed, each the newest (1-1000)", example = "200")
                             @RequestParam(required = false) Integer limit) {
        return trace.trace(caller, id, personId, limit);
    }

    @PostMapping(path = "/journeys/{id}/dry-run", consumes = {NDJSON, MediaType.TEXT_PLAIN_VALUE, MediaType.MULTIPART_FORM_DATA_VALUE})
    @Access(Role.DEVELOPER)
    @Operation(summary = "Dry-run a journey over a recorded event file",
            description = "Runs the journey's current definition — in any status, a draft too — compiled as a start compiles it (plan "
                    + "version 1), through the journeys engine's own logic over the file's events, in file order, with nothing sent or "
                    + "stored: who would enter and who would not, the path each run would take, the action requests the fan-out would "
                    + "get (variables rendered), the engine's counts per node and every trace step. The body is JSON lines "
                    + "(application/x-ndjson or text/plain, UTF-8 unless a charset says otherwise; or multipart/form-data with the file "
                    + "as part 'file'): resolved events (qa.events.resolved) or canonical events (qa.events.normalized, the person "
                    + "being <customerIdType>:<customerId>); events of other organizations are passed over, a line that is not an event "
                    + "is listed in rejected with its line number and why. Time is the events' own (the engine's clock trails the "
                    + "latest event time by the job's 5 s lateness); after the last event every wait and window runs out. Read line by "
                    + "line, up to QA_JOURNEYS_DRY_RUN_MAX_BODY_SIZE (100 MB); the report lists at most 1,000 runs, 1,000 action "
                    + "requests, 10,000 steps and 100 rejected lines in full (the counts are always whole). The same 409 as a start when "
                    + "the journey could not start; 422 when the engine would refuse it (audience-triggered journeys).",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = NDJSON, schema = @Schema(type = "string"), examples = @ExampleObject(value = DRY_RUN_EXAMPLE)),
                    @Content(mediaType = MediaType.TEXT_PLAIN_VALUE, schema = @Schema(type = "string"),
                            examples = @ExampleObject(value = DRY_RUN_EXAMPLE)),
                    @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = EventFile.class),
                            encoding = @Encoding(name = "file", contentType = NDJSON))}))
    @ApiResponse(responseCode = "200", description = "the report", content = @Content(schema = @Schema(implementation = DryRun.Report.class)))
    @ApiResponse(responseCode = "409", description = "the journey could not start (conflict, every finding in errors and violations)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "413", description = "the file is larger than QA_JOURNEYS_DRY_RUN_MAX_BODY_SIZE (payload-too-large)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "415", description = "not JSON lines nor multipart (unsupported-media-type)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "422", description = "the journeys engine would not run the journey (validation, its reason)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    public DryRun.Report dryRun(Caller caller, @PathVariable String id, HttpServletRequest request) throws IOException {
        JourneyPlan plan = dryRuns.plan(caller, id); // 404, 409 and 422 before a byte of the file is read
        InputStream in;
        Charset charset;
        MultipartHttpServletRequest multipart = WebUtils.getNativeRequest(request, MultipartHttpServletRequest.class);
        if (multipart != null) {
            MultipartFile file = multipart.getFile("file");
            if (file == null) {
                throw ApiException.field(ProblemCode.BAD_PARAMETER, "file", "the multipart body has no part named 'file' (the event file)");
            }
            in = file.getInputStream();
            charset = charset(file.getContentType() == null ? null : MediaType.parseMediaType(file.getContentType()).getParameter("charset"));
        } else {
            in = request.getInputStream();
            charset = charset(request.getCharacterEncoding());
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, charset), 64 * 1024)) {
            return dryRuns.run(plan, JourneyDryRunService.lines(reader));
        }
    }

    private static Charset charset(String name) {
        if (name == null || name.isBlank()) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name.strip().replace("\"", ""));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new ApiException(ProblemCode.UNSUPPORTED_MEDIA_TYPE, "charset '" + (name.length() <= 32 ? name : name.substring(0, 32) + "…")
                    + "' is not supported; send UTF-8");
        }
    }

    /** The multipart form of the dry run's body (for the OpenAPI document). */
    @Schema(description = "the event file as a part named 'file'")
    record EventFile(@Schema(type = "string", format = "binary", description = "JSON lines: resolved or canonical events") String file) {
    }
}
