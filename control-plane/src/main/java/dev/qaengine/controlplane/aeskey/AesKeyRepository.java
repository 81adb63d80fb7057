package dev.qaengine.controlplane.aeskey;

import dev.qaengine.controlplane.aeskey.AesKeyBodies.AesKeyState;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.util.Optional;

@Repository
public class AesKeyRepository {
    private final JdbcClient jdbc;

    public AesKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<AesKeyState> find(String orgId) {
        return jdbc.sql("select set_at, set_by_key_id from org_aes_key where organization_id = ?").param(orgId)
                .query((rs, i) -> new AesKeyState(true, rs.getObject("set_at", OffsetDateTime.class), rs.getString("set_by_key_id")))
                .optional();
    }

    public Optional<String> sealedKey(String orgId) {
        return jdbc.sql("select sealed_key from org_aes_key where organization_id = ?").param(orgId).query(String.class).optional();
    }

    public void insert(String orgId, String sealedKey, OffsetDateTime at, String keyId) {
        jdbc.sql("insert into org_aes_key (organization_id, sealed_key, set_at, set_by_key_id) values (?, ?, ?, ?)")
                .params(orgId, sealedKey, at, keyId).update();
    }

    public int delete(String orgId) {
        return jdbc.sql("delete from org_aes_key where organization_id = ?").param(orgId).update();
    }
}
