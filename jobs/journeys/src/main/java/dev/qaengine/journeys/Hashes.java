package dev.qaengine.journeys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hashes the engine keeps in state instead of strings, and the deterministic ids it derives. */
final class Hashes {
    private Hashes() {
    }

    /** 64-bit FNV-1a of the string's characters, mixed: what the engine remembers of an event id. */
    static long id64(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    /**
     * A person's run of a journey, named by what started it: the same trigger event of the same person in
     * the same journey gives the same id — after a replay or a restore too — so the idempotency keys of its
     * actions repeat and the fan-out sends once. 128 bits of SHA-256, hex.
     */
    static String runId(String orgId, String journeyId, String personId, String triggerEventId) {
        MessageDigest md = SHA256.get(); // getInstance looks the provider up each time: ~1 µs, on every entry
        for (String part : new String[] {orgId, journeyId, personId, triggerEventId}) {
            md.update(part.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
        }
        byte[] d = md.digest(); // and resets it
        return HEX.formatHex(d, 0, 16);
    }

    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
}
