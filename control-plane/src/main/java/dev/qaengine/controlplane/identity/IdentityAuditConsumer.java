package dev.qaengine.controlplane.identity;

import dev.qaengine.controlplane.config.KafkaConnection;
import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.controlplane.consumer.TopicConsumer;
import dev.qaengine.controlplane.identity.IdentityAuditRecords.Row;
import dev.qaengine.controlplane.identity.IdentityAuditRecords.Skip;
import dev.qaengine.model.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
public class IdentityAuditConsumer extends TopicConsumer {
    private static final Logger log = LoggerFactory.getLogger(IdentityAuditConsumer.class);
    private static final String TOPIC = Topics.IDENTITY_AUDIT;

    private final IdentityAuditService audit;
    private final IdentityAuditRecords records;
    private final Counter storedCounter;
    private final Counter duplicateCounter;
    private final Map<String, Counter> skippedCounters = new HashMap<>();

    public IdentityAuditConsumer(KafkaConnection connection, IdentityAuditService audit, JsonMapper json, QaProperties properties,
                                 MeterRegistry meters) {
        super(connection, TOPIC, "qa-identity-audit-consumer", properties.identityAudit());
        this.audit = audit;
        this.records = new IdentityAuditRecords(json);
        this.storedCounter = Counter.builder("qa.identity.audit.stored").description("refused identity links stored from qa.identity.audit")
                .register(meters);
        this.duplicateCounter = Counter.builder("qa.identity.audit.duplicates")
                .description("qa.identity.audit records already stored (a replay), not stored again").register(meters);
        for (Skip s : Skip.values()) {
            skippedCounters.put(s.tag(), Counter.builder("qa.identity.audit.skipped").tag("reason", s.tag())
                    .description("qa.identity.audit records that were not stored, by reason").register(meters));
        }
    }

    @Override
    protected void store(ConsumerRecords<byte[], byte[]> batch) {
        List<Skipped> bad = new ArrayList<>();
        List<Row> rows = read(batch, records::parse, bad);
        IdentityAuditService.Stored stored = rows.isEmpty() ? new IdentityAuditService.Stored(0, 0, List.of()) : audit.store(rows);
        passOver(bad, skippedCounters);
        for (Row refused : stored.refused()) {
            // The database refused the row for its content; a retry would be refused again.
            log.warn("skipped a {} record of organization {}: the database refused it", TOPIC, refused.orgId());
            skippedCounters.get(Skip.UNSTORABLE.tag()).increment();
        }
        storedCounter.increment(stored.added());
        duplicateCounter.increment(stored.duplicates());
    }
}
