package dev.qaengine.normalize;

/**
 * The event ids this operator instance saw recently, by event time, in memory: an open-addressing
 * table of (id, eventTime) pairs without boxing. Entries older than the floor the caller passes are
 * dropped when the table would otherwise grow. Not thread-safe; not checkpointed (see
 * {@link NormalizeFunction} for why it need not be).
 */
final class RecentIds {
    private long[] ids;
    private long[] times;
    private int size;
    private int mask;

    RecentIds(int initialCapacity) {
        int cap = Integer.highestOneBit(Math.max(16, initialCapacity - 1) << 1);
        ids = new long[cap];
        times = new long[cap];
        mask = cap - 1;
    }

    /** Whether the id is present. */
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

    /** Adds the id (known to be absent); {@code floor} lets a full table drop entries older than it first. */
    void add(long id, long eventTime, long floor) {
        if (size + 1 > (ids.length >> 1)) {
            rebuild(floor);
        }
        long k = id == 0 ? 1 : id;
        int i = slot(k);
        while (ids[i] != 0) {
            i = (i + 1) & mask;
        }
        ids[i] = k;
        times[i] = eventTime;
        size++;
    }

    int size() {
        return size;
    }

    private void rebuild(long floor) {
        int live = 0;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != 0 && times[i] >= floor) {
                live++;
            }
        }
        int cap = ids.length;
        while ((long) (live + 1) * 4 > cap && cap < (1 << 30)) {
            cap <<= 1; // at most a quarter full after a rebuild, so rebuilds stay rare
        }
        long[] oldIds = ids;
        long[] oldTimes = times;
        ids = new long[cap];
        times = new long[cap];
        mask = cap - 1;
        size = 0;
        for (int i = 0; i < oldIds.length; i++) {
            if (oldIds[i] != 0 && oldTimes[i] >= floor) {
                int j = slot(oldIds[i]);
                while (ids[j] != 0) {
                    j = (j + 1) & mask;
                }
                ids[j] = oldIds[i];
                times[j] = oldTimes[i];
                size++;
            }
        }
    }

    private int slot(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
