package dev.qaengine.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;
import java.util.Map;

/**
 * One job run: a pass-through or a stage over the workload.
 *
 * @param status             OK, or why there is no figure: BUILD_FAILED (the job could not be built),
 *                           SUBMIT_FAILED, JOB_FAILED (it failed while running), STALLED (no progress), ERROR
 * @param rate               (expected - count at t0) / (t1 - t0): t0 = first poll that sees output, t1 = first
 *                           poll that sees all expected output
 * @param steadyRate         the rate between 10% and 90% of the expected output (start-up and tail left out)
 * @param firstOutputSeconds from job submission to the first output seen (start-up, not measured)
 * @param usage              CPU, GC and busiest threads of the whole JVM between t0 and t1
 * @param outputs            records per output topic when the run ended
 * @param progress           [ms since t0, output count] about every 500 ms
 */
public record RunResult(String subject, int run, String status, String error, long inputs, long expected,
                        Map<String, Long> outputs, double rate, double steadyRate, double measuredSeconds,
                        double firstOutputSeconds, double produceSeconds, Resources.Usage usage, String profile,
                        List<long[]> progress) {

    public static RunResult failed(String subject, int run, String status, String error, long inputs, long expected,
                                   Map<String, Long> outputs, double produceSeconds) {
        return new RunResult(subject, run, status, error, inputs, expected, outputs, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, produceSeconds, null, null, List.of());
    }

    @JsonIgnore
    public boolean ok() {
        return "OK".equals(status);
    }
}
