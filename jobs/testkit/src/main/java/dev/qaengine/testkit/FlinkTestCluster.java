package dev.qaengine.testkit;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A Flink MiniCluster for integration tests (parallelism 2), and the job settings tests run with. */
public final class FlinkTestCluster {
    private FlinkTestCluster() {
    }

    public static MiniClusterExtension extension() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());
    }

    /**
     * Settings for a job under test: the broker's address, a short RocksDB dir (long temp paths break
     * RocksDB), a fast checkpoint interval, and whatever the test adds.
     */
    public static Map<String, String> jobSettings(String bootstrap) {
        Map<String, String> s = new HashMap<>();
        s.put("QA_KAFKA_BOOTSTRAP", bootstrap);
        s.put("QA_ROCKSDB_LOCALDIR", shortTempDir("rdb").toString());
        s.put("QA_CHECKPOINT_INTERVAL", "1s");
        s.put("QA_PARALLELISM", "2");
        return s;
    }

    public static Path shortTempDir(String prefix) {
        try {
            Path base = Path.of("/tmp/qa");
            Files.createDirectories(base);
            return Files.createTempDirectory(base, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
