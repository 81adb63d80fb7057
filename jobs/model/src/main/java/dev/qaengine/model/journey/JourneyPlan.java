package dev.qaengine.model.journey;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.qaengine.model.IdType;

import java.util.List;
import java.util.Map;

/**
 * A started journey as the engine runs it (schema: state-schemas/journey-plan-v1.schema.json), published
 * on {@code qa.control} as JOURNEY_PLAN with subject {@code <orgId>/<journeyId>} and the outbox's version
 * ({@link dev.qaengine.model.ControlRecord#version()}: a newer plan of the journey replaces the older; a
 * tombstone ends it). Compiled by {@link JourneyCompiler} from a valid, complete definition: nodes flattened
 * into {@link Step}s with their exits resolved, durations in milliseconds, NUMBER comparisons as numbers,
 * references by id — no secret, no template text (the fan-out resolves those).
 *
 * @param revision the definition revision it was compiled from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JourneyPlan(
        @JsonProperty("v") int v,
        @JsonProperty("orgId") String orgId,
        @JsonProperty("journeyId") String journeyId,
        @JsonProperty("name") String name,
        @JsonProperty("revision") int revision,
        @JsonProperty("trigger") Trigger trigger,
        @JsonProperty("start") String start,
        @JsonProperty("steps") List<Step> steps) {

    public static final int VERSION = 1;

    public static String subject(String orgId, String journeyId) {
        return orgId + '/' + journeyId;
    }

    /**
     * EVENT: enter on the {@code times}-th matching event; participation ONCE ({@code maxEntries} 1,
     * {@code entryWindowMs} null) or LIMITED. AUDIENCE: {@code audienceId}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Trigger(
            @JsonProperty("type") TriggerType type,
            @JsonProperty("event") Match event,
            @JsonProperty("times") Integer times,
            @JsonProperty("maxEntries") Integer maxEntries,
            @JsonProperty("entryWindowMs") Long entryWindowMs,
            @JsonProperty("audienceId") String audienceId) {
    }

    /** An event and its attribute conditions; {@code channel} null = any channel. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Match(
            @JsonProperty("eventCode") String eventCode,
            @JsonProperty("channel") String channel,
            @JsonProperty("any") boolean any,
            @JsonProperty("rules") List<Rule> rules) {
    }

    /** One comparison: NUMBER attributes compare {@code numbers} (as doubles), TEXT ones {@code texts}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rule(
            @JsonProperty("attribute") String attribute,
            @JsonProperty("operator") Operator operator,
            @JsonProperty("numeric") boolean numeric,
            @JsonProperty("texts") List<String> texts,
            @JsonProperty("numbers") List<Double> numbers) {
    }

    /**
     * One node. {@code next}: exit → step id ({@code "next"} for a node with one way out; branch names for
     * branch nodes; absent exits end the person's run). The other members depend on the type.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(
            @JsonProperty("id") String id,
            @JsonProperty("type") NodeType type,
            @JsonProperty("next") Map<String, String> next,
            @JsonProperty("delayMs") Long delayMs,
            @JsonProperty("untilMs") Long untilMs,
            @JsonProperty("watch") Match watch,
            @JsonProperty("countOperator") Operator countOperator,
            @JsonProperty("countValue") Long countValue,
            @JsonProperty("action") Action action,
            @JsonProperty("resultOf") String resultOf,
            @JsonProperty("split") List<Split> split) {
    }

    /** What an action node sends and how: the interface and template by id, the ID type, the variables. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Action(
            @JsonProperty("interfaceId") String interfaceId,
            @JsonProperty("templateId") String templateId,
            @JsonProperty("idType") IdType idType,
            @JsonProperty("variables") List<Variable> variables,
            @JsonProperty("params") Map<String, Object> params) {
    }

    /** A template variable: its value from {@code from} (an event attribute or a tag); empty → SKIP the person or REPLACE. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Variable(
            @JsonProperty("name") String name,
            @JsonProperty("from") String from,
            @JsonProperty("ifEmpty") String ifEmpty,
            @JsonProperty("replacement") String replacement) {
    }

    /** A branch of RANDOM (percent), TIME (atMs), TAG (tag) or COPY branches. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Split(
            @JsonProperty("name") String name,
            @JsonProperty("percent") Integer percent,
            @JsonProperty("atMs") Long atMs,
            @JsonProperty("tag") String tag) {
    }
}
