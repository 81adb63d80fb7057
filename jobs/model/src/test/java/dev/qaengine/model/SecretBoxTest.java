package dev.qaengine.model;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretBoxTest {
    /** Key bytes 0x00..0x1f. */
    private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    /**
     * "s3cret-密码" sealed under KEY with the nonce 0x00..0x0b by an independent implementation (Python
     * cryptography's AESGCM): the format is exactly "v1:" + base64(nonce || ciphertext || tag).
     */
    private static final String VECTOR = "v1:AAECAwQFBgcICQoLNDG1aaCR7/4ix3ArMPF42H2/D7G23qfDBf/fEJw=";

    private final SecretBox box = SecretBox.fromBase64(KEY);

    @Nested
    class Sealing {
        @Test
        void opensTheIndependentlyMadeVector() {
            assertThat(box.open(VECTOR)).isEqualTo("s3cret-密码");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "p", "pa ss\nword", "0123456789abcdef", "ünïcödé 密码 🔑"})
        void roundTrips(String secret) {
            String sealed = box.seal(secret);
            assertThat(sealed).startsWith("v1:");
            assertThat(SecretBox.isSealed(sealed)).isTrue();
            assertThat(Base64.getDecoder().decode(sealed.substring(3))).hasSize(12 + secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 16);
            assertThat(box.open(sealed)).isEqualTo(secret);
        }

        @Test
        void equalSecretsNeverLookEqual() {
            String a = box.seal("same");
            String b = box.seal("same");
            assertThat(a).isNotEqualTo(b).doesNotContain("same");
            assertThat(box.open(a)).isEqualTo(box.open(b));
        }

        @Test
        void nothingToSeal() {
            assertThatThrownBy(() -> box.seal(null)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Opening {
        @Test
        void anotherKeyCannotOpen() {
            SecretBox other = SecretBox.fromBase64(SecretBox.newKeyBase64());
            String sealed = box.seal("secret");
            assertThat(other.opens(sealed)).isFalse();
            assertThatThrownBy(() -> other.open(sealed)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("another key");
        }

        @Test
        void anyChangeIsDetected() {
            byte[] bytes = Base64.getDecoder().decode(VECTOR.substring(3));
            for (int i = 0; i < bytes.length; i++) {
                byte[] changed = bytes.clone();
                changed[i] ^= 1;
                String tampered = "v1:" + Base64.getEncoder().encodeToString(changed);
                assertThat(box.opens(tampered)).as("byte %d flipped", i).isFalse();
            }
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"secret", "v2:AAECAwQFBgcICQoL", "v1:not base64!", "v1:AAECAwQFBgcICQoL", "V1:" + "AAECAwQFBgcICQoLNDG1aaCR7/4ix3ArMPF42H2/D7G23qfDBf/fEJw="})
        void refusesWhatIsNotASealedValue(String value) {
            assertThat(box.opens(value)).isFalse();
            assertThatThrownBy(() -> box.open(value)).isInstanceOf(IllegalArgumentException.class);
            assertThat(SecretBox.isSealed(value) && box.opens(value)).isFalse();
        }
    }

    @Nested
    class Keys {
        @Test
        void aNewKeyIs32RandomBytes() {
            String k1 = SecretBox.newKeyBase64();
            assertThat(Base64.getDecoder().decode(k1)).hasSize(32);
            assertThat(SecretBox.newKeyBase64()).isNotEqualTo(k1);
            SecretBox b = SecretBox.fromBase64(k1);
            assertThat(b.open(b.seal("x"))).isEqualTo("x");
        }

        @Test
        void urlSafeBase64AndSurroundingWhitespaceAreAccepted() {
            byte[] raw = Base64.getDecoder().decode(KEY);
            String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            assertThat(SecretBox.fromBase64(" " + urlSafe + "\n").open(VECTOR)).isEqualTo("s3cret-密码");
            assertThat(SecretBox.fromBase64(KEY + "\n").open(VECTOR)).isEqualTo("s3cret-密码");
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"  ", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g", "not-a-key!!"})
        void anythingButBase64Of32BytesIsRefusedWithoutEchoingIt(String key) {
            assertThatThrownBy(() -> SecretBox.fromBase64(key)).isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> {
                        if (key != null && !key.isBlank()) {
                            assertThat(e.getMessage()).doesNotContain(key.strip());
                        }
                    });
        }

        @Test
        void theKeyIsCopied() {
            byte[] raw = Base64.getDecoder().decode(KEY);
            SecretBox b = new SecretBox(raw);
            java.util.Arrays.fill(raw, (byte) 0);
            assertThat(b.open(VECTOR)).isEqualTo("s3cret-密码");
        }
    }
}
