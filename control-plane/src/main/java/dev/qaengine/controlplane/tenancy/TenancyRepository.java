package dev.qaengine.controlplane.tenancy;

import dev.qaengine.controlplane.tenancy.TenancyModel.ApiKey;
import dev.qaengine.controlplane.tenancy.TenancyModel.Organization;
import dev.qaengine.controlplane.tenancy.TenancyModel.Workspace;
import dev.qaengine.controlplane.web.PageRequest;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** Organizations, workspaces and API keys. Every query that serves a request is scoped by an id from the caller's key. */
@Repository
public class TenancyRepository {
    private static final RowMapper<Organization> ORG = (rs, i) ->
            new Organization(rs.getString("id"), rs.getString("name"), rs.getObject("created_at", OffsetDateTime.class));
    private static final RowMapper<Workspace> WORKSPACE = (rs, i) ->
            new Workspace(rs.getString("id"), rs.getString("organization_id"), rs.getString("name"),
                    rs.getObject("created_at", OffsetDateTime.class));
    private static final RowMapper<ApiKey> KEY = (rs, i) ->
            new ApiKey(rs.getString("id"), rs.getString("workspace_id"), rs.getString("name"), Role.valueOf(rs.getString("role")),
                    rs.getBoolean("platform_admin"), rs.getString("prefix"), rs.getObject("created_at", OffsetDateTime.class));

    private final JdbcClient jdbc;

    public TenancyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Caller> findCallerByKeyHash(String hash) {
        return jdbc.sql("""
                        select k.id, k.prefix, k.role, k.platform_admin, w.id as workspace_id, w.organization_id
                        from api_key k join workspace w on w.id = k.workspace_id
                        where k.key_hash = ?""")
                .param(hash)
                .query((rs, i) -> new Caller(rs.getString("id"), rs.getString("prefix"), Role.valueOf(rs.getString("role")),
                        rs.getBoolean("platform_admin"), rs.getString("workspace_id"), rs.getString("organization_id")))
                .optional();
    }

    public boolean keyHashExists(String hash) {
        return jdbc.sql("select count(*) from api_key where key_hash = ?").param(hash).query(Long.class).single() > 0;
    }

    // --- organizations

    public long countOrganizations() {
        return jdbc.sql("select count(*) from organization").query(Long.class).single();
    }

    public void insertOrganization(Organization o) {
        jdbc.sql("insert into organization (id, name, created_at) values (?, ?, ?)")
                .params(o.id(), o.name(), o.createdAt()).update();
    }

    public Optional<Organization> findOrganization(String id) {
        return jdbc.sql("select * from organization where id = ?").param(id).query(ORG).optional();
    }

    /**
     * Locks the organization's row until the transaction ends. Every change to org-level definitions
     * takes this lock first, so changes of one org are serialized: the catalog a change publishes holds
     * every change committed before it, and versions follow commit order.
     */
    public boolean lockOrganization(String id) {
        return jdbc.sql("select id from organization where id = ? for update").param(id).query(String.class).optional().isPresent();
    }

    public List<Organization> listOrganizations(PageRequest page) {
        return jdbc.sql("select * from organization order by created_at, id limit ? offset ?")
                .params(page.size(), page.offset()).query(ORG).list();
    }

    public void deleteOrganizationTenancy(String id) {
        jdbc.sql("delete from api_key where workspace_id in (select id from workspace where organization_id = ?)").param(id).update();
        jdbc.sql("delete from workspace where organization_id = ?").param(id).update();
        jdbc.sql("delete from organization where id = ?").param(id).update();
    }

    // --- bootstrap

    public Optional<String> bootstrapOrganizationId() {
        return jdbc.sql("select organization_id from bootstrap where id = 1").query(String.class).optional();
    }

    public void insertBootstrapMarker(String orgId, OffsetDateTime at) {
        jdbc.sql("insert into bootstrap (id, organization_id, created_at) values (1, ?, ?)").params(orgId, at).update();
    }

    // --- workspaces

    public void insertWorkspace(Workspace w) {
        jdbc.sql("insert into workspace (id, organization_id, name, created_at) values (?, ?, ?, ?)")
                .params(w.id(), w.organizationId(), w.name(), w.createdAt()).update();
    }

    public Optional<Workspace> findWorkspace(String orgId, String id) {
        return jdbc.sql("select * from workspace where organization_id = ? and id = ?").params(orgId, id).query(WORKSPACE).optional();
    }

    public boolean workspaceNameTaken(String orgId, String name) {
        return jdbc.sql("select count(*) from workspace where organization_id = ? and name = ?")
                .params(orgId, name).query(Long.class).single() > 0;
    }

    public Optional<Workspace> firstWorkspace(String orgId) {
        return jdbc.sql("select * from workspace where organization_id = ? order by created_at, id limit 1")
                .param(orgId).query(WORKSPACE).optional();
    }

    public List<Workspace> listWorkspaces(String orgId, PageRequest page) {
        return jdbc.sql("select * from workspace where organization_id = ? order by name, id limit ? offset ?")
                .params(orgId, page.size(), page.offset()).query(WORKSPACE).list();
    }

    public long countWorkspaces(String orgId) {
        return jdbc.sql("select count(*) from workspace where organization_id = ?").param(orgId).query(Long.class).single();
    }

    // --- API keys

    public void insertApiKey(ApiKey k, String hash) {
        jdbc.sql("""
                        insert into api_key (id, workspace_id, name, role, platform_admin, key_hash, prefix, created_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(k.id(), k.workspaceId(), k.name(), k.role().name(), k.platformAdmin(), hash, k.prefix(), k.createdAt())
                .update();
    }

    public Optional<ApiKey> findApiKey(String workspaceId, String id) {
        return jdbc.sql("select * from api_key where workspace_id = ? and id = ?").params(workspaceId, id).query(KEY).optional();
    }

    public List<ApiKey> listApiKeys(String workspaceId, PageRequest page) {
        return jdbc.sql("select * from api_key where workspace_id = ? order by created_at, id limit ? offset ?")
                .params(workspaceId, page.size(), page.offset()).query(KEY).list();
    }

    public long countApiKeys(String workspaceId) {
        return jdbc.sql("select count(*) from api_key where workspace_id = ?").param(workspaceId).query(Long.class).single();
    }

    public int deleteApiKey(String workspaceId, String id) {
        return jdbc.sql("delete from api_key where workspace_id = ? and id = ?").params(workspaceId, id).update();
    }
}
