package dev.qaengine.model;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-QA-Hmac-Signature} of webhook requests and of their receipts (CONTRACTS.md §3), a port of the
 * product's reference {@code makeSignature}: {@code HmacUtils.hmacSha256Hex(key, s)} where {@code s} is
 * {@code key}, {@code timestamp} and {@code nonce} sorted ({@code Arrays.sort}) and concatenated, with
 * {@code \s+} removed. The secret is both the HMAC key (as given, whitespace included) and part of the message.
 */
public final class WebhookSignature {
    public static final String HEADER = "X-QA-Hmac-Signature";

    private static final String ALGORITHM = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {
    }

    /**
     * The signature header value; the empty string when the webhook has no secret (the documented header
     * value then), which is also why no HMAC is attempted: an HMAC key cannot be empty.
     */
    public static String sign(String key, String timestamp, String nonce) {
        if (key == null || key.isEmpty()) {
            return "";
        }
        String[] parts = {key, Objects.requireNonNull(timestamp, "timestamp"), Objects.requireNonNull(nonce, "nonce")};
        Arrays.sort(parts);
        String message = withoutWhitespace(parts[0] + parts[1] + parts[2]);
        try {
            // A Mac per call: Mac is not thread-safe, and one per HTTP request costs nothing in comparison.
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return HEX.formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java runtime", e);
        }
    }

    /**
     * Whether {@code signature} is the one {@link #sign} makes. Compared in constant time, so that a forger
     * learns nothing from response times. Hex letter case is ignored (some senders' libraries write upper
     * case; the received value is not secret, so folding it leaks nothing). A missing header counts as the
     * empty one: it matches only when the webhook has no secret. Missing parameters never match.
     */
    public static boolean verify(String key, String timestamp, String nonce, String signature) {
        if (timestamp == null || nonce == null) {
            return false;
        }
        String expected = sign(key, timestamp, nonce);
        String received = signature == null ? "" : signature.toLowerCase(Locale.ROOT);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), received.getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh {@code nonce}: 32 random lower-case hex digits (128 bits, so repeats need not be considered). */
    public static String newNonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /** Java's {@code replaceAll("\\s+", "")}: {@code \s} is ASCII whitespace only ([ \t\n\x0B\f\r]). */
    private static String withoutWhitespace(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\u000B' && c != '\f' && c != '\r') {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
