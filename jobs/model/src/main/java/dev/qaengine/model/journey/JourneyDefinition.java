package dev.qaengine.model.journey;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * A journey as a marketer draws it (schema: state-schemas/journey-definition-v1.schema.json): a trigger,
 * nodes and the edges between them — the shape of a canvas (nodes with ids, edges with a source, a target
 * and, from a branch node, the branch they leave by), so that a UI can produce it directly.
 * {@link JourneyValidator} checks it; node configurations are read there, per node type, so that an error
 * can name the node and the field.
 *
 * @param start the id of the node persons go to when the trigger lets them in
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JourneyDefinition(
        @JsonProperty("v") int v,
        @JsonProperty("orgId") String orgId,
        @JsonProperty("name") String name,
        @JsonProperty("trigger") Trigger trigger,
        @JsonProperty("start") String start,
        @JsonProperty("nodes") List<Node> nodes,
        @JsonProperty("edges") List<Edge> edges) {

    public static final int VERSION = 1;

    public List<Node> nodesOrEmpty() {
        return nodes == null ? List.of() : nodes;
    }

    public List<Edge> edgesOrEmpty() {
        return edges == null ? List.of() : edges;
    }

    /**
     * What lets persons in. EVENT: {@link #event} (the event, its channel, attribute conditions and the
     * N-times condition) and {@link #participation}. AUDIENCE: {@link #audience}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Trigger(
            @JsonProperty("type") TriggerType type,
            @JsonProperty("event") EventMatch event,
            @JsonProperty("participation") Participation participation,
            @JsonProperty("audience") Audience audience) {
    }

    /**
     * An event with conditions: the trigger's, or an EVENT_BRANCH's.
     *
     * @param channel    the channel's APP_KEY; absent = the event from any channel (trigger), the trigger's
     *                   channel (EVENT_BRANCH: the product requires the same channel)
     * @param times      trigger only: the person enters on the N-th time they do it (the product's
     *                   "同一用户触发事件次数"); absent = 1
     * @param count      EVENT_BRANCH only: how often within the window counts as "did"; absent = at least once
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventMatch(
            @JsonProperty("eventCode") String eventCode,
            @JsonProperty("channel") String channel,
            @JsonProperty("conditions") Conditions conditions,
            @JsonProperty("times") Integer times,
            @JsonProperty("count") Count count) {
    }

    /** Attribute conditions, all of which (AND) or any of which (OR) must hold. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Conditions(
            @JsonProperty("combine") Combine combine,
            @JsonProperty("rules") List<Rule> rules) {

        public List<Rule> rulesOrEmpty() {
            return rules == null ? List.of() : rules;
        }
    }

    public enum Combine { AND, OR }

    /** One comparison of an event attribute; values are strings (numbers in JSON-number spelling for NUMBER attributes). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rule(
            @JsonProperty("attribute") String attribute,
            @JsonProperty("operator") Operator operator,
            @JsonProperty("values") List<String> values) {

        public List<String> valuesOrEmpty() {
            return values == null ? List.of() : values;
        }
    }

    /** A count condition: the number of matching events compared with {@code value}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Count(
            @JsonProperty("operator") Operator operator,
            @JsonProperty("value") Integer value) {
    }

    /** How often one person may enter: once ever, or at most {@code maxEntries} times within {@code withinDays} days. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Participation(
            @JsonProperty("mode") Mode mode,
            @JsonProperty("maxEntries") Integer maxEntries,
            @JsonProperty("withinDays") Integer withinDays) {

        public enum Mode { ONCE, LIMITED }
    }

    /** A stored audience that enters at the start time (schedules come with the audience issue). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Audience(@JsonProperty("audienceId") String audienceId) {
    }

    /**
     * A node of the canvas; {@code config} depends on {@code type} (see the schema). It stays a plain map
     * here, read field by field by the validator and the compiler, so that this module needs no JSON
     * library beyond annotations (the control plane and the jobs use different Jackson generations).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Node(
            @JsonProperty("id") String id,
            @JsonProperty("type") NodeType type,
            @JsonProperty("name") String name,
            @JsonProperty("config") Map<String, Object> config) {
    }

    /** From node {@code from} (by its branch {@code branch}, for branch nodes) to node {@code to}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Edge(
            @JsonProperty("from") String from,
            @JsonProperty("to") String to,
            @JsonProperty("branch") String branch) {
    }

    /** A relative time: WAIT durations, EVENT_BRANCH windows, RESULT_BRANCH waits. */
    public enum Unit {
        MINUTES(60_000L), HOURS(3_600_000L), DAYS(86_400_000L), WEEKS(7 * 86_400_000L);

        public final long millis;

        Unit(long millis) {
            this.millis = millis;
        }
    }
}
