package dev.qaengine.bench;

/**
 * The input records of a benchmark: a fixed number of Kafka records, each a pure function of its
 * index, so that every job run (baseline and stage alike) reads the very same bytes without the
 * harness holding them all in memory.
 */
public interface Workload {
    /** The topic the records go to, and the topic both the baseline and the stage read. */
    String topic();

    long count();

    /** The record key (null for none); the same index always gives the same bytes. */
    byte[] key(long index);

    /** The record value; the same index always gives the same bytes. */
    byte[] value(long index);
}
