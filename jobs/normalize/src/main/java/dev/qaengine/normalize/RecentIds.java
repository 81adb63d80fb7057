package dev.qaengine.normalize;

import java.util.function.IntPredicate;

/**
 * The event ids one operator instance accepted within the de-duplication horizon, in memory: an
 * open-addressing table of (id, accepted-at, key group) without boxing, each entry two adjacent longs
 * (the id; accepted-at and key group packed) so that a look-up and an insert touch one cache line —
 * the table is far larger than the caches, and a miss per array was a visible cost per event. Entries accepted before the
 * floor the caller passes are dropped whenever the table would otherwise grow; past {@code maxIds} the
 * oldest are dropped early (and counted). Checkpointed whole by {@link NormalizeFunction} as operator
 * state, tagged by key group so that a rescaled job hands each entry to the instance owning its key.
 * Not thread-safe.
 */
final class RecentIds {
    /** Accepted-at times are kept in 48 bits (± 4,000 years of epoch milliseconds), key groups in 16. */
    private static final int GROUP_BITS = 16;

    private final int maxIds;
    /** Slot i: [2i] the id (0 = empty), [2i + 1] accepted-at << 16 | key group. */
    private long[] table;
    private int size;
    private int mask;
    private long evictedEarly;

    RecentIds(int initialCapacity, int maxIds) {
        this.maxIds = maxIds;
        allocate(Integer.highestOneBit(Math.max(16, initialCapacity - 1) << 1));
    }

    boolean contains(long id) {
        long k = id == 0 ? 1 : id; // 0 marks an empty slot
        long[] t = table;
        for (int i = slot(k); ; i = (i + 1) & mask) {
            long v = t[2 * i];
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
        if (size + 1 > (mask + 1) >> 1) {
            rebuild(floor);
        }
        put(id == 0 ? 1 : id, pack(acceptedAt, keyGroup));
    }

    /**
     * {@link #contains} and, if absent, {@link #add} in one probe: true when the id was added, false when
     * it was there already.
     */
    boolean addIfAbsent(long id, long acceptedAt, int keyGroup, long floor) {
        long k = id == 0 ? 1 : id;
        long[] t = table;
        int i = slot(k);
        for (long v; (v = t[2 * i]) != 0; i = (i + 1) & mask) {
            if (v == k) {
                return false;
            }
        }
        if (size + 1 > (mask + 1) >> 1) {
            rebuild(floor);
            put(k, pack(acceptedAt, keyGroup));
        } else {
            t[2 * i] = k;
            t[2 * i + 1] = pack(acceptedAt, keyGroup);
            size++;
        }
        return true;
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
        long[] t = table;
        for (int i = 0; i < t.length; i += 2) {
            if (t[i] != 0) {
                consumer.accept(t[i], time(t[i + 1]), group(t[i + 1]));
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

    private static long pack(long acceptedAt, int keyGroup) {
        if (keyGroup < 0 || keyGroup >= 1 << GROUP_BITS || acceptedAt != (acceptedAt << GROUP_BITS) >> GROUP_BITS) {
            throw new IllegalArgumentException("key group " + keyGroup + " or time " + acceptedAt + " out of range");
        }
        return acceptedAt << GROUP_BITS | keyGroup;
    }

    private static long time(long packed) {
        return packed >> GROUP_BITS;
    }

    private static int group(long packed) {
        return (int) (packed & ((1 << GROUP_BITS) - 1));
    }

    private void rebuild(long floor) {
        int live = countFrom(floor);
        while (live >= maxIds) {
            // Too many ids within the horizon: give up the oldest half of what remains of it.
            long newest = Long.MIN_VALUE;
            for (int i = 0; i < table.length; i += 2) {
                if (table[i] != 0) {
                    newest = Math.max(newest, time(table[i + 1]));
                }
            }
            long raised = floor == Long.MIN_VALUE ? oldest() : floor;
            raised = raised + Math.max(1, (newest - raised) / 2);
            int after = countFrom(raised);
            evictedEarly += live - after;
            floor = raised;
            live = after;
        }
        int cap = mask + 1;
        while ((long) (live + 1) * 4 > cap && cap < (1 << 29)) {
            cap <<= 1; // at most a quarter full after a rebuild, so rebuilds stay rare
        }
        long[] old = table;
        allocate(cap);
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0 && time(old[i + 1]) >= floor) {
                put(old[i], old[i + 1]);
            }
        }
    }

    private int countFrom(long floor) {
        int n = 0;
        for (int i = 0; i < table.length; i += 2) {
            if (table[i] != 0 && time(table[i + 1]) >= floor) {
                n++;
            }
        }
        return n;
    }

    private long oldest() {
        long t = Long.MAX_VALUE;
        for (int i = 0; i < table.length; i += 2) {
            if (table[i] != 0) {
                t = Math.min(t, time(table[i + 1]));
            }
        }
        return t;
    }

    private void put(long k, long packed) {
        int i = slot(k);
        while (table[2 * i] != 0) {
            i = (i + 1) & mask;
        }
        table[2 * i] = k;
        table[2 * i + 1] = packed;
        size++;
    }

    private void allocate(int cap) {
        table = new long[2 * cap];
        mask = cap - 1;
        size = 0;
    }

    private int slot(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
