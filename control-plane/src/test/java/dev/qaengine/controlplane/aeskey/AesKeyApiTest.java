package dev.qaengine.controlplane.aeskey;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import dev.qaengine.model.AesIdCodec;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.OrgKeys;
import dev.qaengine.model.SecretBox;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.qaengine.controlplane.support.ControlRecords.await;
import static dev.qaengine.controlplane.support.ControlRecords.payload;
import static dev.qaengine.controlplane.support.ControlRecords.read;
import static org.assertj.core.api.Assertions.assertThat;

class AesKeyApiTest extends ControlPlaneTest {
    static final String KEY = "0123456789aBcDeF";

    @Autowired
    JdbcClient jdbc;

    @Test
    void setOnceAndNeverShown() {
        Org org = newOrg();
        Api.Response unset = key(org, "ANALYST").get("/api/v1/aes-key");
        assertThat(unset.status()).isEqualTo(200);
        assertThat(unset.json().get("set").asBoolean()).isFalse();
        assertThat(unset.json().get("setAt").isNull()).isTrue();

        Api.Response put = org.admin().put("/api/v1/aes-key", "{\"key\":\"" + KEY + "\"}");
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        assertThat(put.json().get("set").asBoolean()).isTrue();
        assertThat(put.body()).doesNotContain(KEY);

        Api.Response state = key(org, "ANALYST").get("/api/v1/aes-key");
        assertThat(state.json()).isEqualTo(put.json());
        assertThat(state.text("/setAt")).isNotEmpty();
        assertThat(state.text("/setByKeyId")).isEqualTo(org.admin().get("/api/v1/me").text("/keyId"));
        assertThat(state.body()).doesNotContain(KEY);

        for (String again : List.of(KEY, "ffffffffffffffff")) {
            Api.Response r = org.admin().put("/api/v1/aes-key", "{\"key\":\"" + again + "\"}");
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.text("/code")).isEqualTo("already-set");
            assertThat(r.body()).doesNotContain(again);
        }
        assertThat(org.admin().get("/api/v1/aes-key").json()).isEqualTo(put.json());
    }

    @Test
    void storedAndPublishedOnlySealed() {
        Org org = newOrg();
        assertThat(org.admin().put("/api/v1/aes-key", "{\"key\":\"" + KEY + "\"}").status()).isEqualTo(201);

        String stored = jdbc.sql("select sealed_key from org_aes_key where organization_id = ?").param(org.id()).query(String.class).single();
        assertThat(stored).startsWith(SecretBox.V1).doesNotContain(KEY);

        List<ConsumerRecord<byte[], byte[]>> records = await(ControlKind.ORG_KEYS, org.id(), r -> r != null);
        assertThat(new String(records.get(0).value(), StandardCharsets.UTF_8)).doesNotContain(KEY).doesNotContainIgnoringCase(KEY);
        OrgKeys keys = payload(read(records.get(0)), OrgKeys.class);
        assertThat(keys.orgId()).isEqualTo(org.id());
        // what a job holding QA_SECRET_KEY does: open it, then decrypt an audience ID encrypted by the customer's MySQL
        String opened = JOBS_SECRET_BOX.open(keys.aesKey());
        assertThat(opened).isEqualTo(KEY);
        AesIdCodec codec = new AesIdCodec(opened);
        assertThat(codec.decrypt(codec.encrypt("13888888888"))).contains("13888888888");

        assertThat(platform().delete("/api/v1/organizations/" + org.id()).status()).isEqualTo(204);
        await(ControlKind.ORG_KEYS, org.id(), r -> r == null);
    }

    @Test
    void onlySixteenHexCharactersAreAKeyAndABadOneIsNotEchoed() {
        Api api = newOrg().admin();
        for (String bad : List.of("0123456789abcde", "0123456789abcdef0", "0123456789abcdeg", "0123456789 bcdef", "")) {
            Api.Response r = api.put("/api/v1/aes-key", "{\"key\":\"" + bad + "\"}");
            assertThat(r.status()).as(bad).isEqualTo(422);
            assertThat(r.text("/field")).isEqualTo("key");
            if (!bad.isEmpty()) {
                assertThat(r.body()).doesNotContain(bad);
            }
        }
        Api.Response missing = api.put("/api/v1/aes-key", "{}");
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.text("/field")).isEqualTo("key");
        assertThat(api.get("/api/v1/aes-key").json().get("set").asBoolean()).isFalse();
    }

    @Test
    void onlyAdminsSetIt() {
        Org org = newOrg();
        assertThat(key(org, "DEVELOPER").put("/api/v1/aes-key", "{\"key\":\"" + KEY + "\"}").status()).isEqualTo(403);
        assertThat(org.admin().get("/api/v1/aes-key").json().get("set").asBoolean()).isFalse();
    }
}
