package dev.qaengine.controlplane.identity;

import dev.qaengine.controlplane.identity.IdentityBodies.Settings;
import dev.qaengine.controlplane.identity.IdentityBodies.SettingsUpdate;
import dev.qaengine.controlplane.tenancy.Access;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.tenancy.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The organization's identity settings (organization-level: identity messages carry only the org id). */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Identity", description = "How identifiers are joined into persons: unique ID types, identifiers per person")
public class IdentitySettingsController {
    private final IdentitySettingsService settings;

    public IdentitySettingsController(IdentitySettingsService settings) {
        this.settings = settings;
    }

    @GetMapping("/identity-settings")
    @Access(Role.ANALYST)
    @Operation(summary = "Get the organization's identity settings",
            description = "The defaults (ONEID unique, 50 identifiers per person, \"defaults\": true) until they are set.")
    public Settings get(Caller caller) {
        return settings.get(caller.orgId());
    }

    @PutMapping(path = "/identity-settings", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Replace the organization's identity settings",
            description = "uniqueIdTypes: ID types a person holds at most one of (no repeats; may be empty). "
                    + "maxIdentifiersPerPerson: 1-1000. Publishes IDENTITY_SETTINGS to qa.control; applies to links made from then on.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    examples = @ExampleObject(value = "{\"uniqueIdTypes\":[\"ONEID\",\"MOBILE\"],\"maxIdentifiersPerPerson\":100}"))))
    public Settings put(Caller caller, @Valid @RequestBody SettingsUpdate body) {
        return settings.update(caller.orgId(), body);
    }
}
