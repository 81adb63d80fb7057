package dev.qaengine.controlplane.ingest;

/**
 * The {@code errorCode} values of the ingestion endpoints. Envelope codes share their names with the
 * normalize job's DLQ reasons where they mean the same thing.
 */
public final class IngestErrors {
    /** The body is not JSON, or not an object / array of objects. HTTP 400. */
    public static final String MALFORMED_JSON = "MALFORMED_JSON";
    /** A required field is absent, null or empty; or the array is empty. HTTP 400. */
    public static final String MISSING_FIELD = "MISSING_FIELD";
    /** A field has the wrong type or an invalid value. HTTP 400. */
    public static final String BAD_FIELD = "BAD_FIELD";
    /** More messages than the per-call limit (100), a field above its length limit, or the body above the size limit (413). */
    public static final String TOO_LARGE = "TOO_LARGE";
    /** orgnizationId names another organization than the API key's. HTTP 403. */
    public static final String ORG_MISMATCH = "ORG_MISMATCH";
    /** Kafka did not acknowledge in time; nothing is promised — retry (duplicates are dropped downstream). HTTP 503. */
    public static final String UNAVAILABLE = "UNAVAILABLE";

    private IngestErrors() {
    }
}
