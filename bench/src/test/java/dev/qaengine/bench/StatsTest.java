package dev.qaengine.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StatsTest {
    @Test
    void median_of_odd_and_even_counts_ignoring_missing_figures() {
        assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(Stats.median(List.of(5.0, Double.NaN))).isEqualTo(5.0);
        assertThat(Stats.median(List.of())).isNaN();
    }

    @Test
    void ratio_is_stage_over_baseline_and_unknown_without_both() {
        assertThat(Stats.ratio(200_000, 500_000)).isEqualTo(0.4);
        assertThat(Stats.ratio(Double.NaN, 500_000)).isNaN();
        assertThat(Stats.ratio(200_000, 0)).isNaN();
    }

    @Test
    void rate_counts_only_what_was_written_after_the_first_observation() {
        // 1,000,000 expected; 100,000 already there at t0; the rest in 2 s
        assertThat(Stats.rate(1_000_000, 100_000, 1_000_000_000L, 3_000_000_000L)).isEqualTo(450_000.0);
        assertThat(Stats.rate(10, 0, 5, 5)).isNaN();
    }

    @Test
    void window_rate_uses_the_first_samples_past_each_threshold() {
        long[] t = {0, 1_000_000_000L, 2_000_000_000L, 3_000_000_000L, 4_000_000_000L};
        long[] c = {50, 100, 500, 900, 1000};
        // 10% of 1000 = 100 at t=1 s; 90% = 900 at t=3 s: 800 records in 2 s
        assertThat(Stats.windowRate(t, c, 5, 1000, 0.1, 0.9)).isCloseTo(400.0, within(1e-9));
        // equal counts: the first sample that reached the threshold
        long[] c2 = {100, 100, 500, 900, 900};
        assertThat(Stats.windowRate(t, c2, 5, 1000, 0.1, 0.9)).isCloseTo(800.0 / 3, within(1e-9));
        assertThat(Stats.windowRate(t, c, 2, 1000, 0.1, 0.9)).isNaN();
    }
}
