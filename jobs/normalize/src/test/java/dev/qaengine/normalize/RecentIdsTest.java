package dev.qaengine.normalize;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecentIdsTest {
    @Test
    void remembersIdsIncludingZeroAndGrowsPastItsInitialCapacity() {
        RecentIds ids = new RecentIds(16, Integer.MAX_VALUE);
        for (long i = 0; i < 10_000; i++) {
            ids.add(i * 7919, 1_000, 0, Long.MIN_VALUE);
        }
        assertThat(ids.size()).isEqualTo(10_000);
        for (long i = 0; i < 10_000; i++) {
            assertThat(ids.contains(i * 7919)).isTrue();
        }
        assertThat(ids.contains(3)).isFalse();
    }

    @Test
    void dropsEntriesAcceptedBeforeTheFloorWhenItWouldGrow() {
        RecentIds ids = new RecentIds(16, Integer.MAX_VALUE); // 32 slots: the 17th entry makes it rebuild
        for (long i = 1; i <= 16; i++) {
            ids.add(i, i * 100, 0, Long.MIN_VALUE);
        }
        assertThat(ids.contains(4)).isTrue();
        ids.add(17, 1_700, 0, 500); // the rebuild keeps only times >= 500
        assertThat(ids.contains(4)).isFalse();
        assertThat(ids.contains(5)).isTrue();
        assertThat(ids.contains(17)).isTrue();
        assertThat(ids.size()).isEqualTo(13);
        assertThat(ids.evictedEarly()).isZero();
    }

    @Test
    void neverHoldsMuchMoreThanItsMaximumAndCountsWhatItDroppedEarly() {
        RecentIds ids = new RecentIds(16, 1_000);
        for (long i = 1; i <= 100_000; i++) {
            ids.add(i, i, 0, Long.MIN_VALUE);
        }
        assertThat(ids.size()).isLessThanOrEqualTo(2_048);
        assertThat(ids.contains(100_000)).isTrue();
        assertThat(ids.contains(1)).isFalse();
        assertThat(ids.evictedEarly() + ids.size()).isEqualTo(100_000);
    }

    @Test
    void restoresOnlyTheEntriesOfItsOwnKeyGroups() {
        RecentIds before = new RecentIds(16, Integer.MAX_VALUE);
        for (long i = 1; i <= 100; i++) {
            before.add(i, 5, (int) (i % 4), Long.MIN_VALUE);
        }
        List<long[]> entries = new ArrayList<>();
        before.forEach((id, t, g) -> entries.add(new long[] {id, t, g}));
        RecentIds after = new RecentIds(16, Integer.MAX_VALUE);
        entries.forEach(e -> after.restore(e[0], e[1], (int) e[2], g -> g < 2));
        assertThat(after.size()).isEqualTo(50);
        assertThat(after.contains(4)).isTrue();  // group 0
        assertThat(after.contains(3)).isFalse(); // group 3 belongs to another instance
    }

    @Test
    void addsIfAbsentInOneStepAndKeepsTimesAndKeyGroupsExactly() {
        RecentIds ids = new RecentIds(16, Integer.MAX_VALUE);
        assertThat(ids.addIfAbsent(0, 1_800_000_000_000L, 32_767, Long.MIN_VALUE)).isTrue();
        assertThat(ids.addIfAbsent(0, 5, 1, Long.MIN_VALUE)).isFalse();
        for (long i = 1; i <= 1_000; i++) {
            assertThat(ids.addIfAbsent(i * 31, -i, (int) i, Long.MIN_VALUE)).isTrue();
            assertThat(ids.addIfAbsent(i * 31, 0, 0, Long.MIN_VALUE)).isFalse();
        }
        assertThat(ids.size()).isEqualTo(1_001);
        List<long[]> entries = new ArrayList<>();
        ids.forEach((id, t, g) -> entries.add(new long[] {id, t, g}));
        assertThat(entries).anySatisfy(e -> assertThat(e).containsExactly(1, 1_800_000_000_000L, 32_767)); // id 0 is kept as 1
        assertThat(entries).anySatisfy(e -> assertThat(e).containsExactly(31 * 500, -500, 500));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> ids.add(7, 0, 1 << 16, Long.MIN_VALUE));
    }
}
