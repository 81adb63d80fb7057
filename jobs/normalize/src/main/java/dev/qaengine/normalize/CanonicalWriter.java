package dev.qaengine.normalize;

import dev.qaengine.model.AppType;
import dev.qaengine.model.IdType;
import dev.qaengine.model.AttributeType;
import dev.qaengine.model.CanonicalEvent;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a validated message as a canonical event (state-schemas/canonical-event-v1.schema.json) and
 * computes its event id. Not thread-safe: one per operator instance.
 *
 * <p>The event id is the 128-bit MurmurHash3 of the message's content in a fixed form (org, customer,
 * channel, code, time, attributes sorted by id, numbers in canonical form, each followed by a 0 byte —
 * which no JSON-decoded id contains unescaped — so fields cannot run into each other), so a message
 * delivered twice, even re-serialized with other whitespace or attribute order, gets the same id.
 * Two genuinely separate events with identical content and the same millisecond are, by this definition,
 * one event.
 *
 * <p>The JSON is written by hand into a reused buffer: each string is encoded to UTF-8 once and serves
 * both the hash and the output (a JSON generator here cost a tenth of the whole job) — or not encoded at
 * all when the fast parser found it as a slice of the message's original bytes ({@link RawElement#spans}).
 */
final class CanonicalWriter {
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_CHANNEL = new byte[0];
    /** Bytes a JSON string cannot hold as they are: control characters, the quote and the backslash. */
    private static final boolean[] ESCAPED = new boolean[256];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPED[c] = true;
        }
        ESCAPED['"'] = true;
        ESCAPED['\\'] = true;
    }

    private byte[] content = new byte[512];
    private int contentLength;
    private byte[] out = new byte[1024];
    private int outLength;

    /**
     * The result of {@link #write}: the id (hex), its first 64 bits for de-duplication, the JSON bytes, and
     * the record key (CanonicalEvent.partitionKey, org|customer, in UTF-8).
     */
    record Written(String eventId, long idBits, byte[] json, byte[] key) {
    }

    /*
     * The strings of the message being written as UTF-8 ranges, by slot: 0 org, 1 customer, 2 channel,
     * 3 code, 4 + 2i attribute i's name, 5 + 2i its value. A range lies in the message's original bytes
     * when the fast parser found the string there ({@link RawElement#spans}), else in its own encoding.
     */
    private byte[][] bytes = new byte[16][];
    private int[] at = new int[16];
    private int[] len = new int[16];
    /** The slot's bytes need no JSON escaping (the fast parser takes no string that would). */
    private boolean[] plain = new boolean[16];

    Written write(RawElement e, Validation.Outcome ok) {
        int n = e.attrNames.length;
        int slots = 4 + 2 * n;
        if (slots > bytes.length) {
            bytes = new byte[slots][];
            at = new int[slots];
            len = new int[slots];
            plain = new boolean[slots];
        }
        int[] order = sortedAttributeOrder(e.attrNames);
        slot(0, e.orgId, e, 0);
        slot(1, e.customerId, e, 2);
        if (e.channel == null) {
            bytes[2] = NULL_CHANNEL;
            plain[2] = true;
            at[2] = 0;
            len[2] = 0;
        } else {
            slot(2, e.channel, e, 4);
        }
        slot(3, e.eventCode, e, 6);
        String[] values = ok.values();
        for (int i = 0; i < n; i++) {
            slot(4 + 2 * i, e.attrNames[i], e, 8 + 4 * i);
            if (values[i] == e.attrValues[i]) {
                slot(5 + 2 * i, values[i], e, 10 + 4 * i); // as reported (numbers already canonical included)
            } else {
                slot(5 + 2 * i, values[i], null, 0); // a number in canonical form
            }
        }
        contentLength = 0;
        for (int k = 0; k < 4; k++) {
            content(k);
        }
        ensureContent(21);
        int timeAt = contentLength;
        contentLength = writeLong(e.eventTime, content, contentLength);
        int timeLength = contentLength - timeAt;
        content[contentLength++] = 0;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            content(4 + 2 * i);
            content(5 + 2 * i);
        }
        long[] h = Murmur3.hash128(content, contentLength, 0x51A9E7L);

        outLength = 0;
        ensure(PREFIX.length + 32);
        raw(PREFIX);
        int idAt = outLength;
        hex(h[0], out, outLength);
        hex(h[1], out, outLength + 16);
        outLength += 32;
        raw(ORG);
        string(0);
        raw(CUSTOMER);
        string(1);
        if (e.channel != null) {
            raw(CHANNEL);
            string(2);
        }
        if (ok.appType() != null) {
            raw(APP_TYPES[ok.appType().ordinal()]);
        }
        raw(CODE);
        string(3);
        raw(ATTRIBUTES);
        AttributeType[] types = ok.types();
        for (int k = 0; k < n; k++) {
            int i = order[k];
            if (k > 0) {
                ensure(1);
                out[outLength++] = ',';
            }
            string(4 + 2 * i);
            ensure(1);
            out[outLength++] = ':';
            if (types[i] == AttributeType.NUMBER) {
                rawSlot(5 + 2 * i); // canonical decimal text: a valid JSON number
            } else {
                string(5 + 2 * i);
            }
        }
        raw(EVENT_TIME);
        ensure(timeLength + INGEST_TIME.length + 21);
        System.arraycopy(content, timeAt, out, outLength, timeLength);
        outLength += timeLength;
        raw(INGEST_TIME);
        outLength = writeLong(e.ingestTime, out, outLength);
        if (ok.customerIdType() != null) {
            raw(CUSTOMER_ID_TYPES[ok.customerIdType().ordinal()]); // the identity job reads the customer id as this type
        }
        ensure(1);
        out[outLength++] = '}';
        byte[] key = new byte[len[0] + 1 + len[1]];
        System.arraycopy(bytes[0], at[0], key, 0, len[0]);
        key[len[0]] = '|';
        System.arraycopy(bytes[1], at[1], key, len[0] + 1, len[1]);
        return new Written(new String(out, idAt, 32, StandardCharsets.ISO_8859_1), h[0], Arrays.copyOf(out, outLength), key);
    }

    private static final byte[] PREFIX = ascii("{\"v\":" + CanonicalEvent.VERSION + ",\"eventId\":\"");
    private static final byte[] ORG = ascii("\",\"orgId\":");
    private static final byte[] CUSTOMER = ascii(",\"customerId\":");
    private static final byte[] CHANNEL = ascii(",\"channel\":");
    private static final byte[][] APP_TYPES = appTypes();
    private static final byte[] CODE = ascii(",\"eventCode\":");
    private static final byte[] ATTRIBUTES = ascii(",\"attributes\":{");
    private static final byte[] EVENT_TIME = ascii("},\"eventTime\":");
    private static final byte[] INGEST_TIME = ascii(",\"ingestTime\":");
    private static final byte[][] CUSTOMER_ID_TYPES = customerIdTypes();

    private static byte[][] customerIdTypes() {
        IdType[] all = IdType.values();
        byte[][] b = new byte[all.length][];
        for (IdType t : all) {
            b[t.ordinal()] = ascii(",\"customerIdType\":\"" + t.name() + "\"");
        }
        return b;
    }

    private static byte[][] appTypes() {
        AppType[] all = AppType.values();
        byte[][] b = new byte[all.length][];
        for (AppType t : all) {
            b[t.ordinal()] = ascii(",\"appType\":\"" + t.name() + "\"");
        }
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes the decimal digits of {@code v} at {@code at} (room for 20 bytes needed) and returns the end. */
    static int writeLong(long v, byte[] to, int at) {
        if (v < 0) {
            byte[] s = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(s, 0, to, at, s.length);
            return at + s.length;
        }
        if (v < 100_000_000L) {
            return writeInt((int) v, to, at);
        }
        // One long division, then int arithmetic (a long division per digit cost more than the rest of the JSON).
        long high = v / 100_000_000L;
        int low = (int) (v - high * 100_000_000L);
        int end = writeLong(high, to, at) + 8;
        for (int i = end - 1; i >= end - 8; i--) {
            to[i] = (byte) ('0' + low % 10);
            low /= 10;
        }
        return end;
    }

    private static int writeInt(int v, byte[] to, int at) {
        int digits = 1;
        for (int x = v; x >= 10; x /= 10) {
            digits++;
        }
        int end = at + digits;
        for (int i = end - 1; i >= at; i--) {
            to[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return end;
    }

    private void ensureContent(int extra) {
        if (contentLength + extra > content.length) {
            content = Arrays.copyOf(content, Math.max(contentLength + extra, content.length * 2));
        }
    }

    /** Slot {@code k} holds {@code s}: its range in the original bytes when the element has spans, else its encoding. */
    private void slot(int k, String s, RawElement spanned, int span) {
        int[] spans = spanned == null ? null : spanned.spans;
        if (spans != null) {
            bytes[k] = spanned.original;
            at[k] = spans[span];
            len[k] = spans[span + 1];
            plain[k] = true;
        } else {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            bytes[k] = b;
            at[k] = 0;
            len[k] = b.length;
            plain[k] = false;
        }
    }

    private void content(int k) {
        content(bytes[k], at[k], len[k]);
    }

    private void content(byte[] b, int from, int n) {
        int need = contentLength + n + 1;
        if (need > content.length) {
            content = Arrays.copyOf(content, Math.max(need, content.length * 2));
        }
        System.arraycopy(b, from, content, contentLength, n);
        contentLength += n;
        content[contentLength++] = 0;
    }

    private void rawSlot(int k) {
        ensure(len[k]);
        System.arraycopy(bytes[k], at[k], out, outLength, len[k]);
        outLength += len[k];
    }

    private void ensure(int extra) {
        if (outLength + extra > out.length) {
            out = Arrays.copyOf(out, Math.max(outLength + extra, out.length * 2));
        }
    }

    private void raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, out, outLength, b.length);
        outLength += b.length;
    }

    /** A JSON string of UTF-8 bytes: quotes, backslashes and control characters escaped, the rest as is. */
    private void string(int k) {
        byte[] b = bytes[k];
        int end = at[k] + len[k];
        ensure(len[k] * 6 + 2);
        out[outLength++] = '"';
        int j = at[k];
        if (plain[k]) {
            j = end;
        }
        while (j < end && !ESCAPED[b[j] & 0xFF]) {
            j++;
        }
        System.arraycopy(b, at[k], out, outLength, j - at[k]); // the common case: nothing to escape
        outLength += j - at[k];
        for (; j < end; j++) {
            byte c = b[j];
            if (c == '"' || c == '\\') {
                out[outLength++] = '\\';
                out[outLength++] = c;
            } else if (c >= 0 && c < 0x20) {
                switch (c) {
                    case '\n' -> { out[outLength++] = '\\'; out[outLength++] = 'n'; }
                    case '\r' -> { out[outLength++] = '\\'; out[outLength++] = 'r'; }
                    case '\t' -> { out[outLength++] = '\\'; out[outLength++] = 't'; }
                    default -> {
                        out[outLength++] = '\\';
                        out[outLength++] = 'u';
                        out[outLength++] = '0';
                        out[outLength++] = '0';
                        out[outLength++] = HEX_DIGITS[c >> 4];
                        out[outLength++] = HEX_DIGITS[c & 0xF];
                    }
                }
            } else {
                out[outLength++] = c;
            }
        }
        out[outLength++] = '"';
    }

    private static void hex(long v, byte[] to, int at) {
        for (int i = 15; i >= 0; i--) {
            to[at + i] = HEX_DIGITS[(int) (v & 0xF)];
            v >>>= 4;
        }
    }

    private static final int[] NONE = new int[0];

    private static int[] sortedAttributeOrder(String[] names) {
        int n = names.length;
        if (n == 0) {
            return NONE;
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = 1; i < n; i++) { // insertion sort: a message has a handful of attributes
            int v = order[i];
            int j = i - 1;
            while (j >= 0 && names[order[j]].compareTo(names[v]) > 0) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = v;
        }
        return order;
    }
}
