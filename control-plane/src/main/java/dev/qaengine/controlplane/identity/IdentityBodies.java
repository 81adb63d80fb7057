package dev.qaengine.controlplane.identity;

import dev.qaengine.model.IdType;
import dev.qaengine.model.IdentityRefusal;
import dev.qaengine.model.IdentitySettings;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.OffsetDateTime;
import java.util.List;

/** Request and response bodies of /api/v1/identity-settings and /api/v1/identity/audit. */
public final class IdentityBodies {
    private IdentityBodies() {
    }

    public record SettingsUpdate(
            @Schema(example = "[\"ONEID\",\"MOBILE\"]", description = "ID types a person holds at most one of; may be empty")
            @NotNull @Size(max = 14) List<@NotNull IdType> uniqueIdTypes,
            @Schema(example = "50", description = "the most identifiers one person may hold")
            @NotNull @Min(IdentitySettings.MIN_IDENTIFIERS) @Max(IdentitySettings.MAX_IDENTIFIERS) Integer maxIdentifiersPerPerson) {
    }

    public record Settings(
            @Schema(example = "[\"ONEID\"]") List<IdType> uniqueIdTypes,
            @Schema(example = "50") int maxIdentifiersPerPerson,
            @Schema(description = "true while the organization has never set them (the defaults apply)") boolean defaults,
            @Schema(description = "when they were last set; null for the defaults") OffsetDateTime updatedAt) {
    }

    @Schema(description = "A link or identity message the identity job refused (state-schemas/identity-audit-v1): nothing of it "
            + "was applied, the persons stay apart")
    public record AuditEntry(
            @Schema(example = "UNIQUE_TYPE_CONFLICT") IdentityRefusal reason,
            @Schema(example = "the person already holds ONEID 'customer001'; ONEID is unique") String detail,
            @Schema(example = "ONEID", description = "the message's customer id type; null when the message was unreadable") String anchorType,
            @Schema(example = "customer002", description = "the message's customerId, normalized (as sent when invalid)") String anchorValue,
            @Schema(example = "oneid", description = "the linked identifier's type as sent (idMapping); null for a refused message") String idType,
            @Schema(example = "customer001", description = "the linked identifier's value (normalized when valid)") String idValue,
            @Schema(example = "[\"p-4f1c\",\"p-93aa\"]", description = "the persons the link would have merged") List<String> persons,
            @Schema(example = "1764300000123", description = "epoch ms: when the identity message was reported") long time,
            @Schema(example = "41", description = "the decision's logical clock (0: refused on receipt)") long seq,
            @Schema(description = "when the control plane stored it") OffsetDateTime receivedAt) {
    }
}
