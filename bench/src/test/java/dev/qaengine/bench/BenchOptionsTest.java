package dev.qaengine.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {
    @Test
    void defaults_to_the_normalize_stage() {
        BenchOptions o = BenchOptions.parse();
        assertThat(o.stages()).containsExactly("normalize");
        assertThat(o.events()).isEqualTo(BenchOptions.DEFAULT_EVENTS);
        assertThat(o.runs()).isEqualTo(BenchOptions.DEFAULT_RUNS);
        assertThat(o.profile()).isFalse();
    }

    @Test
    void reads_numbers_with_separators_and_suffixes_and_flink_settings() {
        BenchOptions o = BenchOptions.parse("normalize", "--events", "2,000,000", "--runs=5", "--customers", "50k",
                "--profile", "--flink", "state.backend.type=hashmap", "--flink=a.b=c=d");
        assertThat(o.events()).isEqualTo(2_000_000);
        assertThat(o.runs()).isEqualTo(5);
        assertThat(o.customers()).isEqualTo(50_000);
        assertThat(o.persons()).isEqualTo(1_000_000);
        assertThat(BenchOptions.parse("identity", "--persons", "2m").persons()).isEqualTo(2_000_000);
        assertThat(o.profile()).isTrue();
        assertThat(o.flink()).isEqualTo(Map.of("state.backend.type", "hashmap", "a.b", "c=d"));
        assertThat(BenchOptions.number("--events", "1.5m")).isEqualTo(1_500_000);
        assertThat(BenchOptions.number("--events", "2_000")).isEqualTo(2_000);
        assertThat(o.stages()).isEqualTo(List.of("normalize"));
    }

    @Test
    void refuses_unknown_stages_and_options() {
        assertThatThrownBy(() -> BenchOptions.parse("normalise")).hasMessageContaining("known: normalize");
        assertThatThrownBy(() -> BenchOptions.parse("--evnets", "5")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> BenchOptions.parse("--events", "lots")).hasMessageContaining("takes a number");
        assertThatThrownBy(() -> BenchOptions.parse("--runs", "0")).hasMessageContaining("positive");
    }
}
