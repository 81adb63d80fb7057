package dev.qaengine.normalize;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Reference vectors of MurmurHash3 x64 128 with seed 0 (as produced by the reference implementation and Guava). */
class Murmur3Test {
    @Test
    void matchesTheReferenceVectors() {
        assertThat(hash("")).containsExactly(0L, 0L);
        assertThat(hash("hello")).containsExactly(0xcbd8a7b341bd9b02L, 0x5b1e906a48ae1d19L);
        assertThat(hash("The quick brown fox jumps over the lazy dog")).containsExactly(0xe34bbc7bbc071b6cL, 0x7a433ca9c49a9347L);
    }

    @Test
    void hashesOnlyTheGivenLength() {
        byte[] padded = "hello\0\0\0".getBytes(StandardCharsets.UTF_8);
        assertThat(Murmur3.hash128(padded, 5, 0)).containsExactly(hash("hello"));
    }

    static long[] hash(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Murmur3.hash128(b, b.length, 0);
    }
}
