package dev.qaengine.normalize;

import dev.qaengine.model.DlqReason;

/**
 * One event message as parsed from a raw record, before the definitions are applied. It travels from
 * the Kafka source (where the record is parsed) to the keyed normalize operator, written by
 * {@link RawElementSerializer}. A message that is already known to be bad carries its {@link #reject}.
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

    /**
     * Where the string fields lie in {@link #original}, as UTF-8 exactly (a start and a length each: org,
     * customer, channel, code, then per attribute its name and value; start -1 = null) — set by the fast
     * parser, which only takes strings without escapes, and kept through the shuffle; null otherwise.
     * It lets the shuffle send the original bytes once instead of the strings as well, and the canonical
     * writer copy UTF-8 instead of encoding strings. Not a field of the message: whoever changes a
     * string field or {@link #original} must clear it.
     */
    int[] spans;
    /**
     * The string fields (org, customer, channel, code, attribute names and values) are not decoded yet:
     * they are null, {@link #spans} says where they are. The fast parser leaves them so on the source
     * side, where only the shuffle's serializer reads the element; {@link #materialize} decodes them.
     */
    boolean lazy;

    public DlqReason reject;
    public String detail;

    /**
     * The key of the normalize operator, set by {@link EventParser}: a 64-bit hash of org and customer
     * ({@link #route(String, String)}), so that events of one customer meet their state. A long rather
     * than the string {@code org|customer}: that string was built and hashed on both sides of the shuffle
     * for every event, and serialized as the state backend's key. Two customers whose hashes collide
     * merely share a key — every element carries its own org and customer, and the output key is made
     * from those.
     */
    public long route;

    public RawElement() {
    }

    /** The operator's key ({@link #route}); boxed, as Flink's key selectors return objects. */
    public Long routingKey() {
        return route;
    }

    /** Decodes the string fields if they are still in the original bytes only ({@link #lazy}); returns this element. */
    public RawElement materialize() {
        if (lazy) {
            int[] s = spans;
            orgId = utf8(s, 0, true);
            customerId = utf8(s, 2, false);
            channel = utf8(s, 4, true);
            eventCode = utf8(s, 6, true);
            int n = attrNumeric.length;
            if (n == 0) {
                attrNames = EventParser.NO_STRINGS;
                attrValues = EventParser.NO_STRINGS;
            } else {
                attrNames = new String[n];
                attrValues = new String[n];
                for (int i = 0; i < n; i++) {
                    attrNames[i] = utf8(s, 8 + 4 * i, true);
                    attrValues[i] = utf8(s, 10 + 4 * i, false);
                }
            }
            lazy = false;
        }
        return this;
    }

    /** Span {@code k}'s string; ids of few distinct values (org, channel, code, attribute ids) come from {@link Interned}. */
    private String utf8(int[] s, int k, boolean fewValues) {
        if (s[k] < 0) {
            return null;
        }
        return fewValues ? Interned.utf8(original, s[k], s[k + 1])
                : new String(original, s[k], s[k + 1], java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The {@link #route} of an element as parsed: org and customer, or for a message already rejected its source partition. */
    static long routeOf(RawElement e) {
        boolean identified = e.lazy ? e.spans[0] >= 0 && e.spans[2] >= 0 : e.orgId != null && e.customerId != null;
        if (e.reject != null || !identified) {
            // Already rejected: spread by source partition, no state is touched for these.
            return fmix(0xD1B54A32D192ED03L ^ e.sourcePartition);
        }
        if (e.lazy) {
            int[] s = e.spans;
            if (ascii(e.original, s[0], s[1]) && ascii(e.original, s[2], s[3])) {
                return routeAscii(e.original, s[0], s[1], s[2], s[3]); // ASCII bytes are the strings' chars
            }
            e.materialize();
        }
        return route(e.orgId, e.customerId);
    }

    private static boolean ascii(byte[] b, int from, int length) {
        for (int i = from, end = from + length; i < end; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** {@link #route(String, String)} of two strings given as ASCII bytes. */
    static long routeAscii(byte[] b, int orgAt, int orgLength, int customerAt, int customerLength) {
        long h = 0xCBF29CE484222325L;
        for (int i = orgAt, n = orgAt + orgLength; i < n; i++) {
            h = (h ^ b[i]) * 0x100000001B3L;
        }
        h = (h ^ 0x10000) * 0x100000001B3L;
        for (int i = customerAt, n = customerAt + customerLength; i < n; i++) {
            h = (h ^ b[i]) * 0x100000001B3L;
        }
        return fmix(h);
    }

    /** FNV-1a over the UTF-16 chars of org, a separator and customer, then a 64-bit finalizer (deterministic across JVMs). */
    static long route(String orgId, String customerId) {
        long h = 0xCBF29CE484222325L;
        for (int i = 0, n = orgId.length(); i < n; i++) {
            h = (h ^ orgId.charAt(i)) * 0x100000001B3L;
        }
        h = (h ^ 0x10000) * 0x100000001B3L; // not a char: org and customer cannot run into each other
        for (int i = 0, n = customerId.length(); i < n; i++) {
            h = (h ^ customerId.charAt(i)) * 0x100000001B3L;
        }
        return fmix(h);
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    RawElement rejected(DlqReason reason, String why) {
        this.reject = reason;
        this.detail = why;
        return this;
    }
}
