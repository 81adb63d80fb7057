package dev.qaengine.controlplane.template;

import dev.qaengine.controlplane.template.TemplateBodies.EmailTemplate;
import dev.qaengine.controlplane.template.TemplateBodies.EmailTemplateBody;
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

/** Email templates of the caller's workspace, reviewed by their email platform unless it does not review (CONTRACTS.md §4). */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Templates")
public class EmailTemplateController {
    private static final String EXAMPLE = """
            {"platformId":"7b2d9c4e-1a3f-4e5d-8c6b-2f0a9e8d7c6b","name":"Welcome","subject":"Welcome to QA Shop, ${name}",
             "content":"<p>Hello ${name}, welcome!</p>","senderName":"QA Shop","remark":"Sent after sign-up"}""";

    private final TemplateService templates;

    public EmailTemplateController(TemplateService templates) {
        this.templates = templates;
    }

    @GetMapping("/email-templates")
    @Access(Role.ANALYST)
    @Operation(summary = "List email templates", description = "Ordered by name; filters combine with AND.")
    public Page<EmailTemplate> emailTemplates(Caller caller,
                                              @Parameter(description = "email platform id") @RequestParam(required = false) String platformId,
                                              @Parameter(description = "review status", example = "APPROVED") @RequestParam(required = false) ReviewStatus status,
                                              @Parameter(description = "name contains (case-insensitive)", example = "welcome") @RequestParam(required = false) String name,
                                              @Parameter(example = "0") @RequestParam(required = false) Integer page,
                                              @Parameter(example = "20") @RequestParam(required = false) Integer size) {
        return templates.emailTemplates(caller, Filter.of(platformId, status, name), PageRequest.of(page, size));
    }

    @GetMapping("/email-templates/{id}")
    @Access(Role.ANALYST)
    @Operation(summary = "Get an email template")
    public EmailTemplate emailTemplate(Caller caller, @PathVariable String id) {
        return templates.emailTemplate(caller, id);
    }

    @PostMapping(path = "/email-templates", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Create an email template at its platform",
            description = "POST ${prefix}/email/emailTemplate; stored with the platform's templateCode, PENDING — or APPROVED at once when the "
                    + "platform does not review templates. Content at most 28 KB. The platform's refusal is a 502 platform-error.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = EXAMPLE))))
    public EmailTemplate createEmailTemplate(Caller caller, @Valid @RequestBody EmailTemplateBody body) {
        return templates.createEmailTemplate(caller, body);
    }

    @PutMapping(path = "/email-templates/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Change an email template at its platform", description = "PUT ${prefix}/email/emailTemplate/{templateCode}; reviewed again.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = EXAMPLE))))
    public EmailTemplate updateEmailTemplate(Caller caller, @PathVariable String id, @Valid @RequestBody EmailTemplateBody body) {
        return templates.updateEmailTemplate(caller, id, body);
    }

    @DeleteMapping("/email-templates/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Delete an email template", description = "Here only (the platform has no call for it); 409 in-use while a journey uses it.")
    public void deleteEmailTemplate(Caller caller, @PathVariable String id) {
        templates.deleteEmailTemplate(caller, id);
    }

    @PostMapping("/email-templates/{id}/sync")
    @Access(Role.DEVELOPER)
    @Operation(summary = "Synchronize an email template's review status now", description = "GET ${prefix}/email/emailTemplate/{templateCode}.")
    public EmailTemplate syncEmailTemplate(Caller caller, @PathVariable String id) {
        return templates.syncEmailTemplate(caller, id);
    }
}
