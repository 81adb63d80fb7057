package dev.qaengine.model.journey;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.qaengine.model.IdType;

import java.util.Map;

/**
 * What a person's run asks the fan-out to send when it reaches an action node, on {@code qa.actions} keyed
 * by {@code <orgId>|<personId>} (schema: state-schemas/action-request-v1.schema.json).
 *
 * <p>{@code key} — {@code <runId>:<nodeId>} — is the idempotency key: a run passes a node once, and the
 * run id is derived from the journey, the person and the trigger event, so a replayed event or a job
 * restored from a checkpoint asks again with the same key, and the fan-out sends once.
 *
 * @param planVersion  the version of the JOURNEY_PLAN control record the run follows
 * @param idValue      the person's identifier of {@code idType} as last seen by the engine; null when it
 *                     knows none (the fan-out may look the person up, else answers NO_ID_FOR_CHANNEL)
 * @param variables    the template's variables, rendered (empty values already replaced)
 * @param skip         why the person is not to be sent this message (a variable without a value and SKIP
 *                     chosen: {@code EMPTY_VARIABLE:<name>}); null = send. Kept on the topic so the node's
 *                     sub-task counts every person who reached it
 * @param time         event time (epoch ms) at which the run reached the node
 * @param emittedAt    wall-clock epoch ms at which the engine wrote the request (for latency figures)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionRequest(
        @JsonProperty("v") int v,
        @JsonProperty("key") String key,
        @JsonProperty("orgId") String orgId,
        @JsonProperty("journeyId") String journeyId,
        @JsonProperty("planVersion") long planVersion,
        @JsonProperty("runId") String runId,
        @JsonProperty("nodeId") String nodeId,
        @JsonProperty("nodeType") NodeType nodeType,
        @JsonProperty("personId") String personId,
        @JsonProperty("triggerEventId") String triggerEventId,
        @JsonProperty("interfaceId") String interfaceId,
        @JsonProperty("templateId") String templateId,
        @JsonProperty("idType") IdType idType,
        @JsonProperty("idValue") String idValue,
        @JsonProperty("variables") Map<String, String> variables,
        @JsonProperty("params") Map<String, Object> params,
        @JsonProperty("skip") String skip,
        @JsonProperty("time") long time,
        @JsonProperty("emittedAt") long emittedAt) {

    public static final int VERSION = 1;

    public static String key(String runId, String nodeId) {
        return runId + ':' + nodeId;
    }
}
