package dev.qaengine.controlplane.aeskey;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

import java.time.OffsetDateTime;

/** Request and response bodies of /api/v1/aes-key: the key goes in, never out. */
public final class AesKeyBodies {
    private AesKeyBodies() {
    }

    public record AesKeySet(
            @Schema(example = "0123456789abcdef", description = "exactly 16 hex characters (0-9, a-f, A-F); the characters are the key bytes, "
                    + "as MySQL's AES_ENCRYPT uses them", accessMode = Schema.AccessMode.WRITE_ONLY)
            @NotNull String key) {

        /** Never the key in a log line or an exception message. */
        @Override
        public String toString() {
            return "AesKeySet[key=***]";
        }
    }

    public record AesKeyState(
            @Schema(description = "whether the organization's AES key is set") boolean set,
            @Schema(description = "when it was set; null while unset") OffsetDateTime setAt,
            @Schema(example = "6a1e9a55-8a51-4a8e-9f0f-2f3c4c1b7e21", description = "the API key that set it") String setByKeyId) {
    }
}
