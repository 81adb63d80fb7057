package dev.qaengine.controlplane.channel;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import dev.qaengine.model.ChannelInterface;
import dev.qaengine.model.ChannelInterfaceType;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.ControlRecord;
import dev.qaengine.model.DeliveryStatus;
import dev.qaengine.model.IdType;
import dev.qaengine.model.SaslMechanism;
import dev.qaengine.model.WebhookAuth;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.qaengine.controlplane.support.ControlRecords.await;
import static dev.qaengine.controlplane.support.ControlRecords.payload;
import static dev.qaengine.controlplane.support.ControlRecords.read;
import static org.assertj.core.api.Assertions.assertThat;

/** Interfaces reach qa.control as the jobs read them: one record per interface, secrets sealed, tombstones on delete. */
class ChannelInterfaceControlIT extends ControlPlaneTest {

    static ChannelInterface latest(List<ConsumerRecord<byte[], byte[]>> records) {
        return payload(read(records.get(records.size() - 1)), ChannelInterface.class);
    }

    static String raw(List<ConsumerRecord<byte[], byte[]>> records) {
        return new String(records.get(records.size() - 1).value(), StandardCharsets.UTF_8);
    }

    @Test
    void aWebhookIsPublishedWithItsStateAndItsSecretSealed() {
        Org org = newOrg();
        Api api = org.admin();
        String id = WebhookApiTest.create(api, WebhookApiTest.BODY);
        String subject = ChannelInterface.subject(org.id(), id);

        var created = await(ControlKind.CHANNEL_INTERFACE, subject, r -> r != null);
        assertThat(raw(created)).doesNotContain(WebhookApiTest.SECRET);
        ChannelInterface wire = latest(created);
        assertThat(wire.orgId()).isEqualTo(org.id());
        assertThat(wire.workspaceId()).isEqualTo(org.workspaceId());
        assertThat(wire.type()).isEqualTo(ChannelInterfaceType.WEBHOOK);
        assertThat(wire.enabled()).as("a new webhook is published enabled").isTrue();
        ChannelInterface.Webhook w = wire.webhook();
        assertThat(w.url()).isEqualTo("https://partner.example.com/hook");
        assertThat(w.auth()).isEqualTo(WebhookAuth.SECRET);
        assertThat(JOBS_SECRET_BOX.open(w.secret())).isEqualTo(WebhookApiTest.SECRET); // what the fan-out job does
        assertThat(w.idTypes()).containsExactly(IdType.OPEN_ID, IdType.MOBILE);
        assertThat(w.parameters()).extracting(ChannelInterface.WebhookParameter::name).containsExactly("define_item1", "amount");
        assertThat(w.receipt().periodMinutes()).isEqualTo(30);
        assertThat(w.receipt().statusCodes()).isEqualTo(Map.of("200", DeliveryStatus.SUCCESS, "E1", DeliveryStatus.FAILURE));
        assertThat(wire.sms()).isNull();
        assertThat(wire.kafka()).isNull();

        assertThat(api.delete("/api/v1/webhooks/" + id).status()).as("enabled: disable it first").isEqualTo(409);
        api.post("/api/v1/webhooks/" + id + "/disable", "");
        var disabled = await(ControlKind.CHANNEL_INTERFACE, subject, r -> r != null && !payload(r, ChannelInterface.class).enabled());
        api.post("/api/v1/webhooks/" + id + "/enable", "");
        var enabled = await(ControlKind.CHANNEL_INTERFACE, subject, r -> r != null && payload(r, ChannelInterface.class).enabled()
                && r.version() > read(disabled.get(disabled.size() - 1)).version());
        api.post("/api/v1/webhooks/" + id + "/disable", "");
        var again = await(ControlKind.CHANNEL_INTERFACE, subject, r -> r != null && !payload(r, ChannelInterface.class).enabled()
                && r.version() > read(enabled.get(enabled.size() - 1)).version());
        assertThat(again).as("created (enabled), disabled, enabled, disabled; the refused delete published nothing").hasSize(4);
        assertThat(again.stream().map(r -> read(r).version()).toList()).isSorted();

        assertThat(api.delete("/api/v1/webhooks/" + id).status()).isEqualTo(204);
        await(ControlKind.CHANNEL_INTERFACE, subject, r -> r == null);
    }

    @Test
    void everyTypeIsPublishedWithItsOwnMember() {
        Org org = newOrg();
        Api api = org.admin();
        String sms = api.post("/api/v1/sms-platforms", "{\"name\":\"S\",\"callbackUrlPrefix\":\"https://sms.example.com/\"}").text("/id");
        String email = api.post("/api/v1/email-platforms", "{\"name\":\"E\",\"callbackUrlPrefix\":\"https://mail.example.com\",\"reviewTemplates\":false}").text("/id");
        String push = api.post("/api/v1/push-apps", "{\"name\":\"P\",\"appKey\":\"ak\",\"masterSecret\":\"pm-secret\"}").text("/id");
        String wechat = api.post("/api/v1/wechat-accounts", "{\"name\":\"W\",\"appId\":\"wx1\",\"secret\":\"wx-secret\"}").text("/id");
        String kafka = api.post("/api/v1/kafka-interfaces", """
                {"name":"K","bootstrapServers":"k:9092","topic":"t","sasl":{"mechanism":"SCRAM-SHA-512","username":"u","password":"k-secret"}}""")
                .text("/id");

        ChannelInterface s = latest(await(ControlKind.CHANNEL_INTERFACE, ChannelInterface.subject(org.id(), sms), r -> r != null));
        assertThat(s.enabled()).isTrue();
        assertThat(s.sms()).isEqualTo(new ChannelInterface.Platform("https://sms.example.com", null));
        ChannelInterface e = latest(await(ControlKind.CHANNEL_INTERFACE, ChannelInterface.subject(org.id(), email), r -> r != null));
        assertThat(e.email()).isEqualTo(new ChannelInterface.Platform("https://mail.example.com", false));

        var pushRecords = await(ControlKind.CHANNEL_INTERFACE, ChannelInterface.subject(org.id(), push), r -> r != null);
        assertThat(raw(pushRecords)).doesNotContain("pm-secret");
        ChannelInterface.Push p = latest(pushRecords).push();
        assertThat(p.provider()).isEqualTo("UMENG");
        assertThat(p.appKey()).isEqualTo("ak");
        assertThat(JOBS_SECRET_BOX.open(p.masterSecret())).isEqualTo("pm-secret");

        var wechatRecords = await(ControlKind.CHANNEL_INTERFACE, ChannelInterface.subject(org.id(), wechat), r -> r != null);
        assertThat(raw(wechatRecords)).doesNotContain("wx-secret");
        assertThat(JOBS_SECRET_BOX.open(latest(wechatRecords).wechat().secret())).isEqualTo("wx-secret");

        var kafkaRecords = await(ControlKind.CHANNEL_INTERFACE, ChannelInterface.subject(org.id(), kafka), r -> r != null);
        assertThat(raw(kafkaRecords)).doesNotContain("k-secret");
        ChannelInterface.Kafka k = latest(kafkaRecords).kafka();
        assertThat(k.bootstrapServers()).isEqualTo("k:9092");
        assertThat(k.tls()).isFalse();
        assertThat(k.sasl().mechanism()).isEqualTo(SaslMechanism.SCRAM_SHA_512);
        assertThat(JOBS_SECRET_BOX.open(k.sasl().password())).isEqualTo("k-secret");
        assertThat(raw(kafkaRecords)).contains("\"mechanism\":\"SCRAM-SHA-512\"");
    }

    @Test
    void deletingTheOrganizationTombstonesEveryInterface() {
        Org org = newOrg();
        String a = org.admin().post("/api/v1/sms-platforms", "{\"name\":\"S\",\"callbackUrlPrefix\":\"https://s.example.com\"}").text("/id");
        String b = WebhookApiTest.create(org.admin(), WebhookApiTest.BODY); // enabled from the start
        await(ControlKind.CHANNEL_INTERFACE, ChannelInterface.subject(org.id(), b), r -> r != null && payload(r, ChannelInterface.class).enabled());

        assertThat(platform().delete("/api/v1/organizations/" + org.id()).status()).isEqualTo(204);

        for (String id : List.of(a, b)) {
            var records = await(ControlKind.CHANNEL_INTERFACE, ChannelInterface.subject(org.id(), id), r -> r == null);
            ControlRecord before = read(records.get(records.size() - 2));
            assertThat(before.kind()).isEqualTo(ControlKind.CHANNEL_INTERFACE);
        }
    }
}
