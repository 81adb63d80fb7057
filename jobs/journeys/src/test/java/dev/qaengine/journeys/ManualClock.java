package dev.qaengine.journeys;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock tests move by hand. Flink serializes the operator (with its clock) into the job, so the time
 * lives in a JVM-wide registry under the clock's name: the test and the MiniCluster's tasks see the same.
 */
final class ManualClock implements EngineClock {
    private static final Map<String, AtomicLong> TIMES = new ConcurrentHashMap<>();
    private final String name;

    ManualClock(String name, long start) {
        this.name = name;
        TIMES.put(name, new AtomicLong(start));
    }

    @Override
    public long now() {
        return TIMES.get(name).get();
    }

    void set(long t) {
        TIMES.get(name).set(t);
    }

    void advance(long ms) {
        TIMES.get(name).addAndGet(ms);
    }
}
