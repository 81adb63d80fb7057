package dev.qaengine.identity;

import dev.qaengine.model.Identifier;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a resolved event ({@code resolved-event-v1}) around the canonical event's bytes, which are
 * embedded unchanged: {@code {"v":1,"personId":…,"identifiers":{"TYPE":[…],…},"event":<canonical>}}.
 */
final class ResolvedJson {
    private ResolvedJson() {
    }

    /** @param ids sorted by type, then value (as persons keep them) */
    static byte[] write(String personId, List<Identifier> ids, byte[] canonical) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(canonical.length + 64 + ids.size() * 32);
        ascii(b, "{\"v\":1,\"personId\":");
        string(b, personId);
        ascii(b, ",\"identifiers\":{");
        for (int i = 0; i < ids.size(); i++) {
            Identifier id = ids.get(i);
            boolean newType = i == 0 || ids.get(i - 1).type() != id.type();
            if (newType) {
                if (i > 0) {
                    ascii(b, "],");
                }
                b.write('"');
                ascii(b, id.type().name());
                ascii(b, "\":[");
            } else {
                b.write(',');
            }
            string(b, id.value());
        }
        if (!ids.isEmpty()) {
            b.write(']');
        }
        ascii(b, "},\"event\":");
        b.write(canonical, 0, canonical.length);
        b.write('}');
        return b.toByteArray();
    }

    private static void ascii(ByteArrayOutputStream b, String s) {
        for (int i = 0; i < s.length(); i++) {
            b.write(s.charAt(i));
        }
    }

    /** A JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8. */
    static void string(ByteArrayOutputStream b, String s) {
        b.write('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.write('\\');
                b.write(c);
            } else if (c < 0x20) {
                ascii(b, String.format("\\u%04x", (int) c));
            } else if (c < 0x80) {
                b.write(c);
            } else {
                byte[] u = s.substring(i, i + (Character.isHighSurrogate(c) && i + 1 < s.length() ? 2 : 1)).getBytes(StandardCharsets.UTF_8);
                b.write(u, 0, u.length);
                if (u.length == 4) {
                    i++;
                }
            }
        }
        b.write('"');
    }
}
