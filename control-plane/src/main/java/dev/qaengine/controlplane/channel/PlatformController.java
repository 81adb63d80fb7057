package dev.qaengine.controlplane.channel;

import dev.qaengine.controlplane.channel.ChannelBodies.EmailPlatform;
import dev.qaengine.controlplane.channel.ChannelBodies.EmailPlatformBody;
import dev.qaengine.controlplane.channel.ChannelBodies.SmsPlatform;
import dev.qaengine.controlplane.channel.ChannelBodies.SmsPlatformBody;
import dev.qaengine.controlplane.channel.ChannelInterfaceService.Draft;
import dev.qaengine.controlplane.tenancy.Access;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.tenancy.Role;
import dev.qaengine.controlplane.web.Page;
import dev.qaengine.controlplane.web.PageRequest;
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

import java.util.Map;

/** Third-party SMS and email platforms of the caller's workspace (CONTRACTS.md §4): a name and a callback URL prefix. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Channel interfaces", description = "SMS and email platforms, webhooks, Umeng push, WeChat accounts, Kafka interfaces (workspace-level)")
public class PlatformController {
    private static final String SMS_EXAMPLE = "{\"name\":\"Aliyun SMS\",\"callbackUrlPrefix\":\"https://sms-gateway.example.com/qa\"}";
    private static final String EMAIL_EXAMPLE =
            "{\"name\":\"DirectMail\",\"callbackUrlPrefix\":\"https://mail-gateway.example.com/qa\",\"reviewTemplates\":true}";

    private final ChannelInterfaceService interfaces;

    public PlatformController(ChannelInterfaceService interfaces) {
        this.interfaces = interfaces;
    }

    // --- SMS

    @GetMapping("/sms-platforms")
    @Access(Role.ANALYST)
    @Operation(summary = "List SMS platforms", description = "Ordered by name.")
    public Page<SmsPlatform> smsPlatforms(Caller caller,
                                          @Parameter(description = "name contains (case-insensitive)", example = "aliyun") @RequestParam(required = false) String name,
                                          @Parameter(example = "0") @RequestParam(required = false) Integer page,
                                          @Parameter(example = "20") @RequestParam(required = false) Integer size) {
        return interfaces.list(caller, ChannelInterfaceType.SMS, new ChannelInterfaceRepository.Filter(blank(name), null, null),
                PageRequest.of(page, size)).map(PlatformController::sms);
    }

    @GetMapping("/sms-platforms/{id}")
    @Access(Role.ANALYST)
    @Operation(summary = "Get an SMS platform")
    public SmsPlatform smsPlatform(Caller caller, @PathVariable String id) {
        return sms(interfaces.get(caller, ChannelInterfaceType.SMS, id));
    }

    @PostMapping(path = "/sms-platforms", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Register an SMS platform", description = "Names are unique per workspace. Publishes CHANNEL_INTERFACE to qa.control.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = SMS_EXAMPLE))))
    public SmsPlatform createSmsPlatform(Caller caller, @Valid @RequestBody SmsPlatformBody body) {
        return sms(interfaces.create(caller, body.name(), smsSettings(body), Map.of()));
    }

    @PutMapping(path = "/sms-platforms/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Replace an SMS platform",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = SMS_EXAMPLE))))
    public SmsPlatform updateSmsPlatform(Caller caller, @PathVariable String id, @Valid @RequestBody SmsPlatformBody body) {
        InterfaceSettings settings = smsSettings(body);
        return sms(interfaces.update(caller, ChannelInterfaceType.SMS, id, old -> new Draft(body.name(), settings, Map.of())));
    }

    @DeleteMapping("/sms-platforms/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Delete an SMS platform", description = "Refused (409 in-use) while signatures, templates or journeys use it.")
    public void deleteSmsPlatform(Caller caller, @PathVariable String id) {
        interfaces.delete(caller, ChannelInterfaceType.SMS, id);
    }

    // --- email

    @GetMapping("/email-platforms")
    @Access(Role.ANALYST)
    @Operation(summary = "List email platforms", description = "Ordered by name.")
    public Page<EmailPlatform> emailPlatforms(Caller caller,
                                              @Parameter(description = "name contains (case-insensitive)", example = "mail") @RequestParam(required = false) String name,
                                              @Parameter(example = "0") @RequestParam(required = false) Integer page,
                                              @Parameter(example = "20") @RequestParam(required = false) Integer size) {
        return interfaces.list(caller, ChannelInterfaceType.EMAIL, new ChannelInterfaceRepository.Filter(blank(name), null, null),
                PageRequest.of(page, size)).map(PlatformController::email);
    }

    @GetMapping("/email-platforms/{id}")
    @Access(Role.ANALYST)
    @Operation(summary = "Get an email platform")
    public EmailPlatform emailPlatform(Caller caller, @PathVariable String id) {
        return email(interfaces.get(caller, ChannelInterfaceType.EMAIL, id));
    }

    @PostMapping(path = "/email-platforms", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Register an email platform", description = "Names are unique per workspace. Publishes CHANNEL_INTERFACE to qa.control.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = EMAIL_EXAMPLE))))
    public EmailPlatform createEmailPlatform(Caller caller, @Valid @RequestBody EmailPlatformBody body) {
        return email(interfaces.create(caller, body.name(), emailSettings(body), Map.of()));
    }

    @PutMapping(path = "/email-platforms/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Replace an email platform",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = EMAIL_EXAMPLE))))
    public EmailPlatform updateEmailPlatform(Caller caller, @PathVariable String id, @Valid @RequestBody EmailPlatformBody body) {
        InterfaceSettings settings = emailSettings(body);
        return email(interfaces.update(caller, ChannelInterfaceType.EMAIL, id, old -> new Draft(body.name(), settings, Map.of())));
    }

    @DeleteMapping("/email-platforms/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Delete an email platform", description = "Refused (409 in-use) while templates or journeys use it.")
    public void deleteEmailPlatform(Caller caller, @PathVariable String id) {
        interfaces.delete(caller, ChannelInterfaceType.EMAIL, id);
    }

    // ---

    private static InterfaceSettings smsSettings(SmsPlatformBody body) {
        return new InterfaceSettings.Platform(ChannelInterfaceType.SMS, Checks.urlPrefix("callbackUrlPrefix", body.callbackUrlPrefix()), null);
    }

    private static InterfaceSettings emailSettings(EmailPlatformBody body) {
        return new InterfaceSettings.Platform(ChannelInterfaceType.EMAIL, Checks.urlPrefix("callbackUrlPrefix", body.callbackUrlPrefix()),
                !Boolean.FALSE.equals(body.reviewTemplates()));
    }

    static SmsPlatform sms(StoredInterface i) {
        return new SmsPlatform(i.id(), i.name(), i.settings(InterfaceSettings.Platform.class).callbackUrlPrefix(), i.createdAt(), i.updatedAt());
    }

    static EmailPlatform email(StoredInterface i) {
        InterfaceSettings.Platform p = i.settings(InterfaceSettings.Platform.class);
        return new EmailPlatform(i.id(), i.name(), p.callbackUrlPrefix(), !Boolean.FALSE.equals(p.reviewTemplates()), i.createdAt(), i.updatedAt());
    }

    static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
