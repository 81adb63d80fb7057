package dev.qaengine.common;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;

import java.time.Duration;

/**
 * The Flink configuration every job runs with: RocksDB with incremental checkpoints, set through
 * configuration keys only (Flink 2 has no setStateBackend), so that tests, the local stack, compose and
 * helm use the very same keys. A key already present in the given configuration (a cluster's
 * config.yaml, a test's override) wins over these defaults.
 */
public final class FlinkSettings {
    private FlinkSettings() {
    }

    public static Configuration jobConfiguration(Settings settings) {
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.incremental", "true");
        conf.setString("execution.checkpointing.interval",
                settings.duration("QA_CHECKPOINT_INTERVAL", Duration.ofSeconds(10)).toMillis() + " ms");
        // Our operators never keep a reference to a record after passing it on, so chained operators may
        // hand records over without a defensive copy.
        conf.setString("pipeline.object-reuse", "true");
        // Bloom filters make the common lookup, "this id was not seen yet", skip SST reads.
        conf.setString("state.backend.rocksdb.use-bloom-filter", "true");
        // RocksDB's compaction and compression stay RocksDB's (levelled, Snappy) unless set: universal
        // compaction without compression cut the identity job's compaction CPU by three quarters under 1 s
        // checkpoints, but tripled its state (~100 → ~320 bytes per identifier). See jobs/identity/README.md.
        settings.get("QA_ROCKSDB_COMPACTION_STYLE").ifPresent(v -> conf.setString("state.backend.rocksdb.compaction.style", v));
        settings.get("QA_ROCKSDB_COMPRESSION").ifPresent(v -> conf.setString("state.backend.rocksdb.compression.per.level", v));
        settings.get("QA_CHECKPOINT_DIR").ifPresent(d -> conf.setString("execution.checkpointing.dir", d));
        settings.get("QA_SAVEPOINT_DIR").ifPresent(d -> conf.setString("execution.checkpointing.savepoint-dir", d));
        // RocksDB breaks on long instance paths (FLINK2-NOTES pitfall 4): keep its working dir short.
        settings.get("QA_ROCKSDB_LOCALDIR").ifPresent(d -> conf.setString("state.backend.rocksdb.localdir", d));
        // Resume from a savepoint or retained checkpoint (upgrades, drills); absent = start from the topics.
        settings.get("QA_RESTORE_FROM").ifPresent(p -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, p));
        settings.get("QA_PARALLELISM").ifPresent(p -> conf.setString("parallelism.default", p));
        return conf;
    }
}
