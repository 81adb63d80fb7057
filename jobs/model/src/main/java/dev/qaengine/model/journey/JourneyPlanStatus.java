package dev.qaengine.model.journey;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The journeys engine's acknowledgement of a plan, on {@code qa.journeys.status} keyed by
 * {@code <orgId>/<journeyId>} (schema: state-schemas/journey-status-v1.schema.json): the plan of that
 * version is applied on every engine instance (RUNNING), or could not be (FAILED, with the reason). The
 * control plane shows a started journey as RUNNING only after this answer for the plan it published last.
 *
 * @param planVersion the version of the JOURNEY_PLAN control record it answers
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JourneyPlanStatus(
        @JsonProperty("v") int v,
        @JsonProperty("orgId") String orgId,
        @JsonProperty("journeyId") String journeyId,
        @JsonProperty("planVersion") long planVersion,
        @JsonProperty("status") JourneyStatus status,
        @JsonProperty("reason") String reason,
        @JsonProperty("time") long time) {

    public static final int VERSION = 1;
}
