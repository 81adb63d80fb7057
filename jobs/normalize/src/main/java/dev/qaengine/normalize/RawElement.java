package dev.qaengine.normalize;

import dev.qaengine.model.CanonicalEvent;
import dev.qaengine.model.DlqReason;

/**
 * One event message as parsed from a raw record, before the definitions are applied. It travels from
 * the Kafka source (where the record is parsed) to the keyed normalize operator, so it is a Flink POJO
 * (public fields, no Kryo). A message that is already known to be bad carries its {@link #reject}.
 */
public final class RawElement {
    public String orgId;
    public String customerId;
    public String channel;
    public String eventCode;
    public long eventTime;
    /** Attribute ids and values in message order; a value's JSON kind is in {@link #attrNumeric}. */
    public String[] attrNames;
    public String[] attrValues;
    /** True where the value was a JSON number rather than a string. */
    public boolean[] attrNumeric;
    /** Epoch ms: the raw record's Kafka timestamp. */
    public long ingestTime;

    /** Where the record was read (its topic is the job's configured input topic). */
    public int sourcePartition;
    public long sourceOffset;
    /** Index inside an array record, or -1 when the message is the whole record. */
    public int element;
    /** The message's original bytes (the array element's slice for array records). */
    public byte[] original;
    public byte[] originalKey;

    public DlqReason reject;
    public String detail;

    public RawElement() {
    }

    /** The key of the normalize operator: events of one customer meet their de-duplication state. */
    public String routingKey() {
        if (reject != null || orgId == null || customerId == null) {
            // Already rejected: spread by source partition, no state is touched for these.
            return "\u0000dlq|" + sourcePartition;
        }
        return CanonicalEvent.partitionKey(orgId, customerId);
    }

    RawElement rejected(DlqReason reason, String why) {
        this.reject = reason;
        this.detail = why;
        return this;
    }
}
