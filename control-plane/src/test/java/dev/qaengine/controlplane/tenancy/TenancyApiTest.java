package dev.qaengine.controlplane.tenancy;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TenancyApiTest extends ControlPlaneTest {
    @Autowired
    JdbcClient jdbc;

    @Nested
    class Authentication {
        @Test
        void bearerAndHeaderKeysBothIdentifyTheCaller() {
            Org org = newOrg();
            Api.Response bearer = org.admin().get("/api/v1/me");
            assertThat(bearer.status()).isEqualTo(200);
            assertThat(bearer.text("/organizationId")).isEqualTo(org.id());
            assertThat(bearer.text("/workspaceId")).isEqualTo(org.workspaceId());
            assertThat(bearer.text("/workspaceName")).isEqualTo("default");
            assertThat(bearer.text("/role")).isEqualTo("ADMIN");
            assertThat(bearer.json().get("platformAdmin").asBoolean()).isFalse();


            String key = keyOf(org);
            Api.Response viaBearer = org.admin().as(key).get("/api/v1/me");
            Api.Response viaHeader = anonymous().send(anonymous().builder("/api/v1/me").header("X-QA-Api-Key", key));
            assertThat(viaBearer.status()).isEqualTo(200);
            assertThat(viaHeader.status()).isEqualTo(200);
            assertThat(viaHeader.text("/keyId")).isEqualTo(viaBearer.text("/keyId"));
            assertThat(viaHeader.text("/role")).isEqualTo("ANALYST");
        }

        @Test
        void missingOrUnknownKeysAre401Problems() {
            for (Api.Response r : List.of(anonymous().get("/api/v1/me"), new Api(port, "qak_not-a-key").get("/api/v1/me"),
                    anonymous().send(anonymous().builder("/api/v1/me").header("Authorization", "Basic dXNlcjpwYXNz")))) {
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.contentType()).startsWith("application/problem+json");
                assertThat(r.text("/code")).isEqualTo("unauthorized");
                assertThat(r.text("/type")).isEqualTo("https://qaengine.dev/problems/unauthorized");
                assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            }
        }

        @Test
        void onlyTheHashOfAKeyIsStored() {
            Org org = newOrg();
            String key = keyOf(org);
            List<String> stored = jdbc.sql("select key_hash || ' ' || prefix from api_key").query(String.class).list();
            assertThat(stored).noneMatch(s -> s.contains(key));
            assertThat(stored).contains(ApiKeys.hash(key) + " " + key.substring(0, 12));
        }

        @Test
        void theBootstrapKeyIsAPlatformAdminOfTheDefaultOrganization() {
            Api.Response me = platform().get("/api/v1/me");
            assertThat(me.text("/organizationId")).isEqualTo("platform-org");
            assertThat(me.json().get("platformAdmin").asBoolean()).isTrue();
        }
    }

    @Nested
    class ApiKeysOfAWorkspace {
        @Test
        void aKeyIsShownOnceAndListedByPrefix() {
            Org org = newOrg();
            Api.Response created = org.admin().post("/api/v1/api-keys", "{\"name\":\"ci\",\"role\":\"DEVELOPER\"}");
            assertThat(created.status()).isEqualTo(201);
            String key = created.text("/key");
            assertThat(key).startsWith("qak_").hasSizeGreaterThan(40);
            assertThat(created.text("/apiKey/prefix")).isEqualTo(key.substring(0, 12));
            assertThat(created.text("/apiKey/role")).isEqualTo("DEVELOPER");

            Api.Response list = org.admin().get("/api/v1/api-keys");
            assertThat(list.body()).doesNotContain(key);
            assertThat(list.json().get("total").asLong()).isEqualTo(2);
            assertThat(list.json().get("items")).extracting(n -> n.get("name").asString()).containsExactly("admin", "ci");
            assertThat(org.admin().get("/api/v1/api-keys/" + created.text("/apiKey/id")).text("/name")).isEqualTo("ci");
        }

        @Test
        void aDeletedKeyStopsWorkingAtOnce() {
            Org org = newOrg();
            Api.Response created = org.admin().post("/api/v1/api-keys", "{\"name\":\"temp\",\"role\":\"ANALYST\"}");
            Api temp = org.admin().as(created.text("/key"));
            assertThat(temp.get("/api/v1/me").status()).isEqualTo(200);

            assertThat(org.admin().delete("/api/v1/api-keys/" + created.text("/apiKey/id")).status()).isEqualTo(204);

            assertThat(temp.get("/api/v1/me").status()).isEqualTo(401);
            assertThat(org.admin().delete("/api/v1/api-keys/" + created.text("/apiKey/id")).status()).isEqualTo(404);
        }

        @Test
        void aKeyCannotDeleteItself() {
            Org org = newOrg();
            String id = org.admin().get("/api/v1/me").text("/keyId");
            Api.Response r = org.admin().delete("/api/v1/api-keys/" + id);
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.text("/code")).isEqualTo("conflict");
        }

        @Test
        void aKeyNeedsANameAndAKnownRole() {
            Org org = newOrg();
            Api.Response r = org.admin().post("/api/v1/api-keys", "{\"name\":\" \",\"role\":\"OWNER\"}");
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.text("/field")).isEqualTo("role");
            assertThat(r.text("/detail")).contains("'OWNER'").contains("[ANALYST, DEVELOPER, ADMIN]");
            r = org.admin().post("/api/v1/api-keys", "{\"name\":\" \",\"role\":\"ANALYST\"}");
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.text("/field")).isEqualTo("name");
        }
    }

    @Nested
    class Workspaces {
        @Test
        void aNewWorkspaceComesWithItsOwnAdminKey() {
            Org org = newOrg();
            Api.Response created = org.admin().post("/api/v1/workspaces", "{\"name\":\"marketing\"}");
            assertThat(created.status()).isEqualTo(201);
            String wsId = created.text("/workspace/id");
            assertThat(created.text("/workspace/organizationId")).isEqualTo(org.id());
            Api wsAdmin = org.admin().as(created.text("/adminKey/key"));

            Api.Response me = wsAdmin.get("/api/v1/me");
            assertThat(me.text("/workspaceId")).isEqualTo(wsId);
            assertThat(me.text("/organizationId")).isEqualTo(org.id());
            // keys are per workspace: each admin lists only its own workspace's keys
            assertThat(wsAdmin.get("/api/v1/api-keys").json().get("total").asLong()).isEqualTo(1);
            assertThat(org.admin().get("/api/v1/api-keys").json().get("total").asLong()).isEqualTo(1);
            String defaultKeyId = org.admin().get("/api/v1/me").text("/keyId");
            assertThat(wsAdmin.get("/api/v1/api-keys/" + defaultKeyId).status()).isEqualTo(404);
            assertThat(wsAdmin.delete("/api/v1/api-keys/" + defaultKeyId).status()).isEqualTo(404);

            Api.Response list = org.admin().get("/api/v1/workspaces?size=1");
            assertThat(list.json().get("total").asLong()).isEqualTo(2);
            assertThat(list.json().get("items")).hasSize(1);
            assertThat(list.json().get("size").asInt()).isEqualTo(1);
            assertThat(org.admin().get("/api/v1/workspaces/" + wsId).text("/name")).isEqualTo("marketing");
        }

        @Test
        void workspaceNamesAreUniqueWithinTheOrganization() {
            Org org = newOrg();
            assertThat(org.admin().post("/api/v1/workspaces", "{\"name\":\"ops\"}").status()).isEqualTo(201);
            Api.Response again = org.admin().post("/api/v1/workspaces", "{\"name\":\"ops\"}");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.text("/code")).isEqualTo("duplicate");
            assertThat(again.text("/field")).isEqualTo("name");
            assertThat(newOrg().admin().post("/api/v1/workspaces", "{\"name\":\"ops\"}").status()).isEqualTo(201);
        }
    }

    @Nested
    class Roles {
        @Test
        void analystsRead() {
            Org org = newOrg();
            Api analyst = key(org, "ANALYST");
            assertThat(analyst.get("/api/v1/event-channels").status()).isEqualTo(200);
            assertThat(analyst.get("/api/v1/event-definitions").status()).isEqualTo(200);
            assertThat(analyst.get("/api/v1/me").status()).isEqualTo(200);
            for (Api.Response r : List.of(
                    analyst.post("/api/v1/event-channels", "{\"appKey\":\"x\",\"name\":\"X\",\"appType\":\"APP\"}"),
                    analyst.post("/api/v1/event-definitions", "{\"eventCode\":\"x\",\"name\":\"X\"}"),
                    analyst.delete("/api/v1/event-channels/x"),
                    analyst.post("/api/v1/events", "{}"),
                    analyst.get("/api/v1/api-keys"),
                    analyst.get("/api/v1/workspaces"))) {
                assertThat(r.status()).as(r.toString()).isEqualTo(403);
            }
        }

        @Test
        void developersWriteDefinitionsButDoNotManageKeysOrWorkspaces() {
            Org org = newOrg();
            Api dev = key(org, "DEVELOPER");
            assertThat(dev.post("/api/v1/event-channels", "{\"appKey\":\"x\",\"name\":\"X\",\"appType\":\"APP\"}").status()).isEqualTo(201);
            Api.Response keys = dev.get("/api/v1/api-keys");
            assertThat(keys.status()).isEqualTo(403);
            assertThat(keys.contentType()).startsWith("application/problem+json");
            assertThat(keys.text("/code")).isEqualTo("forbidden");
            assertThat(dev.post("/api/v1/api-keys", "{\"name\":\"n\",\"role\":\"ADMIN\"}").status()).isEqualTo(403);
            assertThat(dev.post("/api/v1/workspaces", "{\"name\":\"w\"}").status()).isEqualTo(403);
        }

        @Test
        void onlyThePlatformAdminManagesOrganizations() {
            Org org = newOrg();
            Api.Response r = org.admin().post("/api/v1/organizations", "{\"name\":\"mine\"}");
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.text("/detail")).contains("platform-admin");
            assertThat(org.admin().get("/api/v1/organizations").status()).isEqualTo(403);
            assertThat(org.admin().delete("/api/v1/organizations/" + org.id()).status()).isEqualTo(403);

            Api.Response byPlatform = platform().get("/api/v1/organizations/" + org.id());
            assertThat(byPlatform.status()).isEqualTo(200);
            assertThat(platform().get("/api/v1/organizations?size=200").json().get("total").asLong()).isGreaterThanOrEqualTo(2);
            assertThat(platform().get("/api/v1/organizations/nope").status()).isEqualTo(404);
            assertThat(platform().delete("/api/v1/organizations/platform-org").status()).isEqualTo(409);
        }

        @Test
        void organizationsMayBeGivenAnIdOnce() {
            String id = "org-" + System.nanoTime();
            Api.Response r = platform().post("/api/v1/organizations", "{\"name\":\"named\",\"id\":\"" + id + "\"}");
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.text("/organization/id")).isEqualTo(id);
            Api.Response again = platform().post("/api/v1/organizations", "{\"name\":\"again\",\"id\":\"" + id + "\"}");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.text("/field")).isEqualTo("id");
        }
    }

    /** The full key of an org's admin client (test helper: Api keeps it private). */
    private String keyOf(Org org) {
        Api.Response created = org.admin().post("/api/v1/api-keys", "{\"name\":\"probe\",\"role\":\"ANALYST\"}");
        return created.text("/key");
    }
}
