package dev.qaengine.normalize;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Strings of few distinct values (org ids, channels, event codes, attribute ids) decoded from UTF-8 once
 * and then handed out as the same instance: no allocation per event, and a hash code computed once for
 * the catalog look-ups that follow (hashing fresh strings showed in the operator's profile). A small
 * direct-mapped table; a miss decodes and replaces the slot, so values of many distinct strings only
 * cost one comparison more than decoding. Entries are immutable, so the table is safe to share between
 * threads without locks (a racing thread at worst replaces an entry with an equal one).
 */
final class Interned {
    private static final int SLOTS = 1 << 12;
    private static final int MAX_BYTES = 64;
    private static final Entry[] TABLE = new Entry[SLOTS];

    private record Entry(byte[] utf8, String value) {
    }

    private Interned() {
    }

    /** The string of {@code length} bytes of well-formed UTF-8 at {@code from}. */
    static String utf8(byte[] b, int from, int length) {
        if (length > MAX_BYTES) {
            return new String(b, from, length, StandardCharsets.UTF_8);
        }
        int h = length;
        for (int i = from, end = from + length; i < end; i++) {
            h = 31 * h + b[i];
        }
        int slot = (h ^ (h >>> 15)) & (SLOTS - 1);
        Entry e = TABLE[slot];
        if (e != null && Arrays.equals(e.utf8, 0, e.utf8.length, b, from, from + length)) {
            return e.value;
        }
        String s = new String(b, from, length, StandardCharsets.UTF_8);
        TABLE[slot] = new Entry(Arrays.copyOfRange(b, from, from + length), s);
        return s;
    }
}
