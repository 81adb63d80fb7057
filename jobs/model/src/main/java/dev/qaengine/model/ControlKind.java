package dev.qaengine.model;

/** What a control record carries. Later stages add their kinds (journey plans, settings). */
public enum ControlKind {
    /** An {@link EventCatalog}; the subject is the org id. */
    EVENT_CATALOG,
    /** The organization's {@link IdentitySettings}; the subject is the org id. Absent: {@link IdentitySettings#defaults}. */
    IDENTITY_SETTINGS,
    /** The organization's {@link OrgKeys} (its AES key for encrypted IDs, sealed); the subject is the org id. */
    ORG_KEYS,
    /** One {@link ChannelInterface}; the subject is {@code <orgId>/<interfaceId>} ({@link ChannelInterface#subject}). */
    CHANNEL_INTERFACE,
    /** A started journey's {@code JourneyPlan}; the subject is {@code <orgId>/<journeyId>}; a tombstone ends it. */
    JOURNEY_PLAN
}
