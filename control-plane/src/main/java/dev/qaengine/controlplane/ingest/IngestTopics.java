package dev.qaengine.controlplane.ingest;

/** Kafka details of the ingestion endpoints beyond qa-model's topic names ({@code Topics}). */
public final class IngestTopics {
    /** Kafka header on every produced record: the traceId of the HTTP answer, to follow a call into the topics. */
    public static final String TRACE_HEADER = "qa.trace.id";

    private IngestTopics() {
    }
}
