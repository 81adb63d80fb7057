package dev.qaengine.controlplane.channel;

import dev.qaengine.model.AttributeType;
import dev.qaengine.model.ChannelInterfaceType;
import dev.qaengine.model.DeliveryStatus;
import dev.qaengine.model.IdType;
import dev.qaengine.model.SaslMechanism;
import dev.qaengine.model.WebhookAuth;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The non-secret settings of a channel interface, one record per type: what the API shows and what is
 * stored as the row's JSON {@code settings}. Secrets are never part of them (they are sealed apart).
 */
public sealed interface InterfaceSettings {

    ChannelInterfaceType type();

    /** An SMS or email platform (CONTRACTS.md §4). */
    record Platform(ChannelInterfaceType type, String callbackUrlPrefix, Boolean reviewTemplates) implements InterfaceSettings {
    }

    /** A webhook (CONTRACTS.md §3). */
    record Webhook(String url, WebhookAuth auth, List<IdType> idTypes, List<Parameter> parameters, Receipt receipt)
            implements InterfaceSettings {
        @Override
        public ChannelInterfaceType type() {
            return ChannelInterfaceType.WEBHOOK;
        }
    }

    @Schema(description = "One entry of the webhook's params; every value is sent as a string, TEXT values keep their ${var} placeholders")
    record Parameter(
            @Schema(example = "define_item1", description = "the key in params; letters, digits and _, not starting with a digit; not 'vars'")
            @NotBlank @Pattern(regexp = "^[A-Za-z_][A-Za-z0-9_]{0,63}$", message = "must be letters, digits and _ (not starting with a digit), up to 64")
            String name,
            @Schema(example = "Coupon id", description = "shown when a journey fills it in; defaults to the name") @Size(max = 200) String displayName,
            @Schema(example = "TEXT") @NotNull AttributeType type,
            @Schema(example = "true", description = "whether a journey must fill it in (default false)") Boolean required) {
    }

    enum PeriodUnit { MINUTES, HOURS }

    @Schema(description = "Receipt settings: receipts later than the period after the send are refused; the receiver's status codes map to SUCCESS/FAILURE")
    record Receipt(
            @Schema(example = "24") @NotNull @Positive Integer period,
            @Schema(example = "HOURS") @NotNull PeriodUnit periodUnit,
            @Schema(description = "at least one; a code, once configured, cannot be changed or removed")
            @NotEmpty @Size(max = 100) List<@NotNull @Valid StatusCode> statusCodes) {

        public long periodMinutes() {
            return periodUnit == PeriodUnit.HOURS ? (long) period * 60 : period;
        }
    }

    record StatusCode(
            @Schema(example = "200", description = "the status a receipt reports") @NotBlank @Size(max = 64) String code,
            @Schema(example = "SUCCESS") @NotNull DeliveryStatus status) {
    }

    /** An Umeng push app. */
    record Push(String appKey) implements InterfaceSettings {
        @Override
        public ChannelInterfaceType type() {
            return ChannelInterfaceType.PUSH;
        }
    }

    /** A WeChat official account. */
    record Wechat(String appId) implements InterfaceSettings {
        @Override
        public ChannelInterfaceType type() {
            return ChannelInterfaceType.WECHAT;
        }
    }

    /** A Kafka interface (CONTRACTS.md §5); {@code sasl} null = no SASL. */
    record Kafka(String bootstrapServers, String topic, Sasl sasl, boolean tls) implements InterfaceSettings {
        @Override
        public ChannelInterfaceType type() {
            return ChannelInterfaceType.KAFKA;
        }
    }

    record Sasl(SaslMechanism mechanism, String username) {
    }

    static Class<? extends InterfaceSettings> classOf(ChannelInterfaceType type) {
        return switch (type) {
            case SMS, EMAIL -> Platform.class;
            case WEBHOOK -> Webhook.class;
            case PUSH -> Push.class;
            case WECHAT -> Wechat.class;
            case KAFKA -> Kafka.class;
        };
    }
}
