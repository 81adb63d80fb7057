package dev.qaengine.controlplane.support;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * One real single-node KRaft broker per test JVM (kafka-test-common-runtime), started on first use —
 * the approach of jobs/testkit's EmbeddedKafka without its Flink dependencies. The broker can be stopped
 * and started again on the same port, for outage tests.
 */
public final class TestKafka {
    private static KafkaClusterTestKit cluster;
    private static String bootstrap;
    private static volatile boolean closing;

    private TestKafka() {
    }

    public static synchronized String bootstrap() {
        if (cluster == null) {
            start();
        }
        return bootstrap;
    }

    private static void start() {
        // Closing a cluster whose broker was restarted makes the broker report a log-dir failure and halt
        // the JVM (exit code 1: surefire fails the run). Only while closing, at JVM exit, is that ignored.
        Exit.setHaltProcedure((code, message) -> {
            if (!closing) {
                Runtime.getRuntime().halt(code);
            }
        });
        try {
            KafkaClusterTestKit c = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("num.partitions", "2")
                    .setConfigProp("message.max.bytes", String.valueOf(8 << 20))
                    .build();
            c.format();
            c.startup();
            c.waitForReadyBrokers();
            cluster = c;
            bootstrap = c.bootstrapServers();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                closing = true;
                try {
                    c.close();
                } catch (Exception ignored) {
                    // the JVM is going away
                }
            }));
        } catch (Exception e) {
            throw new IllegalStateException("in-JVM Kafka broker did not start", e);
        }
    }

    /** Stops the broker (the controller stays); clients see connection refused. */
    public static synchronized void stopBroker() {
        var broker = cluster.brokers().values().iterator().next();
        broker.shutdown();
        broker.awaitShutdown();
    }

    /** Starts the stopped broker again, on the same port, with its data. */
    public static synchronized void startBroker() throws Exception {
        cluster.brokers().values().iterator().next().startup();
        cluster.waitForReadyBrokers();
    }

    public static Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        return Admin.create(p);
    }

    public static KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Looking for qa.control must not create it (uncompacted) before the control plane does.
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return new KafkaConsumer<>(p);
    }

    /**
     * Reads a topic from the beginning, keeping the records whose key is {@code key} (all when null),
     * until {@code done} holds for them or the deadline passes (a condition with a deadline, never a sleep).
     */
    public static List<ConsumerRecord<byte[], byte[]>> readUntil(String topic, String key,
                                                                 Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration deadline) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long end = System.nanoTime() + deadline.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            List<TopicPartition> parts = List.of();
            while (parts.isEmpty()) {
                var infos = c.partitionsFor(topic, Duration.ofSeconds(5));
                parts = infos == null ? List.of() : infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
                if (parts.isEmpty() && System.nanoTime() > end) {
                    throw new AssertionError("topic " + topic + " did not appear within " + deadline);
                }
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            while (!done.test(out)) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("after " + deadline + " only " + out.size() + " matching records on " + topic + ": " + describe(out));
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    if (key == null || key.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Every record of {@code topic} written before this call, read to the end offsets it had then; empty when
     * the topic does not exist. For asserting that something was <em>not</em> written, without waiting.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readToEnd(String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            var infos = c.listTopics(Duration.ofSeconds(10)).get(topic);
            if (infos == null || infos.isEmpty()) {
                return out;
            }
            List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            var end = c.endOffsets(parts, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end offsets " + end);
                }
                c.poll(Duration.ofMillis(100)).forEach(out::add);
            }
        }
        return out;
    }

    private static String describe(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8) + "="
                + (r.value() == null ? "null" : new String(r.value(), StandardCharsets.UTF_8))).toList().toString();
    }
}
