package dev.qaengine.controlplane.tenancy;

import dev.qaengine.controlplane.config.Clocks;
import dev.qaengine.controlplane.event.EventCatalogService;
import dev.qaengine.controlplane.tenancy.TenancyBodies.CreatedKey;
import dev.qaengine.controlplane.tenancy.TenancyBodies.Me;
import dev.qaengine.controlplane.tenancy.TenancyBodies.OrganizationCreated;
import dev.qaengine.controlplane.tenancy.TenancyBodies.WorkspaceCreated;
import dev.qaengine.controlplane.tenancy.TenancyModel.ApiKey;
import dev.qaengine.controlplane.tenancy.TenancyModel.Organization;
import dev.qaengine.controlplane.tenancy.TenancyModel.Workspace;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.Page;
import dev.qaengine.controlplane.web.PageRequest;
import dev.qaengine.controlplane.web.ProblemCode;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Organizations, workspaces and API keys. */
@Service
public class TenancyService {
    static final String DEFAULT_WORKSPACE = "default";

    private final TenancyRepository repository;
    private final EventCatalogService catalogs;
    private final List<OrganizationData> organizationData;
    private final Clocks clocks;

    public TenancyService(TenancyRepository repository, EventCatalogService catalogs, List<OrganizationData> organizationData,
                          Clocks clocks) {
        this.repository = repository;
        this.catalogs = catalogs;
        this.organizationData = organizationData;
        this.clocks = clocks;
    }

    @Transactional(readOnly = true)
    public Me me(Caller caller) {
        Organization org = repository.findOrganization(caller.orgId()).orElseThrow();
        Workspace ws = repository.findWorkspace(caller.orgId(), caller.workspaceId()).orElseThrow();
        return new Me(org.id(), org.name(), ws.id(), ws.name(), caller.keyId(), caller.keyPrefix(), caller.role(), caller.platformAdmin());
    }

    // --- organizations (platform admin)

    /**
     * Creates an organization with a default workspace and an ADMIN key, and publishes its (empty) event
     * catalog, so the jobs know the organization from its first event (UNKNOWN_EVENT rather than UNKNOWN_ORG).
     *
     * @param plainKey the admin key to store (a generated one when null)
     */
    @Transactional
    public OrganizationCreated createOrganization(String id, String name, String plainKey, boolean platformAdmin) {
        String orgId = id == null || id.isBlank() ? UUID.randomUUID().toString() : id;
        if (repository.findOrganization(orgId).isPresent()) {
            throw ApiException.field(ProblemCode.DUPLICATE, "id", "an organization with id '" + orgId + "' already exists");
        }
        OffsetDateTime now = clocks.now();
        Organization org = new Organization(orgId, name.strip(), now);
        repository.insertOrganization(org);
        Workspace ws = new Workspace(UUID.randomUUID().toString(), orgId, DEFAULT_WORKSPACE, now);
        repository.insertWorkspace(ws);
        CreatedKey key = newKey(ws.id(), "admin", Role.ADMIN, platformAdmin, plainKey);
        catalogs.publishCatalog(orgId);
        return new OrganizationCreated(org, ws, key);
    }

    @Transactional(readOnly = true)
    public Page<Organization> listOrganizations(PageRequest page) {
        return new Page<>(repository.listOrganizations(page), page.page(), page.size(), repository.countOrganizations());
    }

    @Transactional(readOnly = true)
    public Organization getOrganization(String id) {
        return repository.findOrganization(id).orElseThrow(() -> ApiException.notFound("organization", id));
    }

    /** Deletes an organization with everything in it, and publishes the tombstones of its control records. */
    @Transactional
    public void deleteOrganization(Caller caller, String id) {
        if (!repository.lockOrganization(id)) {
            throw ApiException.notFound("organization", id);
        }
        if (id.equals(caller.orgId())) {
            throw new ApiException(ProblemCode.CONFLICT, "a key cannot delete its own organization");
        }
        organizationData.forEach(d -> d.deleteOrganizationData(id));
        catalogs.deleteCatalog(id);
        repository.deleteOrganizationTenancy(id);
    }

    // --- workspaces (within the caller's organization)

    @Transactional(readOnly = true)
    public Page<Workspace> listWorkspaces(Caller caller, PageRequest page) {
        return new Page<>(repository.listWorkspaces(caller.orgId(), page), page.page(), page.size(),
                repository.countWorkspaces(caller.orgId()));
    }

    @Transactional(readOnly = true)
    public Workspace getWorkspace(Caller caller, String id) {
        return repository.findWorkspace(caller.orgId(), id).orElseThrow(() -> ApiException.notFound("workspace", id));
    }

    /** A workspace starts with one ADMIN key, shown once: keys are managed from inside their workspace. */
    @Transactional
    public WorkspaceCreated createWorkspace(Caller caller, String name) {
        String n = name.strip();
        if (repository.workspaceNameTaken(caller.orgId(), n)) {
            throw ApiException.field(ProblemCode.DUPLICATE, "name", "a workspace named '" + n + "' already exists");
        }
        Workspace ws = new Workspace(UUID.randomUUID().toString(), caller.orgId(), n, clocks.now());
        repository.insertWorkspace(ws);
        return new WorkspaceCreated(ws, newKey(ws.id(), "admin", Role.ADMIN, false, null));
    }

    // --- API keys (within the caller's workspace)

    @Transactional(readOnly = true)
    public Page<ApiKey> listApiKeys(Caller caller, PageRequest page) {
        return new Page<>(repository.listApiKeys(caller.workspaceId(), page), page.page(), page.size(),
                repository.countApiKeys(caller.workspaceId()));
    }

    @Transactional(readOnly = true)
    public ApiKey getApiKey(Caller caller, String id) {
        return repository.findApiKey(caller.workspaceId(), id).orElseThrow(() -> ApiException.notFound("API key", id));
    }

    /** New keys are never platform-admin: that flag belongs to the bootstrap key alone. */
    @Transactional
    public CreatedKey createApiKey(Caller caller, String name, Role role) {
        return newKey(caller.workspaceId(), name.strip(), role, false, null);
    }

    @Transactional
    public void deleteApiKey(Caller caller, String id) {
        if (id.equals(caller.keyId())) {
            throw new ApiException(ProblemCode.CONFLICT, "a key cannot delete itself; delete it with another ADMIN key");
        }
        if (repository.deleteApiKey(caller.workspaceId(), id) == 0) {
            throw ApiException.notFound("API key", id);
        }
    }

    CreatedKey newKey(String workspaceId, String name, Role role, boolean platformAdmin, String plainKey) {
        String key = plainKey == null ? ApiKeys.generate() : plainKey;
        ApiKey k = new ApiKey(UUID.randomUUID().toString(), workspaceId, name, role, platformAdmin, ApiKeys.visiblePrefix(key), clocks.now());
        repository.insertApiKey(k, ApiKeys.hash(key));
        return new CreatedKey(k, key);
    }
}
