package dev.qaengine.controlplane.tenancy;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.OffsetDateTime;

/** The stored tenancy entities, as the API shows them. */
public final class TenancyModel {
    private TenancyModel() {
    }

    public record Organization(
            @Schema(example = "56621289-820e-433a-9947-000000000000") String id,
            @Schema(example = "Acme Retail") String name,
            OffsetDateTime createdAt) {
    }

    public record Workspace(
            @Schema(example = "0b6f3f43-5f0e-4b5e-a1c4-58b0c2f3a9d1") String id,
            @Schema(example = "56621289-820e-433a-9947-000000000000") String organizationId,
            @Schema(example = "marketing") String name,
            OffsetDateTime createdAt) {
    }

    /** An API key as listed: never the key itself, only its visible prefix. */
    public record ApiKey(
            @Schema(example = "6a1e9a55-8a51-4a8e-9f0f-2f3c4c1b7e21") String id,
            @Schema(example = "0b6f3f43-5f0e-4b5e-a1c4-58b0c2f3a9d1") String workspaceId,
            @Schema(example = "ci pipeline") String name,
            Role role,
            @Schema(description = "may manage organizations (the bootstrap key only)") boolean platformAdmin,
            @Schema(example = "qak_Xf3k9Q2a", description = "the first characters of the key, to tell keys apart") String prefix,
            OffsetDateTime createdAt) {
    }
}
