package dev.qaengine.model;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-encrypted person IDs (CONTRACTS.md §6): {@code Base64(AES-128-ECB-PKCS5(utf8(id)))} keyed by the 16
 * ASCII characters of the organization's key, i.e. MySQL/MariaDB {@code TO_BASE64(AES_ENCRYPT(id, key))}.
 * ECB without integrity is weak, but it is the format customers' databases already hold.
 * Instances are immutable and may be shared between threads.
 */
public final class AesIdCodec {
    private static final String TRANSFORMATION = "AES/ECB/PKCS5Padding";

    /**
     * One Cipher per thread, (re)initialized on every call. Cipher is stateful and not thread-safe, while
     * {@code Cipher.getInstance} is slow (provider lookup: ~6 µs against ~0.1 µs for an init, measured on
     * this JDK), which would dominate decrypting a large audience. Static rather than per codec, so that the
     * thread-local state does not grow with the number of organizations' keys, and its value is a JDK class,
     * so it pins no user class loader on long-lived Flink task threads.
     */
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB/PKCS5Padding is required of every Java runtime", e);
        }
    });

    private final SecretKeySpec key;

    /** @throws IllegalArgumentException unless {@link #validKey(String)}: keys are checked when they are set */
    public AesIdCodec(String key) {
        if (!validKey(key)) {
            throw new IllegalArgumentException("an AES ID key is exactly 16 hex characters");
        }
        // The characters are the key bytes as they are: "ABC…" and "abc…" are different keys, as in MySQL.
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.US_ASCII), "AES");
    }

    /** The product accepts exactly 16 characters 0-9, a-f, A-F (L26051). */
    public static boolean validKey(String key) {
        if (key == null || key.length() != 16) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The ID, or empty when the value does not decrypt under this key: not Base64, not whole AES blocks, bad
     * padding, or not UTF-8. ECB has no integrity check, so a wrong key is detected only with high
     * probability (bad padding or bytes that are not UTF-8), not with certainty. Whitespace is ignored, as
     * MySQL's {@code FROM_BASE64} does: {@code TO_BASE64} breaks its output every 76 characters. Missing
     * trailing {@code =} padding is tolerated (Java's decoder does; the bytes are unambiguous without it).
     */
    public Optional<String> decrypt(String base64) {
        if (base64 == null) {
            return Optional.empty();
        }
        try {
            byte[] encrypted = Base64.getDecoder().decode(withoutMySqlWhitespace(base64));
            if (encrypted.length == 0) {
                return Optional.empty(); // the JDK "decrypts" no bytes to none, but PKCS5 output is never empty
            }
            Cipher cipher = CIPHER.get();
            cipher.init(Cipher.DECRYPT_MODE, key);
            byte[] plain = cipher.doFinal(encrypted);
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(plain)).toString());
        } catch (IllegalArgumentException | GeneralSecurityException | CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * For tests and tools: the value a customer's database holds, on one line (MySQL's {@code TO_BASE64}
     * breaks lines every 76 characters; {@link #decrypt} reads both).
     */
    public String encrypt(String id) {
        try {
            Cipher cipher = CIPHER.get();
            cipher.init(Cipher.ENCRYPT_MODE, key);
            return Base64.getEncoder().encodeToString(cipher.doFinal(id.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What MySQL's {@code FROM_BASE64} skips: newline, carriage return, tab and space. */
    private static String withoutMySqlWhitespace(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\n' && c != '\r' && c != '\t' && c != ' ') {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
