package dev.qaengine.controlplane.channel;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import dev.qaengine.controlplane.support.TestUsages;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookApiTest extends ControlPlaneTest {
    static final String SECRET = "webhook-secret-123456789";
    static final String BODY = """
            {"name":"Coupons","url":"https://partner.example.com/hook","auth":"SECRET","secret":"%s","idTypes":["OPEN_ID","MOBILE"],
             "parameters":[{"name":"define_item1","displayName":"Coupon","type":"TEXT","required":true},{"name":"amount","type":"NUMBER"}],
             "receipt":{"period":30,"periodUnit":"MINUTES","statusCodes":[{"code":"200","status":"SUCCESS"},{"code":"E1","status":"FAILURE"}]}}"""
            .formatted(SECRET);

    @Autowired
    TestUsages usages;
    @Autowired
    JdbcClient jdbc;

    static String create(Api api, String body) {
        Api.Response r = api.post("/api/v1/webhooks", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.text("/id");
    }

    /** A new webhook, disabled so that it can be edited and deleted (a new webhook starts ENABLED). */
    static String createDisabled(Api api, String body) {
        String id = create(api, body);
        Api.Response r = api.post("/api/v1/webhooks/" + id + "/disable", "");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text("/state")).isEqualTo("DISABLED");
        return id;
    }

    @Nested
    class Resource {
        @Test
        void createdEnabledWithTheSecretWriteOnly() {
            Api api = key(newOrg(), "DEVELOPER");
            Api.Response r = api.post("/api/v1/webhooks", BODY);
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.text("/state")).isEqualTo("ENABLED");
            assertThat(r.json().get("secretSet").asBoolean()).isTrue();
            assertThat(r.body()).doesNotContain(SECRET).doesNotContain("\"secret\"");
            assertThat(r.json().get("idTypes")).extracting(JsonNode::asString).containsExactly("OPEN_ID", "MOBILE");
            assertThat(r.text("/parameters/1/displayName")).as("defaults to the name").isEqualTo("amount");
            assertThat(r.json().at("/parameters/1/required").asBoolean()).isFalse();
            assertThat(r.text("/receipt/periodUnit")).isEqualTo("MINUTES");
            assertThat(api.get("/api/v1/webhooks/" + r.text("/id")).json()).isEqualTo(r.json());
            assertThat(api.get("/api/v1/webhooks").body()).doesNotContain(SECRET);

            String stored = jdbc.sql("select secrets from channel_interface where id = ?").param(r.text("/id")).query(String.class).single();
            assertThat(stored).contains("\"secret\":\"v1:").doesNotContain(SECRET);
        }

        @Test
        void anUpdateWithoutTheSecretKeepsItAndAuthNoneDropsIt() {
            Api api = newOrg().admin();
            String id = createDisabled(api, BODY);
            String before = sealedSecret(id);

            Api.Response kept = api.put("/api/v1/webhooks/" + id, BODY.replace("\"secret\":\"" + SECRET + "\",", "").replace("Coupons", "Coupons 2"));
            assertThat(kept.status()).as(kept.toString()).isEqualTo(200);
            assertThat(kept.json().get("secretSet").asBoolean()).isTrue();
            assertThat(sealedSecret(id)).isEqualTo(before);

            assertThat(api.put("/api/v1/webhooks/" + id, BODY.replace(SECRET, "another-secret")).status()).isEqualTo(200);
            assertThat(JOBS_SECRET_BOX.open(sealedSecret(id))).isEqualTo("another-secret");

            Api.Response none = api.put("/api/v1/webhooks/" + id, BODY.replace("\"auth\":\"SECRET\",\"secret\":\"" + SECRET + "\"", "\"auth\":\"NONE\""));
            assertThat(none.status()).as(none.toString()).isEqualTo(200);
            assertThat(none.json().get("secretSet").asBoolean()).isFalse();
            assertThat(sealedSecret(id)).isNull();

            Api.Response needsOne = api.put("/api/v1/webhooks/" + id, BODY.replace("\"secret\":\"" + SECRET + "\",", ""));
            assertThat(needsOne.status()).isEqualTo(422);
            assertThat(needsOne.text("/field")).isEqualTo("secret");
        }

        String sealedSecret(String id) {
            String json = jdbc.sql("select secrets from channel_interface where id = ?").param(id).query(String.class).single();
            JsonNode secret = Api.json().readTree(json).get("secret");
            return secret == null ? null : secret.asString();
        }

        @Test
        void validationNamesTheField() {
            Api api = newOrg().admin();
            String[][] cases = {
                    {BODY.replace("https://partner.example.com/hook", "partner.example.com/hook"), "url"},
                    {BODY.replace("\"auth\":\"SECRET\",\"secret\":\"" + SECRET + "\"", "\"auth\":\"SECRET\""), "secret"},
                    {BODY.replace("\"auth\":\"SECRET\"", "\"auth\":\"NONE\""), "secret"},
                    {BODY.replace("\"auth\":\"SECRET\"", "\"auth\":\"TOKEN\""), "auth"},
                    {BODY.replace("[\"OPEN_ID\",\"MOBILE\"]", "[]"), "idTypes"},
                    {BODY.replace("[\"OPEN_ID\",\"MOBILE\"]", "[\"OPEN_ID\",\"OPEN_ID\"]"), "idTypes[1]"},
                    {BODY.replace("[\"OPEN_ID\",\"MOBILE\"]", "[\"QQ\"]"), "idTypes[0]"},
                    {BODY.replace("\"name\":\"amount\"", "\"name\":\"vars\""), "parameters[1].name"},
                    {BODY.replace("\"name\":\"amount\"", "\"name\":\"define_item1\""), "parameters[1].name"},
                    {BODY.replace("\"name\":\"amount\"", "\"name\":\"1st\""), "parameters[1].name"},
                    {BODY.replace("\"name\":\"amount\",\"type\":\"NUMBER\"", "\"name\":\"amount\",\"type\":\"DATE\""), "parameters[1].type"},
                    {BODY.replace("\"period\":30,\"periodUnit\":\"MINUTES\"", "\"period\":73,\"periodUnit\":\"HOURS\""), "receipt.period"},
                    {BODY.replace("\"period\":30,\"periodUnit\":\"MINUTES\"", "\"period\":4321,\"periodUnit\":\"MINUTES\""), "receipt.period"},
                    {BODY.replace("\"period\":30", "\"period\":0"), "receipt.period"},
                    {BODY.replace("\"periodUnit\":\"MINUTES\"", "\"periodUnit\":\"DAYS\""), "receipt.periodUnit"},
                    {BODY.replace("\"code\":\"E1\"", "\"code\":\"200\""), "receipt.statusCodes[1].code"},
                    {BODY.replace("\"status\":\"FAILURE\"", "\"status\":\"MAYBE\""), "receipt.statusCodes[1].status"},
                    {BODY.replace("[{\"code\":\"200\",\"status\":\"SUCCESS\"},{\"code\":\"E1\",\"status\":\"FAILURE\"}]", "[]"), "receipt.statusCodes"},
            };
            for (String[] c : cases) {
                Api.Response r = api.post("/api/v1/webhooks", c[0]);
                assertThat(r.status()).as(c[1] + ": " + r).isEqualTo(422);
                assertThat(r.text("/field")).as(r.toString()).isEqualTo(c[1]);
                assertThat(r.body()).doesNotContain(SECRET);
            }
            assertThat(api.get("/api/v1/webhooks").json().get("total").asLong()).isZero();
            assertThat(api.post("/api/v1/webhooks", BODY.replace("\"period\":30,\"periodUnit\":\"MINUTES\"", "\"period\":72,\"periodUnit\":\"HOURS\""))
                    .status()).as("72 hours is allowed").isEqualTo(201);
        }

        @Test
        void receiptsAreOptional() {
            Api api = newOrg().admin();
            String body = BODY.substring(0, BODY.indexOf(",\n \"receipt\"")) + "}";
            Api.Response r = api.post("/api/v1/webhooks", body);
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            assertThat(r.json().get("receipt").isNull()).isTrue();
        }

        @Test
        void listsFilterByStateAndIdType() {
            Api api = newOrg().admin();
            create(api, BODY.replace("Coupons", "A"));
            createDisabled(api, BODY.replace("Coupons", "B").replace("[\"OPEN_ID\",\"MOBILE\"]", "[\"EMAIL\"]"));
            assertThat(names(api.get("/api/v1/webhooks?state=ENABLED"))).containsExactly("A");
            assertThat(names(api.get("/api/v1/webhooks?state=DISABLED"))).containsExactly("B");
            assertThat(names(api.get("/api/v1/webhooks?idType=MOBILE"))).containsExactly("A");
            assertThat(names(api.get("/api/v1/webhooks?idType=EMAIL&state=ENABLED"))).isEmpty();
            assertThat(names(api.get("/api/v1/webhooks?idType=OPEN"))).as("never matched").isEmpty();
            assertThat(api.get("/api/v1/webhooks?idType=OPEN").status()).isEqualTo(400);
            assertThat(names(api.get("/api/v1/webhooks?name=b"))).containsExactly("B");
        }
    }

    static java.util.List<String> names(Api.Response r) {
        if (r.status() != 200) {
            return java.util.List.of();
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        r.json().get("items").forEach(n -> out.add(n.get("name").asString()));
        return out;
    }

    @Nested
    class Lifecycle {
        /** The product: a new webhook is enabled; to edit or delete it, disable it first; a copy starts disabled. */
        @Test
        void aNewWebhookIsEnabledAndMustBeDisabledBeforeAnEditOrADeletion() {
            Api api = key(newOrg(), "DEVELOPER");
            Api.Response created = api.post("/api/v1/webhooks", BODY);
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(created.text("/state")).isEqualTo("ENABLED");
            String id = created.text("/id");
            assertThat(api.get("/api/v1/webhooks/" + id).text("/state")).isEqualTo("ENABLED");

            Api.Response edit = api.put("/api/v1/webhooks/" + id, BODY.replace("Coupons", "Coupons v2"));
            assertThat(edit.status()).isEqualTo(409);
            assertThat(edit.text("/code")).isEqualTo("enabled");
            assertThat(edit.text("/detail")).contains("webhook 'Coupons' is enabled").contains("disable it").contains("edited");
            Api.Response delete = api.delete("/api/v1/webhooks/" + id);
            assertThat(delete.status()).isEqualTo(409);
            assertThat(delete.text("/code")).isEqualTo("enabled");
            assertThat(delete.text("/detail")).contains("webhook 'Coupons' is enabled").contains("disable it").contains("deleted");
            Api.Response unchanged = api.get("/api/v1/webhooks/" + id);
            assertThat(unchanged.text("/name")).as("the refused edit changed nothing").isEqualTo("Coupons");
            assertThat(unchanged.text("/state")).isEqualTo("ENABLED");

            Api.Response disabled = api.post("/api/v1/webhooks/" + id + "/disable", "");
            assertThat(disabled.status()).isEqualTo(200);
            assertThat(disabled.text("/state")).isEqualTo("DISABLED");
            Api.Response edited = api.put("/api/v1/webhooks/" + id, BODY.replace("Coupons", "Coupons v2"));
            assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
            assertThat(edited.text("/name")).isEqualTo("Coupons v2");
            assertThat(edited.text("/state")).as("an edit keeps the state").isEqualTo("DISABLED");

            Api.Response copy = api.post("/api/v1/webhooks/" + create(api, BODY.replace("Coupons", "Vouchers")) + "/copy", "{}");
            assertThat(copy.status()).as(copy.toString()).isEqualTo(201);
            assertThat(copy.text("/state")).as("a copy of an enabled webhook").isEqualTo("DISABLED");
            assertThat(api.post("/api/v1/webhooks/" + id + "/copy", "{}").text("/state")).as("a copy of a disabled one").isEqualTo("DISABLED");
            assertThat(api.put("/api/v1/webhooks/" + copy.text("/id"), BODY.replace("Coupons", "Vouchers v2")).status())
                    .as("a copy can be edited at once").isEqualTo(200);

            assertThat(api.delete("/api/v1/webhooks/" + id).status()).isEqualTo(204);
            assertThat(api.get("/api/v1/webhooks/" + id).status()).isEqualTo(404);
        }

        @Test
        void enableAndDisableAreIdempotentAndGateEditAndDelete() {
            Api api = key(newOrg(), "DEVELOPER");
            String id = create(api, BODY);
            Api.Response enabled = api.post("/api/v1/webhooks/" + id + "/enable", "");
            assertThat(enabled.status()).isEqualTo(200);
            assertThat(enabled.text("/state")).as("already enabled").isEqualTo("ENABLED");

            assertThat(api.post("/api/v1/webhooks/" + id + "/disable", "").text("/state")).isEqualTo("DISABLED");
            assertThat(api.post("/api/v1/webhooks/" + id + "/disable", "").text("/state")).isEqualTo("DISABLED");
            assertThat(api.put("/api/v1/webhooks/" + id, BODY.replace("Coupons", "Coupons v2")).status()).isEqualTo(200);

            assertThat(api.post("/api/v1/webhooks/" + id + "/enable", "").text("/state")).isEqualTo("ENABLED");
            assertThat(api.post("/api/v1/webhooks/" + id + "/enable", "").text("/state")).isEqualTo("ENABLED");
            Api.Response edit = api.put("/api/v1/webhooks/" + id, BODY);
            assertThat(edit.status()).isEqualTo(409);
            assertThat(edit.text("/code")).isEqualTo("enabled");
            Api.Response delete = api.delete("/api/v1/webhooks/" + id);
            assertThat(delete.status()).isEqualTo(409);
            assertThat(delete.text("/code")).isEqualTo("enabled");

            assertThat(api.post("/api/v1/webhooks/" + id + "/disable", "").text("/state")).isEqualTo("DISABLED");
            assertThat(api.delete("/api/v1/webhooks/" + id).status()).isEqualTo(204);
            assertThat(api.post("/api/v1/webhooks/" + id + "/enable", "").status()).isEqualTo(404);
        }

        @Test
        void aWebhookInUseCannotBeDeleted() {
            Api api = newOrg().admin();
            String id = createDisabled(api, BODY);
            usages.use(id, "journey 'Cart reminder'");
            try {
                Api.Response r = api.delete("/api/v1/webhooks/" + id);
                assertThat(r.status()).isEqualTo(409);
                assertThat(r.text("/code")).isEqualTo("in-use");
                assertThat(r.text("/detail")).contains("Cart reminder");
            } finally {
                usages.release(id);
            }
            assertThat(api.delete("/api/v1/webhooks/" + id).status()).isEqualTo(204);
        }

        @Test
        void aCopyIsDisabledWithTheSameSettingsAndSecret() {
            Api api = newOrg().admin();
            String id = create(api, BODY);
            assertThat(api.get("/api/v1/webhooks/" + id).text("/state")).isEqualTo("ENABLED");

            Api.Response copy = api.send("POST", "/api/v1/webhooks/" + id + "/copy", null, java.net.http.HttpRequest.BodyPublishers.noBody());
            assertThat(copy.status()).as(copy.toString()).isEqualTo(201);
            assertThat(copy.text("/id")).isNotEqualTo(id);
            assertThat(copy.text("/name")).isEqualTo("Coupons (copy)");
            assertThat(copy.text("/state")).isEqualTo("DISABLED");
            assertThat(copy.json().get("secretSet").asBoolean()).isTrue();
            JsonNode original = api.get("/api/v1/webhooks/" + id).json();
            for (String field : new String[]{"url", "auth", "idTypes", "parameters", "receipt"}) {
                assertThat(copy.json().get(field)).as(field).isEqualTo(original.get(field));
            }
            assertThat(api.post("/api/v1/webhooks/" + id + "/copy", "{}").text("/name")).isEqualTo("Coupons (copy 2)");
            Api.Response named = api.post("/api/v1/webhooks/" + id + "/copy", "{\"name\":\"Staging\"}");
            assertThat(named.text("/name")).isEqualTo("Staging");
            assertThat(api.post("/api/v1/webhooks/" + id + "/copy", "{\"name\":\"Staging\"}").status()).isEqualTo(409);

            String copySecret = jdbc.sql("select secrets from channel_interface where id = ?").param(copy.text("/id")).query(String.class).single();
            String originalSecret = jdbc.sql("select secrets from channel_interface where id = ?").param(id).query(String.class).single();
            assertThat(copySecret).isNotEqualTo(originalSecret); // sealed afresh
            assertThat(JOBS_SECRET_BOX.open(Api.json().readTree(copySecret).get("secret").asString())).isEqualTo(SECRET);
        }

        @Test
        void configuredStatusCodesCannotChangeOrGoButNewOnesMayCome() {
            Api api = newOrg().admin();
            String id = createDisabled(api, BODY);
            Api.Response changed = api.put("/api/v1/webhooks/" + id, BODY.replace("{\"code\":\"E1\",\"status\":\"FAILURE\"}", "{\"code\":\"E1\",\"status\":\"SUCCESS\"}"));
            assertThat(changed.status()).isEqualTo(409);
            assertThat(changed.text("/code")).isEqualTo("conflict");
            assertThat(changed.text("/field")).isEqualTo("receipt.statusCodes[1].status");

            Api.Response removed = api.put("/api/v1/webhooks/" + id, BODY.replace(",{\"code\":\"E1\",\"status\":\"FAILURE\"}", ""));
            assertThat(removed.status()).isEqualTo(409);
            assertThat(removed.text("/field")).isEqualTo("receipt.statusCodes");
            assertThat(removed.text("/detail")).contains("'E1'");

            String noReceipt = BODY.substring(0, BODY.indexOf(",\n \"receipt\"")) + "}";
            assertThat(api.put("/api/v1/webhooks/" + id, noReceipt).status()).isEqualTo(409);

            Api.Response added = api.put("/api/v1/webhooks/" + id, BODY.replace("\"period\":30,\"periodUnit\":\"MINUTES\"", "\"period\":2,\"periodUnit\":\"HOURS\"")
                    .replace("{\"code\":\"E1\",\"status\":\"FAILURE\"}", "{\"code\":\"E2\",\"status\":\"FAILURE\"},{\"code\":\"E1\",\"status\":\"FAILURE\"}"));
            assertThat(added.status()).as(added.toString()).isEqualTo(200);
            assertThat(added.json().at("/receipt/statusCodes")).hasSize(3);
        }

        @Test
        void analystsCannotSwitchOrCopy() {
            Org org = newOrg();
            String id = create(org.admin(), BODY);
            Api analyst = key(org, "ANALYST");
            assertThat(analyst.post("/api/v1/webhooks/" + id + "/disable", "").status()).isEqualTo(403);
            assertThat(analyst.post("/api/v1/webhooks/" + id + "/enable", "").status()).isEqualTo(403);
            assertThat(analyst.post("/api/v1/webhooks/" + id + "/copy", "{}").status()).isEqualTo(403);
            assertThat(analyst.get("/api/v1/webhooks/" + id).text("/state")).isEqualTo("ENABLED");
            assertThat(analyst.get("/api/v1/webhooks").json().get("total").asLong()).as("no copy made").isEqualTo(1);
        }
    }
}
