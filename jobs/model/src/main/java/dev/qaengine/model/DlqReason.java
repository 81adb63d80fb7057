package dev.qaengine.model;

/**
 * Why an inbound record was rejected. The name is the reason code carried by the DLQ record
 * (header {@code qa.reason}) and the name of the per-reason Flink metric.
 */
public enum DlqReason {
    /** Not parseable as JSON (truncated, invalid UTF-8, trailing garbage), or not an object / array of objects. */
    MALFORMED_JSON,
    /** A required field (orgnizationId, customerId, eventCode, eventTime) is absent, null or empty. */
    MISSING_FIELD,
    /** A field has the wrong JSON type or an invalid value (eventTime not an integer, v not 1, …). */
    BAD_FIELD,
    /** The organization has no event catalog. */
    UNKNOWN_ORG,
    /** eventSourceCode is not a channel of the organization. */
    UNKNOWN_CHANNEL,
    /** The event code is not defined for the organization (or not on the message's channel). */
    UNKNOWN_EVENT,
    /** An attribute is not defined for the event, or its value does not fit its type. */
    BAD_ATTRIBUTE,
    /** eventTime is further in the future or the past than the configured bounds allow. */
    TIME_OUT_OF_RANGE,
    /** The record, an array, a string or the nesting exceeds a configured limit. */
    TOO_LARGE
}
