package dev.qaengine.controlplane.consumer;

import dev.qaengine.controlplane.config.Failures;
import dev.qaengine.controlplane.config.KafkaConnection;
import dev.qaengine.controlplane.config.QaProperties;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A topic the control plane reads into its database, on one thread per instance, as one consumer group:
 * instances share the partitions, a restart resumes at the committed offsets. Subclasses say how a batch
 * is stored ({@link #store}); this class does the rest the same way for every such topic.
 *
 * <p><b>At least once.</b> Offsets are committed after the batch is stored; a crash in between, a
 * rebalance or a producer writing a record twice delivers it again, so {@link #store} must be idempotent.
 * Records are read committed (the jobs write transactionally).
 *
 * <p><b>Never stops on outages.</b> The service starts without Kafka; a missing topic is waited for (it is
 * not created: deployments choose its partitions); a broker that goes away, or a database that refuses a
 * batch ({@link #store} throws), is retried every {@code retryBackoff}, forever, the batch read again from
 * its first offsets. The getters feed a health indicator.
 */
public abstract class TopicConsumer implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(TopicConsumer.class);
    private static final Duration KAFKA_CALL = Duration.ofSeconds(5);

    private final KafkaConnection connection;
    private final String topic;
    private final String threadName;
    private final QaProperties.ConsumerSettings settings;
    private final Object pause = new Object();

    private volatile boolean running;
    private volatile Thread thread;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    // What the health indicator shows; written by the consumer thread only.
    private volatile Boolean kafkaReachable;
    private volatile Boolean topicExists;
    private volatile boolean storing = true;
    private volatile String lastFailure;
    private volatile Long lag;

    protected TopicConsumer(KafkaConnection connection, String topic, String threadName, QaProperties.ConsumerSettings settings) {
        this.connection = connection;
        this.topic = topic;
        this.threadName = threadName;
        this.settings = settings;
    }

    /**
     * Stores a polled batch (idempotently: it may come again). Throwing means the database is away: nothing
     * is committed and the batch is read again after the back-off; log and count per record only once
     * storing succeeded.
     */
    protected abstract void store(ConsumerRecords<byte[], byte[]> batch);

    public String topic() {
        return topic;
    }

    /** A record passed over: where it was, and why (a {@link Parsed} failure). */
    protected record Skipped(int partition, long offset, String reason, String problem) {
    }

    /** Reads each record of a batch with {@code parse}: what can be stored, in order; the others are added to {@code skipped}. */
    protected static <T> List<T> read(ConsumerRecords<byte[], byte[]> batch, Function<byte[], Parsed<T>> parse, List<Skipped> skipped) {
        return readAll(batch, v -> List.of(parse.apply(v)), skipped);
    }

    /** Like {@link #read}, for records that hold several items each ({@code parse} gives each item's outcome). */
    protected static <T> List<T> readAll(ConsumerRecords<byte[], byte[]> batch, Function<byte[], List<Parsed<T>>> parse, List<Skipped> skipped) {
        List<T> out = new ArrayList<>(batch.count());
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            for (Parsed<T> p : parse.apply(r.value())) {
                if (p.value() != null) {
                    out.add(p.value());
                } else {
                    skipped.add(new Skipped(r.partition(), r.offset(), p.reason(), p.problem()));
                }
            }
        }
        return out;
    }

    /**
     * Logs the records passed over — where they were and why, never what they held — and counts each in the counter of
     * its reason. Called once the batch is stored (not again each time a database outage makes it be read again).
     */
    protected final void passOver(List<Skipped> skipped, Map<String, Counter> counters) {
        for (Skipped s : skipped) {
            log.warn("skipped the {} record at partition {} offset {}: {} ({})", topic, s.partition(), s.offset(), s.reason(), s.problem());
            counters.get(s.reason()).increment();
        }
    }

    /** Its part of a health indicator's details: whether it runs, reaches Kafka, finds the topic, stores, and its lag. */
    public void describe(org.springframework.boot.health.contributor.Health.Builder b) {
        b.withDetail("topic", topic).withDetail("groupId", groupId());
        if (!enabled()) {
            b.withDetail("consumer", "disabled on this instance");
            return;
        }
        b.withDetail("consumer", isRunning() ? "running" : "stopped")
                .withDetail("kafkaReachable", kafkaReachable == null ? "not tried yet" : kafkaReachable)
                .withDetail("topicExists", topicExists == null ? "not known yet" : topicExists)
                .withDetail("storing", storing);
        if (lag != null) {
            b.withDetail("lag", lag);
        }
        if (lastFailure != null) {
            b.withDetail("lastFailure", lastFailure);
        }
    }

    @Override
    public void start() {
        if (!settings.consumerEnabled() || running) {
            return;
        }
        running = true;
        Thread t = new Thread(this::run, threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        synchronized (pause) {
            pause.notifyAll();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stop before the datasource goes away, start after it (as the outbox publisher). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }

    // --- what the health indicator shows

    public boolean enabled() {
        return settings.consumerEnabled();
    }

    public String groupId() {
        return settings.groupId();
    }

    // --- the consumer thread

    private void run() {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties())) {
            consumer = c;
            if (running) {
                consume(c);
            }
        } catch (WakeupException | InterruptException e) {
            // stopping
        } catch (RuntimeException e) {
            // Only a configuration error gets here (every other failure is retried in consume).
            log.error("the {} consumer stopped; its records are not stored until the service restarts", topic, e);
            lastFailure = Failures.rootMessage(e);
            running = false;
        } finally {
            consumer = null;
        }
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> p = connection.clientProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The jobs write their outputs in Kafka transactions: an aborted attempt is not a record.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Waiting for the topic must not create it with the broker's defaults.
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_CALL.toMillis());
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) KAFKA_CALL.toMillis());
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return p;
    }

    private void consume(KafkaConsumer<byte[], byte[]> c) {
        List<TopicPartition> partitions = null;
        long nextProbe = System.nanoTime();
        while (running) {
            try {
                if (partitions == null) {
                    partitions = awaitTopic(c);
                    if (partitions == null) {
                        pause(settings.retryBackoff());
                        continue;
                    }
                    c.subscribe(List.of(topic));
                    log.info("consuming {} as group {}", topic, settings.groupId());
                }
                ConsumerRecords<byte[], byte[]> batch = c.poll(settings.pollTimeout());
                if (!batch.isEmpty()) {
                    handle(c, batch);
                }
                long now = System.nanoTime();
                if (now - nextProbe >= 0) {
                    probe(c, partitions);
                    nextProbe = now + settings.probeInterval().toNanos();
                }
            } catch (WakeupException | InterruptException e) {
                if (!running) {
                    return;
                }
                throw e;
            } catch (KafkaException e) {
                kafkaFailed(e);
                pause(settings.retryBackoff());
            } catch (StoreFailed e) {
                storeFailed(e.getCause());
                pause(settings.retryBackoff());
            } catch (RuntimeException e) {
                // Nothing else is expected here; whatever it is, the consumer does not stop over it.
                lastFailure = Failures.rootMessage(e);
                log.error("the {} consumer failed unexpectedly; retrying in {}", topic, settings.retryBackoff(), e);
                pause(settings.retryBackoff());
            }
        }
    }

    /** The topic's partitions, or null while it does not exist; throws while Kafka does not answer. */
    private List<TopicPartition> awaitTopic(KafkaConsumer<byte[], byte[]> c) {
        List<PartitionInfo> infos = c.partitionsFor(topic, KAFKA_CALL);
        kafkaAnswered();
        if (infos == null || infos.isEmpty()) {
            if (!Boolean.FALSE.equals(topicExists)) {
                log.info("{} does not exist yet; waiting for it (the deployment of the job writing it creates it)", topic);
            }
            topicExists = false;
            return null;
        }
        topicExists = true;
        return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
    }

    /**
     * Stores a polled batch and commits its offsets. If the database is away, the batch is read again from its
     * first offsets after the back-off, and nothing is committed.
     */
    private void handle(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> batch) {
        Map<TopicPartition, Long> first = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            first.putIfAbsent(tp, r.offset());
            next.put(tp, new OffsetAndMetadata(r.offset() + 1));
        }
        try {
            store(batch);
        } catch (RuntimeException e) {
            first.forEach((tp, offset) -> {
                if (c.assignment().contains(tp)) {
                    c.seek(tp, offset);
                }
            });
            throw new StoreFailed(e);
        }
        storeRecovered();
        c.commitSync(next, Duration.ofSeconds(10));
        kafkaAnswered();
    }

    /** Polling does not tell whether Kafka answers; asking for the end offsets does (and gives the lag). */
    private void probe(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions) {
        c.endOffsets(partitions, KAFKA_CALL);
        kafkaAnswered();
        long sum = 0;
        boolean known = false;
        for (TopicPartition tp : c.assignment()) {
            OptionalLong l = c.currentLag(tp);
            if (l.isPresent()) {
                sum += l.getAsLong();
                known = true;
            }
        }
        lag = known ? sum : null;
    }

    private void kafkaAnswered() {
        if (Boolean.FALSE.equals(kafkaReachable)) {
            log.info("{} consumer reaches Kafka again", topic);
        }
        kafkaReachable = true;
        if (storing) {
            lastFailure = null;
        }
    }

    private void kafkaFailed(KafkaException e) {
        lastFailure = Failures.rootMessage(e);
        if (!Boolean.FALSE.equals(kafkaReachable)) {
            log.warn("the {} consumer cannot reach Kafka ({}); retrying every {}", topic, lastFailure, settings.retryBackoff());
        } else {
            log.debug("{} consumer: Kafka still unreachable", topic, e);
        }
        kafkaReachable = false;
    }

    private void storeFailed(Throwable e) {
        lastFailure = Failures.rootMessage(e);
        if (storing) {
            log.warn("cannot store {} records ({}); the batch is read again every {}", topic, lastFailure, settings.retryBackoff());
        }
        storing = false;
    }

    private void storeRecovered() {
        if (!storing) {
            log.info("storing {} records again", topic);
        }
        storing = true;
    }

    private void pause(Duration d) {
        synchronized (pause) {
            if (!running) {
                return;
            }
            try {
                pause.wait(Math.max(1, d.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    /** Storing a batch failed for a reason that is not the records' (the database is away). */
    private static final class StoreFailed extends RuntimeException {
        StoreFailed(RuntimeException cause) {
            super(cause);
        }
    }
}
