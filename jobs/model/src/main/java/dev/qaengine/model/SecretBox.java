package dev.qaengine.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Secrets at rest and on {@code qa.control} (channel passwords, webhook secrets, organizations' AES keys),
 * sealed with the platform key {@code QA_SECRET_KEY} (base64 of 32 random bytes). It lives in qa-model
 * because both sides need it: the control plane seals, the jobs (fan-out, audiences) open with the same key.
 *
 * <p>Format {@code v1}: {@code "v1:" + base64(nonce[12] || AES-256-GCM ciphertext || tag[16])}, a fresh
 * random nonce per value, so equal secrets never look equal and any change to a sealed value is detected
 * (GCM's tag). The prefix names the format, so that key rotation can come later without a flag day: a
 * {@code v2:<keyId>:…} format naming its key can be added while {@code v1:} values (all sealed with the one
 * configured key) keep opening, and be re-sealed at leisure. Random 96-bit nonces stay far below NIST's
 * limit of 2^32 values per key: a control plane seals a few per configuration change.
 *
 * <p>Instances are immutable and thread-safe (a Cipher per call: sealing is rare, and opening happens when
 * a job loads a configuration, not per message).
 */
public final class SecretBox {
    public static final String V1 = "v1:";
    /** Key length in bytes (AES-256). */
    public static final int KEY_BYTES = 32;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    /** @param key exactly 32 bytes (copied) */
    public SecretBox(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a secret key is exactly " + KEY_BYTES + " bytes (AES-256), found "
                    + (key == null ? "none" : key.length + " bytes"));
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /**
     * The box for a {@code QA_SECRET_KEY} value: standard or URL-safe base64 of 32 bytes, surrounding
     * whitespace ignored.
     *
     * @throws IllegalArgumentException when it is not base64 of exactly 32 bytes (the message never echoes the value)
     */
    public static SecretBox fromBase64(String base64Key) {
        if (base64Key == null || base64Key.isBlank()) {
            throw new IllegalArgumentException("the secret key is empty; it must be base64 of " + KEY_BYTES + " random bytes");
        }
        String s = base64Key.strip();
        byte[] bytes;
        try {
            bytes = s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(s) : Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the secret key is not base64; it must be base64 of " + KEY_BYTES + " random bytes");
        }
        return new SecretBox(bytes);
    }

    /** A new random key, base64-encoded: what {@code QA_SECRET_KEY} should be set to ({@code openssl rand -base64 32} does the same). */
    public static String newKeyBase64() {
        byte[] k = new byte[KEY_BYTES];
        RANDOM.nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    /** Whether a stored value looks sealed (any known format); says nothing about which key sealed it. */
    public static boolean isSealed(String value) {
        return value != null && value.startsWith(V1);
    }

    /** Seals a secret; every call gives a different value. */
    public String seal(String plaintext) {
        if (plaintext == null) {
            throw new IllegalArgumentException("nothing to seal");
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance(TRANSFORMATION);
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
            return V1 + Base64.getEncoder().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is required of every Java runtime", e);
        }
    }

    /**
     * Opens a sealed value.
     *
     * @throws IllegalArgumentException when it is not a sealed value of a known format, was changed, or was
     *                                  sealed with another key — which {@link #opens(String)} tells without throwing
     */
    public String open(String sealed) {
        if (sealed == null || !sealed.startsWith(V1)) {
            throw new IllegalArgumentException("not a sealed secret (expected the prefix " + V1 + ")");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed.substring(V1.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a sealed secret whose body is not base64");
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("a sealed secret too short to be one");
        }
        try {
            Cipher c = Cipher.getInstance(TRANSFORMATION);
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            return new String(c.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("the sealed secret was sealed with another key, or altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is required of every Java runtime", e);
        }
    }

    /** Whether {@code sealed} opens with this key. */
    public boolean opens(String sealed) {
        try {
            open(sealed);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
