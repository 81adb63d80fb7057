package dev.qaengine.model;

/**
 * A DLQ record on {@code qa.events.dlq} keeps the rejected input's bytes <em>unchanged</em> as its value
 * (so it can be fixed and replayed as-is) and its original key; these headers say why
 * (schema: state-schemas/dlq-record-v1.schema.json). Header values are UTF-8 strings.
 */
public final class DlqHeaders {
    /** The {@link DlqReason} name. */
    public static final String REASON = "qa.reason";
    /** A readable sentence naming the offending field. */
    public static final String DETAIL = "qa.detail";
    public static final String SOURCE_TOPIC = "qa.source.topic";
    public static final String SOURCE_PARTITION = "qa.source.partition";
    public static final String SOURCE_OFFSET = "qa.source.offset";
    /**
     * Index of the rejected message inside an array record; absent when the value is the whole record.
     * The value then holds only that message's bytes.
     */
    public static final String SOURCE_ELEMENT = "qa.source.element";
    /**
     * Present only when the original was larger than a DLQ record may be (setting
     * {@code QA_DLQ_MAX_VALUE_BYTES}): its size in bytes. The value then holds its first bytes only.
     */
    public static final String ORIGINAL_SIZE = "qa.original.size";
    /** Epoch ms at which the job rejected it. */
    public static final String REJECTED_AT = "qa.rejected.at";

    private DlqHeaders() {
    }
}
