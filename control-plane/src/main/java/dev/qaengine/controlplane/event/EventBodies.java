package dev.qaengine.controlplane.event;

import dev.qaengine.model.AppType;
import dev.qaengine.model.AttributeType;
import dev.qaengine.model.IdType;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.OffsetDateTime;
import java.util.List;

/** Request and response bodies of /api/v1/event-channels and /api/v1/event-definitions. */
public final class EventBodies {
    /** Codes, APP_KEYs and attribute ids: what SDKs put on the wire and what paths carry. */
    public static final String CODE_PATTERN = "^[A-Za-z0-9_$][A-Za-z0-9_.$-]*$";
    public static final String CODE_MESSAGE = "may hold letters, digits and _ . $ - (not starting with . or -)";
    public static final int MAX_ATTRIBUTES = 100;

    private EventBodies() {
    }

    @Schema(description = "A typed attribute: the id is the key in an event's extendAttributes")
    public record Attribute(
            @Schema(example = "price") @NotBlank @Size(max = 128) @Pattern(regexp = CODE_PATTERN, message = CODE_MESSAGE) String id,
            @Schema(example = "Price", description = "display name; defaults to the id") @Size(max = 200) String name,
            @Schema(example = "NUMBER") @NotNull AttributeType type) {

        public String nameOrId() {
            return name == null || name.isBlank() ? id : name;
        }
    }

    public record ChannelCreate(
            @Schema(example = "eventsource001", description = "the channel's APP_KEY, reported as eventSourceCode; unique within the organization")
            @NotBlank @Size(max = 128) @Pattern(regexp = CODE_PATTERN, message = CODE_MESSAGE) String appKey,
            @Schema(example = "Shop app") @NotBlank @Size(max = 200) String name,
            @Schema(example = "APP") @NotNull AppType appType,
            @Schema(example = "open_id", description = "the ID type of the customerId this channel's events carry (a mini-program reports "
                    + "OPEN_IDs), any case; absent = ONEID")
            @Size(max = 32) String customerIdType,
            @Schema(description = "attributes every event of this channel may carry")
            @Size(max = MAX_ATTRIBUTES) List<@NotNull @Valid Attribute> globalAttributes) {
    }

    public record ChannelUpdate(
            @Schema(example = "eventsource001", description = "optional; must equal the path's APP_KEY (it cannot change)") String appKey,
            @Schema(example = "Shop app (iOS + Android)") @NotBlank @Size(max = 200) String name,
            @Schema(example = "APP") @NotNull AppType appType,
            @Schema(example = "open_id", description = "the ID type of the customerId this channel's events carry (a mini-program reports "
                    + "OPEN_IDs), any case; absent = ONEID (a full replacement: leaving it out sets ONEID)")
            @Size(max = 32) String customerIdType,
            @Schema(description = "the whole list: existing attributes may be renamed, new ones added; none removed or retyped")
            @Size(max = MAX_ATTRIBUTES) List<@NotNull @Valid Attribute> globalAttributes) {
    }

    public record Channel(
            @Schema(example = "eventsource001") String appKey,
            @Schema(example = "Shop app") String name,
            AppType appType,
            @Schema(example = "OPEN_ID", description = "the ID type of the customerId its events carry (ONEID unless set)") IdType customerIdType,
            List<Attribute> globalAttributes,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
    }

    public record EventDefinitionCreate(
            @Schema(example = "add_to_cart", description = "unique within the organization")
            @NotBlank @Size(max = 128) @Pattern(regexp = CODE_PATTERN, message = CODE_MESSAGE) String eventCode,
            @Schema(example = "Add to cart") @NotBlank @Size(max = 200) String name,
            @Schema(example = "eventsource001", description = "APP_KEY of the channel the event belongs to; absent = any channel")
            @Size(max = 128) String channel,
            @Size(max = MAX_ATTRIBUTES) List<@NotNull @Valid Attribute> attributes) {
    }

    public record EventDefinitionUpdate(
            @Schema(example = "add_to_cart", description = "optional; must equal the path's event code (it cannot change)") String eventCode,
            @Schema(example = "Add to cart") @NotBlank @Size(max = 200) String name,
            @Schema(example = "eventsource001") @Size(max = 128) String channel,
            @Schema(description = "the whole list: existing attributes may be renamed, new ones added; none removed or retyped")
            @Size(max = MAX_ATTRIBUTES) List<@NotNull @Valid Attribute> attributes) {
    }

    public record EventDefinition(
            @Schema(example = "add_to_cart") String eventCode,
            @Schema(example = "Add to cart") String name,
            @Schema(example = "eventsource001") String channel,
            List<Attribute> attributes,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
    }
}
