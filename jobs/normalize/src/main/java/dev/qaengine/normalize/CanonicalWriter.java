package dev.qaengine.normalize;

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
 * both the hash and the output (a JSON generator here cost a tenth of the whole job).
 */
final class CanonicalWriter {
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_CHANNEL = new byte[0];

    private byte[] content = new byte[512];
    private int contentLength;
    private byte[] out = new byte[1024];
    private int outLength;

    /** The result of {@link #write}: the id (hex), its first 64 bits for de-duplication, the JSON bytes. */
    record Written(String eventId, long idBits, byte[] json) {
    }

    Written write(RawElement e, Validation.Outcome ok) {
        int n = e.attrNames.length;
        int[] order = sortedAttributeOrder(e.attrNames);
        byte[] org = utf8(e.orgId);
        byte[] customer = utf8(e.customerId);
        byte[] channel = e.channel == null ? NULL_CHANNEL : utf8(e.channel);
        byte[] code = utf8(e.eventCode);
        byte[] time = Long.toString(e.eventTime).getBytes(StandardCharsets.US_ASCII);
        byte[][] names = new byte[n][];
        byte[][] values = new byte[n][];

        contentLength = 0;
        content(org);
        content(customer);
        content(channel);
        content(code);
        content(time);
        for (int k = 0; k < n; k++) {
            int i = order[k];
            names[i] = utf8(e.attrNames[i]);
            values[i] = utf8(ok.values()[i]);
            content(names[i]);
            content(values[i]);
        }
        long[] h = Murmur3.hash128(content, contentLength, 0x51A9E7L);
        byte[] id = new byte[32];
        hex(h[0], id, 0);
        hex(h[1], id, 16);

        outLength = 0;
        raw("{\"v\":");
        raw(Integer.toString(CanonicalEvent.VERSION));
        raw(",\"eventId\":\"");
        raw(id);
        raw("\",\"orgId\":");
        string(org);
        raw(",\"customerId\":");
        string(customer);
        if (e.channel != null) {
            raw(",\"channel\":");
            string(channel);
        }
        if (ok.appType() != null) {
            raw(",\"appType\":\"");
            raw(ok.appType().name());
            raw("\"");
        }
        raw(",\"eventCode\":");
        string(code);
        raw(",\"attributes\":{");
        for (int k = 0; k < n; k++) {
            int i = order[k];
            if (k > 0) {
                raw(",");
            }
            string(names[i]);
            raw(":");
            if (ok.types()[i] == AttributeType.NUMBER) {
                raw(values[i]); // canonical decimal text: a valid JSON number
            } else {
                string(values[i]);
            }
        }
        raw("},\"eventTime\":");
        raw(time);
        raw(",\"ingestTime\":");
        raw(Long.toString(e.ingestTime));
        if (ok.customerIdType() != null) {
            raw(",\"customerIdType\":\"");
            raw(ok.customerIdType().name()); // the identity job reads the customer id as this type
            raw("\"");
        }
        raw("}");
        return new Written(new String(id, StandardCharsets.US_ASCII), h[0], Arrays.copyOf(out, outLength));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void content(byte[] b) {
        int need = contentLength + b.length + 1;
        if (need > content.length) {
            content = Arrays.copyOf(content, Math.max(need, content.length * 2));
        }
        System.arraycopy(b, 0, content, contentLength, b.length);
        contentLength += b.length;
        content[contentLength++] = 0;
    }

    private void ensure(int extra) {
        if (outLength + extra > out.length) {
            out = Arrays.copyOf(out, Math.max(outLength + extra, out.length * 2));
        }
    }

    private void raw(String ascii) {
        ensure(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            out[outLength++] = (byte) ascii.charAt(i);
        }
    }

    private void raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, out, outLength, b.length);
        outLength += b.length;
    }

    /** A JSON string of UTF-8 bytes: quotes, backslashes and control characters escaped, the rest as is. */
    private void string(byte[] b) {
        ensure(b.length * 6 + 2);
        out[outLength++] = '"';
        for (byte c : b) {
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
