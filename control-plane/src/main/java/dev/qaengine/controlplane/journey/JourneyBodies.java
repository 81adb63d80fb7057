package dev.qaengine.controlplane.journey;

import dev.qaengine.model.journey.JourneyCheck;
import dev.qaengine.model.journey.JourneyDefinition;
import dev.qaengine.model.journey.JourneyStatus;
import dev.qaengine.model.journey.TriggerType;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.OffsetDateTime;

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
}
