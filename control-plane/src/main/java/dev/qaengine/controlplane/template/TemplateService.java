package dev.qaengine.controlplane.template;

import dev.qaengine.controlplane.channel.ChannelInterfaceRepository;
import dev.qaengine.controlplane.channel.InterfaceSettings;
import dev.qaengine.controlplane.channel.StoredInterface;
import dev.qaengine.controlplane.config.Clocks;
import dev.qaengine.controlplane.template.PlatformClient.Review;
import dev.qaengine.controlplane.template.TemplateBodies.EmailTemplate;
import dev.qaengine.controlplane.template.TemplateBodies.EmailTemplateBody;
import dev.qaengine.controlplane.template.TemplateBodies.SmsSignature;
import dev.qaengine.controlplane.template.TemplateBodies.SmsSignatureCreate;
import dev.qaengine.controlplane.template.TemplateBodies.SmsTemplate;
import dev.qaengine.controlplane.template.TemplateBodies.SmsTemplateBody;
import dev.qaengine.controlplane.template.TemplateRepository.Filter;
import dev.qaengine.controlplane.template.TemplateRepository.Kind;
import dev.qaengine.controlplane.template.TemplateRepository.Row;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.tenancy.OrganizationData;
import dev.qaengine.controlplane.tenancy.TenancyRepository;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.Page;
import dev.qaengine.controlplane.web.PageRequest;
import dev.qaengine.controlplane.web.ProblemCode;
import dev.qaengine.model.ChannelInterfaceType;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * SMS signatures, SMS templates and email templates (CONTRACTS.md §4). A template is created and changed
 * <em>at its platform</em> first ({@code POST/PUT ${prefix}/…}), and stored with the code the platform gave it
 * only once the platform accepted it; its review status is then asked of the platform — on demand, and by
 * {@link ReviewSync} for pending ones. Platform calls are never made inside a database transaction: a slow
 * platform must not hold the organization's lock.
 */
@Service
@Order(10)
public class TemplateService implements OrganizationData {
    private final TemplateRepository repository;
    private final ChannelInterfaceRepository interfaces;
    private final TenancyRepository tenancy;
    private final PlatformClient platforms;
    private final List<TemplateUsage> usages;
    private final TransactionTemplate transactions;
    private final TransactionTemplate reads;
    private final Clocks clocks;

    public TemplateService(TemplateRepository repository, ChannelInterfaceRepository interfaces, TenancyRepository tenancy,
                           PlatformClient platforms, List<TemplateUsage> usages, TransactionTemplate transactions, Clocks clocks) {
        this.repository = repository;
        this.interfaces = interfaces;
        this.tenancy = tenancy;
        this.platforms = platforms;
        this.usages = usages;
        this.transactions = transactions;
        this.reads = new TransactionTemplate(transactions.getTransactionManager());
        this.reads.setReadOnly(true);
        this.clocks = clocks;
    }

    // --- SMS signatures

    public Page<SmsSignature> signatures(Caller caller, Filter filter, PageRequest page) {
        return read(() -> new Page<>(views(repository.signatures(caller.workspaceId(), filter, page)), page.page(), page.size(),
                repository.count(Kind.SMS_SIGNATURE, caller.workspaceId(), filter)));
    }

    public SmsSignature signature(Caller caller, String id) {
        return read(() -> repository.signature(caller.workspaceId(), id).orElseThrow(() -> notFound(Kind.SMS_SIGNATURE, id)).view());
    }

    /**
     * Registers a signature the platform knows: the contract has no call to apply for one, only
     * {@code GET ${prefix}/sms/smsSign/{signName}}, so creating it asks for its review status — a platform that
     * does not know it answers an error (502), and nothing is stored.
     */
    public SmsSignature createSignature(Caller caller, SmsSignatureCreate body) {
        String name = body.signName().strip();
        if (name.contains("【") || name.contains("】")) {
            throw ApiException.field(ProblemCode.VALIDATION, "signName", "without 【】: they are added around it when sending");
        }
        StoredInterface platform = read(() -> platform(caller, ChannelInterfaceType.SMS, body.platformId()));
        checkNameFree(Kind.SMS_SIGNATURE, platform.id(), name, null, "signName");
        Review review = platforms.smsSignReview(prefix(platform), name);
        return write(caller, () -> {
            platform(caller, ChannelInterfaceType.SMS, body.platformId());
            checkNameFree(Kind.SMS_SIGNATURE, platform.id(), name, null, "signName");
            OffsetDateTime now = clocks.now();
            SmsSignature s = new SmsSignature(UUID.randomUUID().toString(), platform.id(), name, review.status(), review.reason(), now, now, now);
            repository.insertSignature(new Row<>(s, caller.orgId(), caller.workspaceId(), 1));
            return s;
        });
    }

    public void deleteSignature(Caller caller, String id) {
        delete(caller, Kind.SMS_SIGNATURE, id, () -> repository.signature(caller.workspaceId(), id).map(r -> r.view().signName()));
    }

    public SmsSignature syncSignature(Caller caller, String id) {
        Row<SmsSignature> r = read(() -> repository.signature(caller.workspaceId(), id).orElseThrow(() -> notFound(Kind.SMS_SIGNATURE, id)));
        sync(Kind.SMS_SIGNATURE, r, r.view().platformId());
        return signature(caller, id);
    }

    // --- SMS templates

    public Page<SmsTemplate> smsTemplates(Caller caller, Filter filter, PageRequest page) {
        return read(() -> new Page<>(views(repository.smsTemplates(caller.workspaceId(), filter, page)), page.page(), page.size(),
                repository.count(Kind.SMS_TEMPLATE, caller.workspaceId(), filter)));
    }

    public SmsTemplate smsTemplate(Caller caller, String id) {
        return read(() -> repository.smsTemplate(caller.workspaceId(), id).orElseThrow(() -> notFound(Kind.SMS_TEMPLATE, id)).view());
    }

    /** {@code POST ${prefix}/sms/smsTemplate}, then stored PENDING with the platform's templateCode. */
    public SmsTemplate createSmsTemplate(Caller caller, SmsTemplateBody body) {
        StoredInterface platform = read(() -> platform(caller, ChannelInterfaceType.SMS, body.platformId()));
        String name = body.name().strip();
        checkNameFree(Kind.SMS_TEMPLATE, platform.id(), name, null, "name");
        String code = platforms.createSmsTemplate(prefix(platform), smsModel(body));
        return write(caller, () -> {
            platform(caller, ChannelInterfaceType.SMS, body.platformId());
            checkNameFree(Kind.SMS_TEMPLATE, platform.id(), name, null, "name");
            OffsetDateTime now = clocks.now();
            SmsTemplate t = new SmsTemplate(UUID.randomUUID().toString(), platform.id(), code, name, body.content(), body.type(),
                    blankToNull(body.subject()), body.remark().strip(), ReviewStatus.PENDING, null, null, now, now);
            repository.insertSmsTemplate(new Row<>(t, caller.orgId(), caller.workspaceId(), 1));
            return t;
        });
    }

    /** {@code PUT ${prefix}/sms/smsTemplate/{templateCode}}; the template goes back to PENDING (the platform reviews it again). */
    public SmsTemplate updateSmsTemplate(Caller caller, String id, SmsTemplateBody body) {
        Row<SmsTemplate> old = read(() -> repository.smsTemplate(caller.workspaceId(), id).orElseThrow(() -> notFound(Kind.SMS_TEMPLATE, id)));
        samePlatform(old.view().platformId(), body.platformId());
        StoredInterface platform = read(() -> platform(caller, ChannelInterfaceType.SMS, old.view().platformId()));
        String name = body.name().strip();
        checkNameFree(Kind.SMS_TEMPLATE, platform.id(), name, id, "name");
        String code = platforms.updateSmsTemplate(prefix(platform), old.view().templateCode(), smsModel(body));
        return write(caller, () -> {
            Row<SmsTemplate> current = repository.smsTemplate(caller.workspaceId(), id).orElseThrow(() -> notFound(Kind.SMS_TEMPLATE, id));
            SmsTemplate o = current.view();
            SmsTemplate t = new SmsTemplate(id, o.platformId(), code, name, body.content(), body.type(), blankToNull(body.subject()),
                    body.remark().strip(), ReviewStatus.PENDING, null, null, o.createdAt(), clocks.now());
            repository.updateSmsTemplate(new Row<>(t, current.orgId(), current.workspaceId(), current.revision() + 1));
            return t;
        });
    }

    public void deleteSmsTemplate(Caller caller, String id) {
        delete(caller, Kind.SMS_TEMPLATE, id, () -> repository.smsTemplate(caller.workspaceId(), id).map(r -> r.view().name()));
    }

    public SmsTemplate syncSmsTemplate(Caller caller, String id) {
        Row<SmsTemplate> r = read(() -> repository.smsTemplate(caller.workspaceId(), id).orElseThrow(() -> notFound(Kind.SMS_TEMPLATE, id)));
        sync(Kind.SMS_TEMPLATE, r, r.view().platformId());
        return smsTemplate(caller, id);
    }

    private static Map<String, Object> smsModel(SmsTemplateBody body) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("remark", body.remark().strip());
        m.put("templateContent", body.content());
        m.put("templateName", body.name().strip());
        if (blankToNull(body.subject()) != null) {
            m.put("templateSubject", body.subject().strip());
        }
        m.put("templateType", body.type().platformValue());
        return m;
    }

    // --- email templates

    public Page<EmailTemplate> emailTemplates(Caller caller, Filter filter, PageRequest page) {
        return read(() -> new Page<>(views(repository.emailTemplates(caller.workspaceId(), filter, page)), page.page(), page.size(),
                repository.count(Kind.EMAIL_TEMPLATE, caller.workspaceId(), filter)));
    }

    public EmailTemplate emailTemplate(Caller caller, String id) {
        return read(() -> repository.emailTemplate(caller.workspaceId(), id).orElseThrow(() -> notFound(Kind.EMAIL_TEMPLATE, id)).view());
    }

    /** {@code POST ${prefix}/email/emailTemplate}; PENDING, or APPROVED at once when the platform does not review templates. */
    public EmailTemplate createEmailTemplate(Caller caller, EmailTemplateBody body) {
        checkEmailContent(body);
        StoredInterface platform = read(() -> platform(caller, ChannelInterfaceType.EMAIL, body.platformId()));
        String name = body.name().strip();
        checkNameFree(Kind.EMAIL_TEMPLATE, platform.id(), name, null, "name");
        String code = platforms.createEmailTemplate(prefix(platform), emailModel(body));
        return write(caller, () -> {
            platform(caller, ChannelInterfaceType.EMAIL, body.platformId());
            checkNameFree(Kind.EMAIL_TEMPLATE, platform.id(), name, null, "name");
            OffsetDateTime now = clocks.now();
            EmailTemplate t = new EmailTemplate(UUID.randomUUID().toString(), platform.id(), code, name, body.subject().strip(),
                    body.content(), body.senderName().strip(), body.remark().strip(), initialStatus(platform), null, null, now, now);
            repository.insertEmailTemplate(new Row<>(t, caller.orgId(), caller.workspaceId(), 1));
            return t;
        });
    }

    public EmailTemplate updateEmailTemplate(Caller caller, String id, EmailTemplateBody body) {
        checkEmailContent(body);
        Row<EmailTemplate> old = read(() -> repository.emailTemplate(caller.workspaceId(), id).orElseThrow(() -> notFound(Kind.EMAIL_TEMPLATE, id)));
        samePlatform(old.view().platformId(), body.platformId());
        StoredInterface platform = read(() -> platform(caller, ChannelInterfaceType.EMAIL, old.view().platformId()));
        String name = body.name().strip();
        checkNameFree(Kind.EMAIL_TEMPLATE, platform.id(), name, id, "name");
        String code = platforms.updateEmailTemplate(prefix(platform), old.view().templateCode(), emailModel(body));
        return write(caller, () -> {
            Row<EmailTemplate> current = repository.emailTemplate(caller.workspaceId(), id).orElseThrow(() -> notFound(Kind.EMAIL_TEMPLATE, id));
            EmailTemplate o = current.view();
            EmailTemplate t = new EmailTemplate(id, o.platformId(), code, name, body.subject().strip(), body.content(),
                    body.senderName().strip(), body.remark().strip(), initialStatus(platform), null, null, o.createdAt(), clocks.now());
            repository.updateEmailTemplate(new Row<>(t, current.orgId(), current.workspaceId(), current.revision() + 1));
            return t;
        });
    }

    public void deleteEmailTemplate(Caller caller, String id) {
        delete(caller, Kind.EMAIL_TEMPLATE, id, () -> repository.emailTemplate(caller.workspaceId(), id).map(r -> r.view().name()));
    }

    public EmailTemplate syncEmailTemplate(Caller caller, String id) {
        Row<EmailTemplate> r = read(() -> repository.emailTemplate(caller.workspaceId(), id).orElseThrow(() -> notFound(Kind.EMAIL_TEMPLATE, id)));
        sync(Kind.EMAIL_TEMPLATE, r, r.view().platformId());
        return emailTemplate(caller, id);
    }

    private static Map<String, Object> emailModel(EmailTemplateBody body) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("remark", body.remark().strip());
        m.put("senderName", body.senderName().strip());
        m.put("templateContent", body.content());
        m.put("templateName", body.name().strip());
        m.put("templateSubject", body.subject().strip());
        return m;
    }

    private static void checkEmailContent(EmailTemplateBody body) {
        int bytes = body.content().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > TemplateBodies.MAX_EMAIL_CONTENT_BYTES) {
            throw ApiException.field(ProblemCode.VALIDATION, "content", "is " + bytes + " bytes (UTF-8), more than the platform's limit of 28 KB");
        }
    }

    private static ReviewStatus initialStatus(StoredInterface emailPlatform) {
        return Boolean.FALSE.equals(emailPlatform.settings(InterfaceSettings.Platform.class).reviewTemplates())
                ? ReviewStatus.APPROVED : ReviewStatus.PENDING;
    }

    // --- review status

    /**
     * Asks the platform for the item's review status and stores it (unless the item changed meanwhile).
     * An email template on a platform that does not review is approved without asking.
     */
    void sync(Kind kind, Row<?> row, String platformId) {
        StoredInterface platform = read(() -> interfaces.find(row.workspaceId(), kind == Kind.EMAIL_TEMPLATE ? ChannelInterfaceType.EMAIL
                : ChannelInterfaceType.SMS, platformId).orElseThrow(() -> new ApiException(ProblemCode.CONFLICT, "its platform is gone")));
        Review review = switch (kind) {
            case SMS_SIGNATURE -> platforms.smsSignReview(prefix(platform), ((SmsSignature) row.view()).signName());
            case SMS_TEMPLATE -> platforms.smsTemplateReview(prefix(platform), ((SmsTemplate) row.view()).templateCode());
            case EMAIL_TEMPLATE -> Boolean.FALSE.equals(platform.settings(InterfaceSettings.Platform.class).reviewTemplates())
                    ? new Review(ReviewStatus.APPROVED, null)
                    : platforms.emailTemplateReview(prefix(platform), ((EmailTemplate) row.view()).templateCode());
        };
        String id = idOf(row.view());
        transactions.executeWithoutResult(s -> repository.saveReview(kind, id, row.revision(), review.status(), review.reason(), clocks.now()));
    }

    /** The pending items of every workspace, oldest synchronized first (for {@link ReviewSync}). */
    List<String> pending(Kind kind, int limit) {
        return read(() -> repository.pending(kind, limit));
    }

    /** Synchronizes one item by id, whatever its workspace (for {@link ReviewSync}); false when it is gone. */
    boolean syncAnywhere(Kind kind, String id) {
        Optional<Row<?>> row = read(() -> repository.anywhere(kind, id));
        if (row.isEmpty()) {
            return false;
        }
        String platformId = switch (kind) {
            case SMS_SIGNATURE -> ((SmsSignature) row.get().view()).platformId();
            case SMS_TEMPLATE -> ((SmsTemplate) row.get().view()).platformId();
            case EMAIL_TEMPLATE -> ((EmailTemplate) row.get().view()).platformId();
        };
        sync(kind, row.get(), platformId);
        return true;
    }

    // ---

    @Override
    public void deleteOrganizationData(String orgId) {
        repository.deleteAll(orgId);
    }

    private void delete(Caller caller, Kind kind, String id, Supplier<Optional<String>> name) {
        write(caller, () -> {
            String n = name.get().orElseThrow(() -> notFound(kind, id));
            List<String> users = usages.stream().flatMap(u -> u.usersOf(caller.orgId(), kind, id).stream()).toList();
            if (!users.isEmpty()) {
                throw ApiException.inUse(kind.label() + " '" + n + "'", users);
            }
            repository.delete(kind, caller.workspaceId(), id);
            return null;
        });
    }

    /** The caller's platform of the given type, or a 422 naming {@code platformId}. */
    private StoredInterface platform(Caller caller, ChannelInterfaceType type, String platformId) {
        return interfaces.find(caller.workspaceId(), type, platformId).orElseThrow(() -> ApiException.field(ProblemCode.VALIDATION,
                "platformId", "no " + (type == ChannelInterfaceType.SMS ? "SMS" : "email") + " platform '" + platformId + "' in this workspace"));
    }

    private static String prefix(StoredInterface platform) {
        return platform.settings(InterfaceSettings.Platform.class).callbackUrlPrefix();
    }

    private void checkNameFree(Kind kind, String platformId, String name, String exceptId, String field) {
        if (read(() -> repository.nameTaken(kind, platformId, name, exceptId))) {
            throw ApiException.field(ProblemCode.DUPLICATE, field, "a " + kind.label() + " '" + name + "' already exists on this platform");
        }
    }

    private static void samePlatform(String current, String given) {
        if (given != null && !given.equals(current)) {
            throw ApiException.field(ProblemCode.VALIDATION, "platformId", "cannot change: the template is known by its code at its platform; "
                    + "create a new one on the other platform");
        }
    }

    /** A read: its own read-only transaction, or a part of the write that calls it. */
    private <T> T read(Supplier<T> work) {
        return reads.execute(s -> work.get());
    }

    /** A write, in one transaction holding the organization's lock (as every write of the organization). */
    private <T> T write(Caller caller, Supplier<T> work) {
        return transactions.execute(s -> {
            if (!tenancy.lockOrganization(caller.orgId())) {
                throw ApiException.notFound("organization", caller.orgId());
            }
            return work.get();
        });
    }

    private static <T> List<T> views(List<Row<T>> rows) {
        return rows.stream().map(Row::view).toList();
    }

    private static String idOf(Object view) {
        if (view instanceof SmsSignature s) {
            return s.id();
        }
        if (view instanceof SmsTemplate t) {
            return t.id();
        }
        return ((EmailTemplate) view).id();
    }

    private static ApiException notFound(Kind kind, String id) {
        return ApiException.notFound(kind.label(), id);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
