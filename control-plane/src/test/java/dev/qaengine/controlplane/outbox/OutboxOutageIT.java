package dev.qaengine.controlplane.outbox;

import dev.qaengine.controlplane.support.ControlPlaneTest;
import dev.qaengine.controlplane.support.TestKafka;
import dev.qaengine.model.ControlRecord;
import dev.qaengine.model.EventCatalog;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.qaengine.controlplane.support.ControlRecords.awaitCatalog;
import static dev.qaengine.controlplane.support.ControlRecords.catalog;
import static dev.qaengine.controlplane.support.ControlRecords.catalogKey;
import static dev.qaengine.controlplane.support.ControlRecords.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The transactional outbox: a change committed while Kafka is down reaches qa.control once it is back, in order. */
class OutboxOutageIT extends ControlPlaneTest {
    @Autowired
    OutboxRepository outbox;
    @Autowired
    MeterRegistry meters;

    @Test
    void changesCommittedWhileKafkaIsDownArriveInOrderWhenItIsBack() throws Exception {
        Org org = newOrg();
        awaitCatalog(org.id(), c -> true); // the publisher is healthy before the outage
        String webhook = org.admin().post("/api/v1/webhooks", """
                {"name":"Hook","url":"https://p.example.com","auth":"SECRET","secret":"s3cret","idTypes":["OPEN_ID"],
                 "receipt":{"period":1,"periodUnit":"HOURS","statusCodes":[{"code":"200","status":"SUCCESS"}]}}""").text("/id");
        String taskId = java.util.UUID.randomUUID().toString().replace("-", "");
        String receiptTimestamp = String.valueOf(System.currentTimeMillis() / 1000);
        String receiptNonce = dev.qaengine.model.WebhookSignature.newNonce();
        java.util.function.Supplier<dev.qaengine.controlplane.support.Api.Response> receipt = () -> anonymous().send(anonymous()
                .builder(dev.qaengine.controlplane.receipt.ReceiptController.PATH + "?timestamp=" + receiptTimestamp + "&nonce=" + receiptNonce)
                .header(dev.qaengine.model.WebhookSignature.HEADER, dev.qaengine.model.WebhookSignature.sign("s3cret", receiptTimestamp, receiptNonce))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("[{\"msg_id\":\"m1\",\"status\":\"200\",\"cst_id\":\"c\","
                        + "\"callback_params\":{\"task_id\":\"" + taskId + "\",\"webhook_id\":\"" + webhook + "\",\"send_time\":\""
                        + System.currentTimeMillis() + "\"}}]")));

        TestKafka.stopBroker();
        try {
            assertThat(org.admin().post("/api/v1/event-channels", "{\"appKey\":\"app\",\"name\":\"App\",\"appType\":\"APP\"}").status())
                    .isEqualTo(201);
            for (String code : List.of("e1", "e2", "e3")) {
                assertThat(org.admin().post("/api/v1/event-definitions",
                        "{\"eventCode\":\"" + code + "\",\"name\":\"" + code + "\",\"channel\":\"app\"}").status()).isEqualTo(201);
            }
            // Committed, and waiting in the outbox: nothing can have been acknowledged by a stopped broker.
            List<OutboxRow> rows = outbox.history(catalogKey(org.id()));
            assertThat(rows).hasSize(5);
            assertThat(outbox.countPending()).isGreaterThanOrEqualTo(4);
            // Ingestion cannot promise durability now: it says so instead of answering success.
            var ingest = org.admin().post("/api/v1/events", "{\"customerId\":\"c\",\"eventCode\":\"e1\",\"eventTime\":1}");
            assertThat(ingest.status()).isEqualTo(503);
            assertThat(ingest.text("/errorCode")).isEqualTo("UNAVAILABLE");
            // So do webhook receipts, and they keep the nonce free: the same request may be sent again.
            var refused = receipt.get();
            assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
            assertThat(refused.text("/code")).isEqualTo("UNAVAILABLE");
            // ...and the publisher keeps trying: wait until a round has failed against the stopped broker.
            double failedBefore = failedRounds();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> failedRounds() > failedBefore);
            assertThat(outbox.countPending()).isGreaterThanOrEqualTo(4);
            var health = anonymous().get("/actuator/health");
            assertThat(health.status()).isEqualTo(200); // the service is up; the outbox says what waits
            assertThat(health.json().at("/components/outbox/details/kafkaReachable").asBoolean()).isFalse();
            assertThat(health.json().at("/components/outbox/details/pending").asLong()).isGreaterThanOrEqualTo(4);
            // The identity audit consumer notices too (waiting for its topic or consuming it), and keeps trying.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> anonymous().get("/actuator/health").json()
                    .at("/components/identityAudit/details/kafkaReachable").asString().equals("false"));
            assertThat(anonymous().get("/actuator/health").json().at("/components/identityAudit/details/lastFailure").asString()).isNotEmpty();
        } finally {
            TestKafka.startBroker();
        }

        List<ConsumerRecord<byte[], byte[]>> records = awaitCatalog(org.id(), c -> c.eventsOrEmpty().size() == 3);
        var retried = receipt.get();
        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(TestKafka.readUntil(dev.qaengine.model.Topics.DELIVERIES, taskId, l -> !l.isEmpty(), Duration.ofSeconds(30))).hasSize(1);

        List<Long> expected = outbox.history(catalogKey(org.id())).stream().map(OutboxRow::version).toList();
        List<ControlRecord> values = records.stream().map(r -> read(r)).toList();
        // Each version arrives, first appearances in commit order; a record whose acknowledgement was lost
        // in the outage may come twice, but the newest is last, so compaction keeps the right one.
        Set<Long> firstSeen = new LinkedHashSet<>();
        values.forEach(v -> firstSeen.add(v.version()));
        assertThat(new ArrayList<>(firstSeen)).containsExactlyElementsOf(expected);
        assertThat(values.get(values.size() - 1).version()).isEqualTo(expected.get(expected.size() - 1));
        EventCatalog last = catalog(values.get(values.size() - 1));
        assertThat(last.eventsOrEmpty()).extracting(e -> e.eventCode()).containsExactly("e1", "e2", "e3");
        assertThat(last.channelsOrEmpty()).extracting(c -> c.appKey()).containsExactly("app");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                anonymous().get("/actuator/health").json().at("/components/outbox/details/kafkaReachable").asBoolean());
        await().atMost(Duration.ofSeconds(30)).until(() -> anonymous().get("/actuator/health").json()
                .at("/components/identityAudit/details/kafkaReachable").asString().equals("true"));
    }

    private double failedRounds() {
        return meters.get("qa.outbox.failed.rounds").counter().count();
    }
}
