package dev.qaengine.model;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AesIdCodecTest {
    private static final String KEY = "0123456789abcdef";
    private final AesIdCodec codec = new AesIdCodec(KEY);

    @Nested
    class Keys {
        @ParameterizedTest
        @ValueSource(strings = {"0123456789abcdef", "0123456789ABCDEF", "aBcDeF0123456789", "0000000000000000"})
        void sixteenHexCharacters(String key) {
            assertThat(AesIdCodec.validKey(key)).isTrue();
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"0123456789abcde", "0123456789abcdef0", "0123456789abcdeg", "xxxxxxxxxxxxxxxx",
                " 123456789abcdef", "0123456789abcde\u0661"})
        void nothingElse(String key) {
            assertThat(AesIdCodec.validKey(key)).isFalse();
            assertThatThrownBy(() -> new AesIdCodec(key)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class MySqlCompatibility {
        /**
         * Computed outside Java, twice and in agreement: {@code printf '%s' ID | openssl enc -aes-128-ecb -K
         * $(printf KEY | xxd -p) | base64 -w0} and MariaDB 10.11 {@code SELECT TO_BASE64(AES_ENCRYPT(ID, KEY))}.
         */
        @ParameterizedTest
        @CsvSource({
                "0123456789abcdef, 13888888888, QtW8CKpEAtr5pP++y2zkYQ==",
                "0123456789abcdef, 中国, G4HWxFYJ2uWWek5wSMQiqA==",
                "0123456789ABCDEF, 13888888888, S+ltBuHo206J5ye+oZQrQA==",
        })
        void matchesAesEncryptOfMySql(String key, String id, String encrypted) {
            AesIdCodec c = new AesIdCodec(key);
            assertThat(c.encrypt(id)).isEqualTo(encrypted);
            assertThat(c.decrypt(encrypted)).contains(id);
        }

        @Test
        void readsTheLineBreakToBase64InsertsEvery76Characters() {
            String id = "customer-0123456789-0123456789-0123456789-0123456789";
            // MariaDB's output, line break included.
            String mysql = "C9kGOCbm8g1PCtXscsOmICAHzouVkSisfN4CoHQ3G1THM/p8rs8xc/Ierdlq2YZxA1XpiWvC39Ri\n"
                    + "yuOiWR7Mvw==";
            assertThat(codec.decrypt(mysql)).contains(id);
            assertThat(codec.decrypt(mysql.replace("\n", "\r\n"))).contains(id);
            assertThat(codec.encrypt(id)).isEqualTo(mysql.replace("\n", ""));
        }
    }

    @Nested
    class Decrypt {
        @ParameterizedTest
        @ValueSource(strings = {"13888888888", "", "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", "中国 🙂", "exactly sixteen!"})
        void roundTrips(String id) {
            assertThat(codec.decrypt(codec.encrypt(id))).contains(id);
        }

        @Test
        void aWrongKeyGivesNothing() {
            AesIdCodec other = new AesIdCodec("fedcba9876543210");
            AesIdCodec otherCase = new AesIdCodec("0123456789ABCDEF");
            for (String id : List.of("13888888888", "user@example.com", "o6_bmjrPTlm6_2sgVt7hMZOPfL2M")) {
                assertThat(other.decrypt(codec.encrypt(id))).as(id).isEmpty();
                assertThat(otherCase.decrypt(codec.encrypt(id))).as(id).isEmpty();
            }
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {
                "not base64!",
                "QtW8CKpEAtr5pP--y2zkYQ==",      // URL-safe alphabet
                "QtW8CKpEAtr5pP++y2zk",          // not whole AES blocks
                "13888888888",                   // a clear-text ID
                "AAAAAAAAAAAAAAAAAAAAAA==",      // one block of zeros: bad padding
        })
        void garbageGivesNothing(String value) {
            assertThat(codec.decrypt(value)).isEmpty();
        }

        @Test
        void missingBase64PaddingIsTolerated() {
            // The bytes are unambiguous without it; Java's decoder and most databases accept it.
            assertThat(codec.decrypt("QtW8CKpEAtr5pP++y2zkYQ")).contains("13888888888");
        }

        @Test
        void bytesThatAreNotUtf8GiveNothing() throws Exception {
            // A value that decrypts with valid padding to bytes that are not UTF-8 (0xFF never occurs in UTF-8).
            javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/ECB/PKCS5Padding");
            cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(KEY.getBytes(), "AES"));
            String encrypted = java.util.Base64.getEncoder().encodeToString(cipher.doFinal(new byte[]{'a', (byte) 0xFF}));
            assertThat(codec.decrypt(encrypted)).isEmpty();
        }
    }

    /**
     * One codec shared by threads that interleave encryption and decryption under different keys: a Cipher
     * shared between them, or left initialized for another key or mode, would corrupt results or throw.
     */
    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        AesIdCodec other = new AesIdCodec("FEDCBA9876543210");
        int threads = 4;
        int perThread = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int ok = 0;
                    for (int i = 0; i < perThread; i++) {
                        String id = "id-" + thread + "-" + i;
                        AesIdCodec c = i % 2 == 0 ? codec : other;
                        String encrypted = c.encrypt(id);
                        if (c.decrypt(encrypted).filter(id::equals).isPresent()
                                && codec.decrypt(codec.encrypt(id + "x")).filter((id + "x")::equals).isPresent()) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            start.countDown();
            for (Future<Integer> r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo(perThread);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
