package dev.qaengine.normalize;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

/**
 * The fuzz corpus of {@link NormalizeFuzzIT}: random and mutated event messages (truncated JSON, wrong
 * types, huge strings, deep nesting, invalid UTF-8, flipped bytes, garbage, arrays). The same seed gives
 * the same records; {@link EventParserDifferentialTest} runs the parser's two paths over it.
 */
final class FuzzCorpus {
    final Random rnd;
    final long now;
    int serial;

    FuzzCorpus(long seed, long now) {
        this.rnd = new Random(seed);
        this.now = now;
    }

    byte[] payload() {
        int kind = rnd.nextInt(14);
        String base = valid();
        return switch (kind) {
            case 0, 1 -> utf8(base);
            case 2 -> Arrays.copyOf(utf8(base), rnd.nextInt(base.length())); // truncated
            case 3 -> utf8(base.replace("\"eventTime\":" + now, pick("\"eventTime\":\"noon\"", "\"eventTime\":1.5", "\"eventTime\":true",
                    "\"eventTime\":[1]", "\"eventTime\":99999999999999999999999")));
            case 4 -> utf8(base.replace("\"customerId\":\"", pick("\"customerId\":{\"x\":\"", "\"customerId\":[\"", "\"customerId\":\"" + "9".repeat(300))));
            case 5 -> utf8(base.replace("\"sku\":\"", "\"sku\":\"" + "s".repeat(rnd.nextInt(20_000)))); // huge strings
            case 6 -> utf8(base.replace("\"v\":1", "\"deep\":" + "[".repeat(rnd.nextInt(60)) + "]".repeat(0) + "")); // unbalanced deep nesting
            case 7 -> utf8(base.replace("\"v\":1", "\"deep\":" + nested(rnd.nextInt(60)) + ",\"v\":1")); // balanced nesting, deep or not
            case 8 -> invalidUtf8(utf8(base));
            case 9 -> flipBytes(utf8(base));
            case 10 -> garbage();
            case 11 -> utf8(base.replace("add_to_cart", pick("teleport", "purchase")).replace(Fixtures.ORG, rnd.nextBoolean() ? Fixtures.ORG : "org-x"));
            case 12 -> utf8(base.replace("\"price\":\"", pick("\"price\":\"ten", "\"price\":\"1e99999", "\"colour\":\""))
                    .replace("\"eventTime\":" + now, "\"eventTime\":" + (rnd.nextBoolean() ? now : now + Duration.ofDays(rnd.nextInt(20) - 10).toMillis())));
            default -> array(1 + rnd.nextInt(5), rnd.nextBoolean());
        };
    }

    String valid() {
        int id = serial++;
        return "{\"orgnizationId\":\"" + Fixtures.ORG + "\",\"customerId\":\"fz-" + id + "\",\"eventSourceCode\":\"shop-app\","
                + "\"eventCode\":\"add_to_cart\",\"eventTime\":" + now + ",\"extendAttributes\":{\"sku\":\"S-" + id
                + "\",\"price\":\"" + (id % 997) + "." + (id % 100) + "\"},\"v\":1}";
    }

    byte[] array(int n, boolean mixed) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(mixed && rnd.nextInt(4) == 0 ? pick("7", "\"x\"", "{}", "null", "{\"customerId\":\"c\"}") : valid());
        }
        return utf8(sb.append(']').toString());
    }

    static String nested(int depth) {
        return "[".repeat(depth) + "1" + "]".repeat(depth);
    }

    byte[] invalidUtf8(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = b.length / 2 + rnd.nextInt(b.length / 4);
        out.write(b, 0, at);
        byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF0, (byte) 0x90, 0x28, (byte) 0xBC}};
        byte[] pick = bad[rnd.nextInt(bad.length)];
        out.write(pick, 0, pick.length);
        out.write(b, at, b.length - at);
        return out.toByteArray();
    }

    byte[] flipBytes(byte[] b) {
        int flips = 1 + rnd.nextInt(3);
        for (int i = 0; i < flips; i++) {
            b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        }
        return b;
    }

    byte[] garbage() {
        byte[] b = new byte[rnd.nextInt(300)];
        rnd.nextBytes(b);
        return b;
    }

    @SafeVarargs
    final <T> T pick(T... options) {
        return options[rnd.nextInt(options.length)];
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
