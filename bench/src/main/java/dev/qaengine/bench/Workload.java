package dev.qaengine.bench;

/**
 * The input records of a benchmark: a fixed number of Kafka records, each a pure function of its
 * index, so that every job run (baseline and stage alike) reads the very same bytes without the
 * harness holding them all in memory.
 */
public interface Workload {
    /** The topic the records go to, and the topic both the baseline and the stage read. */
    String topic();

    /** Every topic the records go to (a stage with several inputs); the baseline reads them all. */
    default java.util.List<String> topics() {
        return java.util.List.of(topic());
    }

    /** The topic of record {@code index}. */
    default String topic(long index) {
        return topic();
    }

    long count();

    /** The record key (null for none); the same index always gives the same bytes. */
    byte[] key(long index);

    /** The record value; the same index always gives the same bytes. */
    byte[] value(long index);
}
