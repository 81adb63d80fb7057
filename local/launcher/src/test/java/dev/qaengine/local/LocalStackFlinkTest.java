package dev.qaengine.local;

import dev.qaengine.common.Settings;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Flink part of the stack: one cluster, a job that cannot be built is reported while the others run,
 * and the next start resumes a job from the checkpoint retained when the stack stopped.
 */
class LocalStackFlinkTest {
    private static final FlinkJob BROKEN = new FlinkJob("qa-broken", (settings, env) -> {
        throw new UnsupportedOperationException("not yet");
    });
    private static final FlinkJob TICKING = new FlinkJob("qa-ticking", (settings, env) -> env.fromSequence(0, Long.MAX_VALUE)
            .map(n -> {
                Thread.sleep(5);
                return n;
            })
            .sinkTo(new DiscardingSink<>()));

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void brokenJobIsReportedAndRestartResumesFromTheRetainedCheckpoint(@TempDir Path dir) throws Exception {
        int port = Net.freePort();
        StackConfig config = new StackConfig(dir, 0, 0, port, 0, 4, Optional.empty(), Optional.empty(), Optional.empty(), true,
                StackConfig.HOST);
        Settings settings = Settings.of(Map.of("QA_CHECKPOINT_INTERVAL", "300ms", "QA_PARALLELISM", "1"));
        Path checkpoints = dir.resolve("checkpoints").resolve(TICKING.name());

        ByteArrayOutputStream first = new ByteArrayOutputStream();
        LocalStack stack = new LocalStack(config, settings, false, new PrintStream(first, true, StandardCharsets.UTF_8));
        try {
            stack.startFlink(settings, List.of(BROKEN, TICKING));
            assertThat(stack.jobStates()).containsEntry("qa-broken", "NOT STARTED").containsEntry("qa-ticking", "RUNNING");
            assertThat(first.toString(StandardCharsets.UTF_8))
                    .contains("qa-broken: NOT STARTED", "UnsupportedOperationException: not yet", "qa-ticking: RUNNING");
            assertThat(get(port, "/jobs/overview")).contains("\"name\":\"qa-ticking\"").contains("\"state\":\"RUNNING\"");
            assertThat(get(port, "/overview")).contains("\"slots-total\":4");
            assertThat(Net.await(Duration.ofSeconds(60), () -> latest(checkpoints).isPresent()))
                    .as("a checkpoint completes").isTrue();
        } finally {
            stack.stop();
        }
        assertThat(first.toString(StandardCharsets.UTF_8)).contains("stopped flink cluster");
        assertThat(Net.isListening(StackConfig.HOST, port)).as("REST port closed after stop").isFalse();
        Path retained = latest(checkpoints).orElseThrow(() -> new AssertionError("checkpoint not retained on cancel"));

        ByteArrayOutputStream second = new ByteArrayOutputStream();
        LocalStack again = new LocalStack(config, settings, false, new PrintStream(second, true, StandardCharsets.UTF_8));
        try {
            again.startFlink(settings, List.of(TICKING));
            assertThat(second.toString(StandardCharsets.UTF_8)).contains("resuming from checkpoint " + retained);
            assertThat(again.jobStates()).containsEntry("qa-ticking", "RUNNING");
            String jobId = again.jobStates().isEmpty() ? "" : jobId(second.toString(StandardCharsets.UTF_8));
            assertThat(Net.await(Duration.ofSeconds(30), () -> get(port, "/jobs/" + jobId + "/checkpoints").contains("\"restored\":1")))
                    .as("the job reports one restore").isTrue();
        } finally {
            again.stop();
        }
    }

    private static Optional<Path> latest(Path dir) {
        try {
            return LocalFlink.latestCheckpoint(dir);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static String jobId(String output) {
        int i = output.lastIndexOf("job id ");
        return output.substring(i + "job id ".length(), i + "job id ".length() + 32);
    }

    private static String get(int port, String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (Exception e) {
            return "";
        }
    }
}
