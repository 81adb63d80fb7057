package dev.qaengine.bench;

import dev.qaengine.model.Topics;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Resolved events for the journeys stage: {@code persons} persons, {@value #CODES} event codes
 * ({@code e0} … {@code e99}), an {@code amount} attribute 0-999, event times spread evenly over 20 minutes
 * from {@code baseTime}. Record {@code i} is a pure function of (seed, baseTime, persons, count, i).
 */
public final class JourneysWorkload implements Workload {
    public static final String ORG = EventWorkload.ORG;
    public static final int CODES = 100;
    static final long SPAN_MS = 20 * 60_000L;

    private final long seed;
    private final long baseTime;
    private final int persons;
    private final long count;

    public JourneysWorkload(long seed, long baseTime, int persons, long count) {
        if (persons < 1 || count < 1) {
            throw new IllegalArgumentException("persons and count must be positive");
        }
        this.seed = seed;
        this.baseTime = baseTime;
        this.persons = persons;
        this.count = count;
    }

    @Override
    public String topic() {
        return Topics.EVENTS_RESOLVED;
    }

    @Override
    public long count() {
        return count;
    }

    public int persons() {
        return persons;
    }

    private SplittableRandom random(long i) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
    }

    int person(long i) {
        return random(i).nextInt(persons);
    }

    @Override
    public byte[] key(long i) {
        return (ORG + "|p" + person(i)).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] value(long i) {
        SplittableRandom r = random(i);
        int person = r.nextInt(persons);
        int code = r.nextInt(CODES);
        int amount = r.nextInt(1000);
        long time = baseTime + i * SPAN_MS / count;
        return ("{\"v\":1,\"personId\":\"p" + person + "\",\"identifiers\":{\"MOBILE\":[\"139" + String.format("%08d", person)
                + "\"]},\"event\":{\"v\":1,\"eventId\":\"bench-" + i + "\",\"orgId\":\"" + ORG + "\",\"customerId\":\"c" + person
                + "\",\"channel\":\"app\",\"eventCode\":\"e" + code + "\",\"attributes\":{\"amount\":" + amount + "},\"eventTime\":"
                + time + ",\"ingestTime\":" + time + "}}").getBytes(StandardCharsets.UTF_8);
    }
}
