package dev.qaengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One channel interface of a workspace as the engine receives it (schema:
 * state-schemas/channel-interface-v1.schema.json), published on {@code qa.control} as CHANNEL_INTERFACE with
 * subject {@link #subject}; a tombstone when it is deleted. Exactly one of the per-type members is set, the
 * one named by {@code type}. Every secret is a {@link SecretBox} value sealed with {@code QA_SECRET_KEY},
 * never clear text.
 *
 * @param enabled whether sends may use it: webhooks are switched on and off (a disabled one is published with
 *                {@code false}); the other types are always enabled
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChannelInterface(
        @JsonProperty("orgId") String orgId,
        @JsonProperty("workspaceId") String workspaceId,
        @JsonProperty("id") String id,
        @JsonProperty("type") ChannelInterfaceType type,
        @JsonProperty("name") String name,
        @JsonProperty("enabled") boolean enabled,
        @JsonProperty("sms") Platform sms,
        @JsonProperty("email") Platform email,
        @JsonProperty("webhook") Webhook webhook,
        @JsonProperty("push") Push push,
        @JsonProperty("wechat") Wechat wechat,
        @JsonProperty("kafka") Kafka kafka) {

    /** The control record subject: interfaces are workspace resources, but the org id leads so that an org's records share a prefix. */
    public static String subject(String orgId, String interfaceId) {
        return orgId + '/' + interfaceId;
    }

    /**
     * A third-party SMS or email platform (CONTRACTS.md §4).
     *
     * @param callbackUrlPrefix {@code ${prefix}} of every platform call, without a trailing slash
     * @param reviewTemplates   email platforms: whether templates wait for the platform's review (the product's
     *                          "是否审核"); null for SMS, whose templates are always reviewed
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Platform(
            @JsonProperty("callbackUrlPrefix") String callbackUrlPrefix,
            @JsonProperty("reviewTemplates") Boolean reviewTemplates) {
    }

    /**
     * A custom webhook (CONTRACTS.md §3).
     *
     * @param secret     sealed; present exactly when {@code auth} is SECRET
     * @param idTypes    the ID types a send may target ({@code user_profile.target_type})
     * @param parameters what {@code params} carries besides {@code vars}
     * @param receipt    null when the webhook takes no receipts
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Webhook(
            @JsonProperty("url") String url,
            @JsonProperty("auth") WebhookAuth auth,
            @JsonProperty("secret") String secret,
            @JsonProperty("idTypes") List<IdType> idTypes,
            @JsonProperty("parameters") List<WebhookParameter> parameters,
            @JsonProperty("receipt") Receipt receipt) {
    }

    /** One entry of a webhook's {@code params}: TEXT values keep their {@code ${var}} placeholders; every value is sent as a string. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WebhookParameter(
            @JsonProperty("name") String name,
            @JsonProperty("displayName") String displayName,
            @JsonProperty("type") AttributeType type,
            @JsonProperty("required") boolean required) {
    }

    /**
     * A webhook's receipt settings.
     *
     * @param periodMinutes receipts later than this after {@code callback_params.send_time} are refused (≤ 72 h)
     * @param statusCodes   receiver status ({@code status} of a receipt, e.g. "200") → outcome
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Receipt(
            @JsonProperty("periodMinutes") int periodMinutes,
            @JsonProperty("statusCodes") Map<String, DeliveryStatus> statusCodes) {
    }

    /** App push through Umeng; {@code masterSecret} sealed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Push(
            @JsonProperty("provider") String provider,
            @JsonProperty("appKey") String appKey,
            @JsonProperty("masterSecret") String masterSecret) {
        public static final String UMENG = "UMENG";
    }

    /** A WeChat official account; {@code secret} (the AppSecret) sealed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Wechat(
            @JsonProperty("appId") String appId,
            @JsonProperty("secret") String secret) {
    }

    /** A Kafka interface (CONTRACTS.md §5). {@code sasl} null: no SASL. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Kafka(
            @JsonProperty("bootstrapServers") String bootstrapServers,
            @JsonProperty("topic") String topic,
            @JsonProperty("sasl") Sasl sasl,
            @JsonProperty("tls") boolean tls) {
    }

    /** SASL credentials of a Kafka interface; {@code password} sealed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sasl(
            @JsonProperty("mechanism") SaslMechanism mechanism,
            @JsonProperty("username") String username,
            @JsonProperty("password") String password) {
    }
}
