package dev.qaengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * How the identity job builds persons for one organization (SEMANTICS.md § Identity; schema:
 * state-schemas/identity-settings-v1.schema.json), published on {@code qa.control} as IDENTITY_SETTINGS.
 * An organization that never changed its settings has no record: the job uses {@link #defaults}.
 *
 * @param uniqueIdTypes           ID types a person holds at most one of (a link that would give a person a
 *                                second one is refused and reported)
 * @param maxIdentifiersPerPerson the most identifiers one person may hold, {@value #MIN_IDENTIFIERS}-{@value #MAX_IDENTIFIERS}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IdentitySettings(
        @JsonProperty("orgId") String orgId,
        @JsonProperty("uniqueIdTypes") List<IdType> uniqueIdTypes,
        @JsonProperty("maxIdentifiersPerPerson") int maxIdentifiersPerPerson) {

    public static final List<IdType> DEFAULT_UNIQUE_ID_TYPES = List.of(IdType.ONEID);
    public static final int DEFAULT_MAX_IDENTIFIERS = 50;
    public static final int MIN_IDENTIFIERS = 1;
    public static final int MAX_IDENTIFIERS = 1000;

    public static IdentitySettings defaults(String orgId) {
        return new IdentitySettings(orgId, DEFAULT_UNIQUE_ID_TYPES, DEFAULT_MAX_IDENTIFIERS);
    }

    public List<IdType> uniqueIdTypesOrEmpty() {
        return uniqueIdTypes == null ? List.of() : uniqueIdTypes;
    }
}
