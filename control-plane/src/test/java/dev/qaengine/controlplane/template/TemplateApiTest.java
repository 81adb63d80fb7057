package dev.qaengine.controlplane.template;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import dev.qaengine.controlplane.support.FakePlatform;
import dev.qaengine.controlplane.support.TestUsages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Signatures and templates against a platform that implements CONTRACTS.md §4 and checks what it receives. */
class TemplateApiTest extends ControlPlaneTest {
    static final String SMS_BODY = """
            {"platformId":"%s","name":"Cart reminder","content":"您的购物车里还有${count}件商品","type":"PROMOTION","subject":"购物车提醒",
             "remark":"Cart reminders"}""";
    static final String EMAIL_BODY = """
            {"platformId":"%s","name":"Welcome","subject":"Welcome, ${name}","content":"<p>Hello ${name}</p>","senderName":"QA Shop",
             "remark":"After sign-up"}""";

    @Autowired
    TestUsages usages;

    FakePlatform.Tenant platform;
    Org org;
    Api api;
    String sms;
    String email;

    @BeforeEach
    void platforms() {
        platform = FakePlatform.tenant();
        org = newOrg();
        api = key(org, "DEVELOPER");
        sms = created(api.post("/api/v1/sms-platforms", "{\"name\":\"SMS\",\"callbackUrlPrefix\":\"" + platform.prefix() + "/\"}"));
        email = created(api.post("/api/v1/email-platforms", "{\"name\":\"Mail\",\"callbackUrlPrefix\":\"" + platform.prefix() + "\"}"));
    }

    @AfterEach
    void theContractWasKept() {
        assertThat(platform.violations()).as(FakePlatform.describe(platform.requests()).toString()).isEmpty();
    }

    static String created(Api.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.text("/id");
    }

    @Nested
    class SmsTemplates {
        @Test
        void createdAtThePlatformThenReviewedOnDemand() {
            Api.Response r = api.post("/api/v1/sms-templates", SMS_BODY.formatted(sms));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            assertThat(r.text("/status")).isEqualTo("PENDING");
            String code = r.text("/templateCode");
            assertThat(code).startsWith("SMS_");

            var posted = platform.requests("POST", "/sms/smsTemplate");
            assertThat(posted).hasSize(1);
            assertThat(posted.get(0).body().toString()).isEqualTo(
                    "{\"remark\":\"Cart reminders\",\"templateContent\":\"您的购物车里还有${count}件商品\",\"templateName\":\"Cart reminder\","
                            + "\"templateSubject\":\"购物车提醒\",\"templateType\":2}");

            platform.review(code, 1, "无审核备注");
            Api.Response synced = api.post("/api/v1/sms-templates/" + r.text("/id") + "/sync", "");
            assertThat(synced.status()).as(synced.toString()).isEqualTo(200);
            assertThat(synced.text("/status")).isEqualTo("APPROVED");
            assertThat(synced.text("/reason")).isEqualTo("无审核备注");
            assertThat(synced.text("/statusSyncedAt")).isNotEmpty();
            assertThat(platform.requests("GET", "/sms/smsTemplate/" + code)).isNotEmpty();
            assertThat(api.get("/api/v1/sms-templates/" + r.text("/id")).json()).isEqualTo(synced.json());
        }

        @Test
        void anUpdateGoesToThePlatformAndIsReviewedAgain() {
            Api.Response r = api.post("/api/v1/sms-templates", SMS_BODY.formatted(sms));
            String id = r.text("/id");
            String code = r.text("/templateCode");
            platform.review(code, 1, null);
            api.post("/api/v1/sms-templates/" + id + "/sync", "");

            Api.Response updated = api.put("/api/v1/sms-templates/" + id,
                    SMS_BODY.formatted(sms).replace("PROMOTION", "NOTIFICATION").replace(",\"subject\":\"购物车提醒\"", ""));
            assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
            assertThat(updated.text("/status")).isEqualTo("PENDING");
            assertThat(updated.text("/templateCode")).isEqualTo(code);
            assertThat(updated.json().get("subject").isNull()).isTrue();
            var put = platform.requests("PUT", "/sms/smsTemplate/" + code);
            assertThat(put).hasSize(1);
            assertThat(put.get(0).body().get("templateType").asInt()).isEqualTo(1);
            assertThat(put.get(0).body().has("templateSubject")).isFalse();

            platform.review(code, 2, "含营销内容");
            Api.Response rejected = api.post("/api/v1/sms-templates/" + id + "/sync", "");
            assertThat(rejected.text("/status")).isEqualTo("REJECTED");
            assertThat(rejected.text("/reason")).isEqualTo("含营销内容");

            Api.Response moved = api.put("/api/v1/sms-templates/" + id, SMS_BODY.formatted(email));
            assertThat(moved.status()).isEqualTo(422);
            assertThat(moved.text("/field")).isEqualTo("platformId");
        }

        @Test
        void pendingTemplatesAreSynchronizedByThePoll() {
            Api.Response r = api.post("/api/v1/sms-templates", SMS_BODY.formatted(sms));
            String id = r.text("/id");
            platform.review(r.text("/templateCode"), 1, "通过");
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(api.get("/api/v1/sms-templates/" + id).text("/status")).isEqualTo("APPROVED"));
            assertThat(api.get("/api/v1/sms-templates/" + id).text("/reason")).isEqualTo("通过");
            int asked = platform.requests("GET", "/sms/smsTemplate/").size();
            // approved: the poll stops asking
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                    platform.requests("GET", "/sms/smsTemplate/").size() == asked);
        }

        @Test
        void thePlatformsRefusalIsA502WithItsCodeAndMessageAndNothingIsStored() {
            platform.failNext(400, "isv.TEMPLATE_CONTENT_ILLEGAL", "模板内容不合法");
            Api.Response refused = api.post("/api/v1/sms-templates", SMS_BODY.formatted(sms));
            assertThat(refused.status()).isEqualTo(502);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.text("/code")).isEqualTo("platform-error");
            assertThat(refused.text("/platformCode")).isEqualTo("isv.TEMPLATE_CONTENT_ILLEGAL");
            assertThat(refused.text("/platformMessage")).isEqualTo("模板内容不合法");
            assertThat(refused.json().get("platformHttpStatus").asInt()).isEqualTo(400);
            assertThat(refused.text("/platformRequestId")).isEqualTo("req-isv.TEMPLATE_CONTENT_ILLEGAL");
            assertThat(refused.text("/detail")).contains("isv.TEMPLATE_CONTENT_ILLEGAL").contains("模板内容不合法");

            platform.failNext(200, "isv.BUSINESS_LIMIT_CONTROL", "too many templates");
            Api.Response inBody = api.post("/api/v1/sms-templates", SMS_BODY.formatted(sms));
            assertThat(inBody.status()).as("HTTP 200 with an error code is an error").isEqualTo(502);
            assertThat(inBody.text("/platformCode")).isEqualTo("isv.BUSINESS_LIMIT_CONTROL");

            assertThat(api.get("/api/v1/sms-templates").json().get("total").asLong()).isZero();
            assertThat(api.post("/api/v1/sms-templates", SMS_BODY.formatted(sms)).status()).isEqualTo(201);
        }

        @Test
        void anUnreachablePlatformIsA502Too() throws Exception {
            int closed;
            try (ServerSocket s = new ServerSocket(0)) {
                closed = s.getLocalPort();
            }
            String gone = created(api.post("/api/v1/sms-platforms", "{\"name\":\"Gone\",\"callbackUrlPrefix\":\"http://127.0.0.1:" + closed + "\"}"));
            Api.Response r = api.post("/api/v1/sms-templates", SMS_BODY.formatted(gone));
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.text("/code")).isEqualTo("platform-unavailable");
            assertThat(r.text("/detail")).contains("could not be reached");
        }

        @Test
        void validationNamesTheFieldAndCallsNoPlatform() {
            String[][] cases = {
                    {SMS_BODY.formatted(sms).replace("Cart reminder", "x".repeat(31)), "name"},
                    {SMS_BODY.formatted(sms).replace("您的购物车里还有${count}件商品", "长".repeat(501)), "content"},
                    {SMS_BODY.formatted(sms).replace("PROMOTION", "MARKETING"), "type"},
                    {SMS_BODY.formatted(sms).replace("购物车提醒", "x".repeat(21)), "subject"},
                    {SMS_BODY.formatted(sms).replace("\"Cart reminders\"", "\"\""), "remark"},
                    {SMS_BODY.formatted("no-such-platform"), "platformId"},
                    {SMS_BODY.formatted(email), "platformId"},
            };
            for (String[] c : cases) {
                Api.Response r = api.post("/api/v1/sms-templates", c[0]);
                assertThat(r.status()).as(c[1] + ": " + r).isEqualTo(422);
                assertThat(r.text("/field")).isEqualTo(c[1]);
            }
            assertThat(platform.requests()).isEmpty();
            assertThat(api.post("/api/v1/sms-templates", SMS_BODY.formatted(sms)).status()).isEqualTo(201);
            Api.Response dup = api.post("/api/v1/sms-templates", SMS_BODY.formatted(sms));
            assertThat(dup.status()).isEqualTo(409);
            assertThat(dup.text("/field")).isEqualTo("name");
            assertThat(platform.requests("POST", "/sms/smsTemplate")).as("no second call for a duplicate").hasSize(1);
        }

        @Test
        void listsFilterByPlatformStatusAndName() {
            String a = api.post("/api/v1/sms-templates", SMS_BODY.formatted(sms).replace("Cart reminder", "Alpha")).text("/templateCode");
            api.post("/api/v1/sms-templates", SMS_BODY.formatted(sms).replace("Cart reminder", "Beta"));
            platform.review(a, 1, null);
            String alphaId = api.get("/api/v1/sms-templates?name=alp").json().at("/items/0/id").asString();
            api.post("/api/v1/sms-templates/" + alphaId + "/sync", "");
            JsonNode approved = api.get("/api/v1/sms-templates?status=APPROVED&platformId=" + sms).json();
            assertThat(approved.get("total").asLong()).isEqualTo(1);
            assertThat(approved.at("/items/0/name").asString()).isEqualTo("Alpha");
            assertThat(api.get("/api/v1/sms-templates?platformId=" + email).json().get("total").asLong()).isZero();
            assertThat(api.get("/api/v1/sms-templates?size=1").json().get("items")).hasSize(1);
            assertThat(api.get("/api/v1/sms-templates?status=WAITING").status()).isEqualTo(400);
        }

        @Test
        void aTemplateOrPlatformInUseStays() {
            String id = created(api.post("/api/v1/sms-templates", SMS_BODY.formatted(sms)));
            Api.Response platformInUse = api.delete("/api/v1/sms-platforms/" + sms);
            assertThat(platformInUse.status()).isEqualTo(409);
            assertThat(platformInUse.text("/code")).isEqualTo("in-use");
            assertThat(platformInUse.text("/detail")).contains("SMS template 'Cart reminder'");

            usages.use(id, "journey 'Cart reminder'");
            try {
                Api.Response templateInUse = api.delete("/api/v1/sms-templates/" + id);
                assertThat(templateInUse.status()).isEqualTo(409);
                assertThat(templateInUse.text("/code")).isEqualTo("in-use");
            } finally {
                usages.release(id);
            }
            assertThat(api.delete("/api/v1/sms-templates/" + id).status()).isEqualTo(204);
            assertThat(api.delete("/api/v1/sms-platforms/" + sms).status()).isEqualTo(204);
        }
    }

    @Test
    void deletingTheOrganizationTakesItsSignaturesAndTemplates() {
        platform.sign("S", 0, null);
        created(api.post("/api/v1/sms-signatures", "{\"platformId\":\"" + sms + "\",\"signName\":\"S\"}"));
        created(api.post("/api/v1/sms-templates", SMS_BODY.formatted(sms)));
        created(api.post("/api/v1/email-templates", EMAIL_BODY.formatted(email)));
        assertThat(platform().delete("/api/v1/organizations/" + org.id()).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/sms-templates").status()).isEqualTo(401);
    }

    @Nested
    class Signatures {
        @Test
        void aSignatureThePlatformKnowsIsRegisteredWithItsStatus() {
            platform.sign("QA商城", 0, null);
            Api.Response r = api.post("/api/v1/sms-signatures", "{\"platformId\":\"" + sms + "\",\"signName\":\"QA商城\"}");
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            assertThat(r.text("/status")).isEqualTo("PENDING");
            assertThat(platform.requests("GET", "/sms/smsSign/QA商城")).hasSize(1);

            platform.sign("QA商城", 1, "无审核备注");
            Api.Response synced = api.post("/api/v1/sms-signatures/" + r.text("/id") + "/sync", "");
            assertThat(synced.text("/status")).isEqualTo("APPROVED");

            Api.Response dup = api.post("/api/v1/sms-signatures", "{\"platformId\":\"" + sms + "\",\"signName\":\"QA商城\"}");
            assertThat(dup.status()).isEqualTo(409);
            assertThat(dup.text("/field")).isEqualTo("signName");
            assertThat(api.get("/api/v1/sms-signatures?status=APPROVED").json().get("total").asLong()).isEqualTo(1);
            assertThat(api.delete("/api/v1/sms-signatures/" + r.text("/id")).status()).isEqualTo(204);
        }

        @Test
        void anUnknownSignatureIsThePlatformsErrorAndBracketsAreRefused() {
            Api.Response unknown = api.post("/api/v1/sms-signatures", "{\"platformId\":\"" + sms + "\",\"signName\":\"Nobody\"}");
            assertThat(unknown.status()).isEqualTo(502);
            assertThat(unknown.text("/platformCode")).isEqualTo("isv.SMS_SIGN_NOT_EXIST");
            assertThat(api.get("/api/v1/sms-signatures").json().get("total").asLong()).isZero();

            Api.Response brackets = api.post("/api/v1/sms-signatures", "{\"platformId\":\"" + sms + "\",\"signName\":\"【QA商城】\"}");
            assertThat(brackets.status()).isEqualTo(422);
            assertThat(brackets.text("/field")).isEqualTo("signName");
        }

        @Test
        void pendingSignaturesAreSynchronizedByThePoll() {
            platform.sign("Slow", 0, null);
            String id = created(api.post("/api/v1/sms-signatures", "{\"platformId\":\"" + sms + "\",\"signName\":\"Slow\"}"));
            platform.sign("Slow", 2, "资质不全");
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(api.get("/api/v1/sms-signatures/" + id).text("/status")).isEqualTo("REJECTED"));
            assertThat(api.get("/api/v1/sms-signatures/" + id).text("/reason")).isEqualTo("资质不全");
        }
    }

    @Nested
    class EmailTemplates {
        @Test
        void reviewedByDefault() {
            Api.Response r = api.post("/api/v1/email-templates", EMAIL_BODY.formatted(email));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            assertThat(r.text("/status")).isEqualTo("PENDING");
            assertThat(r.text("/templateCode")).startsWith("EMAIL_");
            assertThat(platform.requests("POST", "/email/emailTemplate").get(0).body().toString()).isEqualTo(
                    "{\"remark\":\"After sign-up\",\"senderName\":\"QA Shop\",\"templateContent\":\"<p>Hello ${name}</p>\","
                            + "\"templateName\":\"Welcome\",\"templateSubject\":\"Welcome, ${name}\"}");
            platform.review(r.text("/templateCode"), 1, null);
            assertThat(api.post("/api/v1/email-templates/" + r.text("/id") + "/sync", "").text("/status")).isEqualTo("APPROVED");

            Api.Response updated = api.put("/api/v1/email-templates/" + r.text("/id"), EMAIL_BODY.formatted(email).replace("QA Shop", "QA"));
            assertThat(updated.status()).isEqualTo(200);
            assertThat(updated.text("/status")).isEqualTo("PENDING");
            assertThat(platform.requests("PUT", "/email/emailTemplate/" + r.text("/templateCode")).get(0).body().get("senderName").asString())
                    .isEqualTo("QA");
        }

        @Test
        void approvedAtOnceWhenThePlatformDoesNotReview() {
            String unreviewed = created(api.post("/api/v1/email-platforms",
                    "{\"name\":\"Mail 2\",\"callbackUrlPrefix\":\"" + platform.prefix() + "\",\"reviewTemplates\":false}"));
            Api.Response r = api.post("/api/v1/email-templates", EMAIL_BODY.formatted(unreviewed));
            assertThat(r.text("/status")).isEqualTo("APPROVED");
            assertThat(api.post("/api/v1/email-templates/" + r.text("/id") + "/sync", "").text("/status")).isEqualTo("APPROVED");
            assertThat(platform.requests("GET", "/email/emailTemplate/")).as("nothing to ask").isEmpty();
        }

        @Test
        void contentIsAtMost28Kilobytes() {
            String big = EMAIL_BODY.formatted(email).replace("<p>Hello ${name}</p>", "x".repeat(28 * 1024 + 1));
            Api.Response r = api.post("/api/v1/email-templates", big);
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.text("/field")).isEqualTo("content");
            assertThat(platform.requests()).isEmpty();
            assertThat(api.post("/api/v1/email-templates", EMAIL_BODY.formatted(email).replace("<p>Hello ${name}</p>", "x".repeat(28 * 1024)))
                    .status()).isEqualTo(201);
        }
    }
}
