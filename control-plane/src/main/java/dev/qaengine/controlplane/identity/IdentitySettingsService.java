package dev.qaengine.controlplane.identity;

import dev.qaengine.controlplane.config.Clocks;
import dev.qaengine.controlplane.identity.IdentityBodies.Settings;
import dev.qaengine.controlplane.identity.IdentityBodies.SettingsUpdate;
import dev.qaengine.controlplane.outbox.Outbox;
import dev.qaengine.controlplane.tenancy.OrganizationData;
import dev.qaengine.controlplane.tenancy.TenancyRepository;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.ProblemCode;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.IdType;
import dev.qaengine.model.IdentitySettings;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The organization's identity settings (SEMANTICS.md § Identity): which ID types a person holds at most one
 * of, and how many identifiers a person may hold. Each change publishes IDENTITY_SETTINGS to qa.control
 * through the outbox; an organization that never set them has no record and gets
 * {@link IdentitySettings#defaults} here and in the jobs.
 */
@Service
public class IdentitySettingsService implements OrganizationData {
    private final IdentitySettingsRepository repository;
    private final TenancyRepository tenancy;
    private final Outbox outbox;
    private final Clocks clocks;

    public IdentitySettingsService(IdentitySettingsRepository repository, TenancyRepository tenancy, Outbox outbox, Clocks clocks) {
        this.repository = repository;
        this.tenancy = tenancy;
        this.outbox = outbox;
        this.clocks = clocks;
    }

    @Transactional(readOnly = true)
    public Settings get(String orgId) {
        return repository.find(orgId).orElseGet(() -> {
            IdentitySettings d = IdentitySettings.defaults(orgId);
            return new Settings(d.uniqueIdTypes(), d.maxIdentifiersPerPerson(), true, null);
        });
    }

    /**
     * Replaces the settings. A lower cap or a new unique type applies to links made from now on: the
     * identity job never splits a person it already built (SEMANTICS.md: a link breaking a cap is refused,
     * never silently applied — and existing persons are not re-judged).
     */
    @Transactional
    public Settings update(String orgId, SettingsUpdate body) {
        if (!tenancy.lockOrganization(orgId)) {
            throw ApiException.notFound("organization", orgId);
        }
        Map<IdType, Integer> seen = new HashMap<>();
        for (int i = 0; i < body.uniqueIdTypes().size(); i++) {
            Integer first = seen.putIfAbsent(body.uniqueIdTypes().get(i), i);
            if (first != null) {
                throw ApiException.field(ProblemCode.VALIDATION, "uniqueIdTypes[" + i + "]",
                        body.uniqueIdTypes().get(i) + " is listed twice (also at uniqueIdTypes[" + first + "])");
            }
        }
        List<IdType> types = List.copyOf(body.uniqueIdTypes());
        OffsetDateTime now = clocks.now();
        repository.save(orgId, types, body.maxIdentifiersPerPerson(), now);
        outbox.publish(ControlKind.IDENTITY_SETTINGS, orgId, new IdentitySettings(orgId, types, body.maxIdentifiersPerPerson()));
        return new Settings(types, body.maxIdentifiersPerPerson(), false, now);
    }

    @Override
    public void deleteOrganizationData(String orgId) {
        if (repository.delete(orgId) > 0) {
            outbox.publish(ControlKind.IDENTITY_SETTINGS, orgId, null);
        }
    }
}
