package dev.qaengine.controlplane.journey;

import dev.qaengine.model.journey.TraceStep;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** What {@code GET /api/v1/journeys/{id}/persons/{personId}/trace} answers: a person's way through a journey, and why. */
public final class JourneyTraceBodies {
    private JourneyTraceBodies() {
    }

    /**
     * @param runs    the person's runs, oldest first (a forked branch right after the run it came from)
     * @param refused the trigger events that did not let the person in, newest last
     */
    @Schema(description = "A person's steps through a journey as the journeys engine traced them (qa.journeys.trace)")
    public record PersonTrace(
            @Schema(example = "0b5c2f0e-6a53-4b52-9a52-1c8d1e5f3a10") String journeyId,
            @Schema(example = "ONEID:c-9") String personId,
            List<Run> runs,
            List<Refusal> refused) {
    }

    /**
     * One run of the person through the journey.
     *
     * @param parentRunId    for a branch of a COPY_BRANCH or TIME_BRANCH ({@code <runId>/<branch>}): the run it forked from
     * @param triggerEventId the event that let the person in (of the run it forked from, for a branch); null when that step
     *                       is gone (older than the retention)
     * @param enteredAt      when the person entered (the trigger event's time), likewise
     * @param planVersion    the version of the journey's plan the run follows
     * @param ended          whether the run ended
     * @param waitingAt      the node the run waits at (its last step is WAITING); null when it ended or moved on
     */
    public record Run(
            @Schema(example = "5d1f0c9a2b7e4c31") String runId,
            String parentRunId,
            @Schema(example = "e-1001") String triggerEventId,
            @Schema(example = "2026-11-28T09:00:00Z") Instant enteredAt,
            @Schema(example = "1795856400000") Long enteredAtMs,
            @Schema(example = "1") long planVersion,
            boolean ended,
            @Schema(example = "2026-11-28T09:30:00Z") Instant endedAt,
            Long endedAtMs,
            @Schema(example = "check") String waitingAt,
            List<Step> steps) {
    }

    /**
     * One step, in the order the engine took them.
     *
     * @param nodeName the node's name in the journey's definition, when it has one
     * @param exit     PASSED: the branch or exit taken; ACTION: the reason the message was skipped
     * @param reason   why, in words
     * @param at       the step's event time (entry: the trigger event's time; a deadline: its time)
     */
    public record Step(
            TraceStep.Kind step,
            @Schema(example = "check") String nodeId,
            @Schema(example = "Bought within 30 minutes?") String nodeName,
            @Schema(example = "EVENT_BRANCH") String nodeType,
            @Schema(example = "NOT_DONE") String exit,
            @Schema(example = "no purchase within 30 min of 2026-11-28T09:00:00Z") String reason,
            String eventId,
            @Schema(example = "2026-11-28T09:30:00Z") Instant at,
            @Schema(example = "1795858200000") long atMs) {
    }

    /** A trigger event that did not let the person in, and why (a condition, a duplicate, the N-th event, the participation limit). */
    public record Refusal(
            @Schema(example = "e-1002") String eventId,
            @Schema(example = "participation limit: entered 1 time(s) already") String reason,
            @Schema(example = "2026-11-28T09:05:00Z") Instant at,
            @Schema(example = "1795856700000") long atMs) {
    }
}
