package dev.qaengine.controlplane.aeskey;

import dev.qaengine.controlplane.aeskey.AesKeyBodies.AesKeySet;
import dev.qaengine.controlplane.aeskey.AesKeyBodies.AesKeyState;
import dev.qaengine.controlplane.tenancy.Access;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.tenancy.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The organization's AES key (organization-level): settable once, never returned. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "AES key", description = "The organization's key for AES-encrypted audience IDs (16 hex characters, set once)")
public class AesKeyController {
    private final AesKeyService keys;

    public AesKeyController(AesKeyService keys) {
        this.keys = keys;
    }

    @GetMapping("/aes-key")
    @Access(Role.ANALYST)
    @Operation(summary = "Whether the organization's AES key is set, and when", description = "Never the key itself.")
    public AesKeyState get(Caller caller) {
        return keys.get(caller.orgId());
    }

    @PutMapping(path = "/aes-key", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Access(Role.ADMIN)
    @Operation(summary = "Set the organization's AES key (once)",
            description = "Exactly 16 hex characters. Once set it cannot change (409 already-set): IDs encrypted with it would become "
                    + "unreadable. Stored and published to qa.control (ORG_KEYS) sealed with the platform key, never in clear.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    examples = @ExampleObject(value = "{\"key\":\"0123456789abcdef\"}"))))
    public AesKeyState put(Caller caller, @Valid @RequestBody AesKeySet body) {
        return keys.set(caller, body.key());
    }
}
