package dev.qaengine.bench;

import java.util.Arrays;
import java.util.List;

/** The little arithmetic of the report, kept apart so that it is unit-tested. */
public final class Stats {
    private Stats() {
    }

    /** The median (mean of the middle two for an even count); NaN for no values. */
    public static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    /** stage / baseline; NaN when either is unknown or the baseline is zero. */
    public static double ratio(double stage, double baseline) {
        return Double.isNaN(stage) || Double.isNaN(baseline) || baseline <= 0 ? Double.NaN : stage / baseline;
    }

    /** The rate of the brief: records written after the first observation of output, over the time to reach all. */
    public static double rate(long expected, long countAtT0, long t0Nanos, long t1Nanos) {
        long dt = t1Nanos - t0Nanos;
        return dt <= 0 ? Double.NaN : (expected - countAtT0) * 1e9 / dt;
    }

    /**
     * The rate between the first samples at or above {@code from} and {@code to} of {@code expected}
     * (e.g. 10% and 90%): leaves out job start-up and the tail of the last batches.
     *
     * @param nanos  sample times, ascending
     * @param counts output counts at those times, non-decreasing
     */
    public static double windowRate(long[] nanos, long[] counts, int n, long expected, double from, double to) {
        int a = firstAtLeast(counts, n, (long) Math.ceil(expected * from));
        int b = firstAtLeast(counts, n, (long) Math.ceil(expected * to));
        if (a < 0 || b < 0 || b <= a) {
            return Double.NaN;
        }
        return (counts[b] - counts[a]) * 1e9 / (nanos[b] - nanos[a]);
    }

    private static int firstAtLeast(long[] counts, int n, long threshold) {
        int i = Arrays.binarySearch(counts, 0, n, threshold);
        if (i < 0) {
            i = -i - 1;
        } else {
            while (i > 0 && counts[i - 1] >= threshold) {
                i--;
            }
        }
        return i < n ? i : -1;
    }

    /** The nearest-rank percentile (p in 0..1) of sorted values; NaN for none. */
    public static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    public static String rate(double perSecond) {
        return Double.isNaN(perSecond) ? "n/a" : String.format("%,.0f ev/s", perSecond);
    }
}
