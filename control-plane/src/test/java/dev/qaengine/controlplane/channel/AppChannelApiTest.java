package dev.qaengine.controlplane.channel;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Umeng push apps, WeChat accounts and Kafka interfaces: CRUD, write-only secrets, validation. */
class AppChannelApiTest extends ControlPlaneTest {
    @Autowired
    JdbcClient jdbc;

    String storedSecrets(String id) {
        return jdbc.sql("select secrets from channel_interface where id = ?").param(id).query(String.class).single();
    }

    @Nested
    class Push {
        @Test
        void theMasterSecretGoesInAndNeverComesOut() {
            Api api = key(newOrg(), "DEVELOPER");
            Api.Response created = api.post("/api/v1/push-apps", "{\"name\":\"App\",\"appKey\":\"5f8a1b2c\",\"masterSecret\":\"umeng-master-1\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(created.text("/provider")).isEqualTo("UMENG");
            assertThat(created.json().get("masterSecretSet").asBoolean()).isTrue();
            assertThat(created.body()).doesNotContain("umeng-master-1");
            String id = created.text("/id");
            assertThat(storedSecrets(id)).doesNotContain("umeng-master-1");

            Api.Response kept = api.put("/api/v1/push-apps/" + id, "{\"name\":\"App 2\",\"appKey\":\"5f8a1b2d\"}");
            assertThat(kept.status()).isEqualTo(200);
            assertThat(kept.json().get("masterSecretSet").asBoolean()).isTrue();
            assertThat(JOBS_SECRET_BOX.open(Api.json().readTree(storedSecrets(id)).get("masterSecret").asString())).isEqualTo("umeng-master-1");
            api.put("/api/v1/push-apps/" + id, "{\"name\":\"App 2\",\"appKey\":\"5f8a1b2d\",\"masterSecret\":\"umeng-master-2\"}");
            assertThat(JOBS_SECRET_BOX.open(Api.json().readTree(storedSecrets(id)).get("masterSecret").asString())).isEqualTo("umeng-master-2");

            assertThat(api.get("/api/v1/push-apps?name=app").json().get("total").asLong()).isEqualTo(1);
            assertThat(api.delete("/api/v1/push-apps/" + id).status()).isEqualTo(204);
        }

        @Test
        void appKeyAndMasterSecretAreRequired() {
            Api api = newOrg().admin();
            Api.Response noSecret = api.post("/api/v1/push-apps", "{\"name\":\"App\",\"appKey\":\"k\"}");
            assertThat(noSecret.status()).isEqualTo(422);
            assertThat(noSecret.text("/field")).isEqualTo("masterSecret");
            Api.Response blank = api.post("/api/v1/push-apps", "{\"name\":\"App\",\"appKey\":\"k\",\"masterSecret\":\"  \"}");
            assertThat(blank.status()).isEqualTo(422);
            assertThat(blank.text("/field")).isEqualTo("masterSecret");
            Api.Response noKey = api.post("/api/v1/push-apps", "{\"name\":\"App\",\"masterSecret\":\"s\"}");
            assertThat(noKey.status()).isEqualTo(422);
            assertThat(noKey.text("/field")).isEqualTo("appKey");
        }
    }

    @Nested
    class Wechat {
        @Test
        void theAppSecretGoesInAndNeverComesOut() {
            Api api = newOrg().admin();
            Api.Response created = api.post("/api/v1/wechat-accounts", "{\"name\":\"OA\",\"appId\":\"wx0123456789abcdef\",\"secret\":\"wechat-app-secret\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(created.json().get("secretSet").asBoolean()).isTrue();
            assertThat(created.body()).doesNotContain("wechat-app-secret");
            String id = created.text("/id");
            Api.Response updated = api.put("/api/v1/wechat-accounts/" + id, "{\"name\":\"OA\",\"appId\":\"wx0123456789abcdee\"}");
            assertThat(updated.text("/appId")).isEqualTo("wx0123456789abcdee");
            assertThat(updated.json().get("secretSet").asBoolean()).isTrue();
            assertThat(api.get("/api/v1/wechat-accounts/" + id).json()).isEqualTo(updated.json());
            assertThat(api.post("/api/v1/wechat-accounts", "{\"name\":\"OA2\",\"appId\":\"wx1\"}").text("/field")).isEqualTo("secret");
        }
    }

    @Nested
    class Kafka {
        static final String BODY = """
                {"name":"Export","bootstrapServers":"kafka-1.example.com:9093, kafka-2.example.com:9093","topic":"qa.audience.push",
                 "sasl":{"mechanism":"SCRAM-SHA-256","username":"qa","password":"kafka-pass"},"tls":true}""";

        @Test
        void saslPasswordIsWriteOnlyAndSaslCanBeSwitchedOff() {
            Api api = newOrg().admin();
            Api.Response created = api.post("/api/v1/kafka-interfaces", BODY);
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(created.text("/bootstrapServers")).isEqualTo("kafka-1.example.com:9093,kafka-2.example.com:9093");
            assertThat(created.text("/sasl/mechanism")).isEqualTo("SCRAM-SHA-256");
            assertThat(created.json().at("/sasl/passwordSet").asBoolean()).isTrue();
            assertThat(created.json().get("tls").asBoolean()).isTrue();
            assertThat(created.body()).doesNotContain("kafka-pass");
            String id = created.text("/id");

            Api.Response kept = api.put("/api/v1/kafka-interfaces/" + id, BODY.replace(",\"password\":\"kafka-pass\"", "").replace("SCRAM-SHA-256", "PLAIN"));
            assertThat(kept.status()).as(kept.toString()).isEqualTo(200);
            assertThat(kept.text("/sasl/mechanism")).isEqualTo("PLAIN");
            assertThat(kept.json().at("/sasl/passwordSet").asBoolean()).isTrue();

            Api.Response off = api.put("/api/v1/kafka-interfaces/" + id,
                    "{\"name\":\"Export\",\"bootstrapServers\":\"localhost:9092\",\"topic\":\"t\"}");
            assertThat(off.status()).isEqualTo(200);
            assertThat(off.json().get("sasl").isNull()).isTrue();
            assertThat(off.json().get("tls").asBoolean()).isFalse();
            assertThat(storedSecrets(id)).isEqualTo("{}");

            Api.Response needsPassword = api.put("/api/v1/kafka-interfaces/" + id, BODY.replace(",\"password\":\"kafka-pass\"", ""));
            assertThat(needsPassword.status()).isEqualTo(422);
            assertThat(needsPassword.text("/field")).isEqualTo("sasl.password");
        }

        @Test
        void serversTopicAndMechanismAreChecked() {
            Api api = newOrg().admin();
            String[][] cases = {
                    {BODY.replace("kafka-1.example.com:9093, kafka-2.example.com:9093", "kafka-1.example.com"), "bootstrapServers"},
                    {BODY.replace("kafka-1.example.com:9093, kafka-2.example.com:9093", "kafka-1:9093,"), "bootstrapServers"},
                    {BODY.replace("kafka-1.example.com:9093, kafka-2.example.com:9093", "kafka-1:99999"), "bootstrapServers"},
                    {BODY.replace("qa.audience.push", "bad topic"), "topic"},
                    {BODY.replace("qa.audience.push", ".."), "topic"},
                    {BODY.replace("SCRAM-SHA-256", "GSSAPI"), "sasl.mechanism"},
                    {BODY.replace("\"username\":\"qa\",", ""), "sasl.username"},
                    {BODY.replace(",\"password\":\"kafka-pass\"", ""), "sasl.password"},
            };
            for (String[] c : cases) {
                Api.Response r = api.post("/api/v1/kafka-interfaces", c[0]);
                assertThat(r.status()).as(c[1] + ": " + r).isEqualTo(422);
                assertThat(r.text("/field")).as(r.toString()).isEqualTo(c[1]);
            }
            assertThat(api.post("/api/v1/kafka-interfaces", BODY.replace("kafka-1.example.com:9093, kafka-2.example.com:9093", "[::1]:9092,10.0.0.1:9092"))
                    .status()).isEqualTo(201);
        }
    }
}
