package dev.qaengine.controlplane.outbox;

import dev.qaengine.controlplane.config.Clocks;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.ControlRecord;
import dev.qaengine.model.Topics;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

import java.util.Optional;

/**
 * Records a change the engine must learn about, in the caller's transaction: the row commits or rolls
 * back with the change itself, and {@link OutboxPublisher} sends it to Kafka afterwards.
 */
@Component
public class Outbox {
    private final OutboxRepository repository;
    private final OutboxSignal signal;
    private final JsonMapper json;
    private final Clocks clocks;

    public Outbox(OutboxRepository repository, OutboxSignal signal, JsonMapper json, Clocks clocks) {
        this.repository = repository;
        this.signal = signal;
        this.json = json;
        this.clocks = clocks;
    }

    /**
     * Publishes {@code payload} as the new state of {@code kind:subject} on {@code qa.control}, or a
     * tombstone when it is null. Returns the version given to it.
     *
     * <p>Versions only grow per subject: the next one is the larger of (last + 1) and the wall clock in
     * epoch ms. The clock part keeps new versions above those already on the compacted topic even if
     * the database was reset (an H2 file deleted, a restore), where a plain counter would restart at 1
     * and every job would ignore the control plane as "older".
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public long publish(ControlKind kind, String subject, Object payload) {
        String key = ControlRecord.key(kind, subject);
        Optional<Long> last = repository.lockVersion(key);
        long version = Math.max(last.map(v -> v + 1).orElse(1L), clocks.clock().millis());
        repository.saveVersion(key, version, last.isPresent());
        String value = payload == null ? null
                : json.writeValueAsString(new ControlRecord(ControlRecord.VERSION, kind, subject, version, payload));
        repository.insert(Topics.CONTROL, key, version, value, clocks.now());
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                signal.wakeUp();
            }
        });
        return version;
    }
}
