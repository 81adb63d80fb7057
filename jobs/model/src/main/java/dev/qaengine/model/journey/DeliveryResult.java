package dev.qaengine.model.journey;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What became of one action request, on {@code qa.deliveries} keyed by {@code <orgId>|<personId>}
 * (schema: state-schemas/delivery-result-v1.schema.json; {@code type} DELIVERY_RESULT tells it from the
 * webhook receipts on the same topic). Written by the fan-out (issue #7) — until then by tests — and read
 * by the journeys engine, whose RESULT_BRANCH routes on it. {@code runId} and {@code nodeId} are copied
 * from the {@link ActionRequest}; an action can have several results over time (SENT, then SUCCESS, then
 * OPENED): the engine keeps the furthest.
 *
 * @param time epoch ms at which the outcome was known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryResult(
        @JsonProperty("v") int v,
        @JsonProperty("type") String type,
        @JsonProperty("orgId") String orgId,
        @JsonProperty("personId") String personId,
        @JsonProperty("journeyId") String journeyId,
        @JsonProperty("runId") String runId,
        @JsonProperty("nodeId") String nodeId,
        @JsonProperty("outcome") Outcome outcome,
        @JsonProperty("reason") String reason,
        @JsonProperty("time") long time) {

    public static final int VERSION = 1;
    public static final String TYPE = "DELIVERY_RESULT";

    /** Outcomes in the order a later one supersedes an earlier one (an OPENED push was also delivered). */
    public enum Outcome {
        /** Handed to the channel; no report yet. */
        SENT,
        /** Not sent on purpose: a variable without a value (SKIP), or the contact policy. */
        SKIPPED,
        /** The person has no identifier the channel can use. */
        NO_ID_FOR_CHANNEL,
        FAILURE,
        SUCCESS,
        /** A push the person opened. */
        OPENED
    }

    public static DeliveryResult of(String orgId, String personId, String journeyId, String runId, String nodeId, Outcome outcome,
                                    String reason, long time) {
        return new DeliveryResult(VERSION, TYPE, orgId, personId, journeyId, runId, nodeId, outcome, reason, time);
    }
}
