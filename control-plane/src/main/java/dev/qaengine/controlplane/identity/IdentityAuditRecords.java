package dev.qaengine.controlplane.identity;

import dev.qaengine.controlplane.consumer.Parsed;
import dev.qaengine.model.IdType;
import dev.qaengine.model.IdentityAudit;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads one {@code qa.identity.audit} record value into a row to store, or says why it is skipped ({@link Parsed}: the
 * reason is a {@link Skip}'s tag). Bad input is a value: nothing here throws on what the topic holds. The reasons never quote the record —
 * it holds identifier values (personal data), and reasons go to the log.
 */
public final class IdentityAuditRecords {
    /** The longest organization id (the organization table's column). */
    static final int MAX_ORG_ID = 64;

    /** Why a record was not stored: the {@code reason} tag of {@code qa.identity.audit.skipped}. */
    public enum Skip {
        /** Not JSON, not an object, or not the shape of identity-audit-v1 (e.g. an unknown reason). */
        MALFORMED,
        /** No orgId (or not one: blank, too long): nobody could ever be shown it. */
        NO_ORG,
        /** {@code v} is not 1. */
        UNSUPPORTED_VERSION,
        /** The database refused the row for what it holds (not for being away). */
        UNSTORABLE;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A record ready to store. {@code idType} is the type {@code idTypeSent} names, null when it names none. */
    public record Row(String orgId, IdentityAudit audit, IdType idType, String contentHash) {
    }

    /**
     * Writes the bytes the content hash is taken of: a mapper of its own, so that no change to the service's
     * JSON settings changes the hashes of records already stored (a replay would then add them again).
     */
    private static final JsonMapper CANONICAL = JsonMapper.builder().build();

    private final JsonMapper json;
    private final ObjectReader audits;

    public IdentityAuditRecords(JsonMapper json) {
        this.json = json;
        // Fields a newer identity job adds are ignored rather than refused.
        this.audits = json.readerFor(IdentityAudit.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public Parsed<Row> parse(byte[] value) {
        Parsed<JsonNode> object = Parsed.jsonObject(json, value, IdentityAudit.VERSION);
        if (object.value() == null) {
            return object.failed();
        }
        JsonNode tree = object.value();
        JsonNode org = tree.get("orgId");
        if (org == null || !org.isString() || org.asString().isBlank() || org.asString().length() > MAX_ORG_ID) {
            return Parsed.skip(Skip.NO_ORG.tag(), org == null || org.isNull() ? "no orgId" : "orgId is not an organization id");
        }
        IdentityAudit audit;
        try {
            audit = audits.readValue(tree);
        } catch (JacksonException e) {
            return Parsed.skip(Skip.MALFORMED.tag(), "not an identity audit record v1 at '" + path(e) + "' (" + e.getClass().getSimpleName() + ")");
        }
        if (audit.reason() == null) {
            return Parsed.skip(Skip.MALFORMED.tag(), "no reason");
        }
        if (audit.time() <= 0) {
            return Parsed.skip(Skip.MALFORMED.tag(), "no time");
        }
        IdentityAudit clean = new IdentityAudit(audit.v(), audit.orgId(), audit.reason(), text(audit.detail()), text(audit.anchorType()),
                text(audit.anchorValue()), text(audit.idType()), text(audit.idValue()),
                audit.persons() == null ? List.of() : audit.persons().stream().filter(p -> p != null).map(IdentityAuditRecords::text).toList(),
                audit.time(), audit.seq());
        IdType type = IdType.parse(clean.idType()).orElse(null);
        return Parsed.of(new Row(clean.orgId(), clean, type, hash(CANONICAL.writeValueAsBytes(clean))));
    }

    /**
     * PostgreSQL text cannot hold NUL; a JSON string can ({@code \u0000}). Replaced, so such a record is stored
     * (and the insert never fails on it).
     */
    static String text(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    private static String hash(byte[] canonical) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String path(JacksonException e) {
        StringBuilder b = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }
}
