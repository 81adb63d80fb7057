package dev.qaengine.local;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka 4.2 broker in KRaft combined mode (broker + controller in one server), run
 * in this JVM from the Kafka server jars — the same code path as {@code kafka.Kafka} / {@code kafka-server-start.sh}:
 * a {@link KafkaConfig} and a {@link KafkaRaftServer}.
 *
 * <p>The log directory is formatted (as {@code kafka-storage.sh format} does, through the same
 * {@link Formatter}) only when its {@code meta.properties} is absent, so a second start reuses the
 * topics, offsets and records of the first. The quorum is static ({@code controller.quorum.voters}),
 * so nothing port-specific is written into the data: the same data can be started on other ports.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final String bootstrap;
    private final String clusterId;
    private final boolean formatted;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrap, String clusterId, boolean formatted) {
        this.server = server;
        this.bootstrap = bootstrap;
        this.clusterId = clusterId;
        this.formatted = formatted;
    }

    /**
     * Formats {@code logDir} if it was never formatted, starts the broker on 127.0.0.1 and returns once
     * it answers metadata requests.
     */
    public static EmbeddedKafka start(Path logDir, int port, int controllerPort, Duration timeout) throws Exception {
        String host = StackConfig.HOST;
        Net.requireFree(host, port, "Kafka broker", "Set QA_KAFKA_BOOTSTRAP to use a running Kafka, or QA_KAFKA_PORT.");
        Net.requireFree(host, controllerPort, "Kafka controller", "Set QA_KAFKA_CONTROLLER_PORT to another port.");
        Files.createDirectories(logDir);

        Properties props = serverProperties(logDir, host, port, controllerPort);
        KafkaConfig config = new KafkaConfig(props, false);

        Path meta = logDir.resolve("meta.properties");
        boolean format = !Files.exists(meta);
        if (format) {
            format(config, logDir);
        }
        String clusterId = readClusterId(meta);

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        EmbeddedKafka kafka = new EmbeddedKafka(server, host + ":" + port, clusterId, format);
        try {
            server.startup();
            kafka.awaitReady(timeout);
        } catch (Exception | Error e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    static Properties serverProperties(Path logDir, String host, int port, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", String.valueOf(NODE_ID));
        p.setProperty("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toAbsolutePath().toString());
        // One node: every internal topic has one replica.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        // Fewer internal partitions than the production default of 50: faster first start, fewer files.
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("num.partitions", "2");
        return p;
    }

    private static void format(KafkaConfig config, Path logDir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(ps)
                    .setNodeId(config.nodeId())
                    .setClusterId(Uuid.randomUuid().toString())
                    .setUnstableFeatureVersionsEnabled(false)
                    .setIgnoreFormatted(false)
                    .setControllerListenerName(config.controllerListenerNames().get(0))
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setHasDynamicQuorum(false)
                    .addDirectory(logDir.toAbsolutePath().toString())
                    .run();
        }
    }

    private static String readClusterId(Path meta) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            p.load(in);
        }
        return p.getProperty("cluster.id");
    }

    private void awaitReady(Duration timeout) throws Exception {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            boolean ready = Net.await(timeout, () -> {
                try {
                    Collection<Node> nodes = admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                    return !nodes.isEmpty();
                } catch (Exception e) {
                    return false;
                }
            });
            if (!ready) {
                throw new IllegalStateException("Kafka broker on " + bootstrap + " did not become ready within " + timeout);
            }
        }
    }

    public String bootstrap() {
        return bootstrap;
    }

    public String clusterId() {
        return clusterId;
    }

    /** True when this start formatted an empty log directory, false when it reused existing data. */
    public boolean formatted() {
        return formatted;
    }

    /** Controlled shutdown; returns once the broker and controller have stopped. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
