package dev.qaengine.controlplane.channel;

import dev.qaengine.model.IdType;
import dev.qaengine.model.SaslMechanism;
import dev.qaengine.model.WebhookAuth;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Request and response bodies of the channel interface endpoints. Secrets are write-only: a request may
 * carry one, a response only says whether it is set ({@code secretSet}…). Request records print secrets as
 * {@code ***}, so a log line never shows one.
 */
public final class ChannelBodies {
    static final String MASK = "***";

    private ChannelBodies() {
    }

    static String mask(String secret) {
        return secret == null ? "null" : MASK;
    }

    public enum WebhookState { ENABLED, DISABLED }

    // --- SMS and email platforms (CONTRACTS.md §4)

    public record SmsPlatformBody(
            @Schema(example = "Aliyun SMS") @NotBlank @Size(max = 200) String name,
            @Schema(example = "https://sms-gateway.example.com/qa", description = "${prefix} of the platform calls: http(s), no query")
            @NotBlank String callbackUrlPrefix) {
    }

    public record SmsPlatform(
            @Schema(example = "3f1c5a2e-7d41-4c2b-9a55-0d8e6f1b2c3d") String id,
            @Schema(example = "Aliyun SMS") String name,
            @Schema(example = "https://sms-gateway.example.com/qa") String callbackUrlPrefix,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
    }

    public record EmailPlatformBody(
            @Schema(example = "DirectMail") @NotBlank @Size(max = 200) String name,
            @Schema(example = "https://mail-gateway.example.com/qa") @NotBlank String callbackUrlPrefix,
            @Schema(example = "true", description = "whether templates wait for the platform's review (default true); "
                    + "when false a template is approved as soon as the platform accepts it") Boolean reviewTemplates) {
    }

    public record EmailPlatform(
            @Schema(example = "7b2d9c4e-1a3f-4e5d-8c6b-2f0a9e8d7c6b") String id,
            @Schema(example = "DirectMail") String name,
            @Schema(example = "https://mail-gateway.example.com/qa") String callbackUrlPrefix,
            @Schema(example = "true") boolean reviewTemplates,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
    }

    // --- webhooks (CONTRACTS.md §3)

    public record WebhookBody(
            @Schema(example = "Coupon gateway") @NotBlank @Size(max = 200) String name,
            @Schema(example = "https://partner.example.com/qa-hook", description = "http(s) address the requests are POSTed to") @NotBlank String url,
            @Schema(example = "SECRET", description = "NONE: the signature header is empty; SECRET: requests and receipts are signed with the secret")
            @NotNull WebhookAuth auth,
            @Schema(example = "123456789", accessMode = Schema.AccessMode.WRITE_ONLY,
                    description = "with auth SECRET: required when none is set yet; absent on an update keeps the current one")
            @Size(min = 1, max = 256) String secret,
            @Schema(example = "[\"OPEN_ID\",\"MOBILE\"]", description = "ID types a send may target (user_profile.target_type)")
            @NotEmpty @Size(max = 14) List<@NotNull IdType> idTypes,
            @Schema(description = "what params carries besides vars") @Size(max = 50) List<InterfaceSettings.@NotNull @Valid Parameter> parameters,
            @Schema(description = "absent: the webhook takes no receipts") @Valid InterfaceSettings.Receipt receipt) {

        @Override
        public String toString() {
            return "WebhookBody[name=" + name + ", url=" + url + ", auth=" + auth + ", secret=" + mask(secret) + ", idTypes=" + idTypes
                    + ", parameters=" + parameters + ", receipt=" + receipt + "]";
        }
    }

    public record Webhook(
            @Schema(example = "13312313-8d2e-4a7b-9c1f-5e6d7c8b9a0f", description = "also callback_params.webhook_id of its requests") String id,
            @Schema(example = "Coupon gateway") String name,
            @Schema(example = "ENABLED", description = "a new webhook starts ENABLED, a copy DISABLED; edit and delete only while DISABLED") WebhookState state,
            @Schema(example = "https://partner.example.com/qa-hook") String url,
            @Schema(example = "SECRET") WebhookAuth auth,
            @Schema(example = "true", description = "whether a secret is set (never the secret)") boolean secretSet,
            List<IdType> idTypes,
            List<InterfaceSettings.Parameter> parameters,
            InterfaceSettings.Receipt receipt,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
    }

    public record WebhookCopy(
            @Schema(example = "Coupon gateway (copy)", description = "default: the original's name + ' (copy)'") @Size(max = 200) String name) {
    }

    // --- Umeng push

    public record PushAppBody(
            @Schema(example = "Shop app push") @NotBlank @Size(max = 200) String name,
            @Schema(example = "5f8a1b2c3d4e5f6a7b8c9d0e", description = "the Umeng AppKey") @NotBlank @Size(max = 128) String appKey,
            @Schema(example = "x9y8z7w6v5u4t3s2r1q0", accessMode = Schema.AccessMode.WRITE_ONLY,
                    description = "the Umeng App Master Secret: required on create; absent on an update keeps the current one")
            @Size(min = 1, max = 256) String masterSecret) {

        @Override
        public String toString() {
            return "PushAppBody[name=" + name + ", appKey=" + appKey + ", masterSecret=" + mask(masterSecret) + "]";
        }
    }

    public record PushApp(
            @Schema(example = "0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6") String id,
            @Schema(example = "Shop app push") String name,
            @Schema(example = "UMENG") String provider,
            @Schema(example = "5f8a1b2c3d4e5f6a7b8c9d0e") String appKey,
            @Schema(example = "true") boolean masterSecretSet,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
    }

    // --- WeChat official accounts

    public record WechatAccountBody(
            @Schema(example = "Brand official account") @NotBlank @Size(max = 200) String name,
            @Schema(example = "wx0123456789abcdef", description = "the AppID") @NotBlank @Size(max = 64) String appId,
            @Schema(example = "0123456789abcdef0123456789abcdef", accessMode = Schema.AccessMode.WRITE_ONLY,
                    description = "the AppSecret: required on create; absent on an update keeps the current one")
            @Size(min = 1, max = 256) String secret) {

        @Override
        public String toString() {
            return "WechatAccountBody[name=" + name + ", appId=" + appId + ", secret=" + mask(secret) + "]";
        }
    }

    public record WechatAccount(
            @Schema(example = "9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4") String id,
            @Schema(example = "Brand official account") String name,
            @Schema(example = "wx0123456789abcdef") String appId,
            @Schema(example = "true") boolean secretSet,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
    }

    // --- Kafka interfaces (CONTRACTS.md §5)

    public record SaslBody(
            @Schema(example = "SCRAM-SHA-512") @NotNull SaslMechanism mechanism,
            @Schema(example = "qa-export") @NotBlank @Size(max = 256) String username,
            @Schema(example = "s3cret", accessMode = Schema.AccessMode.WRITE_ONLY,
                    description = "required when SASL is new; absent on an update keeps the current one") @Size(min = 1, max = 256) String password) {

        @Override
        public String toString() {
            return "SaslBody[mechanism=" + mechanism + ", username=" + username + ", password=" + mask(password) + "]";
        }
    }

    public record KafkaInterfaceBody(
            @Schema(example = "Audience export") @NotBlank @Size(max = 200) String name,
            @Schema(example = "kafka-1.example.com:9093,kafka-2.example.com:9093") @NotBlank @Size(max = 2000) String bootstrapServers,
            @Schema(example = "qa.audience.push") @NotBlank String topic,
            @Schema(description = "absent: no SASL") @Valid SaslBody sasl,
            @Schema(example = "true", description = "TLS to the brokers (default false)") Boolean tls) {
    }

    public record Sasl(
            @Schema(example = "SCRAM-SHA-512") SaslMechanism mechanism,
            @Schema(example = "qa-export") String username,
            @Schema(example = "true") boolean passwordSet) {
    }

    public record KafkaInterface(
            @Schema(example = "5c4b3a29-1807-4f6e-9d5c-4b3a29180706") String id,
            @Schema(example = "Audience export") String name,
            @Schema(example = "kafka-1.example.com:9093,kafka-2.example.com:9093") String bootstrapServers,
            @Schema(example = "qa.audience.push") String topic,
            Sasl sasl,
            @Schema(example = "true") boolean tls,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
    }
}
