package dev.qaengine.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BenchReportTest {
    private final Stage normalize = new NormalizeStage();

    private static RunResult ok(String subject, int run, double rate) {
        return new RunResult(subject, run, "OK", null, 1000, 1000, Map.of(), rate, rate, 1, 0.1, 1,
                new Resources.Usage(1, 0.9, 0.0, 1.8, 1, 10, List.of()), null, List.of());
    }

    private static RunResult failed(String subject, int run, String status) {
        return RunResult.failed(subject, run, status, "UnsupportedOperationException: not yet", 1000, 1000, Map.of(), 1);
    }

    @Test
    void the_ratio_of_medians_decides() {
        Bench.StageReport r = Bench.report(normalize,
                List.of(ok("pass-through", 1, 500), ok("pass-through", 2, 400), ok("pass-through", 3, 450)),
                List.of(ok("normalize", 1, 200), ok("normalize", 2, 190), ok("normalize", 3, 10)));
        assertThat(r.baselineMedian()).isEqualTo(450);
        assertThat(r.stageMedian()).isEqualTo(190);
        assertThat(r.ratio()).isEqualTo(190.0 / 450);
        assertThat(r.verdict()).isEqualTo("PASS");
        assertThat(r.warnings()).isEmpty();

        Bench.StageReport below = Bench.report(normalize, List.of(ok("pass-through", 1, 500)), List.of(ok("normalize", 1, 150)));
        assertThat(below.verdict()).isEqualTo("BELOW TARGET");
    }

    @Test
    void a_stage_that_does_not_build_or_fails_gives_no_pass() {
        Bench.StageReport notBuilt = Bench.report(normalize, List.of(ok("pass-through", 1, 500)),
                List.of(failed("normalize", 1, "BUILD_FAILED")));
        assertThat(notBuilt.verdict()).isEqualTo("STAGE FAILED TO BUILD");
        assertThat(notBuilt.ratio()).isNaN();
        assertThat(notBuilt.baselineMedian()).isEqualTo(500);

        Bench.StageReport oneFailed = Bench.report(normalize, List.of(ok("pass-through", 1, 500), ok("pass-through", 2, 500)),
                List.of(ok("normalize", 1, 300), failed("normalize", 2, "JOB_FAILED")));
        assertThat(oneFailed.verdict()).isEqualTo("STAGE FAILED");

        Bench.StageReport noBaseline = Bench.report(normalize, List.of(failed("pass-through", 1, "STALLED")),
                List.of(ok("normalize", 1, 300)));
        assertThat(noBaseline.verdict()).isEqualTo("NO BASELINE");
    }

    @Test
    void a_busy_neighbour_is_called_out() {
        RunResult noisy = new RunResult("normalize", 1, "OK", null, 1000, 1000, Map.of(), 100, 100, 1, 0.1, 1,
                new Resources.Usage(1, 0.6, 0.35, 1.2, 1, 10, List.of()), null, List.of());
        Bench.StageReport r = Bench.report(normalize, List.of(ok("pass-through", 1, 200)), List.of(noisy));
        assertThat(r.warnings()).singleElement().asString().contains("normalize run 1").contains("35%");
    }
}
