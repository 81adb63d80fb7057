package dev.qaengine.controlplane.channel;

import dev.qaengine.controlplane.channel.ChannelBodies.PushApp;
import dev.qaengine.controlplane.channel.ChannelBodies.PushAppBody;
import dev.qaengine.controlplane.channel.ChannelBodies.WechatAccount;
import dev.qaengine.controlplane.channel.ChannelBodies.WechatAccountBody;
import dev.qaengine.controlplane.channel.ChannelInterfaceService.Draft;
import dev.qaengine.controlplane.tenancy.Access;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.tenancy.Role;
import dev.qaengine.controlplane.web.Page;
import dev.qaengine.controlplane.web.PageRequest;
import dev.qaengine.model.ChannelInterface;
import dev.qaengine.model.ChannelInterfaceType;
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

/** App push (Umeng) and WeChat official accounts of the caller's workspace: an id and a write-only secret each. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Channel interfaces")
public class AppChannelController {
    private static final String PUSH_EXAMPLE =
            "{\"name\":\"Shop app push\",\"appKey\":\"5f8a1b2c3d4e5f6a7b8c9d0e\",\"masterSecret\":\"x9y8z7w6v5u4t3s2r1q0\"}";
    private static final String WECHAT_EXAMPLE =
            "{\"name\":\"Brand official account\",\"appId\":\"wx0123456789abcdef\",\"secret\":\"0123456789abcdef0123456789abcdef\"}";

    private final ChannelInterfaceService interfaces;

    public AppChannelController(ChannelInterfaceService interfaces) {
        this.interfaces = interfaces;
    }

    // --- Umeng push

    @GetMapping("/push-apps")
    @Access(Role.ANALYST)
    @Operation(summary = "List push apps (Umeng)", description = "Ordered by name.")
    public Page<PushApp> pushApps(Caller caller,
                                  @Parameter(description = "name contains (case-insensitive)", example = "shop") @RequestParam(required = false) String name,
                                  @Parameter(example = "0") @RequestParam(required = false) Integer page,
                                  @Parameter(example = "20") @RequestParam(required = false) Integer size) {
        return interfaces.list(caller, ChannelInterfaceType.PUSH, ChannelInterfaceRepository.Filter.of(name, null, null),
                PageRequest.of(page, size)).map(AppChannelController::push);
    }

    @GetMapping("/push-apps/{id}")
    @Access(Role.ANALYST)
    @Operation(summary = "Get a push app", description = "The master secret is never shown: masterSecretSet says whether one is set.")
    public PushApp pushApp(Caller caller, @PathVariable String id) {
        return push(interfaces.get(caller, ChannelInterfaceType.PUSH, id));
    }

    @PostMapping(path = "/push-apps", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Register a push app (Umeng)", description = "appKey and masterSecret (write-only) are required. Publishes "
            + "CHANNEL_INTERFACE to qa.control, with the secret sealed.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = PUSH_EXAMPLE))))
    public PushApp createPushApp(Caller caller, @Valid @RequestBody PushAppBody body) {
        if (body.masterSecret() == null) {
            throw Checks.invalid("masterSecret", "is required");
        }
        return push(interfaces.create(caller, body.name(), new InterfaceSettings.Push(body.appKey().strip()),
                Map.of(InterfaceWire.PUSH_MASTER_SECRET, secret("masterSecret", body.masterSecret()))));
    }

    @PutMapping(path = "/push-apps/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Replace a push app", description = "Without masterSecret the current one is kept.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(
                    value = "{\"name\":\"Shop app push\",\"appKey\":\"5f8a1b2c3d4e5f6a7b8c9d0e\"}"))))
    public PushApp updatePushApp(Caller caller, @PathVariable String id, @Valid @RequestBody PushAppBody body) {
        return push(interfaces.update(caller, ChannelInterfaceType.PUSH, id, old -> new Draft(body.name(),
                new InterfaceSettings.Push(body.appKey().strip()),
                interfaces.mergeSecrets(old, changes(InterfaceWire.PUSH_MASTER_SECRET, "masterSecret", body.masterSecret()),
                        List.of(InterfaceWire.PUSH_MASTER_SECRET)))));
    }

    @DeleteMapping("/push-apps/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Delete a push app", description = "Refused (409 in-use) while journeys use it.")
    public void deletePushApp(Caller caller, @PathVariable String id) {
        interfaces.delete(caller, ChannelInterfaceType.PUSH, id);
    }

    // --- WeChat official accounts

    @GetMapping("/wechat-accounts")
    @Access(Role.ANALYST)
    @Operation(summary = "List WeChat official accounts", description = "Ordered by name.")
    public Page<WechatAccount> wechatAccounts(Caller caller,
                                              @Parameter(description = "name contains (case-insensitive)", example = "brand") @RequestParam(required = false) String name,
                                              @Parameter(example = "0") @RequestParam(required = false) Integer page,
                                              @Parameter(example = "20") @RequestParam(required = false) Integer size) {
        return interfaces.list(caller, ChannelInterfaceType.WECHAT, ChannelInterfaceRepository.Filter.of(name, null, null),
                PageRequest.of(page, size)).map(AppChannelController::wechat);
    }

    @GetMapping("/wechat-accounts/{id}")
    @Access(Role.ANALYST)
    @Operation(summary = "Get a WeChat official account", description = "The AppSecret is never shown: secretSet says whether one is set.")
    public WechatAccount wechatAccount(Caller caller, @PathVariable String id) {
        return wechat(interfaces.get(caller, ChannelInterfaceType.WECHAT, id));
    }

    @PostMapping(path = "/wechat-accounts", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Register a WeChat official account", description = "appId and secret (the AppSecret, write-only) are required. "
            + "Publishes CHANNEL_INTERFACE to qa.control, with the secret sealed.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = WECHAT_EXAMPLE))))
    public WechatAccount createWechatAccount(Caller caller, @Valid @RequestBody WechatAccountBody body) {
        if (body.secret() == null) {
            throw Checks.invalid("secret", "is required");
        }
        return wechat(interfaces.create(caller, body.name(), new InterfaceSettings.Wechat(body.appId().strip()),
                Map.of(InterfaceWire.WECHAT_SECRET, secret("secret", body.secret()))));
    }

    @PutMapping(path = "/wechat-accounts/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Replace a WeChat official account", description = "Without secret the current one is kept.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(
                    value = "{\"name\":\"Brand official account\",\"appId\":\"wx0123456789abcdef\"}"))))
    public WechatAccount updateWechatAccount(Caller caller, @PathVariable String id, @Valid @RequestBody WechatAccountBody body) {
        return wechat(interfaces.update(caller, ChannelInterfaceType.WECHAT, id, old -> new Draft(body.name(),
                new InterfaceSettings.Wechat(body.appId().strip()),
                interfaces.mergeSecrets(old, changes(InterfaceWire.WECHAT_SECRET, "secret", body.secret()), List.of(InterfaceWire.WECHAT_SECRET)))));
    }

    @DeleteMapping("/wechat-accounts/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Delete a WeChat official account", description = "Refused (409 in-use) while journeys use it.")
    public void deleteWechatAccount(Caller caller, @PathVariable String id) {
        interfaces.delete(caller, ChannelInterfaceType.WECHAT, id);
    }

    // ---

    private static String secret(String field, String value) {
        if (value.isBlank()) {
            throw Checks.invalid(field, "must not be blank");
        }
        return value;
    }

    private static Map<String, String> changes(String name, String field, String value) {
        Map<String, String> m = new HashMap<>();
        if (value != null) {
            m.put(name, secret(field, value));
        }
        return m;
    }

    static PushApp push(StoredInterface i) {
        return new PushApp(i.id(), i.name(), ChannelInterface.Push.UMENG, i.settings(InterfaceSettings.Push.class).appKey(),
                i.hasSecret(InterfaceWire.PUSH_MASTER_SECRET), i.createdAt(), i.updatedAt());
    }

    static WechatAccount wechat(StoredInterface i) {
        return new WechatAccount(i.id(), i.name(), i.settings(InterfaceSettings.Wechat.class).appId(), i.hasSecret(InterfaceWire.WECHAT_SECRET),
                i.createdAt(), i.updatedAt());
    }
}
