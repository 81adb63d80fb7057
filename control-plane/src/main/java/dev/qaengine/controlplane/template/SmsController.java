package dev.qaengine.controlplane.template;

import dev.qaengine.controlplane.template.TemplateBodies.SmsSignature;
import dev.qaengine.controlplane.template.TemplateBodies.SmsSignatureCreate;
import dev.qaengine.controlplane.template.TemplateBodies.SmsTemplate;
import dev.qaengine.controlplane.template.TemplateBodies.SmsTemplateBody;
import dev.qaengine.controlplane.template.TemplateRepository.Filter;
import dev.qaengine.controlplane.tenancy.Access;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.tenancy.Role;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** SMS signatures and SMS templates of the caller's workspace, reviewed by their SMS platform (CONTRACTS.md §4). */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Templates", description = "SMS signatures, SMS and email templates, with the platform's review status")
public class SmsController {
    private static final String TEMPLATE_EXAMPLE = """
            {"platformId":"3f1c5a2e-7d41-4c2b-9a55-0d8e6f1b2c3d","name":"Cart reminder",
             "content":"您的购物车里还有${count}件商品，${name}，快来看看吧","type":"PROMOTION","subject":"购物车提醒",
             "remark":"Reminds shoppers of the items left in their cart"}""";

    private final TemplateService templates;

    public SmsController(TemplateService templates) {
        this.templates = templates;
    }

    // --- signatures

    @GetMapping("/sms-signatures")
    @Access(Role.ANALYST)
    @Operation(summary = "List SMS signatures", description = "Ordered by signName; filters combine with AND.")
    public Page<SmsSignature> signatures(Caller caller,
                                         @Parameter(description = "SMS platform id") @RequestParam(required = false) String platformId,
                                         @Parameter(description = "review status", example = "APPROVED") @RequestParam(required = false) ReviewStatus status,
                                         @Parameter(description = "signName contains (case-insensitive)", example = "商城") @RequestParam(required = false) String signName,
                                         @Parameter(example = "0") @RequestParam(required = false) Integer page,
                                         @Parameter(example = "20") @RequestParam(required = false) Integer size) {
        return templates.signatures(caller, Filter.of(platformId, status, signName), PageRequest.of(page, size));
    }

    @GetMapping("/sms-signatures/{id}")
    @Access(Role.ANALYST)
    @Operation(summary = "Get an SMS signature")
    public SmsSignature signature(Caller caller, @PathVariable String id) {
        return templates.signature(caller, id);
    }

    @PostMapping(path = "/sms-signatures", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Register an SMS signature of a platform",
            description = "Asks the platform for its review status (GET ${prefix}/sms/smsSign/{signName}); a platform that does not know it "
                    + "answers an error (502 platform-error with its code and message) and nothing is stored. Unique per platform.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(
                    value = "{\"platformId\":\"3f1c5a2e-7d41-4c2b-9a55-0d8e6f1b2c3d\",\"signName\":\"QA商城\"}"))))
    public SmsSignature createSignature(Caller caller, @Valid @RequestBody SmsSignatureCreate body) {
        return templates.createSignature(caller, body);
    }

    @DeleteMapping("/sms-signatures/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Delete an SMS signature", description = "Here only (the platform has no call for it); 409 in-use while a journey uses it.")
    public void deleteSignature(Caller caller, @PathVariable String id) {
        templates.deleteSignature(caller, id);
    }

    @PostMapping("/sms-signatures/{id}/sync")
    @Access(Role.DEVELOPER)
    @Operation(summary = "Synchronize an SMS signature's review status now", description = "GET ${prefix}/sms/smsSign/{signName}; 502 when the platform fails.")
    public SmsSignature syncSignature(Caller caller, @PathVariable String id) {
        return templates.syncSignature(caller, id);
    }

    // --- templates

    @GetMapping("/sms-templates")
    @Access(Role.ANALYST)
    @Operation(summary = "List SMS templates", description = "Ordered by name; filters combine with AND.")
    public Page<SmsTemplate> smsTemplates(Caller caller,
                                          @Parameter(description = "SMS platform id") @RequestParam(required = false) String platformId,
                                          @Parameter(description = "review status", example = "PENDING") @RequestParam(required = false) ReviewStatus status,
                                          @Parameter(description = "name contains (case-insensitive)", example = "cart") @RequestParam(required = false) String name,
                                          @Parameter(example = "0") @RequestParam(required = false) Integer page,
                                          @Parameter(example = "20") @RequestParam(required = false) Integer size) {
        return templates.smsTemplates(caller, Filter.of(platformId, status, name), PageRequest.of(page, size));
    }

    @GetMapping("/sms-templates/{id}")
    @Access(Role.ANALYST)
    @Operation(summary = "Get an SMS template")
    public SmsTemplate smsTemplate(Caller caller, @PathVariable String id) {
        return templates.smsTemplate(caller, id);
    }

    @PostMapping(path = "/sms-templates", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Create an SMS template at its platform",
            description = "POST ${prefix}/sms/smsTemplate; stored PENDING with the templateCode the platform answers. The platform's refusal is a "
                    + "502 platform-error carrying its code and message; nothing is stored then.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = TEMPLATE_EXAMPLE))))
    public SmsTemplate createSmsTemplate(Caller caller, @Valid @RequestBody SmsTemplateBody body) {
        return templates.createSmsTemplate(caller, body);
    }

    @PutMapping(path = "/sms-templates/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Change an SMS template at its platform",
            description = "PUT ${prefix}/sms/smsTemplate/{templateCode}; back to PENDING (reviewed again). The platform cannot change.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = TEMPLATE_EXAMPLE))))
    public SmsTemplate updateSmsTemplate(Caller caller, @PathVariable String id, @Valid @RequestBody SmsTemplateBody body) {
        return templates.updateSmsTemplate(caller, id, body);
    }

    @DeleteMapping("/sms-templates/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Delete an SMS template", description = "Here only (the platform has no call for it); 409 in-use while a journey uses it.")
    public void deleteSmsTemplate(Caller caller, @PathVariable String id) {
        templates.deleteSmsTemplate(caller, id);
    }

    @PostMapping("/sms-templates/{id}/sync")
    @Access(Role.DEVELOPER)
    @Operation(summary = "Synchronize an SMS template's review status now", description = "GET ${prefix}/sms/smsTemplate/{templateCode}.")
    public SmsTemplate syncSmsTemplate(Caller caller, @PathVariable String id) {
        return templates.syncSmsTemplate(caller, id);
    }
}
