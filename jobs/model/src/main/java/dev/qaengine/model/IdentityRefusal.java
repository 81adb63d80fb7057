package dev.qaengine.model;

/** Why the identity job refused a link or an identity message (the {@code reason} of an {@link IdentityAudit}). */
public enum IdentityRefusal {
    /** The record is not an identity message v1 (not JSON, wrong shape, no org, no customerId). */
    MALFORMED_MESSAGE,
    /** {@code idMapping} names no ID type. */
    UNKNOWN_ID_TYPE,
    /** The value is not valid for its type ({@link IdentifierRules}). */
    INVALID_IDENTIFIER,
    /** The link would give one person two different identifiers of a type the organization made unique. */
    UNIQUE_TYPE_CONFLICT,
    /** The link would give one person more identifiers than the organization allows. */
    TOO_MANY_IDENTIFIERS
}
