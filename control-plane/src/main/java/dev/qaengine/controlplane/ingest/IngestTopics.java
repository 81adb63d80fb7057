package dev.qaengine.controlplane.ingest;

/** Topics the ingestion endpoints write. qa.events.raw is qa-model's; identities will move there with IdentityMessageV1. */
public final class IngestTopics {
    public static final String IDENTITIES_RAW = "qa.identities.raw";
    /** Kafka header on every produced record: the traceId of the HTTP answer, to follow a call into the topics. */
    public static final String TRACE_HEADER = "qa.trace.id";

    private IngestTopics() {
    }
}
