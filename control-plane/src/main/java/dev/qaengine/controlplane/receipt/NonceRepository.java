package dev.qaengine.controlplane.receipt;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;

/** Nonces of accepted receipt requests, shared by every instance through the database. */
@Repository
public class NonceRepository {
    private final JdbcClient jdbc;

    public NonceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Remembers a nonce; a DuplicateKeyException means it was used already (a concurrent twin waits for the first to commit). */
    public void insert(String webhookId, String nonce, OffsetDateTime expiresAt) {
        jdbc.sql("insert into webhook_receipt_nonce (webhook_id, nonce, expires_at) values (?, ?, ?)")
                .params(webhookId, nonce, expiresAt).update();
    }

    public boolean exists(String webhookId, String nonce) {
        return jdbc.sql("select count(*) from webhook_receipt_nonce where webhook_id = ? and nonce = ?")
                .params(webhookId, nonce).query(Long.class).single() > 0;
    }

    public int purgeExpired(OffsetDateTime now) {
        return jdbc.sql("delete from webhook_receipt_nonce where expires_at < ?").param(now).update();
    }
}
