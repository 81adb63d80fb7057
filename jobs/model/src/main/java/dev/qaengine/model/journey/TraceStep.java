package dev.qaengine.model.journey;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One step of a person through a journey, and why, on {@code qa.journeys.trace} keyed by
 * {@code <orgId>|<personId>} (schema: state-schemas/journey-trace-v1.schema.json). Written by the journeys
 * engine (and by the dry run, which keeps them in its report instead); read by the control plane, which
 * answers {@code GET /api/v1/journeys/{id}/persons/{personId}/trace} from them.
 *
 * @param step       what happened (see {@link Kind})
 * @param runId      the run; absent for NOT_ENTERED
 * @param nodeId     the node; absent for ENTERED and NOT_ENTERED
 * @param exit       the branch or exit the run left the node by (PASSED), or the action's skip reason (ACTION)
 * @param reason     why, in words: the condition that failed, the count in the window, the result, the slot…
 * @param eventId    the event that caused the step, when one did
 * @param at         event time of the step (entry: the trigger event's time; a timer: its deadline), epoch ms
 * @param time       wall-clock time it was written, epoch ms
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TraceStep(
        @JsonProperty("v") int v,
        @JsonProperty("orgId") String orgId,
        @JsonProperty("journeyId") String journeyId,
        @JsonProperty("planVersion") long planVersion,
        @JsonProperty("personId") String personId,
        @JsonProperty("runId") String runId,
        @JsonProperty("step") Kind step,
        @JsonProperty("nodeId") String nodeId,
        @JsonProperty("nodeType") NodeType nodeType,
        @JsonProperty("exit") String exit,
        @JsonProperty("reason") String reason,
        @JsonProperty("eventId") String eventId,
        @JsonProperty("at") long at,
        @JsonProperty("time") long time) {

    public static final int VERSION = 1;

    public enum Kind {
        /** A trigger event let the person in: a run began. */
        ENTERED,
        /** A trigger event of the journey's code did not let the person in (condition, duplicate, N-th event, limit). */
        NOT_ENTERED,
        /** The run left a node, by {@code exit}. */
        PASSED,
        /** The run waits at a node (WAIT, a branch's window or wait) until {@code reason}'s time. */
        WAITING,
        /** An action node asked for a message (or skipped it: {@code exit} is then the reason). */
        ACTION,
        /** The run ended. */
        ENDED,
        /** The person was merged into another; the run goes on there ({@code reason} names the survivor). */
        MOVED
    }
}
