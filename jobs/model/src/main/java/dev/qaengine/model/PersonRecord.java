package dev.qaengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A person as the directory serves it: the value of Redis key {@code qa:person:<org>:<personId>}
 * (schema: state-schemas/person-record-v1.schema.json), and the body of
 * {@code GET /api/v1/persons/{idType}/{idValue}}. Each identifier's key {@code qa:pid:<org>:<TYPE>:<value>}
 * holds the person id.
 *
 * @param firstSeen   epoch ms at which the person's oldest identifier was first seen (the oldest person survives merges)
 * @param version     grows with every change of the person; a write with a lower version than stored is stale
 * @param identifiers sorted by type, then value
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PersonRecord(
        @JsonProperty("v") int v,
        @JsonProperty("orgId") String orgId,
        @JsonProperty("personId") String personId,
        @JsonProperty("firstSeen") long firstSeen,
        @JsonProperty("version") long version,
        @JsonProperty("identifiers") List<Identifier> identifiers) {

    public static final int VERSION = 1;

    public static String personKey(String orgId, String personId) {
        return "qa:person:" + orgId + ':' + personId;
    }

    public static String identifierKey(String orgId, Identifier id) {
        return "qa:pid:" + orgId + ':' + id.key();
    }
}
