package dev.qaengine.controlplane.identity;

import dev.qaengine.controlplane.config.KafkaConnection;
import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.controlplane.identity.IdentityAuditRecords.Result;
import dev.qaengine.controlplane.identity.IdentityAuditRecords.Row;
import dev.qaengine.controlplane.identity.IdentityAuditRecords.Skip;
import dev.qaengine.model.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Consumes {@code qa.identity.audit} (the identity job's refused links, key = org) into the
 * {@code identity_audit} table, on one thread per instance, as consumer group
 * {@code qa-control-plane-identity-audit}: instances share the partitions, a restart resumes at the committed
 * offsets.
 *
 * <p><b>At least once, stored once.</b> Offsets are committed after the batch is stored; a crash in
 * between, a rebalance or the identity job writing a record twice delivers it again, and the row's content
 * hash (unique) keeps it from being stored twice. Records are read committed (the job writes transactionally).
 *
 * <p><b>Never stops on input.</b> A record that is not an identity audit record v1 or names no organization
 * is logged (partition, offset and why — never its content, which holds identifier values), counted in
 * {@code qa.identity.audit.skipped{reason}} and passed over.
 *
 * <p><b>Never stops on outages.</b> The service starts without Kafka; a missing topic is waited for (the
 * consumer does not create it: deployments choose its partitions); a broker that goes away or a database
 * that refuses a batch are retried every {@code retry-backoff}, forever, the batch read again from its first
 * offset. {@code /actuator/health} component {@code identityAudit} says what is happening.
 */
@Component
public class IdentityAuditConsumer implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(IdentityAuditConsumer.class);
    private static final String TOPIC = Topics.IDENTITY_AUDIT;
    private static final Duration KAFKA_CALL = Duration.ofSeconds(5);

    private final KafkaConnection connection;
    private final IdentityAuditService audit;
    private final IdentityAuditRecords records;
    private final QaProperties.IdentityAudit settings;
    private final Counter storedCounter;
    private final Counter duplicateCounter;
    private final Map<Skip, Counter> skippedCounters = new EnumMap<>(Skip.class);
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

    public IdentityAuditConsumer(KafkaConnection connection, IdentityAuditService audit, JsonMapper json, QaProperties properties,
                                 MeterRegistry meters) {
        this.connection = connection;
        this.audit = audit;
        this.records = new IdentityAuditRecords(json);
        this.settings = properties.identityAudit();
        this.storedCounter = Counter.builder("qa.identity.audit.stored").description("refused identity links stored from qa.identity.audit")
                .register(meters);
        this.duplicateCounter = Counter.builder("qa.identity.audit.duplicates")
                .description("qa.identity.audit records already stored (a replay), not stored again").register(meters);
        for (Skip s : Skip.values()) {
            skippedCounters.put(s, Counter.builder("qa.identity.audit.skipped").tag("reason", s.tag())
                    .description("qa.identity.audit records that were not stored, by reason").register(meters));
        }
    }

    @Override
    public void start() {
        if (!settings.consumerEnabled() || running) {
            return;
        }
        running = true;
        Thread t = new Thread(this::run, "qa-identity-audit-consumer");
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

    /** Null until the first attempt to reach Kafka. */
    public Boolean kafkaReachable() {
        return kafkaReachable;
    }

    /** Null until Kafka has answered whether the topic exists. */
    public Boolean topicExists() {
        return topicExists;
    }

    /** Whether the last batch could be stored (false while the database refuses batches). */
    public boolean storing() {
        return storing;
    }

    public String lastFailure() {
        return lastFailure;
    }

    /** Records of the assigned partitions not yet read, at the last probe; null when unknown. */
    public Long lag() {
        return lag;
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
            log.error("the {} consumer stopped; refused identity links are not stored until the service restarts", TOPIC, e);
            lastFailure = rootMessage(e);
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
        // The identity job writes its outputs in Kafka transactions: an aborted attempt is not a refusal.
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
                    c.subscribe(List.of(TOPIC));
                    log.info("consuming {} as group {}", TOPIC, settings.groupId());
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
                lastFailure = rootMessage(e);
                log.error("the {} consumer failed unexpectedly; retrying in {}", TOPIC, settings.retryBackoff(), e);
                pause(settings.retryBackoff());
            }
        }
    }

    /** The topic's partitions, or null while it does not exist; throws while Kafka does not answer. */
    private List<TopicPartition> awaitTopic(KafkaConsumer<byte[], byte[]> c) {
        List<PartitionInfo> infos = c.partitionsFor(TOPIC, KAFKA_CALL);
        kafkaAnswered();
        if (infos == null || infos.isEmpty()) {
            if (!Boolean.FALSE.equals(topicExists)) {
                log.info("{} does not exist yet; waiting for it (the identity job's deployment creates it)", TOPIC);
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
        List<Row> rows = new ArrayList<>(batch.count());
        Map<TopicPartition, Long> first = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        List<Map.Entry<ConsumerRecord<byte[], byte[]>, Result>> bad = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            first.putIfAbsent(tp, r.offset());
            next.put(tp, new OffsetAndMetadata(r.offset() + 1));
            Result result = records.parse(r.value());
            if (result.row() != null) {
                rows.add(result.row());
            } else {
                bad.add(Map.entry(r, result));
            }
        }
        IdentityAuditService.Stored stored;
        try {
            stored = rows.isEmpty() ? new IdentityAuditService.Stored(0, 0, List.of()) : audit.store(rows);
        } catch (RuntimeException e) {
            // The database is away (no connection, no transaction): read the batch again next time.
            first.forEach((tp, offset) -> {
                if (c.assignment().contains(tp)) {
                    c.seek(tp, offset);
                }
            });
            throw new StoreFailed(e);
        }
        // Logged and counted once the batch is through (not again each time a database outage makes it be read again).
        for (Map.Entry<ConsumerRecord<byte[], byte[]>, Result> b : bad) {
            log.warn("skipped the {} record at partition {} offset {}: {} ({})", TOPIC, b.getKey().partition(), b.getKey().offset(),
                    b.getValue().skip().tag(), b.getValue().problem());
            skippedCounters.get(b.getValue().skip()).increment();
        }
        for (Row refused : stored.refused()) {
            // The database refused the row for its content; a retry would be refused again.
            log.warn("skipped a {} record of organization {}: the database refused it", TOPIC, refused.orgId());
            skippedCounters.get(Skip.UNSTORABLE).increment();
        }
        storedCounter.increment(stored.added());
        duplicateCounter.increment(stored.duplicates());
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
            log.info("{} consumer reaches Kafka again", TOPIC);
        }
        kafkaReachable = true;
        if (storing) {
            lastFailure = null;
        }
    }

    private void kafkaFailed(KafkaException e) {
        lastFailure = rootMessage(e);
        if (!Boolean.FALSE.equals(kafkaReachable)) {
            log.warn("the {} consumer cannot reach Kafka ({}); retrying every {}", TOPIC, lastFailure, settings.retryBackoff());
        } else {
            log.debug("{} consumer: Kafka still unreachable", TOPIC, e);
        }
        kafkaReachable = false;
    }

    private void storeFailed(Throwable e) {
        lastFailure = rootMessage(e);
        if (storing) {
            log.warn("cannot store {} records ({}); the batch is read again every {}", TOPIC, lastFailure, settings.retryBackoff());
        }
        storing = false;
    }

    private void storeRecovered() {
        if (!storing) {
            log.info("storing {} records again", TOPIC);
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

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
