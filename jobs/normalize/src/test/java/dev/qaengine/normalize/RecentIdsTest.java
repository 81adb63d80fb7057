package dev.qaengine.normalize;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecentIdsTest {
    @Test
    void remembersIdsIncludingZeroAndGrowsPastItsInitialCapacity() {
        RecentIds ids = new RecentIds(16);
        for (long i = 0; i < 10_000; i++) {
            ids.add(i * 7919, 1_000, Long.MIN_VALUE);
        }
        assertThat(ids.size()).isEqualTo(10_000);
        for (long i = 0; i < 10_000; i++) {
            assertThat(ids.contains(i * 7919)).isTrue();
        }
        assertThat(ids.contains(3)).isFalse();
    }

    @Test
    void dropsEntriesOlderThanTheFloorWhenItWouldGrow() {
        RecentIds ids = new RecentIds(16); // 32 slots: the 17th entry makes it rebuild
        for (long i = 1; i <= 16; i++) {
            ids.add(i, i * 100, Long.MIN_VALUE);
        }
        assertThat(ids.contains(4)).isTrue();
        ids.add(17, 1_700, 500); // the rebuild keeps only times >= 500
        assertThat(ids.contains(4)).isFalse();
        assertThat(ids.contains(5)).isTrue();
        assertThat(ids.contains(17)).isTrue();
        assertThat(ids.size()).isEqualTo(13);
    }
}
