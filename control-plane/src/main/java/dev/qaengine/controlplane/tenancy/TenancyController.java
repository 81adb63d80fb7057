package dev.qaengine.controlplane.tenancy;

import dev.qaengine.controlplane.tenancy.TenancyBodies.ApiKeyCreate;
import dev.qaengine.controlplane.tenancy.TenancyBodies.CreatedKey;
import dev.qaengine.controlplane.tenancy.TenancyBodies.Me;
import dev.qaengine.controlplane.tenancy.TenancyBodies.OrganizationCreate;
import dev.qaengine.controlplane.tenancy.TenancyBodies.OrganizationCreated;
import dev.qaengine.controlplane.tenancy.TenancyBodies.WorkspaceCreate;
import dev.qaengine.controlplane.tenancy.TenancyBodies.WorkspaceCreated;
import dev.qaengine.controlplane.tenancy.TenancyModel.ApiKey;
import dev.qaengine.controlplane.tenancy.TenancyModel.Organization;
import dev.qaengine.controlplane.tenancy.TenancyModel.Workspace;
import dev.qaengine.controlplane.web.Page;
import dev.qaengine.controlplane.web.PageRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The caller, its organization's workspaces, its workspace's API keys, and (operators only) organizations. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Tenancy", description = "Organizations, workspaces and API keys")
public class TenancyController {
    private final TenancyService tenancy;

    public TenancyController(TenancyService tenancy) {
        this.tenancy = tenancy;
    }

    @GetMapping("/me")
    @Access(Role.ANALYST)
    @Operation(summary = "Who am I", description = "The API key's organization, workspace and role.")
    public Me me(Caller caller) {
        return tenancy.me(caller);
    }

    // --- workspaces

    @GetMapping("/workspaces")
    @Access(Role.ADMIN)
    @Operation(summary = "List the organization's workspaces")
    public Page<Workspace> workspaces(Caller caller,
                                      @Parameter(example = "0") @RequestParam(required = false) Integer page,
                                      @Parameter(example = "20") @RequestParam(required = false) Integer size) {
        return tenancy.listWorkspaces(caller, PageRequest.of(page, size));
    }

    @GetMapping("/workspaces/{id}")
    @Access(Role.ADMIN)
    @Operation(summary = "Get a workspace of the organization")
    public Workspace workspace(Caller caller, @PathVariable String id) {
        return tenancy.getWorkspace(caller, id);
    }

    @PostMapping(path = "/workspaces", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Access(Role.ADMIN)
    @Operation(summary = "Create a workspace in the organization",
            description = "Answers the workspace and its first ADMIN key — the only time that key is shown.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    examples = @ExampleObject(value = "{\"name\":\"marketing\"}"))))
    public WorkspaceCreated createWorkspace(Caller caller, @Valid @RequestBody WorkspaceCreate body) {
        return tenancy.createWorkspace(caller, body.name());
    }

    // --- API keys

    @GetMapping("/api-keys")
    @Access(Role.ADMIN)
    @Operation(summary = "List the workspace's API keys", description = "Prefixes only: a key is shown once, at creation.")
    public Page<ApiKey> apiKeys(Caller caller,
                                @Parameter(example = "0") @RequestParam(required = false) Integer page,
                                @Parameter(example = "20") @RequestParam(required = false) Integer size) {
        return tenancy.listApiKeys(caller, PageRequest.of(page, size));
    }

    @GetMapping("/api-keys/{id}")
    @Access(Role.ADMIN)
    @Operation(summary = "Get an API key of the workspace")
    public ApiKey apiKey(Caller caller, @PathVariable String id) {
        return tenancy.getApiKey(caller, id);
    }

    @PostMapping(path = "/api-keys", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Access(Role.ADMIN)
    @Operation(summary = "Create an API key in the workspace", description = "The full key is in the answer, and only there.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    examples = @ExampleObject(value = "{\"name\":\"ci pipeline\",\"role\":\"DEVELOPER\"}"))))
    public CreatedKey createApiKey(Caller caller, @Valid @RequestBody ApiKeyCreate body) {
        return tenancy.createApiKey(caller, body.name(), body.role());
    }

    @DeleteMapping("/api-keys/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(Role.ADMIN)
    @Operation(summary = "Delete an API key of the workspace", description = "It stops working at once. A key cannot delete itself.")
    public void deleteApiKey(Caller caller, @PathVariable String id) {
        tenancy.deleteApiKey(caller, id);
    }

    // --- organizations (operators)

    @GetMapping("/organizations")
    @Access(value = Role.ADMIN, platformAdmin = true)
    @Operation(summary = "List organizations (platform admin)")
    public Page<Organization> organizations(@Parameter(example = "0") @RequestParam(required = false) Integer page,
                                            @Parameter(example = "20") @RequestParam(required = false) Integer size) {
        return tenancy.listOrganizations(PageRequest.of(page, size));
    }

    @GetMapping("/organizations/{id}")
    @Access(value = Role.ADMIN, platformAdmin = true)
    @Operation(summary = "Get an organization (platform admin)")
    public Organization organization(@PathVariable String id) {
        return tenancy.getOrganization(id);
    }

    @PostMapping(path = "/organizations", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Access(value = Role.ADMIN, platformAdmin = true)
    @Operation(summary = "Create an organization (platform admin)",
            description = "With a default workspace and its first ADMIN key (shown only here). Publishes the organization's empty event catalog.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    examples = @ExampleObject(value = "{\"name\":\"Acme Retail\"}"))))
    public OrganizationCreated createOrganization(@Valid @RequestBody OrganizationCreate body) {
        return tenancy.createOrganization(body.id(), body.name(), null, false);
    }

    @DeleteMapping("/organizations/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(value = Role.ADMIN, platformAdmin = true)
    @Operation(summary = "Delete an organization and everything in it (platform admin)",
            description = "Publishes a tombstone for its event catalog: the jobs forget the organization.")
    public void deleteOrganization(Caller caller, @PathVariable String id) {
        tenancy.deleteOrganization(caller, id);
    }
}
