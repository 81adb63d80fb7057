package dev.qaengine.identity;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The identifier nodes an identity operator instance used last, in front of its RocksDB state, written
 * back: a node changed several times between two checkpoints (the keys of a registration are, by every
 * step of its merges) is read from RocksDB once and written once, when the checkpoint comes
 * ({@link #flush}) or when it is evicted, least recently used first.
 *
 * <p>RocksDB stays the state: the cache holds only keys of this instance's key groups, every change
 * reaches RocksDB before the checkpoint that covers it (Flink calls {@code prepareSnapshotPreBarrier}
 * before it snapshots the state), and a restored or rescaled instance starts with an empty cache. An
 * absent node is cached too ({@code null}): an event of a new identifier then reads RocksDB once.
 * Not thread-safe: the task thread alone uses it.
 */
final class NodeCache {

    /** Writes a node to the state of its key ({@code null}: clears it). */
    interface Writer {
        void write(String key, Node node);
    }

    static final class Entry {
        final String key;
        Node node;
        boolean dirty;

        Entry(String key, Node node) {
            this.key = key;
            this.node = node;
        }
    }

    private final int capacity;
    private final LinkedHashMap<String, Entry> entries;
    /** Entries changed since the last flush (an entry may be listed once although it changed often). */
    private final List<Entry> dirty = new ArrayList<>();
    private long hits;
    private long misses;

    /** @param capacity nodes kept at most; more are evicted (written first when changed) at the next {@link #trim} */
    NodeCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true);
    }

    /** The cached entry of {@code key} (its node may be {@code null}: known absent), or {@code null} when not cached. */
    Entry get(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            misses++;
        } else {
            hits++;
        }
        return e;
    }

    /** Caches a node just read from the state. */
    void loaded(String key, Node node) {
        entries.put(key, new Entry(key, node));
    }

    /** A node changed (or cleared: {@code null}); it reaches the state at the next flush or eviction. */
    void changed(String key, Node node) {
        Entry e = entries.get(key);
        if (e == null) {
            e = new Entry(key, node);
            entries.put(key, e);
        }
        e.node = node;
        if (!e.dirty) {
            e.dirty = true;
            dirty.add(e);
        }
    }

    /** Evicts the least recently used entries above the capacity, writing the changed ones. Returns how many were written. */
    int trim(Writer writer) {
        int written = 0;
        Iterator<Entry> it = entries.values().iterator();
        while (entries.size() > capacity && it.hasNext()) {
            Entry e = it.next();
            it.remove();
            if (e.dirty) {
                writer.write(e.key, e.node);
                e.dirty = false;
                written++;
            }
        }
        return written;
    }

    /** Writes every changed entry to the state; they stay cached. Returns how many were written. */
    int flush(Writer writer) {
        int written = 0;
        for (Entry e : dirty) {
            if (e.dirty) {
                writer.write(e.key, e.node);
                e.dirty = false;
                written++;
            }
        }
        dirty.clear();
        return written;
    }

    int capacity() {
        return capacity;
    }

    int size() {
        return entries.size();
    }

    boolean hasChanges() {
        for (Entry e : dirty) {
            if (e.dirty) {
                return true;
            }
        }
        return false;
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }

    /** For tests: the cached keys, least recently used first. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            keys.add(e.getKey());
        }
        return keys;
    }
}
