package dev.qaengine.controlplane.tenancy;

import dev.qaengine.controlplane.tenancy.TenancyModel.ApiKey;
import dev.qaengine.controlplane.tenancy.TenancyModel.Organization;
import dev.qaengine.controlplane.tenancy.TenancyModel.Workspace;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request and response bodies of the tenancy endpoints. */
public final class TenancyBodies {
    private TenancyBodies() {
    }

    public record Me(
            @Schema(example = "56621289-820e-433a-9947-000000000000") String organizationId,
            @Schema(example = "Acme Retail") String organizationName,
            @Schema(example = "0b6f3f43-5f0e-4b5e-a1c4-58b0c2f3a9d1") String workspaceId,
            @Schema(example = "default") String workspaceName,
            @Schema(example = "6a1e9a55-8a51-4a8e-9f0f-2f3c4c1b7e21") String keyId,
            @Schema(example = "qak_Xf3k9Q2a") String keyPrefix,
            Role role,
            boolean platformAdmin) {
    }

    public record WorkspaceCreate(@Schema(example = "marketing") @NotBlank @Size(max = 200) String name) {
    }

    /** A new workspace and the first ADMIN key of it (the only time the key is shown). */
    public record WorkspaceCreated(Workspace workspace, CreatedKey adminKey) {
    }

    public record ApiKeyCreate(
            @Schema(example = "ci pipeline") @NotBlank @Size(max = 200) String name,
            @Schema(example = "DEVELOPER") @NotNull Role role) {
    }

    /** A key just created: {@code key} is shown this once and never stored (only its SHA-256). */
    public record CreatedKey(
            ApiKey apiKey,
            @Schema(example = "qak_Xf3k9Q2aW1m0c8mVxYQ3dTnG5bq7Zb0f2fD8s3kLhJ4", description = "the full key; store it now, it cannot be shown again")
            String key) {
    }

    public record OrganizationCreate(
            @Schema(example = "Acme Retail") @NotBlank @Size(max = 200) String name,
            @Schema(example = "56621289-820e-433a-9947-000000000001", description = "optional; a new UUID when absent")
            @Size(max = 64) @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9_.-]*$", message = "may hold letters, digits and _ . -") String id) {
    }

    /** A new organization with its default workspace and that workspace's first ADMIN key. */
    public record OrganizationCreated(Organization organization, Workspace workspace, CreatedKey adminKey) {
    }
}
