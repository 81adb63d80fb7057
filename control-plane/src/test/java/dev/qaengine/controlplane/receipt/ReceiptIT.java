package dev.qaengine.controlplane.receipt;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import dev.qaengine.controlplane.support.ControlRecords;
import dev.qaengine.controlplane.support.TestKafka;
import dev.qaengine.model.DeliveryReceipt;
import dev.qaengine.model.DeliveryStatus;
import dev.qaengine.model.Topics;
import dev.qaengine.model.WebhookSignature;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /restapi/thirdservice/webhook/receiveWebHookCallBack against a real broker: what is forwarded, what is refused and counted. */
class ReceiptIT extends ControlPlaneTest {
    static final String SECRET = "123456789";
    static final String WEBHOOK = """
            {"name":"%s","url":"https://partner.example.com/hook","auth":"%s"%s,"idTypes":["OPEN_ID"],
             "receipt":{"period":30,"periodUnit":"MINUTES","statusCodes":[{"code":"200","status":"SUCCESS"},{"code":"E1","status":"FAILURE"}]}}""";

    @Autowired
    JdbcClient jdbc;

    Org org;
    String webhook;

    @BeforeEach
    void aWebhookWithReceipts() {
        org = newOrg();
        webhook = create(WEBHOOK.formatted("Signed", "SECRET", ",\"secret\":\"" + SECRET + "\""));
    }

    String create(String body) {
        Api.Response r = org.admin().post("/api/v1/webhooks", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.text("/id");
    }

    static long now() {
        return System.currentTimeMillis();
    }

    static String receipt(String webhookId, String taskId, String status, long sendTime) {
        return """
                {"msg_id":"%s","status":"%s","cst_id":"1917810","send_time":"%d",
                 "callback_params":{"task_id":"%s","webhook_id":"%s","send_time":"%d"}}"""
                .formatted(UUID.randomUUID().toString().replace("-", ""), status, sendTime + 1000, taskId, webhookId, sendTime);
    }

    static String task() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** A request as a receiver sends it: timestamp, nonce, signature with the secret. */
    Api.Response send(String secret, long timestampSeconds, String nonce, String body) {
        return send(String.valueOf(timestampSeconds), nonce, WebhookSignature.sign(secret, String.valueOf(timestampSeconds), nonce), body);
    }

    Api.Response send(String timestamp, String nonce, String signature, String body) {
        StringBuilder q = new StringBuilder(ReceiptController.PATH);
        String sep = "?";
        if (timestamp != null) {
            q.append(sep).append("timestamp=").append(timestamp);
            sep = "&";
        }
        if (nonce != null) {
            q.append(sep).append("nonce=").append(nonce);
        }
        HttpRequest.Builder b = anonymous().builder(q.toString()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            b.header(WebhookSignature.HEADER, signature);
        }
        return anonymous().send(b);
    }

    Api.Response signed(String body) {
        return send(SECRET, now() / 1000, WebhookSignature.newNonce(), body);
    }

    double rejectedCount(String reason) {
        Api.Response r = anonymous().get("/actuator/metrics/qa.receipts.rejected?tag=reason:" + reason);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().at("/measurements/0/value").asDouble();
    }

    static List<ConsumerRecord<byte[], byte[]>> delivered(String taskId, int n) {
        return TestKafka.readUntil(Topics.DELIVERIES, taskId, l -> l.size() >= n, Duration.ofSeconds(30));
    }

    /** No record of the task on qa.deliveries (answers are given after Kafka acknowledged, so nothing is still in flight). */
    static void neverDelivered(String taskId) {
        assertThat(TestKafka.readToEnd(Topics.DELIVERIES)).noneMatch(r -> taskId.equals(new String(r.key(), StandardCharsets.UTF_8)));
    }

    static DeliveryReceipt read(ConsumerRecord<byte[], byte[]> r) throws Exception {
        return ControlRecords.JOBS_JSON.readValue(r.value(), DeliveryReceipt.class);
    }

    void assertRefused(Api.Response r, int status, String code, String reason, double before) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.text("/code")).isEqualTo(code);
        assertThat(r.text("/message")).isNotBlank();
        assertThat(r.text("/requestId")).hasSize(32);
        assertThat(rejectedCount(reason)).as("qa.receipts.rejected{reason=" + reason + "}").isEqualTo(before + 1);
    }

    @Nested
    class Accepted {
        @Test
        void signedReceiptsAreForwardedKeyedByTaskWithTheirStatusMapped() throws Exception {
            String t1 = task();
            String t2 = task();
            long sent = now() - 60_000;
            Api.Response r = signed("[" + receipt(webhook, t1, "200", sent) + "," + receipt(webhook, t2, " E1 ", sent) + "]");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.text("/code")).isEqualTo("OK");
            assertThat(r.json().get("accepted").asInt()).isEqualTo(2);
            assertThat(r.json().get("rejected")).isEmpty();

            var first = delivered(t1, 1);
            assertThat(new String(first.get(0).key(), StandardCharsets.UTF_8)).isEqualTo(t1);
            DeliveryReceipt d = read(first.get(0));
            assertThat(d.type()).isEqualTo(DeliveryReceipt.WEBHOOK_RECEIPT);
            assertThat(d.orgId()).isEqualTo(org.id());
            assertThat(d.webhookId()).isEqualTo(webhook);
            assertThat(d.customerId()).isEqualTo("1917810");
            assertThat(d.receiverStatus()).isEqualTo("200");
            assertThat(d.status()).isEqualTo(DeliveryStatus.SUCCESS);
            assertThat(d.sendTime()).isEqualTo(sent);
            assertThat(d.reportedTime()).isEqualTo(sent + 1000);
            assertThat(d.receiptTime()).isBetween(now() - 30_000, now());
            DeliveryReceipt failure = read(delivered(t2, 1).get(0));
            assertThat(failure.receiverStatus()).isEqualTo("E1");
            assertThat(failure.status()).isEqualTo(DeliveryStatus.FAILURE);
        }

        @Test
        void aWebhookWithoutSecretTakesAnEmptySignatureAndNothingElse() throws Exception {
            String open = create(WEBHOOK.formatted("Open", "NONE", ""));
            String t = task();
            double before = rejectedCount("bad_signature");
            long ts = now() / 1000;
            Api.Response wrong = send(String.valueOf(ts), WebhookSignature.newNonce(), WebhookSignature.sign(SECRET, String.valueOf(ts), "x"),
                    "[" + receipt(open, task(), "200", now()) + "]");
            assertRefused(wrong, 401, "BAD_SIGNATURE", "bad_signature", before);

            Api.Response r = send(String.valueOf(ts), WebhookSignature.newNonce(), "", "[" + receipt(open, t, "200", now()) + "]");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            Api.Response noHeader = send(String.valueOf(ts), WebhookSignature.newNonce(), null, "[" + receipt(open, task(), "200", now()) + "]");
            assertThat(noHeader.status()).as("a missing header is the empty one").isEqualTo(200);
            assertThat(read(delivered(t, 1).get(0)).webhookId()).isEqualTo(open);
        }

        @Test
        void aDisabledWebhookStillTakesReceiptsOfWhatItSentAndASingleObjectIsAccepted() {
            assertThat(org.admin().post("/api/v1/webhooks/" + webhook + "/disable", "").text("/state")).isEqualTo("DISABLED");
            String t = task();
            Api.Response r = signed(receipt(webhook, t, 200 + "", now()).replace("\"status\":\"200\"", "\"status\":200"));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(delivered(t, 1)).hasSize(1);
        }

        @Test
        void someRefusedReceiptsDoNotStopTheOthers() throws Exception {
            String ok = task();
            String late = task();
            Api.Response r = signed("[" + receipt(webhook, ok, "200", now()) + "," + receipt(webhook, late, "200", now() - 31 * 60_000) + "]");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.text("/code")).isEqualTo("PARTIALLY_ACCEPTED");
            assertThat(r.json().get("accepted").asInt()).isEqualTo(1);
            assertThat(r.json().at("/rejected/0/index").asInt()).isEqualTo(1);
            assertThat(r.text("/rejected/0/code")).isEqualTo("RECEIPT_EXPIRED");
            assertThat(r.text("/message")).contains("[1] RECEIPT_EXPIRED");
            assertThat(read(delivered(ok, 1).get(0)).taskId()).isEqualTo(ok);
            neverDelivered(late);
        }

        @Test
        void noApiKeyIsNeededAndOneIsNotEnough() {
            Api.Response withKeyOnly = org.admin().send("POST", ReceiptController.PATH + "?timestamp=" + now() / 1000 + "&nonce=abc",
                    "application/json", HttpRequest.BodyPublishers.ofString("[" + receipt(webhook, task(), "200", now()) + "]"));
            assertThat(withKeyOnly.status()).isEqualTo(401);
            assertThat(withKeyOnly.text("/code")).isEqualTo("BAD_SIGNATURE");
        }
    }

    @Nested
    class Refused {
        @Test
        void aBadSignature() {
            double before = rejectedCount("bad_signature");
            String t = task();
            Api.Response r = send("wrong-secret", now() / 1000, WebhookSignature.newNonce(), "[" + receipt(webhook, t, "200", now()) + "]");
            assertRefused(r, 401, "BAD_SIGNATURE", "bad_signature", before);
            neverDelivered(t);
        }

        @Test
        void aTimestampOutsideTheSkewWindowEitherWay() {
            for (long offset : new long[]{-6 * 60, 6 * 60}) {
                double before = rejectedCount("timestamp_out_of_window");
                Api.Response r = send(SECRET, now() / 1000 + offset, WebhookSignature.newNonce(), "[" + receipt(webhook, task(), "200", now()) + "]");
                assertRefused(r, 401, "TIMESTAMP_OUT_OF_WINDOW", "timestamp_out_of_window", before);
            }
            assertThat(send(SECRET, now() / 1000 - 4 * 60, WebhookSignature.newNonce(), "[" + receipt(webhook, task(), "200", now()) + "]")
                    .status()).as("within 5 min").isEqualTo(200);
        }

        @Test
        void aReplayedNonceEvenWithAValidSignature() {
            long ts = now() / 1000;
            String nonce = WebhookSignature.newNonce();
            String body = "[" + receipt(webhook, task(), "200", now()) + "]";
            assertThat(send(SECRET, ts, nonce, body).status()).isEqualTo(200);
            assertThat(jdbc.sql("select count(*) from webhook_receipt_nonce where webhook_id = ? and nonce = ?").params(webhook, nonce)
                    .query(Long.class).single()).as("remembered in the database, for every instance").isEqualTo(1);
            double before = rejectedCount("nonce_replayed");
            assertRefused(send(SECRET, ts, nonce, body), 409, "NONCE_REPLAYED", "nonce_replayed", before);
        }

        @Test
        void aReceiptAfterTheReceiptPeriod() {
            double before = rejectedCount("receipt_expired");
            Api.Response r = signed("[" + receipt(webhook, task(), "200", now() - 31 * 60_000) + "]");
            assertRefused(r, 422, "RECEIPT_EXPIRED", "receipt_expired", before);
            assertThat(r.json().get("accepted").asInt()).isZero();
            assertThat(r.text("/rejected/0/message")).contains("receipt period is 30 min");
        }

        @Test
        void anUnknownWebhook() {
            double before = rejectedCount("unknown_webhook");
            String other = UUID.randomUUID().toString();
            assertRefused(signed("[" + receipt(other, task(), "200", now()) + "]"), 404, "UNKNOWN_WEBHOOK", "unknown_webhook", before);
        }

        @Test
        void unknownCallbackParams() {
            double none = rejectedCount("unknown_callback_params");
            assertRefused(signed("[{\"msg_id\":\"m\",\"status\":\"200\",\"cst_id\":\"c\"}]"), 400, "UNKNOWN_CALLBACK_PARAMS",
                    "unknown_callback_params", none);

            double mixed = rejectedCount("mixed_webhooks");
            String other = create(WEBHOOK.formatted("Other", "SECRET", ",\"secret\":\"" + SECRET + "\""));
            assertRefused(signed("[" + receipt(webhook, task(), "200", now()) + "," + receipt(other, task(), "200", now()) + "]"), 400,
                    "MIXED_WEBHOOKS", "mixed_webhooks", mixed);

            double bad = rejectedCount("bad_callback_params");
            String noTask = receipt(webhook, "", "200", now());
            String noSendTime = receipt(webhook, task(), "200", now()).replaceAll("\"send_time\":\"[0-9]+\"}", "\"send_time\":\"yesterday\"}");
            String noParams = "{\"msg_id\":\"m\",\"status\":\"200\"}";
            Api.Response r = signed("[" + receipt(webhook, task(), "200", now()) + "," + noTask + "," + noSendTime + "," + noParams + "]");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().get("rejected")).extracting(n -> n.get("code").asString()).containsOnly("BAD_CALLBACK_PARAMS");
            assertThat(r.json().get("rejected")).extracting(n -> n.get("index").asInt()).containsExactly(1, 2, 3);
            assertThat(rejectedCount("bad_callback_params")).isEqualTo(bad + 3);
        }

        @Test
        void aStatusNotInTheTable() {
            double before = rejectedCount("unknown_status");
            Api.Response r = signed("[" + receipt(webhook, task(), "404", now()) + "]");
            assertRefused(r, 422, "UNKNOWN_STATUS", "unknown_status", before);
            assertThat(r.text("/rejected/0/message")).contains("'404'").contains("[200, E1]");
        }

        @Test
        void aWebhookWithoutReceiptSettings() {
            String noReceipts = create("{\"name\":\"Fire and forget\",\"url\":\"https://p.example.com\",\"auth\":\"SECRET\",\"secret\":\""
                    + SECRET + "\",\"idTypes\":[\"MOBILE\"]}");
            double before = rejectedCount("receipts_disabled");
            assertRefused(signed("[" + receipt(noReceipts, task(), "200", now()) + "]"), 422, "RECEIPTS_DISABLED", "receipts_disabled", before);
        }

        @Test
        void badParametersAndBodies() {
            String body = "[" + receipt(webhook, task(), "200", now()) + "]";
            String ts = String.valueOf(now() / 1000);
            double params = rejectedCount("bad_parameters");
            assertRefused(send(null, WebhookSignature.newNonce(), "", body), 400, "BAD_PARAMETERS", "bad_parameters", params);
            assertRefused(send(ts, null, "", body), 400, "BAD_PARAMETERS", "bad_parameters", params + 1);
            assertRefused(send("16318655230000", WebhookSignature.newNonce(), "", body), 400, "BAD_PARAMETERS", "bad_parameters", params + 2);

            double malformed = rejectedCount("malformed_body");
            assertRefused(signed("[{\"msg_id\":"), 400, "MALFORMED_BODY", "malformed_body", malformed);
            assertRefused(signed("[]"), 400, "MALFORMED_BODY", "malformed_body", malformed + 1);
            assertRefused(signed("[\"receipt\"]"), 400, "MALFORMED_BODY", "malformed_body", malformed + 2);

            double large = rejectedCount("too_large");
            String big = "[" + (receipt(webhook, task(), "200", now()) + ",").repeat(1001);
            assertRefused(signed(big.substring(0, big.length() - 1) + "]"), 413, "TOO_LARGE", "too_large", large);

            double receipt = rejectedCount("malformed_receipt");
            Api.Response noMsg = signed("[" + receipt(webhook, task(), "200", now()).replaceAll("\"msg_id\":\"[0-9a-f]+\",", "") + "]");
            assertRefused(noMsg, 422, "MALFORMED_RECEIPT", "malformed_receipt", receipt);
        }

        @Test
        void theEndpointAnswersItsOwnShapeForHttpErrorsToo() {
            Api.Response get = anonymous().get(ReceiptController.PATH);
            assertThat(get.status()).isEqualTo(405);
            assertThat(get.text("/code")).isEqualTo("METHOD_NOT_ALLOWED");
            assertThat(get.text("/requestId")).hasSize(32);
        }

        @Test
        void everyReasonIsListedInTheMetric() {
            Api.Response r = anonymous().get("/actuator/metrics/qa.receipts.rejected");
            assertThat(r.status()).isEqualTo(200);
            List<String> reasons = new java.util.ArrayList<>();
            r.json().at("/availableTags").forEach(t -> {
                if (t.get("tag").asString().equals("reason")) {
                    t.get("values").forEach(v -> reasons.add(v.asString()));
                }
            });
            assertThat(reasons).containsExactlyInAnyOrder(java.util.Arrays.stream(ReceiptReason.values()).map(ReceiptReason::tag).toArray(String[]::new));
        }
    }
}
