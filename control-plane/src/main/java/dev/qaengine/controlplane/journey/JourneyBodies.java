package dev.qaengine.controlplane.journey;

import dev.qaengine.model.journey.JourneyCheck;
import dev.qaengine.model.journey.JourneyDefinition;
import dev.qaengine.model.journey.JourneyStatus;
import dev.qaengine.model.journey.NodeType;
import dev.qaengine.model.journey.TriggerType;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** What the journey API answers. Requests are journey definitions (state-schemas/journey-definition-v1.schema.json). */
public final class JourneyBodies {
    private JourneyBodies() {
    }

    /**
     * A stored journey: its definition as given (with the caller's orgId), its status, and what the
     * validator says of it now — {@code check.incomplete} lists the branches still open of an INCOMPLETE journey.
     *
     * @param queued       PENDING behind the organization's running limit: its plan is not published yet
     * @param statusReason why it is queued, or FAILED (the engine's reason, or what kept it from starting when its turn came)
     */
    public record Journey(
            @Schema(example = "0b5c2f0e-6a53-4b52-9a52-1c8d1e5f3a10") String id,
            @Schema(example = "Cart abandonment") String name,
            JourneyStatus status,
            TriggerType triggerType,
            @Schema(example = "false") boolean queued,
            @Schema(example = "queued behind the organization's running limit of 10 (qa.journeys.max-running-per-org): its plan is "
                    + "published when one of the organization's started journeys stops, pauses or fails") String statusReason,
            JourneyDefinition definition,
            JourneyCheck check,
            @Schema(example = "1") int revision,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
    }

    /**
     * What the journeys engine counted for a journey, summed over its instances and checkpoints: every node of the
     * definition in definition order, 0 where nothing was counted.
     *
     * @param entered   persons who entered the journey
     * @param ended     runs of the journey that ended
     * @param updatedAt the time of the newest count added (the engine's clock when it counted); null while nothing was
     */
    @Schema(description = "The journeys engine's counts for the journey (qa.journeys.stats), summed over its instances and checkpoints")
    public record JourneyStats(
            @Schema(example = "0b5c2f0e-6a53-4b52-9a52-1c8d1e5f3a10") String journeyId,
            JourneyStatus status,
            @Schema(example = "3") long entered,
            @Schema(example = "2") long ended,
            @Schema(example = "2026-11-28T10:00:00Z") OffsetDateTime updatedAt,
            List<NodeStats> nodes) {
    }

    /**
     * One node's counts.
     *
     * @param branches persons per branch taken: the node's branches in the order of its edges (0 when none took it), then any
     *                 other branch the engine counted, by name
     * @param skipped  action requests written with a skip reason ({@code EMPTY_VARIABLE:<variable>}), by reason
     */
    public record NodeStats(
            @Schema(example = "check") String id,
            NodeType type,
            @Schema(example = "Bought within 30 minutes?") String name,
            @Schema(example = "3") long entered,
            @Schema(example = "3") long exited,
            @Schema(example = "0", description = "action requests written (actions only)") long actions,
            @Schema(example = "{\"DONE\":1,\"NOT_DONE\":2}") Map<String, Long> branches,
            @Schema(example = "{\"EMPTY_VARIABLE:item\":1}") Map<String, Long> skipped) {
    }
}
