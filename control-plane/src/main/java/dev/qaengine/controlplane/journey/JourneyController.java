package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.journey.JourneyBodies.Journey;
import dev.qaengine.controlplane.journey.JourneyBodies.JourneyStats;
import dev.qaengine.controlplane.journey.JourneyRepository.Filter;
import dev.qaengine.controlplane.tenancy.Access;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.tenancy.Role;
import dev.qaengine.controlplane.web.Page;
import dev.qaengine.controlplane.web.PageRequest;
import dev.qaengine.controlplane.web.Params;
import dev.qaengine.model.journey.JourneyDefinition;
import dev.qaengine.model.journey.JourneyStatus;
import dev.qaengine.model.journey.TriggerType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;

/** Journeys of the caller's workspace: definitions, validated; their lifecycle before start. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Journeys", description = "Behaviour-triggered flows: a trigger, nodes and edges (state-schemas/journey-definition-v1.schema.json)")
public class JourneyController {
    static final String EXAMPLE = """
            {"v":1,"name":"Cart abandonment",
             "trigger":{"type":"EVENT","event":{"eventCode":"add_to_cart","channel":"shop-app"},"participation":{"mode":"ONCE"}},
             "start":"check",
             "nodes":[{"id":"check","type":"EVENT_BRANCH","config":{"event":{"eventCode":"purchase"},"window":{"amount":30,"unit":"MINUTES"}}},
                      {"id":"sms","type":"SMS","config":{"channel":"<SMS platform id>","template":"<approved SMS template id>","idType":"MOBILE"}},
                      {"id":"done","type":"END"}],
             "edges":[{"from":"check","to":"sms","branch":"NOT_DONE"},{"from":"check","to":"done","branch":"DONE"}]}""";

    private final JourneyService journeys;
    private final JourneyStatsService stats;

    public JourneyController(JourneyService journeys, JourneyStatsService stats) {
        this.journeys = journeys;
        this.stats = stats;
    }

    @GetMapping("/journeys")
    @Access(Role.ANALYST)
    @Operation(summary = "List journeys", description = "Ordered by name; filters combine with AND.")
    public Page<Journey> list(Caller caller,
                              @Parameter(example = "NOT_STARTED") @RequestParam(required = false) JourneyStatus status,
                              @Parameter(example = "EVENT") @RequestParam(required = false) TriggerType triggerType,
                              @Parameter(description = "name contains (case-insensitive)") @RequestParam(required = false) String name,
                              @Parameter(example = "0") @RequestParam(required = false) Integer page,
                              @Parameter(example = "20") @RequestParam(required = false) Integer size) {
        return journeys.list(caller, new Filter(status, triggerType, Params.blankToNull(name)), PageRequest.of(page, size));
    }

    @GetMapping("/journeys/{id}")
    @Access(Role.ANALYST)
    @Operation(summary = "Get a journey", description = "With what the validator says of it today (check.errors, check.incomplete).")
    public Journey get(Caller caller, @PathVariable String id) {
        return journeys.get(caller, id);
    }

    @GetMapping("/journeys/{id}/stats")
    @Access(Role.ANALYST)
    @Operation(summary = "A journey's counts per node",
            description = "What the journeys engine counted (qa.journeys.stats), summed over its instances and checkpoints: persons who "
                    + "entered and runs that ended; per node of the definition, in definition order, entered, exited, action requests, "
                    + "persons per branch (the node's edges first) and skipped requests by reason. 0 where nothing was counted — a "
                    + "journey never started answers zeros. The engine reports at its checkpoints (QA_CHECKPOINT_INTERVAL, 10 s); "
                    + "updatedAt is the engine's time of the newest count added, null while none was.")
    public JourneyStats stats(Caller caller, @PathVariable String id) {
        return stats.stats(caller, id);
    }

    @GetMapping(path = "/journeys/{id}/diagram.svg", produces = JourneyDiagram.MEDIA_TYPE)
    @Access(Role.ANALYST)
    @Operation(summary = "A picture of a journey with its counts",
            description = "The journey as the product's canvas shows it while it runs, as SVG: the start (the trigger, with the persons "
                    + "who entered and the runs that ended) and every node as a box with its name, type and counts from GET "
                    + "/journeys/{id}/stats — entered; per branch for branch nodes; actions and skipped for action nodes — laid out left "
                    + "to right. An edge is green once someone went along it (its branch's count, or the exits of a one-way node, above "
                    + "0), grey until then; branch edges carry the branch's name. Under every action node a bar: blue the action "
                    + "requests handed to the fan-out, red those skipped (a template variable without a value), grey the persons not "
                    + "acted on yet — delivery outcomes are not counted here. A journey never started is drawn with zeros, every edge "
                    + "grey. Hovering a box shows its counts unclipped.")
    @ApiResponse(responseCode = "200", description = "the picture (SVG 1.1, UTF-8)",
            content = @Content(mediaType = JourneyDiagram.MEDIA_TYPE, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "no such journey in the caller's workspace (not-found)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    public ResponseEntity<byte[]> diagram(Caller caller, @PathVariable String id) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(JourneyDiagram.MEDIA_TYPE))
                // the counts move at every engine checkpoint: never a stale picture from a cache
                .cacheControl(CacheControl.noStore())
                .body(stats.diagram(caller, id).getBytes(StandardCharsets.UTF_8));
    }

    @PostMapping(path = "/journeys", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Save a new journey",
            description = "A journey definition v1 (orgId may be left out). Every problem is a 422 naming the node and the field "
                    + "(errors[].field, and violations[] with node and code); a journey whose branches do not all end in an action "
                    + "or END yet is saved as INCOMPLETE (check.incomplete lists them) and cannot start; a complete one is NOT_STARTED.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = EXAMPLE))))
    public Journey create(Caller caller, @RequestBody JourneyDefinition body) {
        return journeys.create(caller, body);
    }

    @PutMapping(path = "/journeys/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Replace a journey's definition", description = "Only before it starts (INCOMPLETE, NOT_STARTED); 409 afterwards — copy it instead.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = EXAMPLE))))
    public Journey update(Caller caller, @PathVariable String id, @RequestBody JourneyDefinition body) {
        return journeys.update(caller, id, body);
    }

    @DeleteMapping("/journeys/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Delete a journey", description = "409 while it is PENDING (queued too) or RUNNING: stop it first.")
    public void delete(Caller caller, @PathVariable String id) {
        journeys.delete(caller, id);
    }

    @PostMapping("/journeys/{id}/start")
    @Access(Role.DEVELOPER)
    @Operation(summary = "Start a journey",
            description = "Checks it against today's catalog (409 conflict naming every finding when it cannot start), compiles its plan and "
                    + "publishes it on qa.control as JOURNEY_PLAN; the journey is PENDING until the engine acknowledges that plan. No job restarts. "
                    + "When the organization already holds its running limit of journeys (QA_JOURNEYS_MAX_RUNNING_PER_ORG; off by default) "
                    + "it is PENDING with queued: true and a statusReason instead, nothing published until one of them stops, pauses or fails.")
    public Journey start(Caller caller, @PathVariable String id) {
        return journeys.start(caller, id);
    }

    @PostMapping("/journeys/{id}/stop")
    @Access(Role.DEVELOPER)
    @Operation(summary = "Stop a journey for good", description = "PENDING (queued too), RUNNING or PAUSED → STOPPED (final); a plan the engine "
            + "holds is withdrawn (a tombstone on qa.control) and its place under the running limit goes to the oldest queued journey.")
    public Journey stop(Caller caller, @PathVariable String id) {
        return journeys.stop(caller, id);
    }

    @PostMapping("/journeys/{id}/pause")
    @Access(Role.DEVELOPER)
    @Operation(summary = "Pause an audience-triggered journey",
            description = "RUNNING → PAUSED: its plan is withdrawn (a tombstone on qa.control: no one enters, no new period starts) and its "
                    + "place under the running limit goes to the oldest queued journey. 409 conflict for an event-triggered journey "
                    + "(field trigger.type: those can only be stopped) and for any other status (field status).")
    public Journey pause(Caller caller, @PathVariable String id) {
        return journeys.pause(caller, id);
    }

    @PostMapping("/journeys/{id}/resume")
    @Access(Role.DEVELOPER)
    @Operation(summary = "Resume a paused journey",
            description = "PAUSED → PENDING, as a start: checked against today's catalog (409 conflict naming every finding), its plan compiled "
                    + "and published again with a new version; RUNNING once the engine acknowledges it — or queued behind the running limit. "
                    + "409 conflict (field status) for a journey that is not PAUSED.")
    public Journey resume(Caller caller, @PathVariable String id) {
        return journeys.resume(caller, id);
    }

    @PostMapping("/journeys/{id}/copy")
    @ResponseStatus(HttpStatus.CREATED)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Copy a journey", description = "A new journey named '<name> (copy)', not started, checked against today's catalog.")
    public Journey copy(Caller caller, @PathVariable String id) {
        return journeys.copy(caller, id);
    }
}
