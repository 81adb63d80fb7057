package dev.qaengine.model;

/** Kafka topic names fixed by the architecture; every job, the control plane and the local stack use these. */
public final class Topics {
    public static final String EVENTS_RAW = "qa.events.raw";
    public static final String EVENTS_NORMALIZED = "qa.events.normalized";
    public static final String EVENTS_DLQ = "qa.events.dlq";
    /** Identity messages v1 as reported (one object or an array per record). */
    public static final String IDENTITIES_RAW = "qa.identities.raw";
    /** Canonical events with their person ({@link ResolvedEvent}), keyed by {@code org|personId}. */
    public static final String EVENTS_RESOLVED = "qa.events.resolved";
    /** Person merges ({@link IdentityChange}), keyed by {@code org|merged person}. */
    public static final String IDENTITY_CHANGES = "qa.identity.changes";
    /** Refused links and identity messages ({@link IdentityAudit}), keyed by org. */
    public static final String IDENTITY_AUDIT = "qa.identity.audit";
    /** The identity job's own protocol messages between its keys (internal; written transactionally). */
    public static final String IDENTITY_FEEDBACK = "qa.identity.feedback";
    /** Delivery results and webhook receipts ({@link DeliveryReceipt}), keyed by task id. */
    public static final String DELIVERIES = "qa.deliveries";
    /** Compacted: definitions, plans and settings for every job's broadcast state. */
    public static final String CONTROL = "qa.control";
    /** Action requests of the journeys engine ({@code ActionRequest}), keyed by {@code org|personId}: what the fan-out sends. */
    public static final String ACTIONS = "qa.actions";
    /** The journeys engine's own: merged persons' state moving to the survivor (internal; written transactionally). */
    public static final String JOURNEY_TRANSFERS = "qa.journeys.transfers";
    /** The journeys engine's per-journey, per-node counts: deltas per instance and checkpoint (written transactionally). */
    public static final String JOURNEY_STATS = "qa.journeys.stats";
    /** Compacted: persons' current tags ({@code PersonTags}), keyed by {@code org|personId}; the journeys engine's TAG_BRANCH reads them. */
    public static final String PROFILES = "qa.profiles";
    /** The journeys engine's answers about plans (JourneyPlanStatus): a plan applied (RUNNING) or refused (FAILED). */
    public static final String JOURNEY_STATUS = "qa.journeys.status";
    /** The journeys engine's per-person steps and their reasons ({@code TraceStep}), keyed by {@code org|personId}. */
    public static final String JOURNEY_TRACE = "qa.journeys.trace";

    private Topics() {
    }
}
