package dev.qaengine.controlplane.channel;

import dev.qaengine.model.ChannelInterface;
import dev.qaengine.model.ChannelInterfaceType;
import dev.qaengine.model.DeliveryStatus;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A stored interface as the engine receives it: its settings and its secrets, still sealed. */
final class InterfaceWire {
    static final String WEBHOOK_SECRET = "secret";
    static final String PUSH_MASTER_SECRET = "masterSecret";
    static final String WECHAT_SECRET = "secret";
    static final String KAFKA_SASL_PASSWORD = "saslPassword";

    private InterfaceWire() {
    }

    static ChannelInterface of(StoredInterface i) {
        ChannelInterface.Platform sms = null;
        ChannelInterface.Platform email = null;
        ChannelInterface.Webhook webhook = null;
        ChannelInterface.Push push = null;
        ChannelInterface.Wechat wechat = null;
        ChannelInterface.Kafka kafka = null;
        // Java 17: no pattern matching for switch yet
        InterfaceSettings s = i.settings();
        if (s instanceof InterfaceSettings.Platform p) {
            if (p.type() == ChannelInterfaceType.SMS) {
                sms = new ChannelInterface.Platform(p.callbackUrlPrefix(), null);
            } else {
                email = new ChannelInterface.Platform(p.callbackUrlPrefix(), p.reviewTemplates());
            }
        } else if (s instanceof InterfaceSettings.Webhook w) {
            webhook = new ChannelInterface.Webhook(w.url(), w.auth(), i.secrets().get(WEBHOOK_SECRET), w.idTypes(),
                    parameters(w.parameters()), receipt(w.receipt()));
        } else if (s instanceof InterfaceSettings.Push p) {
            push = new ChannelInterface.Push(ChannelInterface.Push.UMENG, p.appKey(), i.secrets().get(PUSH_MASTER_SECRET));
        } else if (s instanceof InterfaceSettings.Wechat w) {
            wechat = new ChannelInterface.Wechat(w.appId(), i.secrets().get(WECHAT_SECRET));
        } else if (s instanceof InterfaceSettings.Kafka k) {
            kafka = new ChannelInterface.Kafka(k.bootstrapServers(), k.topic(), k.sasl() == null ? null
                    : new ChannelInterface.Sasl(k.sasl().mechanism(), k.sasl().username(), i.secrets().get(KAFKA_SASL_PASSWORD)), k.tls());
        }
        return new ChannelInterface(i.orgId(), i.workspaceId(), i.id(), i.type(), i.name(), i.enabled(), sms, email, webhook, push,
                wechat, kafka);
    }

    private static List<ChannelInterface.WebhookParameter> parameters(List<InterfaceSettings.Parameter> parameters) {
        return parameters.stream().map(p -> new ChannelInterface.WebhookParameter(p.name(), p.displayName(), p.type(),
                Boolean.TRUE.equals(p.required()))).toList();
    }

    private static ChannelInterface.Receipt receipt(InterfaceSettings.Receipt r) {
        if (r == null) {
            return null;
        }
        Map<String, DeliveryStatus> codes = new TreeMap<>();
        r.statusCodes().forEach(c -> codes.put(c.code(), c.status()));
        return new ChannelInterface.Receipt((int) r.periodMinutes(), codes);
    }
}
