package dev.qaengine.bench;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A Java Flight Recorder recording of one measured window (Java samples every 10 ms, native samples
 * every 20 ms, GC), dumped to a .jfr file for JDK Mission Control, plus a text summary:
 * where the Java samples are (self and, for our code and the libraries on its path, inclusive), and which
 * threads they are on. Time in RocksDB's JNI code shows among the native samples.
 */
public final class Profiler {
    private final Recording recording;

    private Profiler(Recording recording) {
        this.recording = recording;
    }

    public static Profiler start(String name) {
        try {
            // Only the samplers and GC: JFR's "profile" settings (allocation, I/O, lock events with stack
            // traces) slowed the normalize job to a third of its speed here; these cost a few percent
            Recording r = new Recording();
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            r.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(20));
            r.enable("jdk.GarbageCollection");
            r.setName(name);
            r.setToDisk(true);
            r.start();
            return new Profiler(r);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start a JFR recording", e);
        }
    }

    /** Stops the recording, writes it to {@code file} and returns the summary. */
    public String stop(Path file) throws IOException {
        recording.stop();
        recording.dump(file);
        recording.close();
        return summarize(file);
    }

    public void discard() {
        recording.close();
    }

    static String summarize(Path file) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> nativeSelf = new HashMap<>();
        int samples = 0;
        int nativeSamples = 0;
        long gcPauseNanos = 0;
        int gcs = 0;
        Predicate<String> ours = m -> m.startsWith("dev.qaengine.") || m.startsWith("com.fasterxml.")
                || m.startsWith("org.rocksdb.") || m.startsWith("org.apache.flink.") || m.startsWith("org.apache.kafka.");
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    samples++;
                    RecordedStackTrace st = e.getStackTrace();
                    RecordedThread t = e.getThread("sampledThread");
                    threads.merge(t == null ? "?" : Resources.group(t.getJavaName() == null ? t.getOSName() : t.getJavaName()), 1, Integer::sum);
                    if (st == null || st.getFrames().isEmpty()) {
                        continue;
                    }
                    self.merge(frame(st.getFrames().get(0)), 1, Integer::sum);
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame f : st.getFrames()) {
                        String m = frame(f);
                        if (ours.test(m) && seen.add(m)) {
                            inclusive.merge(m, 1, Integer::sum);
                        }
                    }
                }
                case "jdk.NativeMethodSample" -> {
                    RecordedStackTrace st = e.getStackTrace();
                    if (st != null && !st.getFrames().isEmpty()) {
                        String top = frame(st.getFrames().get(0));
                        if (!idle(top)) {
                            nativeSamples++;
                            nativeSelf.merge(top, 1, Integer::sum);
                        }
                    }
                }
                case "jdk.GarbageCollection" -> {
                    gcs++;
                    gcPauseNanos += e.getDuration("sumOfPauses").toNanos();
                }
                default -> {
                }
            }
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format("JFR %s: %,d Java samples, %,d non-idle native samples, %d GCs with %,d ms of pauses%n",
                file.getFileName(), samples, nativeSamples, gcs, gcPauseNanos / 1_000_000));
        top(b, "Java samples by thread group", threads, samples, 12);
        top(b, "self (top frame)", self, samples, 25);
        top(b, "inclusive (our code, Flink, Kafka, Jackson, RocksDB)", inclusive, samples, 40);
        top(b, "native, not waiting (top frame)", nativeSelf, nativeSamples, 12);
        return b.toString();
    }

    /** Native frames where a thread waits rather than works (sockets, epoll, parking). */
    private static boolean idle(String frame) {
        return frame.contains("EPoll.wait") || frame.contains("Net.poll") || frame.contains("Net.accept")
                || frame.contains("SocketDispatcher.read") || frame.contains("Unsafe.park") || frame.contains("Object.wait")
                || frame.contains("Thread.sleep") || frame.contains("Thread.yield") || frame.contains("FileDispatcherImpl.read")
                || frame.contains("IOUtil.drain") || frame.contains("Poll.poll") || frame.contains("Socket")
                || frame.contains("ServerSocketChannelImpl.accept");
    }

    private static String frame(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        return m == null ? "?" : m.getType().getName() + "." + m.getName();
    }

    private static void top(StringBuilder b, String title, Map<String, Integer> counts, int total, int n) {
        b.append("  ").append(title).append(':').append(System.lineSeparator());
        List<Map.Entry<String, Integer>> sorted = counts.entrySet().stream()
                .sorted((x, y) -> Integer.compare(y.getValue(), x.getValue())).limit(n).toList();
        for (Map.Entry<String, Integer> e : sorted) {
            b.append(String.format("    %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
        }
    }
}
