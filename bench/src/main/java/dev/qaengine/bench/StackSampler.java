package dev.qaengine.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Samples the stacks of the Flink task threads every few milliseconds. Unlike JFR's Java samples it
 * sees threads inside JNI calls (RocksDB) as the busy threads they are, and it tells busy (RUNNABLE)
 * from waiting (for input, for buffers: back-pressure), so it answers "which operator is the
 * bottleneck, and what does it spend its time on". Samples are taken at safepoint polls, so individual
 * Java methods are attributed with some bias; shares of whole components (state, JSON, Kafka) are sound.
 */
final class StackSampler implements AutoCloseable {
    /** Deep enough to reach the operator's frames from RocksDB, Jackson or Kafka calls; the task loop below is cut. */
    private static final int DEPTH = 64;

    private final long periodMillis;
    private final Thread thread;
    private final Map<String, Group> groups = new HashMap<>();
    private volatile boolean running = true;

    private static final class Group {
        int samples;
        int busy;
        final Map<String, Integer> inclusive = new HashMap<>();
        final Map<String, Integer> self = new HashMap<>();
    }

    private StackSampler(long periodMillis) {
        this.periodMillis = periodMillis;
        this.thread = new Thread(this::loop, "bench-stack-sampler");
        this.thread.setDaemon(true);
    }

    static StackSampler start(long periodMillis) {
        StackSampler s = new StackSampler(periodMillis);
        s.thread.start();
        return s;
    }

    /**
     * Flink names a task thread after its chain and subtask: "normalize -> ... (1/2)#0". Its helper
     * threads (timers, output flushers, source fetchers) carry the same suffix and are left out: they
     * are idle, and every sampled thread adds to the cost of a sample.
     */
    static boolean isTaskThread(String name) {
        return name.matches(".* \\(\\d+/\\d+\\)#\\d+$") && !name.startsWith("Time Trigger for ")
                && !name.startsWith("System Time Trigger for ") && !name.startsWith("OutputFlusher for ")
                && !name.startsWith("Source Data Fetcher for ");
    }

    private void loop() {
        List<Thread> targets = List.of();
        long refreshed = 0;
        while (running) {
            try {
                if (System.nanoTime() - refreshed > 1_000_000_000L) {
                    targets = taskThreads();
                    refreshed = System.nanoTime();
                }
                for (Thread t : targets) {
                    // Thread.getStackTrace stops only the target thread (a handshake); ThreadMXBean's
                    // getThreadInfo stops the whole JVM at a safepoint and slowed the stage threefold
                    Thread.State state = t.getState();
                    StackTraceElement[] st = t.getStackTrace();
                    record(t.getName(), state, st);
                }
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static List<Thread> taskThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() * 2 + 16];
        int n = root.enumerate(all, true);
        List<Thread> found = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (isTaskThread(all[i].getName())) {
                found.add(all[i]);
            }
        }
        return found;
    }

    private synchronized void record(String name, Thread.State state, StackTraceElement[] st) {
        Group g = groups.computeIfAbsent(Resources.group(name), k -> new Group());
        g.samples++;
        if (state != Thread.State.RUNNABLE || st.length == 0 || waiting(st[0])) {
            return;
        }
        g.busy++;
        g.self.merge(frame(st[0]), 1, Integer::sum);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < Math.min(DEPTH, st.length); i++) {
            String m = frame(st[i]);
            if (seen.add(m)) {
                g.inclusive.merge(m, 1, Integer::sum);
            }
        }
    }

    private static boolean waiting(StackTraceElement top) {
        String m = top.getClassName() + "." + top.getMethodName();
        return m.contains("EPoll.wait") || m.contains("Unsafe.park") || m.contains("Object.wait") || m.contains("Thread.sleep")
                || m.contains("Net.poll");
    }

    private static String frame(StackTraceElement f) {
        return f.getClassName() + "." + f.getMethodName() + (f.isNativeMethod() ? " (native)" : "");
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Per task-thread group: how busy it was, and where its busy samples were (inclusive and self). */
    synchronized String summary() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("Stack samples of the Flink task threads every %d ms (busy = RUNNABLE, not waiting for input or buffers):%n",
                periodMillis));
        List<Map.Entry<String, Group>> sorted = groups.entrySet().stream()
                .sorted((x, y) -> Integer.compare(y.getValue().busy, x.getValue().busy)).toList();
        for (Map.Entry<String, Group> e : sorted) {
            Group g = e.getValue();
            b.append(String.format("  %s: busy in %.0f%% of %,d samples%n", e.getKey(), 100.0 * g.busy / Math.max(1, g.samples), g.samples));
        }
        for (Map.Entry<String, Group> e : sorted.subList(0, Math.min(2, sorted.size()))) {
            Group g = e.getValue();
            b.append(String.format("  where %s is busy, inclusive (%% of its busy samples; frames in over 97%% left out):%n", e.getKey()));
            g.inclusive.entrySet().stream()
                    .filter(x -> x.getValue() < 0.97 * g.busy)
                    .sorted((x, y) -> Integer.compare(y.getValue(), x.getValue())).limit(40)
                    .forEach(x -> b.append(String.format("    %5.1f%%  %s%n", 100.0 * x.getValue() / Math.max(1, g.busy), x.getKey())));
            b.append("  self (top frame):").append(System.lineSeparator());
            g.self.entrySet().stream()
                    .sorted((x, y) -> Integer.compare(y.getValue(), x.getValue())).limit(15)
                    .forEach(x -> b.append(String.format("    %5.1f%%  %s%n", 100.0 * x.getValue() / Math.max(1, g.busy), x.getKey())));
        }
        return b.toString();
    }
}
