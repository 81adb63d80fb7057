package dev.qaengine.identity;

import dev.qaengine.model.Identifier;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a resolved event ({@code resolved-event-v1}) around the canonical event's bytes, which are
 * embedded unchanged: {@code {"v":1,"personId":…,"identifiers":{"TYPE":[…],…},"event":<canonical>}}.
 * Everything before the event depends on the person alone: {@link #prefix} renders it once per node
 * (the node keeps it while its person stays the same) and {@link #write(byte[], byte[])} only copies.
 */
final class ResolvedJson {
    private ResolvedJson() {
    }

    /** @param ids sorted by type, then value (as persons keep them) */
    static byte[] write(String personId, List<Identifier> ids, byte[] canonical) {
        return write(prefix(personId, ids), canonical);
    }

    /** The resolved event of {@code canonical}, for the person whose {@link #prefix} is given. */
    static byte[] write(byte[] prefix, byte[] canonical) {
        byte[] out = Arrays.copyOf(prefix, prefix.length + canonical.length + 1);
        System.arraycopy(canonical, 0, out, prefix.length, canonical.length);
        out[out.length - 1] = '}';
        return out;
    }

    /** The resolved event of {@code canonical} for the person of node {@code n}, rendering its prefix only when the person changed. */
    static byte[] write(Node n, byte[] canonical) {
        if (n.resolvedPrefix == null || n.prefixPerson != n.person || n.prefixIds != n.personIds) {
            n.resolvedPrefix = prefix(n.person.id(), n.personIds);
            n.prefixPerson = n.person;
            n.prefixIds = n.personIds;
        }
        return write(n.resolvedPrefix, canonical);
    }

    /** {@code {"v":1,"personId":…,"identifiers":{…},"event":} — ids sorted by type, then value. */
    static byte[] prefix(String personId, List<Identifier> ids) {
        Bytes b = new Bytes(64 + ids.size() * 32);
        b.ascii("{\"v\":1,\"personId\":");
        b.string(personId);
        b.ascii(",\"identifiers\":{");
        for (int i = 0; i < ids.size(); i++) {
            Identifier id = ids.get(i);
            boolean newType = i == 0 || ids.get(i - 1).type() != id.type();
            if (newType) {
                if (i > 0) {
                    b.ascii("],");
                }
                b.put('"');
                b.ascii(id.type().name());
                b.ascii("\":[");
            } else {
                b.put(',');
            }
            b.string(id.value());
        }
        if (!ids.isEmpty()) {
            b.put(']');
        }
        b.ascii("},\"event\":");
        return b.toArray();
    }

    /** A growing byte buffer without ByteArrayOutputStream's lock per byte. */
    private static final class Bytes {
        private byte[] a;
        private int n;

        Bytes(int capacity) {
            a = new byte[capacity];
        }

        void put(int c) {
            if (n == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = (byte) c;
        }

        void ascii(String s) {
            for (int i = 0; i < s.length(); i++) {
                put(s.charAt(i));
            }
        }

        /** A JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8. */
        void string(String s) {
            put('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    put('\\');
                    put(c);
                } else if (c < 0x20) {
                    ascii(String.format("\\u%04x", (int) c));
                } else if (c < 0x80) {
                    put(c);
                } else {
                    int end = i + (Character.isHighSurrogate(c) && i + 1 < s.length() ? 2 : 1);
                    for (byte u : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                        put(u);
                    }
                    i = end - 1;
                }
            }
            put('"');
        }

        byte[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
