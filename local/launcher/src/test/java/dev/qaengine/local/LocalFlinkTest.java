package dev.qaengine.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LocalFlinkTest {

    @Test
    void latestCheckpointIsTheNewestCompleteOneOfAnyEarlierRun(@TempDir Path dir) throws Exception {
        assertThat(LocalFlink.latestCheckpoint(dir.resolve("absent"))).isEmpty();
        Path older = checkpoint(dir, "aaaa", "chk-40", Instant.parse("2026-01-01T00:00:00Z"));
        Path newer = checkpoint(dir, "bbbb", "chk-3", Instant.parse("2026-01-02T00:00:00Z"));
        Files.createDirectories(dir.resolve("bbbb/chk-4")); // in progress: no _metadata yet
        Files.createDirectories(dir.resolve("bbbb/shared"));

        assertThat(LocalFlink.latestCheckpoint(dir)).contains(newer);
        assertThat(older).exists();
    }

    @Test
    void pruneRemovesOnlyJobDirsWithoutFiles(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("old/shared"));
        Files.createDirectories(dir.resolve("old/taskowned"));
        Path kept = checkpoint(dir, "current", "chk-7", Instant.now());

        LocalFlink.pruneEmptyJobDirs(dir);

        assertThat(dir.resolve("old")).doesNotExist();
        assertThat(kept.resolve("_metadata")).exists();
    }

    @Test
    void rootCauseIsTheLastCausedByLine() {
        String trace = """
                org.apache.flink.runtime.JobException: Recovery is suppressed
                \tat x.y(Z.java:1)
                Caused by: java.lang.IllegalStateException: outer
                \tat a.b(C.java:2)
                Caused by: org.apache.flink.util.StateMigrationException: The new state serializer is incompatible
                \tat d.e(F.java:3)
                """;
        assertThat(LocalFlink.rootCause(trace)).isEqualTo(
                "org.apache.flink.util.StateMigrationException: The new state serializer is incompatible");
        assertThat(LocalFlink.rootCause("java.lang.RuntimeException: boom")).isEqualTo("java.lang.RuntimeException: boom");
    }

    private static Path checkpoint(Path dir, String jobId, String chk, Instant at) throws Exception {
        Path c = dir.resolve(jobId).resolve(chk);
        Files.createDirectories(c);
        Path meta = Files.writeString(c.resolve("_metadata"), "x");
        Files.setLastModifiedTime(meta, FileTime.from(at));
        return c;
    }
}
