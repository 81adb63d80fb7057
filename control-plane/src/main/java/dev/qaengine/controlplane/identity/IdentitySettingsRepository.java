package dev.qaengine.controlplane.identity;

import dev.qaengine.controlplane.identity.IdentityBodies.Settings;
import dev.qaengine.model.IdType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

@Repository
public class IdentitySettingsRepository {
    private static final TypeReference<List<IdType>> ID_TYPES = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    public IdentitySettingsRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Optional<Settings> find(String orgId) {
        return jdbc.sql("select unique_id_types, max_identifiers, updated_at from identity_settings where organization_id = ?")
                .param(orgId)
                .query((rs, i) -> new Settings(json.readValue(rs.getString("unique_id_types"), ID_TYPES), rs.getInt("max_identifiers"),
                        false, rs.getObject("updated_at", OffsetDateTime.class)))
                .optional();
    }

    public void save(String orgId, List<IdType> uniqueIdTypes, int maxIdentifiers, OffsetDateTime at) {
        String types = json.writeValueAsString(uniqueIdTypes);
        int updated = jdbc.sql("update identity_settings set unique_id_types = ?, max_identifiers = ?, updated_at = ? where organization_id = ?")
                .params(types, maxIdentifiers, at, orgId).update();
        if (updated == 0) {
            jdbc.sql("insert into identity_settings (organization_id, unique_id_types, max_identifiers, updated_at) values (?, ?, ?, ?)")
                    .params(orgId, types, maxIdentifiers, at).update();
        }
    }

    public int delete(String orgId) {
        return jdbc.sql("delete from identity_settings where organization_id = ?").param(orgId).update();
    }
}
