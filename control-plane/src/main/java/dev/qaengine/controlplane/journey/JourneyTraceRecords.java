package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.consumer.Parsed;
import dev.qaengine.model.journey.TraceStep;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HexFormat;

/**
 * Reads a {@code qa.journeys.trace} record value — the steps of a person through journeys, as the journeys engine writes
 * them ({@link TraceStep}, state-schemas/journey-trace-v1: a JSON array of the steps of one engine call, or one step
 * object as builds before 2026-11-28 wrote) — into {@link Step}s to store, each with why it is skipped if it is
 * ({@link Parsed}: malformed, or unsupported_version). A step:
 * <pre>
 * {"v":1,"orgId":"org1","journeyId":"j1","planVersion":3,"personId":"p1","runId":"9f2c…","step":"PASSED","nodeId":"check",
 *  "nodeType":"EVENT_BRANCH","exit":"NOT_DONE","reason":"no purchase within 30 min","at":1795824000000,"time":1795824000123}
 * </pre>
 * Members this version does not know are passed over. Ids must fit their columns and hold no control character; a
 * {@code reason} longer than {@link #MAX_REASON} is cut (it is prose: the step is worth more than its tail). The problems
 * never quote the record (it names persons).
 */
public final class JourneyTraceRecords {
    public static final int VERSION = TraceStep.VERSION;
    /** The longest of each (organization and journey ids: their columns; person ids: theirs). */
    static final int MAX_ID = 64;
    static final int MAX_PERSON = 256;
    /** Run ids, node ids, node types, exits and event ids: text columns, bounded so that one step stays small. */
    static final int MAX_NAME = 512;
    static final int MAX_REASON = 2000;

    /**
     * A step ready to store. {@code hash}: SHA-256 (hex) of what identifies it — organization, journey, person, run, step,
     * node, event, event time, exit — the same for the same step written again after a restore (only {@code time} differs).
     */
    public record Step(String orgId, String journeyId, String personId, String runId, TraceStep.Kind step, String nodeId, String nodeType,
                       String exit, String reason, String eventId, long planVersion, long at, long time, String hash) {
    }

    /** The record is not a trace step v1; the message says why without quoting it. */
    private static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private final JsonMapper json;

    public JourneyTraceRecords(JsonMapper json) {
        this.json = json;
    }

    /**
     * Every step of a record: one per element of an array (a bad element is skipped alone, the others are stored), one
     * for a single step object; one failure for a record that is neither.
     */
    public List<Parsed<Step>> parseAll(byte[] value) {
        JsonNode tree;
        try {
            tree = value == null || value.length == 0 ? null : json.readTree(value);
        } catch (JacksonException e) {
            tree = null;
        }
        if (tree == null || !tree.isArray()) {
            return List.of(parse(value)); // an object, or what parse explains as not one
        }
        if (tree.isEmpty()) {
            return List.of(Parsed.skip(Parsed.MALFORMED, "an empty array"));
        }
        List<Parsed<Step>> out = new ArrayList<>(tree.size());
        for (int i = 0; i < tree.size(); i++) {
            Parsed<Step> p = parse(tree.get(i));
            out.add(p.value() != null ? p : Parsed.skip(p.reason(), "step " + (i + 1) + " of " + tree.size() + ": " + p.problem()));
        }
        return out;
    }

    /** One step object (see {@link #parseAll} for a whole record). */
    public Parsed<Step> parse(byte[] value) {
        return checked(Parsed.jsonObject(json, value, VERSION));
    }

    private static Parsed<Step> parse(JsonNode element) {
        return checked(Parsed.versioned(element, VERSION));
    }

    private static Parsed<Step> checked(Parsed<JsonNode> object) {
        if (object.value() == null) {
            return object.failed();
        }
        try {
            return Parsed.of(step(object.value()));
        } catch (Malformed e) {
            return Parsed.skip(Parsed.MALFORMED, e.getMessage());
        }
    }

    private static Step step(JsonNode tree) {
        String orgId = required(tree, "orgId", MAX_ID);
        String journeyId = required(tree, "journeyId", MAX_ID);
        String personId = required(tree, "personId", MAX_PERSON);
        JsonNode s = tree.get("step");
        TraceStep.Kind kind = s == null || !s.isString() ? null
                : Arrays.stream(TraceStep.Kind.values()).filter(k -> k.name().equals(s.asString())).findFirst().orElse(null);
        if (kind == null) {
            throw new Malformed("step is not one of " + Arrays.toString(TraceStep.Kind.values()));
        }
        String runId = optional(tree, "runId");
        if (runId == null && kind != TraceStep.Kind.NOT_ENTERED) {
            throw new Malformed("no runId (every step but NOT_ENTERED has one)");
        }
        long planVersion = number(tree, "planVersion");
        if (planVersion < 1) {
            throw new Malformed("planVersion is below 1");
        }
        String nodeId = optional(tree, "nodeId");
        String nodeType = optional(tree, "nodeType");
        String exit = optional(tree, "exit");
        String eventId = optional(tree, "eventId");
        long at = number(tree, "at");
        long time = number(tree, "time");
        return new Step(orgId, journeyId, personId, runId, kind, nodeId, nodeType, exit, reason(tree), eventId, planVersion, at, time,
                hash(orgId, journeyId, personId, runId, kind.name(), nodeId, eventId, Long.toString(at), exit));
    }

    private static String required(JsonNode tree, String field, int max) {
        JsonNode n = tree.get(field);
        if (n == null || !n.isString() || n.asString().isBlank()) {
            throw new Malformed("no " + field);
        }
        return checked(field, n.asString(), max);
    }

    /** Absent or null: null. */
    private static String optional(JsonNode tree, String field) {
        JsonNode n = tree.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isString()) {
            throw new Malformed(field + " is not a string");
        }
        return checked(field, n.asString(), MAX_NAME);
    }

    private static String checked(String field, String s, int max) {
        if (s.length() > max || s.chars().anyMatch(Character::isISOControl)) {
            throw new Malformed(field + " is longer than " + max + " characters or holds control characters");
        }
        return s;
    }

    /** Prose: cut when long; NUL (which PostgreSQL refuses in text) dropped. */
    private static String reason(JsonNode tree) {
        JsonNode n = tree.get("reason");
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isString()) {
            throw new Malformed("reason is not a string");
        }
        String r = n.asString().replace("\u0000", "");
        return r.length() <= MAX_REASON ? r : r.substring(0, MAX_REASON - 1) + "…";
    }

    private static long number(JsonNode tree, String field) {
        JsonNode n = tree.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new Malformed(field + " is not a whole number");
        }
        return n.longValue();
    }

    /**
     * SHA-256 of the parts, each followed by NUL, an absent one written as SOH: unambiguous, since no part holds a control
     * character.
     */
    static String hash(String... parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            b.append(p == null ? "\u0001" : p).append('\u0000');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
