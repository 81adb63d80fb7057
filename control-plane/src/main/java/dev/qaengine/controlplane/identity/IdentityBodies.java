package dev.qaengine.controlplane.identity;

import dev.qaengine.model.IdType;
import dev.qaengine.model.IdentitySettings;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.OffsetDateTime;
import java.util.List;

/** Request and response bodies of /api/v1/identity-settings. */
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
}
