package dev.qaengine.controlplane.tenancy;

import dev.qaengine.controlplane.config.Clocks;
import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.controlplane.tenancy.TenancyBodies.OrganizationCreated;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * First start: creates the default organization, its workspace and a platform-admin ADMIN key, and logs
 * them once. Runs before the web server accepts requests. With {@code QA_BOOTSTRAP_ADMIN_KEY} set, that
 * key is used (and re-added on a later start if it was deleted — the operator's way back in).
 */
@Component
public class Bootstrap implements SmartInitializingSingleton {
    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

    private final TenancyRepository repository;
    private final TenancyService tenancy;
    private final TransactionTemplate transactions;
    private final Clocks clocks;
    private final QaProperties.Bootstrap settings;

    public Bootstrap(TenancyRepository repository, TenancyService tenancy, TransactionTemplate transactions, Clocks clocks,
                     QaProperties properties) {
        this.repository = repository;
        this.tenancy = tenancy;
        this.transactions = transactions;
        this.clocks = clocks;
        this.settings = properties.bootstrap();
        String fixed = settings.adminKey();
        if (fixed != null && !fixed.isBlank() && fixed.strip().length() < ApiKeys.MIN_FIXED_KEY_LENGTH) {
            throw new IllegalStateException("QA_BOOTSTRAP_ADMIN_KEY must be at least " + ApiKeys.MIN_FIXED_KEY_LENGTH + " characters");
        }
    }

    @Override
    public void afterSingletonsInstantiated() {
        String fixed = settings.adminKey() == null || settings.adminKey().isBlank() ? null : settings.adminKey().strip();
        if (repository.bootstrapOrganizationId().isEmpty()) {
            try {
                OrganizationCreated created = transactions.execute(s -> {
                    OrganizationCreated c = tenancy.createOrganization(settings.orgId(), "default", fixed, true);
                    repository.insertBootstrapMarker(c.organization().id(), clocks.now());
                    return c;
                });
                announce(created, fixed != null);
                return;
            } catch (DataIntegrityViolationException e) {
                log.info("another instance created the default organization at the same time");
            }
        }
        if (fixed != null && !repository.keyHashExists(ApiKeys.hash(fixed))) {
            String orgId = repository.bootstrapOrganizationId().orElseThrow();
            TenancyModel.Workspace ws = repository.firstWorkspace(orgId).orElseThrow();
            transactions.executeWithoutResult(s -> tenancy.newKey(ws.id(), "bootstrap", Role.ADMIN, true, fixed));
            log.warn("QA_BOOTSTRAP_ADMIN_KEY was not a key of this control plane: added it as a platform-admin ADMIN key "
                    + "of organization {} workspace {}", orgId, ws.id());
        }
    }

    private static void announce(OrganizationCreated c, boolean fixedKey) {
        String key = fixedKey ? "(the key from QA_BOOTSTRAP_ADMIN_KEY, " + c.adminKey().apiKey().prefix() + "…)" : c.adminKey().key();
        log.info("""

                ================================================================================
                 qa control plane — first start: created the default organization
                   organization id : {}
                   workspace id    : {}
                   admin API key   : {}
                 The key is shown only this once (only its hash is stored). Use it as
                   Authorization: Bearer <key>
                 It may also create organizations (platform admin).
                ================================================================================""",
                c.organization().id(), c.workspace().id(), key);
    }
}
