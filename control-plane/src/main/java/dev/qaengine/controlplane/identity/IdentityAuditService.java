package dev.qaengine.controlplane.identity;

import dev.qaengine.controlplane.config.Clocks;
import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.controlplane.identity.IdentityAuditRepository.Filter;
import dev.qaengine.controlplane.identity.IdentityBodies.AuditEntry;
import dev.qaengine.controlplane.tenancy.OrganizationData;
import dev.qaengine.controlplane.web.Page;
import dev.qaengine.controlplane.web.PageRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The audit of refused identity links (SEMANTICS.md § Identity: a link that would break a cap is refused and
 * reported, never silently applied): stored from {@code qa.identity.audit} by {@link IdentityAuditConsumer},
 * listed per organization, deleted after {@code QA_IDENTITY_AUDIT_RETENTION}.
 */
@Service
public class IdentityAuditService implements OrganizationData {
    private static final Logger log = LoggerFactory.getLogger(IdentityAuditService.class);

    private final IdentityAuditRepository repository;
    private final TransactionTemplate transactions;
    private final Clocks clocks;
    private final Duration retention;

    public IdentityAuditService(IdentityAuditRepository repository, TransactionTemplate transactions, Clocks clocks, QaProperties properties) {
        this.repository = repository;
        this.transactions = transactions;
        this.clocks = clocks;
        this.retention = properties.identityAudit().retention();
    }

    @Transactional(readOnly = true)
    public Page<AuditEntry> list(String orgId, Filter filter, PageRequest page) {
        return new Page<>(repository.list(orgId, filter, page), page.page(), page.size(), repository.count(orgId, filter));
    }

    /** How a batch went: rows added, rows already stored (a replay), rows the database refused for their content. */
    public record Stored(int added, int duplicates, List<IdentityAuditRecords.Row> refused) {
    }

    /**
     * Stores a batch in one transaction. If the database refuses it for what a row holds, each row is stored
     * on its own and the refused ones are answered (so that one odd record never blocks the topic); if the
     * database is away (or refuses the statement itself), the exception goes to the caller, which retries the batch.
     */
    public Stored store(List<IdentityAuditRecords.Row> rows) {
        OffsetDateTime now = clocks.now();
        try {
            int[] added = new int[1];
            transactions.executeWithoutResult(s -> rows.forEach(r -> {
                if (repository.insert(r, now)) {
                    added[0]++;
                }
            }));
            return new Stored(added[0], rows.size() - added[0], List.of());
        } catch (DataAccessException e) {
            if (!isAboutContent(e)) {
                throw e;
            }
        }
        int added = 0;
        List<IdentityAuditRecords.Row> refused = new java.util.ArrayList<>();
        for (IdentityAuditRecords.Row r : rows) {
            try {
                Boolean inserted = transactions.execute(s -> repository.insert(r, now));
                if (Boolean.TRUE.equals(inserted)) {
                    added++;
                }
            } catch (DataAccessException e) {
                if (!isAboutContent(e)) {
                    throw e;
                }
                refused.add(r);
            }
        }
        return new Stored(added, rows.size() - added - refused.size(), refused);
    }

    /**
     * A refusal the same row would get again (a value too long, a constraint). Anything else — the database
     * away, a broken statement — is not the row's fault: the batch is retried rather than its rows dropped.
     */
    private static boolean isAboutContent(DataAccessException e) {
        return e instanceof DataIntegrityViolationException;
    }

    /** Deletes records older than the retention period; every instance runs it (deleting twice is harmless). */
    @Scheduled(fixedDelayString = "${qa.identity-audit.purge-interval:1h}", initialDelayString = "PT1M")
    public void purge() {
        long cutoff = clocks.clock().millis() - retention.toMillis();
        int n = transactions.execute(s -> repository.purgeBefore(cutoff));
        if (n > 0) {
            log.info("deleted {} identity audit records older than {}", n, retention);
        }
    }

    @Override
    public void deleteOrganizationData(String orgId) {
        repository.deleteOrganization(orgId);
    }
}
