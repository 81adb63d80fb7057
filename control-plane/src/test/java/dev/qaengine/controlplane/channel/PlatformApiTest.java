package dev.qaengine.controlplane.channel;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import dev.qaengine.controlplane.support.TestUsages;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** SMS and email platforms: CRUD, URL rules, names, filters, roles, in use. */
class PlatformApiTest extends ControlPlaneTest {
    @Autowired
    TestUsages usages;

    @Test
    void smsPlatformCreateReadUpdateDelete() {
        Api api = key(newOrg(), "DEVELOPER");
        Api.Response created = api.post("/api/v1/sms-platforms", "{\"name\":\" Aliyun SMS \",\"callbackUrlPrefix\":\"https://sms.example.com/qa/\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.text("/id");
        assertThat(created.text("/name")).isEqualTo("Aliyun SMS");
        assertThat(created.text("/callbackUrlPrefix")).as("trailing slash dropped: paths are appended").isEqualTo("https://sms.example.com/qa");
        assertThat(api.get("/api/v1/sms-platforms/" + id).json()).isEqualTo(created.json());

        Api.Response updated = api.put("/api/v1/sms-platforms/" + id, "{\"name\":\"Aliyun\",\"callbackUrlPrefix\":\"http://10.0.0.7:8080\"}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.text("/callbackUrlPrefix")).isEqualTo("http://10.0.0.7:8080");
        assertThat(updated.text("/createdAt")).isEqualTo(created.text("/createdAt"));

        assertThat(api.delete("/api/v1/sms-platforms/" + id).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/sms-platforms/" + id).status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/sms-platforms/" + id).status()).isEqualTo(404);
    }

    @Test
    void emailPlatformsReviewTemplatesUnlessToldOtherwise() {
        Api api = newOrg().admin();
        Api.Response reviewed = api.post("/api/v1/email-platforms", "{\"name\":\"Mail\",\"callbackUrlPrefix\":\"https://mail.example.com\"}");
        assertThat(reviewed.status()).isEqualTo(201);
        assertThat(reviewed.json().get("reviewTemplates").asBoolean()).isTrue();
        Api.Response unreviewed = api.post("/api/v1/email-platforms",
                "{\"name\":\"Mail 2\",\"callbackUrlPrefix\":\"https://mail.example.com\",\"reviewTemplates\":false}");
        assertThat(unreviewed.json().get("reviewTemplates").asBoolean()).isFalse();
        String id = unreviewed.text("/id");
        assertThat(api.put("/api/v1/email-platforms/" + id, "{\"name\":\"Mail 2\",\"callbackUrlPrefix\":\"https://mail.example.com\"}")
                .json().get("reviewTemplates").asBoolean()).isTrue();
        // an email platform is not an SMS platform
        assertThat(api.get("/api/v1/sms-platforms/" + id).status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/sms-platforms/" + id).status()).isEqualTo(404);
    }

    @Test
    void theCallbackPrefixIsACompleteHttpAddress() {
        Api api = newOrg().admin();
        for (String bad : new String[]{"", "sms.example.com", "ftp://sms.example.com", "https://", "https:///path", "https://u:p@sms.example.com",
                "https://sms.example.com/qa?x=1", "https://sms.example.com/qa#f", "https://sms example.com"}) {
            Api.Response r = api.post("/api/v1/sms-platforms", "{\"name\":\"S\",\"callbackUrlPrefix\":\"" + bad + "\"}");
            assertThat(r.status()).as(bad + " -> " + r).isEqualTo(422);
            assertThat(r.text("/field")).isEqualTo("callbackUrlPrefix");
        }
        Api.Response noName = api.post("/api/v1/email-platforms", "{\"callbackUrlPrefix\":\"https://m.example.com\"}");
        assertThat(noName.status()).isEqualTo(422);
        assertThat(noName.text("/field")).isEqualTo("name");
    }

    @Test
    void namesAreUniquePerWorkspaceAndType() {
        Org org = newOrg();
        Api api = org.admin();
        String body = "{\"name\":\"Gateway\",\"callbackUrlPrefix\":\"https://g.example.com\"}";
        assertThat(api.post("/api/v1/sms-platforms", body).status()).isEqualTo(201);
        Api.Response dup = api.post("/api/v1/sms-platforms", body);
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.text("/code")).isEqualTo("duplicate");
        assertThat(dup.text("/field")).isEqualTo("name");
        assertThat(api.post("/api/v1/email-platforms", body).status()).as("another type").isEqualTo(201);
        Api ws2 = api.as(api.post("/api/v1/workspaces", "{\"name\":\"second\"}").text("/adminKey/key"));
        assertThat(ws2.post("/api/v1/sms-platforms", body).status()).as("another workspace").isEqualTo(201);

        String other = api.post("/api/v1/sms-platforms", "{\"name\":\"Other\",\"callbackUrlPrefix\":\"https://o.example.com\"}").text("/id");
        assertThat(api.put("/api/v1/sms-platforms/" + other, body).status()).isEqualTo(409);
        assertThat(api.put("/api/v1/sms-platforms/" + other, "{\"name\":\"Other\",\"callbackUrlPrefix\":\"https://o2.example.com\"}").status())
                .as("its own name").isEqualTo(200);
    }

    @Test
    void listsPageAndFilterByName() {
        Api api = newOrg().admin();
        for (String n : new String[]{"Beta SMS", "alpha sms", "Gamma 100%", "delta"}) {
            api.post("/api/v1/sms-platforms", "{\"name\":\"" + n + "\",\"callbackUrlPrefix\":\"https://s.example.com\"}");
        }
        JsonNode all = api.get("/api/v1/sms-platforms?size=2").json();
        assertThat(all.get("total").asLong()).isEqualTo(4);
        assertThat(all.get("items")).extracting(n -> n.get("name").asString()).containsExactly("Beta SMS", "Gamma 100%");
        assertThat(api.get("/api/v1/sms-platforms?size=2&page=1").json().get("items")).extracting(n -> n.get("name").asString())
                .containsExactly("alpha sms", "delta");
        assertThat(api.get("/api/v1/sms-platforms?name=SMS").json().get("total").asLong()).isEqualTo(2);
        assertThat(api.get("/api/v1/sms-platforms?name=0%25").json().get("total").asLong()).isEqualTo(1);
        assertThat(api.get("/api/v1/email-platforms").json().get("total").asLong()).isZero();
        assertThat(api.get("/api/v1/sms-platforms?size=500").status()).isEqualTo(400);
    }

    @Test
    void analystsReadDevelopersWrite() {
        Org org = newOrg();
        String id = org.admin().post("/api/v1/sms-platforms", "{\"name\":\"S\",\"callbackUrlPrefix\":\"https://s.example.com\"}").text("/id");
        Api analyst = key(org, "ANALYST");
        assertThat(analyst.get("/api/v1/sms-platforms/" + id).status()).isEqualTo(200);
        assertThat(analyst.get("/api/v1/sms-platforms").status()).isEqualTo(200);
        assertThat(analyst.post("/api/v1/sms-platforms", "{\"name\":\"T\",\"callbackUrlPrefix\":\"https://s.example.com\"}").status()).isEqualTo(403);
        assertThat(analyst.put("/api/v1/sms-platforms/" + id, "{\"name\":\"T\",\"callbackUrlPrefix\":\"https://s.example.com\"}").status()).isEqualTo(403);
        assertThat(analyst.delete("/api/v1/sms-platforms/" + id).status()).isEqualTo(403);
    }

    @Test
    void aPlatformInUseCannotBeDeleted() {
        Api api = newOrg().admin();
        String id = api.post("/api/v1/email-platforms", "{\"name\":\"M\",\"callbackUrlPrefix\":\"https://m.example.com\"}").text("/id");
        usages.use(id, "journey 'Welcome series'");
        try {
            Api.Response r = api.delete("/api/v1/email-platforms/" + id);
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.text("/code")).isEqualTo("in-use");
            assertThat(r.text("/detail")).contains("'Welcome series'");
        } finally {
            usages.release(id);
        }
        assertThat(api.delete("/api/v1/email-platforms/" + id).status()).isEqualTo(204);
    }
}
