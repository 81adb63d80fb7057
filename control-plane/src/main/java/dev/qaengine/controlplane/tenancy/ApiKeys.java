package dev.qaengine.controlplane.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API key material. A key is {@code qak_} + 256 random bits (base64url); only its SHA-256 is stored,
 * with the first 12 characters as a visible prefix to tell keys apart. A plain hash (no salt, no slow
 * KDF) is enough: keys are random and long, so there is nothing to brute-force, and a fast hash keeps
 * authentication to one indexed lookup per request.
 */
public final class ApiKeys {
    public static final String PREFIX = "qak_";
    public static final int VISIBLE_PREFIX_LENGTH = 12;
    public static final int MIN_FIXED_KEY_LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public static String visiblePrefix(String key) {
        return key.substring(0, Math.min(VISIBLE_PREFIX_LENGTH, key.length()));
    }
}
