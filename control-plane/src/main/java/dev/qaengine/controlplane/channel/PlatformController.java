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
import java.util.function.Function;

/** Third-party SMS and email platforms of the caller's workspace (CONTRACTS.md §4): a name and a callback URL prefix. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Channel interfaces", description = "SMS and email platforms, webhooks, Umeng push, WeChat accounts, Kafka interfaces (workspace-level)")
public class PlatformController {
    private static final String SMS_EXAMPLE = "{\"name\":\"Aliyun SMS\",\"callbackUrlPrefix\":\"https://sms-gateway.example.com/qa\"}";
    private static final String EMAIL_EXAMPLE =
            "{\"name\":\"DirectMail\",\"callbackUrlPrefix\":\"https://mail-gateway.example.com/qa\",\"reviewTemplates\":true}";

    private final Handlers<SmsPlatformBody, SmsPlatform> smsPlatforms;
    private final Handlers<EmailPlatformBody, EmailPlatform> emailPlatforms;

    public PlatformController(ChannelInterfaceService interfaces) {
        this.smsPlatforms = new Handlers<>(interfaces, ChannelInterfaceType.SMS, SmsPlatformBody::name,
                PlatformController::smsSettings, PlatformController::sms);
        this.emailPlatforms = new Handlers<>(interfaces, ChannelInterfaceType.EMAIL, EmailPlatformBody::name,
                PlatformController::emailSettings, PlatformController::email);
    }

    // --- SMS

    @GetMapping("/sms-platforms")
    @Access(Role.ANALYST)
    @Operation(summary = "List SMS platforms", description = "Ordered by name.")
    public Page<SmsPlatform> smsPlatforms(Caller caller,
                                          @Parameter(description = "name contains (case-insensitive)", example = "aliyun") @RequestParam(required = false) String name,
                                          @Parameter(example = "0") @RequestParam(required = false) Integer page,
                                          @Parameter(example = "20") @RequestParam(required = false) Integer size) {
        return smsPlatforms.list(caller, name, PageRequest.of(page, size));
    }

    @GetMapping("/sms-platforms/{id}")
    @Access(Role.ANALYST)
    @Operation(summary = "Get an SMS platform")
    public SmsPlatform smsPlatform(Caller caller, @PathVariable String id) {
        return smsPlatforms.get(caller, id);
    }

    @PostMapping(path = "/sms-platforms", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Register an SMS platform", description = "Names are unique per workspace. Publishes CHANNEL_INTERFACE to qa.control.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = SMS_EXAMPLE))))
    public SmsPlatform createSmsPlatform(Caller caller, @Valid @RequestBody SmsPlatformBody body) {
        return smsPlatforms.create(caller, body);
    }

    @PutMapping(path = "/sms-platforms/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Replace an SMS platform",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = SMS_EXAMPLE))))
    public SmsPlatform updateSmsPlatform(Caller caller, @PathVariable String id, @Valid @RequestBody SmsPlatformBody body) {
        return smsPlatforms.update(caller, id, body);
    }

    @DeleteMapping("/sms-platforms/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Delete an SMS platform", description = "Refused (409 in-use) while signatures, templates or journeys use it.")
    public void deleteSmsPlatform(Caller caller, @PathVariable String id) {
        smsPlatforms.delete(caller, id);
    }

    // --- email

    @GetMapping("/email-platforms")
    @Access(Role.ANALYST)
    @Operation(summary = "List email platforms", description = "Ordered by name.")
    public Page<EmailPlatform> emailPlatforms(Caller caller,
                                              @Parameter(description = "name contains (case-insensitive)", example = "mail") @RequestParam(required = false) String name,
                                              @Parameter(example = "0") @RequestParam(required = false) Integer page,
                                              @Parameter(example = "20") @RequestParam(required = false) Integer size) {
        return emailPlatforms.list(caller, name, PageRequest.of(page, size));
    }

    @GetMapping("/email-platforms/{id}")
    @Access(Role.ANALYST)
    @Operation(summary = "Get an email platform")
    public EmailPlatform emailPlatform(Caller caller, @PathVariable String id) {
        return emailPlatforms.get(caller, id);
    }

    @PostMapping(path = "/email-platforms", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Register an email platform", description = "Names are unique per workspace. Publishes CHANNEL_INTERFACE to qa.control.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = EMAIL_EXAMPLE))))
    public EmailPlatform createEmailPlatform(Caller caller, @Valid @RequestBody EmailPlatformBody body) {
        return emailPlatforms.create(caller, body);
    }

    @PutMapping(path = "/email-platforms/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Replace an email platform",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = EMAIL_EXAMPLE))))
    public EmailPlatform updateEmailPlatform(Caller caller, @PathVariable String id, @Valid @RequestBody EmailPlatformBody body) {
        return emailPlatforms.update(caller, id, body);
    }

    @DeleteMapping("/email-platforms/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Delete an email platform", description = "Refused (409 in-use) while templates or journeys use it.")
    public void deleteEmailPlatform(Caller caller, @PathVariable String id) {
        emailPlatforms.delete(caller, id);
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

    /**
     * What the SMS and email endpoints do alike, given how a body becomes settings and how a stored platform
     * is shown (the endpoints stay apart for their paths, roles and OpenAPI examples).
     */
    private record Handlers<B, V>(ChannelInterfaceService interfaces, ChannelInterfaceType type, Function<B, String> name,
                                  Function<B, InterfaceSettings> settings, Function<StoredInterface, V> view) {

        Page<V> list(Caller caller, String nameContains, PageRequest page) {
            return interfaces.list(caller, type, ChannelInterfaceRepository.Filter.of(nameContains, null, null), page)
                    .map(view);
        }

        V get(Caller caller, String id) {
            return view.apply(interfaces.get(caller, type, id));
        }

        V create(Caller caller, B body) {
            return view.apply(interfaces.create(caller, name.apply(body), settings.apply(body), Map.of()));
        }

        V update(Caller caller, String id, B body) {
            InterfaceSettings s = settings.apply(body);
            return view.apply(interfaces.update(caller, type, id, old -> new Draft(name.apply(body), s, Map.of())));
        }

        void delete(Caller caller, String id) {
            interfaces.delete(caller, type, id);
        }
    }
}
