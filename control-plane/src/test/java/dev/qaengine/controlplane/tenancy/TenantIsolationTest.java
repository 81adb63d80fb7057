package dev.qaengine.controlplane.tenancy;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key of organization A never reads or changes organization B's resources — and learns nothing about
 * their existence: every such request answers 404, exactly as for an id that exists nowhere.
 */
class TenantIsolationTest extends ControlPlaneTest {
    Org a;
    Org b;
    String bWorkspace;
    String bKeyId;
    /** path → B's resource there, for every interface type */
    java.util.Map<String, String> bInterfaces;

    @BeforeEach
    void twoOrganizations() {
        a = newOrg();
        b = newOrg();
        for (Org org : List.of(a, b)) {
            assertThat(org.admin().post("/api/v1/event-channels",
                    "{\"appKey\":\"shared\",\"name\":\"" + org.id() + "\",\"appType\":\"APP\"}").status()).isEqualTo(201);
            assertThat(org.admin().post("/api/v1/event-definitions",
                    "{\"eventCode\":\"shared_event\",\"name\":\"" + org.id() + "\",\"channel\":\"shared\"}").status()).isEqualTo(201);
        }
        assertThat(b.admin().post("/api/v1/event-channels", "{\"appKey\":\"b_only\",\"name\":\"B\",\"appType\":\"WEB\"}").status()).isEqualTo(201);
        assertThat(b.admin().post("/api/v1/event-definitions", "{\"eventCode\":\"b_event\",\"name\":\"B\"}").status()).isEqualTo(201);
        bWorkspace = b.admin().post("/api/v1/workspaces", "{\"name\":\"b-ws\"}").text("/workspace/id");
        bKeyId = b.admin().post("/api/v1/api-keys", "{\"name\":\"b-key\",\"role\":\"ANALYST\"}").text("/apiKey/id");
        bInterfaces = new java.util.LinkedHashMap<>();
        for (var e : INTERFACES.entrySet()) {
            Api.Response r = b.admin().post(e.getKey(), e.getValue());
            assertThat(r.status()).as(e.getKey() + " " + r).isEqualTo(201);
            bInterfaces.put(e.getKey(), r.text("/id"));
        }
    }

    /** One valid body per interface type (each also a valid update). */
    static final java.util.Map<String, String> INTERFACES = java.util.Map.of(
            "/api/v1/sms-platforms", "{\"name\":\"B sms\",\"callbackUrlPrefix\":\"https://sms.example.com\"}",
            "/api/v1/email-platforms", "{\"name\":\"B mail\",\"callbackUrlPrefix\":\"https://mail.example.com\"}",
            "/api/v1/webhooks", "{\"name\":\"B hook\",\"url\":\"https://b.example.com\",\"auth\":\"SECRET\",\"secret\":\"b-secret\",\"idTypes\":[\"ONEID\"]}",
            "/api/v1/push-apps", "{\"name\":\"B push\",\"appKey\":\"k\",\"masterSecret\":\"b-master\"}",
            "/api/v1/wechat-accounts", "{\"name\":\"B oa\",\"appId\":\"wx\",\"secret\":\"b-wx\"}",
            "/api/v1/kafka-interfaces", "{\"name\":\"B kafka\",\"bootstrapServers\":\"k:9092\",\"topic\":\"t\"}");

    /** Every way to reach one interface: read, replace, delete (and the webhook operations). */
    List<Api.Response> touchEveryInterface(Api api, java.util.Map<String, String> ids) {
        List<Api.Response> answers = new java.util.ArrayList<>();
        ids.forEach((path, id) -> {
            answers.add(api.get(path + "/" + id));
            answers.add(api.put(path + "/" + id, INTERFACES.get(path)));
            answers.add(api.delete(path + "/" + id));
        });
        String hook = ids.get("/api/v1/webhooks");
        for (String op : List.of("enable", "disable", "copy")) {
            answers.add(api.post("/api/v1/webhooks/" + hook + "/" + op, "{}"));
        }
        return answers;
    }

    @Test
    void everyInterfaceOfAnotherOrganizationIsNotFound() {
        for (Api.Response r : touchEveryInterface(a.admin(), bInterfaces)) {
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
            assertThat(r.text("/code")).isEqualTo("not-found");
            assertThat(r.body()).doesNotContain(b.id());
        }
        for (String path : INTERFACES.keySet()) {
            assertThat(a.admin().get(path).json().get("total").asLong()).as(path).isZero();
            assertThat(b.admin().get(path + "/" + bInterfaces.get(path)).status()).as(path).isEqualTo(200);
        }
        assertThat(b.admin().get("/api/v1/webhooks/" + bInterfaces.get("/api/v1/webhooks")).text("/state"))
                .as("still as created: A's disable did not reach it").isEqualTo("ENABLED");
        assertThat(b.admin().get("/api/v1/webhooks").json().get("total").asLong()).as("no copy made").isEqualTo(1);
    }

    @Test
    void signaturesAndTemplatesOfAnotherOrganizationAreNotFound() {
        dev.qaengine.controlplane.support.FakePlatform.Tenant fake = dev.qaengine.controlplane.support.FakePlatform.tenant();
        fake.sign("B签名", 1, null);
        String sms = b.admin().post("/api/v1/sms-platforms", "{\"name\":\"B fake\",\"callbackUrlPrefix\":\"" + fake.prefix() + "\"}").text("/id");
        String mail = b.admin().post("/api/v1/email-platforms", "{\"name\":\"B fake\",\"callbackUrlPrefix\":\"" + fake.prefix() + "\"}").text("/id");
        String smsBody = "{\"platformId\":\"" + sms + "\",\"name\":\"T\",\"content\":\"c\",\"type\":\"NOTIFICATION\",\"remark\":\"r\"}";
        String mailBody = "{\"platformId\":\"" + mail + "\",\"name\":\"T\",\"subject\":\"s\",\"content\":\"c\",\"senderName\":\"n\",\"remark\":\"r\"}";
        java.util.Map<String, String> bItems = new java.util.LinkedHashMap<>();
        bItems.put("/api/v1/sms-signatures", b.admin().post("/api/v1/sms-signatures", "{\"platformId\":\"" + sms + "\",\"signName\":\"B签名\"}").text("/id"));
        bItems.put("/api/v1/sms-templates", b.admin().post("/api/v1/sms-templates", smsBody).text("/id"));
        bItems.put("/api/v1/email-templates", b.admin().post("/api/v1/email-templates", mailBody).text("/id"));
        // the review poll asks about B's pending templates by itself (GETs); nothing else may reach the platform
        java.util.function.Supplier<Long> calls = () -> fake.requests().stream()
                .filter(r -> !r.method().equals("GET") || r.path().startsWith("/sms/smsSign/")).count();
        long before = calls.get();

        Api otherWorkspace = b.admin().as(b.admin().post("/api/v1/workspaces", "{\"name\":\"b-third\"}").text("/adminKey/key"));
        for (Api api : List.of(a.admin(), otherWorkspace)) {
            bItems.forEach((path, id) -> {
                List<Api.Response> answers = new java.util.ArrayList<>(List.of(api.get(path + "/" + id), api.delete(path + "/" + id),
                        api.post(path + "/" + id + "/sync", "")));
                if (!path.endsWith("signatures")) {
                    answers.add(api.put(path + "/" + id, path.contains("sms") ? smsBody : mailBody));
                }
                for (Api.Response r : answers) {
                    assertThat(r.status()).as(path + " " + r).isEqualTo(404);
                    assertThat(r.body()).doesNotContain(b.id());
                }
                assertThat(api.get(path).json().get("total").asLong()).as(path).isZero();
            });
            // B's platforms cannot carry A's templates either
            Api.Response foreign = api.post("/api/v1/sms-templates", smsBody);
            assertThat(foreign.status()).isEqualTo(422);
            assertThat(foreign.text("/field")).isEqualTo("platformId");
            assertThat(api.post("/api/v1/email-templates", mailBody).status()).isEqualTo(422);
            assertThat(api.post("/api/v1/sms-signatures", "{\"platformId\":\"" + sms + "\",\"signName\":\"B签名\"}").status()).isEqualTo(422);
        }
        assertThat(calls.get()).as("no platform call for another organization's request").isEqualTo(before);
        bItems.forEach((path, id) -> assertThat(b.admin().get(path + "/" + id).status()).isEqualTo(200));
    }

    @Test
    void interfacesAreWorkspaceLevel() {
        Api otherWorkspace = b.admin().as(b.admin().post("/api/v1/workspaces", "{\"name\":\"b-second\"}").text("/adminKey/key"));
        for (Api.Response r : touchEveryInterface(otherWorkspace, bInterfaces)) {
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
        }
        for (String path : INTERFACES.keySet()) {
            assertThat(otherWorkspace.get(path).json().get("total").asLong()).as(path).isZero();
            // the same names are free in another workspace
            assertThat(otherWorkspace.post(path, INTERFACES.get(path)).status()).as(path).isEqualTo(201);
        }
    }

    @Test
    void everyResourceOfAnotherOrganizationIsNotFound() {
        Api.Response unknownEverywhere = a.admin().get("/api/v1/event-channels/no_such_channel");
        List<Api.Response> answers = List.of(
                a.admin().get("/api/v1/event-channels/b_only"),
                a.admin().put("/api/v1/event-channels/b_only", "{\"name\":\"mine\",\"appType\":\"APP\"}"),
                a.admin().delete("/api/v1/event-channels/b_only"),
                a.admin().get("/api/v1/event-definitions/b_event"),
                a.admin().put("/api/v1/event-definitions/b_event", "{\"name\":\"mine\"}"),
                a.admin().delete("/api/v1/event-definitions/b_event"),
                a.admin().get("/api/v1/workspaces/" + bWorkspace),
                a.admin().get("/api/v1/workspaces/" + b.workspaceId()),
                a.admin().get("/api/v1/api-keys/" + bKeyId),
                a.admin().delete("/api/v1/api-keys/" + bKeyId));
        for (Api.Response r : answers) {
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
            assertThat(r.text("/code")).isEqualTo("not-found");
            assertThat(r.body()).doesNotContain(b.id());
        }
        assertThat(unknownEverywhere.status()).isEqualTo(404);
        // B's resources are untouched
        assertThat(b.admin().get("/api/v1/event-channels/b_only").text("/name")).isEqualTo("B");
        assertThat(b.admin().get("/api/v1/event-definitions/b_event").text("/name")).isEqualTo("B");
        assertThat(b.admin().get("/api/v1/api-keys/" + bKeyId).status()).isEqualTo(200);
    }

    @Test
    void theSameKeysInTwoOrganizationsAreIndependent() {
        assertThat(a.admin().put("/api/v1/event-channels/shared", "{\"name\":\"renamed by A\",\"appType\":\"WEB\"}").status()).isEqualTo(200);
        assertThat(a.admin().delete("/api/v1/event-definitions/shared_event").status()).isEqualTo(204);

        assertThat(b.admin().get("/api/v1/event-channels/shared").text("/name")).isEqualTo(b.id());
        assertThat(b.admin().get("/api/v1/event-channels/shared").text("/appType")).isEqualTo("APP");
        assertThat(b.admin().get("/api/v1/event-definitions/shared_event").status()).isEqualTo(200);
        assertThat(a.admin().get("/api/v1/event-definitions/shared_event").status()).isEqualTo(404);
    }

    @Test
    void listsAndTheCatalogHoldOnlyTheCallersOrganization() {
        Api.Response channels = a.admin().get("/api/v1/event-channels");
        assertThat(channels.json().get("total").asLong()).isEqualTo(1);
        assertThat(channels.json().get("items").get(0).get("name").asString()).isEqualTo(a.id());
        assertThat(a.admin().get("/api/v1/event-definitions").json().get("total").asLong()).isEqualTo(1);
        assertThat(a.admin().get("/api/v1/event-definitions?appKey=b_only").json().get("total").asLong()).isZero();
        assertThat(a.admin().get("/api/v1/workspaces").json().get("items")).extracting(n -> n.get("organizationId").asString())
                .containsOnly(a.id());
        assertThat(a.admin().get("/api/v1/api-keys").json().get("items")).extracting(n -> n.get("name").asString())
                .doesNotContain("b-key");
        Api.Response catalog = a.admin().get("/api/v1/event-catalog");
        assertThat(catalog.text("/orgId")).isEqualTo(a.id());
        assertThat(catalog.body()).doesNotContain("b_only").doesNotContain("b_event").doesNotContain(b.id());
    }

    @Test
    void aSecondWorkspaceSeesItsOrganizationsDefinitionsButNotTheOtherWorkspacesKeys() {
        Api ws2 = a.admin().as(a.admin().post("/api/v1/workspaces", "{\"name\":\"second\"}").text("/adminKey/key"));
        assertThat(ws2.get("/api/v1/event-channels/shared").status()).isEqualTo(200); // org-level definitions
        String defaultKey = a.admin().get("/api/v1/me").text("/keyId");
        assertThat(ws2.get("/api/v1/api-keys/" + defaultKey).status()).isEqualTo(404); // workspace-level keys
    }

    @Test
    void organizationSettingsAreTheirOwn() {
        assertThat(b.admin().put("/api/v1/identity-settings", "{\"uniqueIdTypes\":[\"MOBILE\"],\"maxIdentifiersPerPerson\":7}").status())
                .isEqualTo(200);
        assertThat(a.admin().get("/api/v1/identity-settings").json().get("defaults").asBoolean()).isTrue();
        assertThat(a.admin().put("/api/v1/identity-settings", "{\"uniqueIdTypes\":[],\"maxIdentifiersPerPerson\":9}").status())
                .isEqualTo(200);
        assertThat(b.admin().get("/api/v1/identity-settings").json().get("maxIdentifiersPerPerson").asInt()).isEqualTo(7);

        assertThat(b.admin().put("/api/v1/aes-key", "{\"key\":\"0123456789abcdef\"}").status()).isEqualTo(201);
        assertThat(a.admin().get("/api/v1/aes-key").json().get("set").asBoolean()).isFalse();
        assertThat(a.admin().put("/api/v1/aes-key", "{\"key\":\"fedcba9876543210\"}").status()).isEqualTo(201); // not B's "already set"
    }

    @Test
    void ingestionForAnotherOrganizationIsRefused() {
        Api.Response r = a.admin().post("/api/v1/events",
                "{\"orgnizationId\":\"" + b.id() + "\",\"customerId\":\"c\",\"eventCode\":\"shared_event\",\"eventTime\":1}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.text("/errorCode")).isEqualTo("ORG_MISMATCH");
        assertThat(r.text("/errorDesc")).startsWith("orgnizationId:");
    }
}
