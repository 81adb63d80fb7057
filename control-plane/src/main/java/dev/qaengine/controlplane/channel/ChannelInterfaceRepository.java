package dev.qaengine.controlplane.channel;

import dev.qaengine.controlplane.web.PageRequest;
import dev.qaengine.controlplane.web.Params;
import dev.qaengine.controlplane.web.Sql;
import dev.qaengine.model.ChannelInterfaceType;
import dev.qaengine.model.IdType;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Channel interfaces. Every query that serves a request is scoped by the caller's workspace. */
@Repository
public class ChannelInterfaceRepository {
    private static final TypeReference<TreeMap<String, String>> SECRETS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final RowMapper<StoredInterface> row;

    public ChannelInterfaceRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.row = (rs, i) -> {
            ChannelInterfaceType type = ChannelInterfaceType.valueOf(rs.getString("type"));
            return new StoredInterface(rs.getString("id"), rs.getString("organization_id"), rs.getString("workspace_id"), type,
                    rs.getString("name"), rs.getBoolean("enabled"),
                    json.readValue(rs.getString("settings"), InterfaceSettings.classOf(type)),
                    json.readValue(rs.getString("secrets"), SECRETS),
                    rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class));
        };
    }

    /**
     * List filters, combined with AND.
     *
     * @param enabled webhooks: their state
     * @param idType  webhooks: those that may send to this ID type
     */
    public record Filter(String nameContains, Boolean enabled, IdType idType) {
        public static final Filter NONE = new Filter(null, null, null);

        /** From a list endpoint's query parameters, where a blank name is no filter. */
        public static Filter of(String nameContains, Boolean enabled, IdType idType) {
            return new Filter(Params.blankToNull(nameContains), enabled, idType);
        }
    }

    public Optional<StoredInterface> find(String workspaceId, ChannelInterfaceType type, String id) {
        return jdbc.sql("select * from channel_interface where workspace_id = ? and type = ? and id = ?")
                .params(workspaceId, type.name(), id).query(row).optional();
    }

    /** An interface of the workspace, whatever its type (journeys name interfaces by id alone). */
    public Optional<StoredInterface> find(String workspaceId, String id) {
        return jdbc.sql("select * from channel_interface where workspace_id = ? and id = ?").params(workspaceId, id).query(row).optional();
    }

    /** Any organization's interface: only for requests authenticated otherwise (webhook receipts carry a signature, not an API key). */
    public Optional<StoredInterface> findAnywhere(ChannelInterfaceType type, String id) {
        return jdbc.sql("select * from channel_interface where type = ? and id = ?").params(type.name(), id).query(row).optional();
    }

    public boolean nameTaken(String workspaceId, ChannelInterfaceType type, String name, String exceptId) {
        return jdbc.sql("select count(*) from channel_interface where workspace_id = ? and type = ? and name = ? and id <> ?")
                .params(workspaceId, type.name(), name, exceptId == null ? "" : exceptId).query(Long.class).single() > 0;
    }

    public List<StoredInterface> list(String workspaceId, ChannelInterfaceType type, Filter f, PageRequest page) {
        Sql.Where w = where(workspaceId, type, f);
        return jdbc.sql("select * from channel_interface" + w.sql() + " order by name, id limit ? offset ?")
                .params(w.args()).param(page.size()).param(page.offset()).query(row).list();
    }

    public long count(String workspaceId, ChannelInterfaceType type, Filter f) {
        Sql.Where w = where(workspaceId, type, f);
        return jdbc.sql("select count(*) from channel_interface" + w.sql()).params(w.args()).query(Long.class).single();
    }

    public List<StoredInterface> ofOrganization(String orgId) {
        return jdbc.sql("select * from channel_interface where organization_id = ? order by id").param(orgId).query(row).list();
    }

    private static Sql.Where where(String workspaceId, ChannelInterfaceType type, Filter f) {
        Sql.Where w = new Sql.Where();
        w.and("workspace_id = ?", workspaceId);
        w.and("type = ?", type.name());
        if (f.nameContains() != null) {
            w.andContains("name", f.nameContains());
        }
        if (f.enabled() != null) {
            w.and("enabled = ?", f.enabled());
        }
        if (f.idType() != null) {
            w.and("id_types like ?", "%," + f.idType().name() + ",%");
        }
        return w;
    }

    public void insert(StoredInterface i) {
        jdbc.sql("""
                        insert into channel_interface (id, organization_id, workspace_id, type, name, enabled, settings, secrets, id_types,
                                                       created_at, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(i.id(), i.orgId(), i.workspaceId(), i.type().name(), i.name(), i.enabled(), json.writeValueAsString(i.settings()),
                        secrets(i.secrets()), idTypes(i.settings()), i.createdAt(), i.updatedAt())
                .update();
    }

    public void update(StoredInterface i) {
        jdbc.sql("""
                        update channel_interface set name = ?, enabled = ?, settings = ?, secrets = ?, id_types = ?, updated_at = ?
                        where workspace_id = ? and id = ?""")
                .params(i.name(), i.enabled(), json.writeValueAsString(i.settings()), secrets(i.secrets()), idTypes(i.settings()),
                        i.updatedAt(), i.workspaceId(), i.id())
                .update();
    }

    public void delete(String workspaceId, String id) {
        jdbc.sql("delete from channel_interface where workspace_id = ? and id = ?").params(workspaceId, id).update();
    }

    public void deleteAll(String orgId) {
        jdbc.sql("delete from channel_interface where organization_id = ?").param(orgId).update();
    }

    private String secrets(Map<String, String> secrets) {
        return json.writeValueAsString(new TreeMap<>(secrets));
    }

    private static String idTypes(InterfaceSettings settings) {
        if (settings instanceof InterfaceSettings.Webhook w && w.idTypes() != null) {
            return w.idTypes().stream().map(Enum::name).collect(Collectors.joining(",", ",", ","));
        }
        return null;
    }

}
