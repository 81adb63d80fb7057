package dev.qaengine.controlplane.ingest;

import dev.qaengine.model.EventMessageV1;
import dev.qaengine.model.IdType;
import dev.qaengine.model.IdentityLink;
import dev.qaengine.model.IdentityMessageV1;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks the envelope of inbound v1 messages — required fields, JSON types, limits, the organization —
 * and builds the message to produce, with the org filled in from the API key. Definitions (is the
 * event code defined, are attributes typed right) are the normalize job's business: it holds the
 * catalog and routes failures to the DLQ with a reason.
 *
 * <p>Leniency matches the normalize job ("accept more, never require more"): {@code organizationId} as
 * well as {@code orgnizationId}, ids as JSON integers, {@code eventTime} as a string of digits, scalar
 * attribute values of any JSON type, {@code v} absent or "1", unknown fields ignored (and not forwarded).
 */
final class Envelopes {
    static final int MAX_ID_LENGTH = 256;
    static final int MAX_ATTRIBUTES = 100;
    static final int MAX_ATTRIBUTE_LENGTH = 4096;
    static final int MAX_IDS_PER_IDENTITY = 100;

    /** The documented ID types (CONTRACTS.md §2) plus imsi and oaid, as the error message lists them. */
    private static final String ID_TYPE_NAMES = java.util.Arrays.stream(IdType.values()).map(IdType::apiName).sorted().toList().toString();

    /** One thing wrong with a message. */
    record Issue(String code, String field, String message) {
        String describe() {
            return field + ": " + message;
        }
    }

    private final String orgId;
    private final String prefix;
    private final List<Issue> issues;

    /**
     * @param index the message's position in an array body, or -1 for a single-object body
     */
    Envelopes(String orgId, int index, List<Issue> issues) {
        this.orgId = orgId;
        this.prefix = index < 0 ? "" : "[" + index + "].";
        this.issues = issues;
    }

    EventMessageV1 event(JsonNode n) {
        if (!n.isObject()) {
            issues.add(new Issue(IngestErrors.MALFORMED_JSON, prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
                    "must be an event message object, found " + describe(n)));
            return null;
        }
        int before = issues.size();
        checkOrg(n);
        String customerId = requiredId(n, "customerId");
        String channel = optionalId(n, "eventSourceCode");
        String eventCode = requiredId(n, "eventCode");
        Long eventTime = eventTime(n);
        Map<String, String> attributes = attributes(n.get("extendAttributes"));
        checkVersion(n);
        if (issues.size() > before) {
            return null;
        }
        return new EventMessageV1(orgId, customerId, channel, eventCode, eventTime, attributes, 1);
    }

    IdentityMessageV1 identity(JsonNode n) {
        if (!n.isObject()) {
            issues.add(new Issue(IngestErrors.MALFORMED_JSON, prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
                    "must be an identity message object, found " + describe(n)));
            return null;
        }
        int before = issues.size();
        checkOrg(n);
        String customerId = requiredId(n, "customerId");
        List<IdentityLink> ids = idList(n.get("customerIdList"));
        checkVersion(n);
        if (issues.size() > before) {
            return null;
        }
        return IdentityMessageV1.of(orgId, customerId, ids);
    }

    private void checkOrg(JsonNode n) {
        for (String field : List.of("orgnizationId", "organizationId")) {
            JsonNode v = n.get(field);
            if (v == null || v.isNull() || (v.isString() && v.stringValue().isBlank())) {
                continue;
            }
            if (!v.isString()) {
                issue(IngestErrors.BAD_FIELD, field, "must be a string, found " + describe(v));
            } else if (!v.stringValue().equals(orgId)) {
                issue(IngestErrors.ORG_MISMATCH, field, "'" + clip(v.stringValue()) + "' is not the organization of this API key");
            }
        }
    }

    private String requiredId(JsonNode n, String field) {
        String v = id(n.get(field), prefix + field);
        if (v == null && !hasIssueFor(prefix + field)) {
            issue(IngestErrors.MISSING_FIELD, field, "is required");
        }
        return v;
    }

    private String optionalId(JsonNode n, String field) {
        return id(n.get(field), prefix + field);
    }

    /** A string id; a JSON integer is taken as its text; empty or null counts as absent. */
    private String id(JsonNode v, String path) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString() && !v.isIntegralNumber()) {
            issues.add(new Issue(IngestErrors.BAD_FIELD, path, "must be a string, found " + describe(v)));
            return null;
        }
        String s = v.isString() ? v.stringValue() : v.asString();
        if (s.length() > MAX_ID_LENGTH) {
            issues.add(new Issue(IngestErrors.TOO_LARGE, path, "is " + s.length() + " characters, more than the limit of " + MAX_ID_LENGTH));
            return null;
        }
        return s.isBlank() ? null : s;
    }

    private Long eventTime(JsonNode n) {
        JsonNode v = n.get("eventTime");
        if (v == null || v.isNull()) {
            issue(IngestErrors.MISSING_FIELD, "eventTime", "is required");
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isString() && isDigits(v.stringValue())) {
            return Long.parseLong(v.stringValue());
        }
        issue(IngestErrors.BAD_FIELD, "eventTime", "must be an integer of epoch milliseconds, found " + describe(v));
        return null;
    }

    private Map<String, String> attributes(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            issue(IngestErrors.BAD_FIELD, "extendAttributes", "must be an object of string values, found " + describe(v));
            return null;
        }
        if (v.size() > MAX_ATTRIBUTES) {
            issue(IngestErrors.TOO_LARGE, "extendAttributes", "holds " + v.size() + " entries, more than the limit of " + MAX_ATTRIBUTES);
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            JsonNode a = e.getValue();
            String field = "extendAttributes." + e.getKey();
            if (a.isNull()) {
                continue; // reported as null = not reported
            }
            if (a.isContainer()) {
                issue(IngestErrors.BAD_FIELD, field, "must be a string, found " + describe(a));
                continue;
            }
            String text = a.isString() ? a.stringValue() : a.asString();
            if (text.length() > MAX_ATTRIBUTE_LENGTH) {
                issue(IngestErrors.TOO_LARGE, field, "is " + text.length() + " characters, more than the limit of " + MAX_ATTRIBUTE_LENGTH);
                continue;
            }
            out.put(e.getKey(), text);
        }
        return out.isEmpty() ? null : out;
    }

    private List<IdentityLink> idList(JsonNode v) {
        if (v == null || v.isNull()) {
            issue(IngestErrors.MISSING_FIELD, "customerIdList", "is required");
            return null;
        }
        if (!v.isArray()) {
            issue(IngestErrors.BAD_FIELD, "customerIdList", "must be an array of {customerId, idMapping}, found " + describe(v));
            return null;
        }
        if (v.isEmpty()) {
            issue(IngestErrors.MISSING_FIELD, "customerIdList", "holds no identifier");
            return null;
        }
        if (v.size() > MAX_IDS_PER_IDENTITY) {
            issue(IngestErrors.TOO_LARGE, "customerIdList", "holds " + v.size() + " identifiers, more than the limit of " + MAX_IDS_PER_IDENTITY);
            return null;
        }
        List<IdentityLink> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String at = "customerIdList[" + i + "]";
            if (!item.isObject()) {
                issue(IngestErrors.BAD_FIELD, at, "must be an object {customerId, idMapping}, found " + describe(item));
                continue;
            }
            String id = id(item.get("customerId"), prefix + at + ".customerId");
            if (id == null && !hasIssueFor(prefix + at + ".customerId")) {
                issue(IngestErrors.MISSING_FIELD, at + ".customerId", "is required");
            }
            IdType type = idType(item.get("idMapping"), at + ".idMapping");
            if (id != null && type != null) {
                out.add(IdentityLink.of(type, id));
            }
        }
        return out;
    }

    /** Case-insensitive (IdType.parse); written in the documented lower-case spelling. */
    private IdType idType(JsonNode v, String field) {
        if (v == null || v.isNull() || (v.isString() && v.stringValue().isBlank())) {
            issue(IngestErrors.MISSING_FIELD, field, "is required");
            return null;
        }
        if (!v.isString()) {
            issue(IngestErrors.BAD_FIELD, field, "must be a string, found " + describe(v));
            return null;
        }
        IdType type = IdType.parse(v.stringValue().strip()).orElse(null);
        if (type == null) {
            issue(IngestErrors.BAD_FIELD, field, "'" + clip(v.stringValue()) + "' is not an ID type; use one of " + ID_TYPE_NAMES);
        }
        return type;
    }

    private void checkVersion(JsonNode n) {
        JsonNode v = n.get("v");
        if (v == null || v.isNull() || (v.isIntegralNumber() && v.canConvertToInt() && v.intValue() == 1)
                || (v.isString() && "1".equals(v.stringValue()))) {
            return;
        }
        issue(IngestErrors.BAD_FIELD, "v", "must be 1 (message v1), found " + clip(v.toString()));
    }

    private void issue(String code, String field, String message) {
        issues.add(new Issue(code, prefix + field, message));
    }

    private boolean hasIssueFor(String path) {
        return issues.stream().anyMatch(i -> i.field().equals(path));
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    static String describe(JsonNode n) {
        if (n.isObject()) {
            return "an object";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isString()) {
            return "a string";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        return n.isNull() ? "null" : n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
