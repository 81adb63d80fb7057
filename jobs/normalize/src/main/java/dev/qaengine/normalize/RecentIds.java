package dev.qaengine.normalize;

import java.util.function.IntPredicate;

/**
 * The event ids one operator instance accepted within the de-duplication horizon, in memory: an
 * open-addressing table of (id, accepted-at, key group) without boxing. Entries accepted before the
 * floor the caller passes are dropped whenever the table would otherwise grow; past {@code maxIds} the
 * oldest are dropped early (and counted). Checkpointed whole by {@link NormalizeFunction} as operator
 * state, tagged by key group so that a rescaled job hands each entry to the instance owning its key.
 * Not thread-safe.
 */
final class RecentIds {
    private final int maxIds;
    private long[] ids;
    private long[] times;
    private int[] groups;
    private int size;
    private int mask;
    private long evictedEarly;

    RecentIds(int initialCapacity, int maxIds) {
        this.maxIds = maxIds;
        allocate(Integer.highestOneBit(Math.max(16, initialCapacity - 1) << 1));
    }

    boolean contains(long id) {
        long k = id == 0 ? 1 : id; // 0 marks an empty slot
        for (int i = slot(k); ; i = (i + 1) & mask) {
            long v = ids[i];
            if (v == 0) {
                return false;
            }
            if (v == k) {
                return true;
            }
        }
    }

    /** Adds an id known to be absent; a full table first drops entries accepted before {@code floor}. */
    void add(long id, long acceptedAt, int keyGroup, long floor) {
        if (size + 1 > (ids.length >> 1)) {
            rebuild(floor);
        }
        put(id == 0 ? 1 : id, acceptedAt, keyGroup);
    }

    int size() {
        return size;
    }

    /** How many ids were dropped before their horizon because the table reached {@code maxIds}. */
    long evictedEarly() {
        return evictedEarly;
    }

    /** Every entry as (id, acceptedAt, keyGroup) triples, for a checkpoint. */
    void forEach(EntryConsumer consumer) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != 0) {
                consumer.accept(ids[i], times[i], groups[i]);
            }
        }
    }

    interface EntryConsumer {
        void accept(long id, long acceptedAt, int keyGroup);
    }

    /** Restores an entry from a checkpoint if its key group is this instance's. */
    void restore(long id, long acceptedAt, int keyGroup, IntPredicate mine) {
        if (mine.test(keyGroup) && !contains(id)) {
            add(id, acceptedAt, keyGroup, Long.MIN_VALUE);
        }
    }

    private void rebuild(long floor) {
        int live = countFrom(floor);
        while (live >= maxIds) {
            // Too many ids within the horizon: give up the oldest half of what remains of it.
            long newest = Long.MIN_VALUE;
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] != 0) {
                    newest = Math.max(newest, times[i]);
                }
            }
            long raised = floor == Long.MIN_VALUE ? oldest() : floor;
            raised = raised + Math.max(1, (newest - raised) / 2);
            int after = countFrom(raised);
            evictedEarly += live - after;
            floor = raised;
            live = after;
        }
        int cap = ids.length;
        while ((long) (live + 1) * 4 > cap && cap < (1 << 30)) {
            cap <<= 1; // at most a quarter full after a rebuild, so rebuilds stay rare
        }
        long[] oldIds = ids;
        long[] oldTimes = times;
        int[] oldGroups = groups;
        allocate(cap);
        for (int i = 0; i < oldIds.length; i++) {
            if (oldIds[i] != 0 && oldTimes[i] >= floor) {
                put(oldIds[i], oldTimes[i], oldGroups[i]);
            }
        }
    }

    private int countFrom(long floor) {
        int n = 0;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != 0 && times[i] >= floor) {
                n++;
            }
        }
        return n;
    }

    private long oldest() {
        long t = Long.MAX_VALUE;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != 0) {
                t = Math.min(t, times[i]);
            }
        }
        return t;
    }

    private void put(long k, long t, int g) {
        int i = slot(k);
        while (ids[i] != 0) {
            i = (i + 1) & mask;
        }
        ids[i] = k;
        times[i] = t;
        groups[i] = g;
        size++;
    }

    private void allocate(int cap) {
        ids = new long[cap];
        times = new long[cap];
        groups = new int[cap];
        mask = cap - 1;
        size = 0;
    }

    private int slot(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
