package dev.qaengine.local;

import dev.qaengine.common.Settings;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the local stack puts its data and which ports it uses, read from {@code QA_*} settings
 * (environment variables) so that the launcher's pieces can be started on other ports and dirs by tests.
 *
 * @param dataDir          root of everything the stack keeps between starts ({@code QA_DATA_DIR}, default {@code local/data})
 * @param kafkaPort        the broker's client port ({@code QA_KAFKA_PORT}, 9092)
 * @param controllerPort   the KRaft controller's port ({@code QA_KAFKA_CONTROLLER_PORT}, 9093)
 * @param flinkPort        Flink's REST API and dashboard ({@code QA_FLINK_PORT}, 8081)
 * @param redisPort        the Redis the stack starts or reuses ({@code QA_REDIS_PORT}, 6379)
 * @param flinkSlots       task slots of the one local TaskManager ({@code QA_FLINK_SLOTS}, 8)
 * @param externalKafka    {@code QA_KAFKA_BOOTSTRAP}: use that Kafka and start no broker
 * @param externalRedis    {@code QA_REDIS_URL}: use that Redis and start none
 * @param dbUrl            {@code QA_DB_URL}: the control plane's database (an H2 file under the data dir when absent)
 * @param restoreJobs      {@code QA_FLINK_RESTORE} (default true): resume each job from its last retained checkpoint
 * @param flinkBindAddress {@code QA_FLINK_BIND_ADDRESS} (default 127.0.0.1): where the dashboard listens;
 *                         {@code 0.0.0.0} inside a container whose port 8081 is published (docker-compose.yml)
 */
public record StackConfig(
        Path dataDir,
        int kafkaPort,
        int controllerPort,
        int flinkPort,
        int redisPort,
        int flinkSlots,
        Optional<String> externalKafka,
        Optional<String> externalRedis,
        Optional<String> dbUrl,
        boolean restoreJobs,
        String flinkBindAddress) {

    /** The only address the stack binds to and advertises: nothing is reachable from other machines. */
    public static final String HOST = "127.0.0.1";

    public static StackConfig from(Settings s) {
        return new StackConfig(
                Path.of(s.string("QA_DATA_DIR", "local/data")).toAbsolutePath().normalize(),
                s.integer("QA_KAFKA_PORT", 9092),
                s.integer("QA_KAFKA_CONTROLLER_PORT", 9093),
                s.integer("QA_FLINK_PORT", 8081),
                s.integer("QA_REDIS_PORT", 6379),
                s.integer("QA_FLINK_SLOTS", 8),
                s.get("QA_KAFKA_BOOTSTRAP"),
                s.get("QA_REDIS_URL"),
                s.get("QA_DB_URL"),
                s.bool("QA_FLINK_RESTORE", true),
                s.string("QA_FLINK_BIND_ADDRESS", HOST));
    }

    public Path kafkaDir() {
        return dataDir.resolve("kafka");
    }

    public Path redisDir() {
        return dataDir.resolve("redis");
    }

    public Path checkpointsDir() {
        return dataDir.resolve("checkpoints");
    }

    /** Where savepoints go unless {@code QA_SAVEPOINT_DIR} says otherwise (stop-with-savepoint through the control plane). */
    public Path savepointsDir() {
        return dataDir.resolve("savepoints");
    }

    /** Kept short on purpose: RocksDB fails on instance paths over ~250 characters (FLINK2-NOTES pitfall 4). */
    public Path rocksdbDir() {
        return dataDir.resolve("rocksdb");
    }

    public Path logsDir() {
        return dataDir.resolve("logs");
    }

    public String flinkUrl() {
        return "http://localhost:" + flinkPort;
    }
}
