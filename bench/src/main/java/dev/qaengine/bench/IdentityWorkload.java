package dev.qaengine.bench;

import dev.qaengine.model.Topics;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the identity job reads: canonical events (as the normalize job writes them) and identity messages
 * v1, one organization, {@code persons} people. Each person has three identifiers: the IDFA of their
 * phone, their ONEID once logged in, and a mobile number they give at registration.
 *
 * <p>Record {@code i} is an identity message when {@code i % 10 == 9} (10 % of the records), else an event.
 * Events go over the persons in rounds (a permutation of the person index): in the first round each
 * person's phone reports anonymously (customerId = its IDFA, {@code customerIdType} IDFA), in every later
 * round the person is logged in (customerId = ONEID). The m-th identity message registers person
 * {@code perm(m)}: "ONEID c belongs with IDFA d and MOBILE n" — two links, two merges (the anonymous
 * person, seen first, survives; the mobile is new). With {@code count = 10 × persons} every person
 * gets exactly one message: {@code persons} persons and {@code 3 × persons} identifiers at the end.
 * Pure function of (seed, baseTime, persons, count, i), like {@link EventWorkload}.
 */
public final class IdentityWorkload implements Workload {
    public static final String ORG = EventWorkload.ORG;
    private static final String[] CODES = {"view_item", "add_to_cart", "purchase", "search"};
    private static final String[] CATEGORIES = {"electronics", "home-garden", "fashion-women", "beauty-care"};

    private final long seed;
    private final long baseTime;
    private final int persons;
    private final long count;
    private final long unit;

    public IdentityWorkload(long seed, long baseTime, int persons, long count) {
        if (persons < 1 || count < 1) {
            throw new IllegalArgumentException("persons and count must be positive");
        }
        this.seed = seed;
        this.baseTime = baseTime;
        this.persons = persons;
        this.count = count;
        this.unit = EventWorkload.unitModulo(persons);
    }

    @Override
    public String topic() {
        return Topics.EVENTS_NORMALIZED;
    }

    @Override
    public List<String> topics() {
        return List.of(Topics.EVENTS_NORMALIZED, Topics.IDENTITIES_RAW);
    }

    @Override
    public String topic(long i) {
        return isMessage(i) ? Topics.IDENTITIES_RAW : Topics.EVENTS_NORMALIZED;
    }

    @Override
    public long count() {
        return count;
    }

    static boolean isMessage(long i) {
        return i % 10 == 9;
    }

    /** Identity messages among the first {@code count} records. */
    public long messages() {
        return count / 10;
    }

    public long events() {
        return count - messages();
    }

    /** Merges the job must make: two per person registered (a person registers once at most). */
    public long merges() {
        return 2 * Math.min(messages(), persons);
    }

    /** Identifiers the job knows at the end. */
    public long identifiers() {
        long events = events();
        long anonymous = Math.min(events, persons);
        long loggedIn = Math.min(Math.max(0, events - persons), persons);
        long registered = Math.min(messages(), persons);
        // a registered person's ONEID and IDFA are known from the message even without their events
        long idfa = Math.max(anonymous, registered);
        long oneid = Math.max(loggedIn, registered);
        return idfa + oneid + registered;
    }

    private long person(long k) {
        return Math.floorMod((k % persons) * unit + seed, (long) persons);
    }

    static String oneid(long p) {
        return "c" + p;
    }

    static String idfa(long p) {
        String h = String.format("%032X", p * 0x9E3779B97F4A7C15L ^ 0x5DEECE66DL);
        return h.substring(0, 8) + '-' + h.substring(8, 12) + '-' + h.substring(12, 16) + '-' + h.substring(16, 20) + '-' + h.substring(20);
    }

    static String mobile(long p) {
        return "13" + String.format("%09d", p % 1_000_000_000L);
    }

    @Override
    public byte[] key(long i) {
        long p = isMessage(i) ? person(i / 10) : person(eventIndex(i));
        return (ORG + '|' + oneid(p)).getBytes(StandardCharsets.US_ASCII);
    }

    private static long eventIndex(long i) {
        return i / 10 * 9 + i % 10;
    }

    @Override
    public byte[] value(long i) {
        if (isMessage(i)) {
            long p = person(i / 10);
            return ("{\"orgnizationId\":\"" + ORG + "\",\"customerId\":\"" + oneid(p) + "\",\"customerIdList\":["
                    + "{\"customerId\":\"" + idfa(p).toLowerCase() + "\",\"idMapping\":\"idfa\"},"
                    + "{\"customerId\":\"+86 " + mobile(p) + "\",\"idMapping\":\"mobile\"}],\"v\":1}").getBytes(StandardCharsets.UTF_8);
        }
        long k = eventIndex(i);
        long p = person(k);
        boolean anonymous = k < persons;
        long h = EventWorkload.mix(seed ^ (i * 0x9E3779B97F4A7C15L));
        long time = baseTime + i / 1000;
        StringBuilder b = new StringBuilder(320);
        b.append("{\"v\":1,\"eventId\":\"").append(String.format("%016x%016x", h, i))
                .append("\",\"orgId\":\"").append(ORG)
                .append("\",\"customerId\":\"").append(anonymous ? idfa(p) : oneid(p))
                .append("\",\"channel\":\"").append(EventWorkload.CHANNEL)
                .append("\",\"appType\":\"APP\",\"eventCode\":\"").append(CODES[(int) ((h >>> 3) & 3)])
                .append("\",\"attributes\":{\"sku\":\"SKU-").append((h >>> 11) % 100_000)
                .append("\",\"category\":\"").append(CATEGORIES[(int) ((h >>> 8) & 3)])
                .append("\",\"price\":").append((h >>> 28) % 1000 + 1).append('.').append((h >>> 40) % 100)
                .append(",\"appVersion\":\"5.3.2\"},\"eventTime\":").append(time)
                .append(",\"ingestTime\":").append(time + 40);
        if (anonymous) {
            b.append(",\"customerIdType\":\"IDFA\"");
        }
        return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }
}
