package dev.qaengine.model;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignatureTest {
    // The documented example (L26740-26790, CONTRACTS.md §3).
    private static final String KEY = "123456789";
    private static final String TIMESTAMP = "1631865523";
    private static final String NONCE = "2e6eceb5737b473284c930c8ef79090e";
    private static final String SIGNATURE = "459fa2f7e79389c337e6b2077538fb9408241e79715b2f40dfa6c2757e2ecce8";

    @Nested
    class Sign {
        @Test
        void reproducesTheDocumentedVector() {
            assertThat(WebhookSignature.sign(KEY, TIMESTAMP, NONCE)).isEqualTo(SIGNATURE);
        }

        @Test
        void dependsOnTheValuesNotOnTheirArgumentPositions() {
            // The three strings are sorted first: swapping timestamp and nonce changes nothing.
            assertThat(WebhookSignature.sign(KEY, NONCE, TIMESTAMP)).isEqualTo(SIGNATURE);
        }

        @Test
        void removesWhitespaceFromTheMessageButNotFromTheHmacKey() {
            // The message loses the space, the HMAC key keeps it: so not the signature of the key without it.
            String spaced = WebhookSignature.sign("12345 6789", TIMESTAMP, NONCE);
            assertThat(spaced).isNotEqualTo(SIGNATURE).hasSize(64);
            // Whitespace in timestamp or nonce only reaches the message, where it is removed...
            assertThat(WebhookSignature.sign(KEY, "1631865523\n", "2e6eceb5737b4732\t84c930c8ef79090e")).isEqualTo(SIGNATURE);
            // ...after sorting, as in the reference code: a leading space sorts the timestamp first.
            assertThat(WebhookSignature.sign(KEY, " 1631865523", NONCE))
                    .isEqualTo("2e19cfd20223f16b4c8396304eba2e39f9353dd0aafdb522e2d5e8252a4f56e3");
        }

        @Test
        void isEmptyWithoutASecret() {
            assertThat(WebhookSignature.sign(null, TIMESTAMP, NONCE)).isEmpty();
            assertThat(WebhookSignature.sign("", TIMESTAMP, NONCE)).isEmpty();
        }

        @Test
        void isLowerCaseHexOfSha256() {
            assertThat(WebhookSignature.sign("another secret", "1700000000", WebhookSignature.newNonce()))
                    .matches("[0-9a-f]{64}");
        }
    }

    @Nested
    class Verify {
        @Test
        void acceptsTheDocumentedSignatureInEitherHexCase() {
            assertThat(WebhookSignature.verify(KEY, TIMESTAMP, NONCE, SIGNATURE)).isTrue();
            assertThat(WebhookSignature.verify(KEY, TIMESTAMP, NONCE, SIGNATURE.toUpperCase())).isTrue();
        }

        @Test
        void rejectsAnyChange() {
            assertThat(WebhookSignature.verify("123456780", TIMESTAMP, NONCE, SIGNATURE)).isFalse();
            assertThat(WebhookSignature.verify(KEY, "1631865524", NONCE, SIGNATURE)).isFalse();
            assertThat(WebhookSignature.verify(KEY, TIMESTAMP, NONCE.replace('e', 'f'), SIGNATURE)).isFalse();
            assertThat(WebhookSignature.verify(KEY, TIMESTAMP, NONCE, SIGNATURE.substring(1) + "0")).isFalse();
            assertThat(WebhookSignature.verify(KEY, TIMESTAMP, NONCE, SIGNATURE.substring(1))).isFalse();
            assertThat(WebhookSignature.verify(KEY, TIMESTAMP, NONCE, "")).isFalse();
            assertThat(WebhookSignature.verify(KEY, TIMESTAMP, NONCE, null)).isFalse();
        }

        @Test
        void missingParametersNeverMatch() {
            assertThat(WebhookSignature.verify(KEY, null, NONCE, SIGNATURE)).isFalse();
            assertThat(WebhookSignature.verify(KEY, TIMESTAMP, null, SIGNATURE)).isFalse();
            assertThat(WebhookSignature.verify(null, null, NONCE, "")).isFalse();
        }

        @Test
        void withoutASecretOnlyTheEmptyHeaderMatches() {
            assertThat(WebhookSignature.verify(null, TIMESTAMP, NONCE, "")).isTrue();
            assertThat(WebhookSignature.verify("", TIMESTAMP, NONCE, null)).isTrue();
            assertThat(WebhookSignature.verify(null, TIMESTAMP, NONCE, SIGNATURE)).isFalse();
        }
    }

    @Test
    void noncesAre32LowerCaseHexDigitsAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String nonce = WebhookSignature.newNonce();
            assertThat(nonce).matches("[0-9a-f]{32}");
            seen.add(nonce);
        }
        assertThat(seen).hasSize(1000);
    }
}
