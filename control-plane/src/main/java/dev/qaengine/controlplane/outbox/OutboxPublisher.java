package dev.qaengine.controlplane.outbox;

import dev.qaengine.controlplane.config.Failures;
import dev.qaengine.controlplane.config.Clocks;
import dev.qaengine.controlplane.config.QaProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends committed outbox rows to Kafka, in id order, and marks them sent once the broker acknowledged
 * them (acks=all, idempotent producer). Runs on one thread per instance; woken after each commit that
 * wrote a row, and polling otherwise.
 *
 * <p><b>Several instances.</b> A round runs inside a database transaction that first takes the
 * one-row {@code outbox_publisher} lock with {@code FOR UPDATE SKIP LOCKED}: the instance that gets it
 * publishes, the others skip that round. A single publisher per round, rather than rows claimed with
 * SKIP LOCKED by several publishers, is what keeps the order per entity: two instances each sending some
 * rows of one catalog could interleave versions, and the compacted topic would keep whichever came last.
 * If an instance dies mid-round its transaction rolls back, the lock is released and the rows stay
 * pending; at worst they are sent twice, which consumers ignore (same version).
 *
 * <p><b>Kafka down.</b> Nothing is marked sent, the round ends after the producer's short timeouts, and
 * the next round (after {@code retry-backoff}) tries again, forever. Within an entity, a row after a
 * failed one is not marked sent even if it was acknowledged, so the entity's rows go out again in order.
 */
@Component
public class OutboxPublisher implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(OutboxPublisher.class);
    private static final Duration PURGE_EVERY = Duration.ofMinutes(10);

    private final OutboxRepository repository;
    private final TransactionTemplate transactions;
    private final KafkaTemplate<byte[], byte[]> kafka;
    private final ControlTopic controlTopic;
    private final OutboxSignal signal;
    private final Clocks clocks;
    private final QaProperties.Outbox settings;
    private final Counter sentCounter;
    private final Counter failedRounds;

    private volatile boolean running;
    private volatile Thread thread;
    private boolean topicReady;
    private volatile boolean kafkaDown;
    private volatile boolean attempted;
    private volatile String lastFailure;
    private long lastPurge;

    public OutboxPublisher(OutboxRepository repository, TransactionTemplate transactions, KafkaTemplate<byte[], byte[]> kafka,
                           ControlTopic controlTopic, OutboxSignal signal, Clocks clocks, QaProperties properties,
                           MeterRegistry meters) {
        this.repository = repository;
        this.transactions = transactions;
        this.kafka = kafka;
        this.controlTopic = controlTopic;
        this.signal = signal;
        this.clocks = clocks;
        this.settings = properties.outbox();
        this.sentCounter = Counter.builder("qa.outbox.sent").description("outbox rows acknowledged by Kafka").register(meters);
        this.failedRounds = Counter.builder("qa.outbox.failed.rounds").description("publish rounds that failed (Kafka down)").register(meters);
        Gauge.builder("qa.outbox.pending", repository, OutboxRepository::countPending)
                .description("outbox rows not yet acknowledged by Kafka").register(meters);
    }

    @Override
    public void start() {
        if (!settings.publisherEnabled() || running) {
            return;
        }
        running = true;
        Thread t = new Thread(this::run, "qa-outbox-publisher");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stop before the Kafka producer and the datasource go away, start after them. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }

    private void run() {
        while (running) {
            try {
                if (!topicReady) {
                    controlTopic.ensure();
                    topicReady = true;
                }
                int sent = publishRound();
                attempted = true;
                recovered();
                maybePurge();
                if (sent < settings.batchSize()) {
                    signal.await(settings.pollInterval());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                failed(e);
                try {
                    signal.await(settings.retryBackoff());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * One round: under the publishers' lock, sends up to a batch of pending rows, waits for every
     * acknowledgement and marks the acknowledged rows sent. Returns the number of rows marked sent;
     * throws when some rows could not be sent (Kafka down).
     */
    int publishRound() throws RoundFailed {
        RoundResult r = transactions.execute(status -> {
            if (!repository.tryLockPublisher()) {
                return new RoundResult(0, null);
            }
            List<OutboxRow> rows = repository.pending(settings.batchSize());
            if (rows.isEmpty()) {
                return new RoundResult(0, null);
            }
            Sent sent = send(rows);
            repository.markSent(sent.ids(), clocks.now());
            return new RoundResult(sent.ids().size(), sent.failure());
        });
        if (r == null) {
            return 0;
        }
        sentCounter.increment(r.sent());
        if (r.failure() != null) {
            throw new RoundFailed(r.sent(), r.failure());
        }
        return r.sent();
    }

    private Sent send(List<OutboxRow> rows) {
        List<CompletableFuture<?>> futures = new ArrayList<>(rows.size());
        Exception failure = null;
        for (OutboxRow row : rows) {
            try {
                futures.add(kafka.send(record(row)));
            } catch (Exception e) {
                // Usually metadata unavailable after max.block.ms: every further send would block as long.
                failure = e;
                break;
            }
        }
        List<Long> ok = new ArrayList<>(futures.size());
        Set<String> brokenEntities = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            OutboxRow row = rows.get(i);
            boolean acked = false;
            if (i < futures.size()) {
                try {
                    // delivery.timeout.ms bounds each future; the extra wait is only a guard.
                    futures.get(i).get(60, TimeUnit.SECONDS);
                    acked = true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = e;
                } catch (Exception e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
            if (acked && !brokenEntities.contains(row.entityKey())) {
                ok.add(row.id());
            } else {
                brokenEntities.add(row.entityKey());
            }
        }
        return new Sent(ok, failure);
    }

    private static ProducerRecord<byte[], byte[]> record(OutboxRow row) {
        return new ProducerRecord<>(row.topic(), row.entityKey().getBytes(StandardCharsets.UTF_8),
                row.payload() == null ? null : row.payload().getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the last attempt to reach Kafka failed, and why (for the health endpoint). */
    public boolean kafkaDown() {
        return kafkaDown;
    }

    /** Whether this instance has tried to reach Kafka yet. */
    public boolean attempted() {
        return attempted;
    }

    public String lastFailure() {
        return lastFailure;
    }

    public boolean enabled() {
        return settings.publisherEnabled();
    }

    private void failed(Exception e) {
        attempted = true;
        failedRounds.increment();
        lastFailure = Failures.rootMessage(e);
        if (!kafkaDown) {
            kafkaDown = true;
            log.warn("cannot publish the outbox to Kafka ({}); changes stay in the outbox and are retried every {}",
                    Failures.rootMessage(e), settings.retryBackoff());
        } else {
            log.debug("outbox publish round failed again", e);
        }
    }

    private void recovered() {
        if (kafkaDown) {
            kafkaDown = false;
            log.info("outbox publishing to Kafka again");
        }
    }

    private void maybePurge() {
        long now = clocks.clock().millis();
        if (now - lastPurge < PURGE_EVERY.toMillis()) {
            return;
        }
        lastPurge = now;
        int purged = repository.purgeSentBefore(clocks.now().minus(settings.retention()));
        if (purged > 0) {
            log.info("deleted {} outbox rows sent more than {} ago", purged, settings.retention());
        }
    }

    private record Sent(List<Long> ids, Exception failure) {
    }

    private record RoundResult(int sent, Exception failure) {
    }

    /** Some rows of a round were not acknowledged; those acknowledged before the failure are marked sent. */
    static final class RoundFailed extends Exception {
        RoundFailed(int sent, Exception cause) {
            super(sent + " rows sent before the failure", cause);
        }
    }
}
