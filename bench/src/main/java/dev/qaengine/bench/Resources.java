package dev.qaengine.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU and GC use of this JVM (broker, Flink and harness alike) over a measured window, and which
 * threads spent the CPU: always on, cheap, and it already tells whether the machine was saturated and
 * whether the Flink task threads or the broker were the bottleneck.
 */
public final class Resources {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long nanos;
    private final long processCpuNanos;
    private final long gcCount;
    private final long gcMillis;
    private final Map<Long, ThreadCpu> threads;
    private final long[] machine;

    /** CPU seconds of one group of threads (numbers in the thread names replaced by #) in a window. */
    public record ThreadCpu(String name, double cpuSeconds) {
    }

    /** What a window cost: CPU use as a share of all cores, GC, and the busiest thread groups. */
    /**
     * @param cpuUtilization     this JVM's CPU time over the window, as a share of all cores
     * @param otherCpuUtilization CPU used by other processes on the machine over the window, as a share of all
     *                           cores (from /proc/stat; NaN elsewhere): a busy neighbour distorts every figure
     */
    public record Usage(double seconds, double cpuUtilization, double otherCpuUtilization, double cpuSeconds,
                        long gcCount, long gcMillis, List<ThreadCpu> busiestThreads) {
    }

    private Resources(long nanos, long processCpuNanos, long gcCount, long gcMillis, Map<Long, ThreadCpu> threads,
                      long[] machine) {
        this.machine = machine;
        this.nanos = nanos;
        this.processCpuNanos = processCpuNanos;
        this.gcCount = gcCount;
        this.gcMillis = gcMillis;
        this.threads = threads;
    }

    public static Resources snapshot() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        Map<Long, ThreadCpu> threads = new HashMap<>();
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long cpu = THREADS.getThreadCpuTime(ids[i]);
            if (infos[i] != null && cpu >= 0) {
                threads.put(ids[i], new ThreadCpu(infos[i].getThreadName(), cpu / 1e9));
            }
        }
        return new Resources(System.nanoTime(), processCpuNanos(), count, millis, threads, machineTicks());
    }

    /** {busy, total} clock ticks of all CPUs since boot, from the first line of /proc/stat; null elsewhere. */
    static long[] machineTicks() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            return parseCpuLine(line);
        } catch (Exception e) {
            return null;
        }
    }

    /** "cpu user nice system idle iowait irq softirq steal ...": busy = all but idle and iowait. */
    static long[] parseCpuLine(String line) {
        String[] f = line.trim().split("\\s+");
        long total = 0;
        long idle = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            long v = Long.parseLong(f[i]);
            total += v;
            if (i == 4 || i == 5) {
                idle += v;
            }
        }
        return new long[]{total - idle, total};
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** The use between {@code start} and this snapshot. */
    public Usage since(Resources start, int topThreads) {
        double seconds = (nanos - start.nanos) / 1e9;
        double cpu = processCpuNanos < 0 ? Double.NaN : (processCpuNanos - start.processCpuNanos) / 1e9;
        Map<String, Double> groups = new HashMap<>();
        threads.forEach((id, now) -> {
            ThreadCpu before = start.threads.get(id);
            double used = now.cpuSeconds() - (before == null ? 0 : before.cpuSeconds());
            if (used > 0) {
                groups.merge(group(now.name()), used, Double::sum);
            }
        });
        List<ThreadCpu> busiest = new ArrayList<>(groups.entrySet().stream()
                .map(e -> new ThreadCpu(e.getKey(), Math.round(e.getValue() * 100) / 100.0)).toList());
        busiest.sort((a, b) -> Double.compare(b.cpuSeconds(), a.cpuSeconds()));
        int cores = Runtime.getRuntime().availableProcessors();
        double other = Double.NaN;
        if (machine != null && start.machine != null && machine[1] > start.machine[1]) {
            double busyShare = (double) (machine[0] - start.machine[0]) / (machine[1] - start.machine[1]);
            other = Math.max(0, busyShare - cpu / seconds / cores);
        }
        return new Usage(seconds, cpu / seconds / cores, other, cpu,
                gcCount - start.gcCount, gcMillis - start.gcMillis,
                List.copyOf(busiest.subList(0, Math.min(topThreads, busiest.size()))));
    }

    /**
     * The share of all cores that other processes used over the last {@code sampleMillis}; NaN where
     * /proc/stat is unavailable.
     */
    public static double otherCpuNow(long sampleMillis) throws InterruptedException {
        long[] a = machineTicks();
        long cpuA = processCpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(sampleMillis);
        long[] b = machineTicks();
        long cpuB = processCpuNanos();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (a == null || b == null || b[1] <= a[1]) {
            return Double.NaN;
        }
        double busy = (double) (b[0] - a[0]) / (b[1] - a[1]);
        return Math.max(0, busy - (cpuB - cpuA) / 1e9 / seconds / Runtime.getRuntime().availableProcessors());
    }

    /** Subtasks, pools and clients of one kind form a group: numbers become #. */
    static String group(String threadName) {
        return threadName.replaceAll("\\d+", "#");
    }
}
