package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.consumer.Parsed;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads one {@code qa.journeys.stats} record value — a delta of the journeys engine's counts for one journey, engine
 * instance and checkpoint — into the counts to add, or says why it is skipped ({@link Parsed}: malformed, or
 * unsupported_version):
 * <pre>
 * {"v":1,"orgId":"org1","journeyId":"j1","deltaId":"org1/j1#0-3fa9c2@17","instance":0,"time":1795824000000,
 *  "journey":{"entered":3,"ended":2},
 *  "nodes":{"b":{"entered":3,"exited":3,"branches":{"DONE":1,"NOT_DONE":2}},
 *           "s":{"entered":2,"exited":2,"actions":2,"skipped":{"EMPTY_VARIABLE:item":1}}}}
 * </pre>
 * Every number is an increment, a whole number ≥ 0; an absent (or null) member is 0, and members this version does not
 * know are passed over. The deltaId must be {@code <orgId>/<journeyId>#<instance>[-<run>]@<checkpointId>} of the record's own
 * organization, journey and instance: it is what makes adding a delta twice impossible, so it must not collide with
 * another journey's. The problems never quote the record.
 */
public final class JourneyStatsRecords {
    public static final int VERSION = 1;
    /** The node id of the journey's own counts (entered, ended). */
    public static final String JOURNEY = "";
    /** The longest of each (their columns). */
    static final int MAX_DELTA_ID = 200;
    static final int MAX_NODE_ID = 128;
    static final int MAX_METRIC = 256;

    /** An increment of one counter: {@code nodeId} {@link #JOURNEY} for the journey's own. */
    public record Count(String nodeId, String metric, long amount) {
    }

    /** A delta ready to add: its counts, zeros left out. {@code time}: epoch ms, the engine's clock when it counted. */
    public record Delta(String orgId, String journeyId, String deltaId, long time, List<Count> counts) {
    }

    /** The record is not a delta v1; the message says why without quoting it. */
    private static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private static final JsonNode EMPTY = JsonNodeFactory.instance.objectNode();

    private final JsonMapper json;

    public JourneyStatsRecords(JsonMapper json) {
        this.json = json;
    }

    public Parsed<Delta> parse(byte[] value) {
        Parsed<JsonNode> object = Parsed.jsonObject(json, value, VERSION);
        if (object.value() == null) {
            return object.failed();
        }
        try {
            return Parsed.of(delta(object.value()));
        } catch (Malformed e) {
            return Parsed.skip(Parsed.MALFORMED, e.getMessage());
        }
    }

    private static Delta delta(JsonNode tree) {
        String orgId = id(tree, "orgId");
        String journeyId = id(tree, "journeyId");
        long instance = number(tree.get("instance"), "instance");
        long time = number(tree.get("time"), "time");
        if (time == 0) {
            throw new Malformed("time is 0");
        }
        JsonNode d = tree.get("deltaId");
        // <orgId>/<journeyId>#<instance>[-<run of the instance>]@<checkpointId>: the engine adds the run so that
        // checkpoint ids that start again from an older checkpoint after a restore never meet counted deltas
        String prefix = orgId + "/" + journeyId + "#" + instance;
        String id = d == null || !d.isString() ? null : d.asString();
        int at = id == null ? -1 : id.indexOf('@', prefix.length());
        if (id == null || !id.startsWith(prefix) || at < 0 || at == id.length() - 1 || id.length() > MAX_DELTA_ID
                || at != prefix.length() && id.charAt(prefix.length()) != '-') {
            throw new Malformed("deltaId is not <orgId>/<journeyId>#<instance>[-<run>]@<checkpointId> of the record (at most " + MAX_DELTA_ID
                    + " characters)");
        }
        List<Count> counts = new ArrayList<>();
        JsonNode journey = object(tree.get("journey"), "journey");
        add(counts, JOURNEY, "entered", journey.get("entered"), "journey.entered");
        add(counts, JOURNEY, "ended", journey.get("ended"), "journey.ended");
        for (Map.Entry<String, JsonNode> n : object(tree.get("nodes"), "nodes").properties()) {
            String node = n.getKey();
            if (!name(node, MAX_NODE_ID)) {
                throw new Malformed("a node id is empty, longer than " + MAX_NODE_ID + " characters or holds control characters");
            }
            JsonNode counters = object(n.getValue(), "a node");
            add(counts, node, "entered", counters.get("entered"), "a node's entered");
            add(counts, node, "exited", counters.get("exited"), "a node's exited");
            add(counts, node, "actions", counters.get("actions"), "a node's actions");
            named(counts, node, "branch:", object(counters.get("branches"), "a node's branches"), "a node's branches");
            named(counts, node, "skipped:", object(counters.get("skipped"), "a node's skipped"), "a node's skipped");
        }
        return new Delta(orgId, journeyId, d.asString(), time, List.copyOf(counts));
    }

    private static void named(List<Count> counts, String node, String prefix, JsonNode members, String what) {
        for (Map.Entry<String, JsonNode> m : members.properties()) {
            if (!name(m.getKey(), MAX_METRIC - prefix.length())) {
                throw new Malformed("a name in " + what + " is empty, longer than " + (MAX_METRIC - prefix.length())
                        + " characters or holds control characters");
            }
            add(counts, node, prefix + m.getKey(), m.getValue(), what);
        }
    }

    private static void add(List<Count> counts, String node, String metric, JsonNode n, String what) {
        long amount = n == null || n.isNull() ? 0 : number(n, what);
        if (amount > 0) {
            counts.add(new Count(node, metric, amount));
        }
    }

    /** A whole number ≥ 0 that fits a long. */
    private static long number(JsonNode n, String what) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            throw new Malformed(what + " is not a whole number ≥ 0");
        }
        return n.longValue();
    }

    /** An object, or empty when absent or null. */
    private static JsonNode object(JsonNode n, String what) {
        if (n == null || n.isNull()) {
            return EMPTY;
        }
        if (!n.isObject()) {
            throw new Malformed(what + " is not an object");
        }
        return n;
    }

    private static String id(JsonNode tree, String field) {
        JsonNode n = tree.get(field);
        if (n == null || !n.isString() || n.asString().isBlank()) {
            throw new Malformed("no " + field);
        }
        return n.asString();
    }

    /** A name a column holds: not empty, not longer than {@code max}, no control character (PostgreSQL refuses NUL). */
    private static boolean name(String s, int max) {
        return !s.isEmpty() && s.length() <= max && s.chars().noneMatch(Character::isISOControl);
    }
}
