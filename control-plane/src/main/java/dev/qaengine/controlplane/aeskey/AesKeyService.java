package dev.qaengine.controlplane.aeskey;

import dev.qaengine.controlplane.aeskey.AesKeyBodies.AesKeyState;
import dev.qaengine.controlplane.config.Clocks;
import dev.qaengine.controlplane.outbox.Outbox;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.tenancy.OrganizationData;
import dev.qaengine.controlplane.tenancy.TenancyRepository;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.ProblemCode;
import dev.qaengine.model.AesIdCodec;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.OrgKeys;
import dev.qaengine.model.SecretBox;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;

/**
 * The organization's AES key for encrypted audience IDs (CONTRACTS.md §6): exactly 16 hex characters, set
 * once — audiences encrypted with it would become unreadable if it changed — and never shown again. It is
 * stored sealed with the platform key and published to qa.control (ORG_KEYS) sealed the same way: the jobs
 * that decrypt audience IDs open it with the same QA_SECRET_KEY.
 */
@Service
public class AesKeyService implements OrganizationData {
    private final AesKeyRepository repository;
    private final TenancyRepository tenancy;
    private final Outbox outbox;
    private final SecretBox secrets;
    private final Clocks clocks;

    public AesKeyService(AesKeyRepository repository, TenancyRepository tenancy, Outbox outbox, SecretBox secrets, Clocks clocks) {
        this.repository = repository;
        this.tenancy = tenancy;
        this.outbox = outbox;
        this.secrets = secrets;
        this.clocks = clocks;
    }

    @Transactional(readOnly = true)
    public AesKeyState get(String orgId) {
        return repository.find(orgId).orElse(new AesKeyState(false, null, null));
    }

    @Transactional
    public AesKeyState set(Caller caller, String key) {
        if (!AesIdCodec.validKey(key)) {
            // The message never repeats the value: it may be a real key with a typo.
            throw ApiException.field(ProblemCode.VALIDATION, "key", "must be exactly 16 hex characters (0-9, a-f, A-F)");
        }
        if (!tenancy.lockOrganization(caller.orgId())) {
            throw ApiException.notFound("organization", caller.orgId());
        }
        if (repository.find(caller.orgId()).isPresent()) {
            throw ApiException.field(ProblemCode.ALREADY_SET, "key", "the organization's AES key is already set and cannot change "
                    + "(IDs encrypted with it would become unreadable)");
        }
        String sealed = secrets.seal(key);
        OffsetDateTime now = clocks.now();
        repository.insert(caller.orgId(), sealed, now, caller.keyId());
        outbox.publish(ControlKind.ORG_KEYS, caller.orgId(), new OrgKeys(caller.orgId(), sealed));
        return new AesKeyState(true, now, caller.keyId());
    }

    @Override
    public void deleteOrganizationData(String orgId) {
        if (repository.delete(orgId) > 0) {
            outbox.publish(ControlKind.ORG_KEYS, orgId, null);
        }
    }
}
