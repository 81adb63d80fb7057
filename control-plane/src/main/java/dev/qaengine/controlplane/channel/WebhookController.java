package dev.qaengine.controlplane.channel;

import dev.qaengine.controlplane.channel.ChannelBodies.Webhook;
import dev.qaengine.controlplane.channel.ChannelBodies.WebhookBody;
import dev.qaengine.controlplane.channel.ChannelBodies.WebhookCopy;
import dev.qaengine.controlplane.channel.ChannelBodies.WebhookState;
import dev.qaengine.controlplane.channel.ChannelInterfaceService.Draft;
import dev.qaengine.controlplane.tenancy.Access;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.tenancy.Role;
import dev.qaengine.controlplane.web.Page;
import dev.qaengine.controlplane.web.PageRequest;
import dev.qaengine.model.ChannelInterfaceType;
import dev.qaengine.model.IdType;
import dev.qaengine.model.WebhookAuth;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Webhooks ("custom components", CONTRACTS.md §3) of the caller's workspace, with their lifecycle: created
 * ENABLED, copied DISABLED, switched on and off, edited and deleted only while DISABLED, deleted only when unused.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Channel interfaces")
public class WebhookController {
    private static final String EXAMPLE = """
            {"name":"Coupon gateway","url":"https://partner.example.com/qa-hook","auth":"SECRET","secret":"123456789",
             "idTypes":["OPEN_ID","MOBILE"],
             "parameters":[{"name":"define_item1","displayName":"Coupon id","type":"TEXT","required":true},
                           {"name":"define_item2","displayName":"Message","type":"TEXT","required":false}],
             "receipt":{"period":24,"periodUnit":"HOURS","statusCodes":[{"code":"200","status":"SUCCESS"},{"code":"500","status":"FAILURE"}]}}""";

    private final ChannelInterfaceService interfaces;

    public WebhookController(ChannelInterfaceService interfaces) {
        this.interfaces = interfaces;
    }

    @GetMapping("/webhooks")
    @Access(Role.ANALYST)
    @Operation(summary = "List webhooks", description = "Ordered by name; filters combine with AND.")
    public Page<Webhook> webhooks(Caller caller,
                                  @Parameter(description = "name contains (case-insensitive)", example = "coupon") @RequestParam(required = false) String name,
                                  @Parameter(description = "ENABLED or DISABLED", example = "ENABLED") @RequestParam(required = false) WebhookState state,
                                  @Parameter(description = "webhooks that may send to this ID type", example = "OPEN_ID") @RequestParam(required = false) IdType idType,
                                  @Parameter(example = "0") @RequestParam(required = false) Integer page,
                                  @Parameter(example = "20") @RequestParam(required = false) Integer size) {
        Boolean enabled = state == null ? null : state == WebhookState.ENABLED;
        return interfaces.list(caller, ChannelInterfaceType.WEBHOOK, ChannelInterfaceRepository.Filter.of(name, enabled, idType),
                PageRequest.of(page, size)).map(WebhookController::view);
    }

    @GetMapping("/webhooks/{id}")
    @Access(Role.ANALYST)
    @Operation(summary = "Get a webhook", description = "The secret is never shown: secretSet says whether one is set.")
    public Webhook webhook(Caller caller, @PathVariable String id) {
        return view(interfaces.get(caller, ChannelInterfaceType.WEBHOOK, id));
    }

    @PostMapping(path = "/webhooks", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Create a webhook (ENABLED)",
            description = "A new webhook is ENABLED: disable it before an edit or a deletion. auth SECRET needs a secret (write-only). "
                    + "Parameters: unique names, not 'vars'. Receipt period ≤ 72 hours; status codes unique. Publishes CHANNEL_INTERFACE to qa.control, with the secret sealed.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = EXAMPLE))))
    public Webhook create(Caller caller, @Valid @RequestBody WebhookBody body) {
        InterfaceSettings.Webhook settings = WebhookRules.settings(body, null);
        Map<String, String> secrets = new HashMap<>();
        if (body.auth() == WebhookAuth.SECRET) {
            secrets.put(InterfaceWire.WEBHOOK_SECRET, body.secret());
        }
        return view(interfaces.create(caller, body.name(), settings, secrets));
    }

    @PutMapping(path = "/webhooks/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Replace a webhook (only while DISABLED)",
            description = "409 enabled while it is ENABLED (as a new webhook is): disable it first. Without a secret the current one is "
                    + "kept; auth NONE drops it. Configured receipt status codes cannot be changed or removed (409 conflict); new ones may be added.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = EXAMPLE))))
    public Webhook update(Caller caller, @PathVariable String id, @Valid @RequestBody WebhookBody body) {
        return view(interfaces.update(caller, ChannelInterfaceType.WEBHOOK, id, old -> {
            InterfaceSettings.Webhook settings = WebhookRules.settings(body, old);
            Map<String, String> changes = new HashMap<>();
            if (body.secret() != null) {
                changes.put(InterfaceWire.WEBHOOK_SECRET, body.secret());
            }
            List<String> keep = body.auth() == WebhookAuth.SECRET ? List.of(InterfaceWire.WEBHOOK_SECRET) : List.of();
            return new Draft(body.name(), settings, interfaces.mergeSecrets(old, changes, keep));
        }));
    }

    @DeleteMapping("/webhooks/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Delete a webhook (only while DISABLED and unused)",
            description = "409 enabled while it is ENABLED (as a new webhook is): disable it first; 409 in-use while a journey uses it.")
    public void delete(Caller caller, @PathVariable String id) {
        interfaces.delete(caller, ChannelInterfaceType.WEBHOOK, id);
    }

    @PostMapping("/webhooks/{id}/enable")
    @Access(Role.DEVELOPER)
    @Operation(summary = "Enable a webhook", description = "Sends may use it. Idempotent. Publishes its state to qa.control.")
    public Webhook enable(Caller caller, @PathVariable String id) {
        return view(interfaces.setEnabled(caller, ChannelInterfaceType.WEBHOOK, id, true));
    }

    @PostMapping("/webhooks/{id}/disable")
    @Access(Role.DEVELOPER)
    @Operation(summary = "Disable a webhook", description = "Sends stop using it; receipts of earlier sends are still taken. Idempotent.")
    public Webhook disable(Caller caller, @PathVariable String id) {
        return view(interfaces.setEnabled(caller, ChannelInterfaceType.WEBHOOK, id, false));
    }

    @PostMapping("/webhooks/{id}/copy")
    @ResponseStatus(HttpStatus.CREATED)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Copy a webhook",
            description = "Same settings and secret, a new id, DISABLED (unlike a new webhook): enable it by hand. The body (optional) names the copy.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false, content = @Content(
                    examples = @ExampleObject(value = "{\"name\":\"Coupon gateway (staging)\"}"))))
    public Webhook copy(Caller caller, @PathVariable String id, @Valid @RequestBody(required = false) WebhookCopy body) {
        return view(interfaces.copy(caller, ChannelInterfaceType.WEBHOOK, id, body == null ? null : body.name()));
    }

    static Webhook view(StoredInterface i) {
        InterfaceSettings.Webhook w = i.settings(InterfaceSettings.Webhook.class);
        return new Webhook(i.id(), i.name(), i.enabled() ? WebhookState.ENABLED : WebhookState.DISABLED, w.url(), w.auth(),
                i.hasSecret(InterfaceWire.WEBHOOK_SECRET), w.idTypes(), w.parameters(), w.receipt(), i.createdAt(), i.updatedAt());
    }
}
