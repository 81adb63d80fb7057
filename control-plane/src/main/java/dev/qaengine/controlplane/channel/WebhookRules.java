package dev.qaengine.controlplane.channel;

import dev.qaengine.controlplane.channel.ChannelBodies.WebhookBody;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.FieldError;
import dev.qaengine.controlplane.web.ProblemCode;
import dev.qaengine.model.IdType;
import dev.qaengine.model.WebhookAuth;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a webhook's settings must satisfy beyond bean validation (CONTRACTS.md §3 and the product's webhook page). */
final class WebhookRules {
    /** The product's receipt period ("数据回收周期") is at most 72 hours, as SMS delivery reports are. */
    static final long MAX_RECEIPT_MINUTES = 72 * 60;
    /** {@code params.vars} holds the values of the TEXT parameters' placeholders: no parameter may take its name. */
    static final String RESERVED_PARAMETER = "vars";

    private WebhookRules() {
    }

    /**
     * The settings a body asks for, checked.
     *
     * @param old the current webhook on an update, null on create
     */
    static InterfaceSettings.Webhook settings(WebhookBody body, StoredInterface old) {
        String url = Checks.httpUrl("url", body.url());
        boolean hasSecret = body.secret() != null || (old != null && old.hasSecret(InterfaceWire.WEBHOOK_SECRET));
        if (body.auth() == WebhookAuth.SECRET && !hasSecret) {
            throw Checks.invalid("secret", "is required when auth is SECRET");
        }
        if (body.auth() == WebhookAuth.NONE && body.secret() != null) {
            throw Checks.invalid("secret", "is only used with auth SECRET");
        }
        if (body.secret() != null && body.secret().isBlank()) {
            throw Checks.invalid("secret", "must not be blank");
        }
        unique("idTypes", body.idTypes());
        List<InterfaceSettings.Parameter> parameters = body.parameters() == null ? List.of() : body.parameters().stream()
                .map(p -> new InterfaceSettings.Parameter(p.name(), p.displayName() == null || p.displayName().isBlank() ? p.name()
                        : p.displayName().strip(), p.type(), Boolean.TRUE.equals(p.required())))
                .toList();
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i).name().equals(RESERVED_PARAMETER)) {
                throw Checks.invalid("parameters[" + i + "].name", "'vars' is reserved: params.vars carries the placeholders' values");
            }
        }
        unique("parameters", parameters.stream().map(InterfaceSettings.Parameter::name).toList(), ".name");
        InterfaceSettings.Receipt receipt = body.receipt();
        if (receipt != null) {
            if (receipt.periodMinutes() > MAX_RECEIPT_MINUTES) {
                throw Checks.invalid("receipt.period", "is " + receipt.period() + " " + receipt.periodUnit()
                        + ", more than the limit of 72 hours");
            }
            List<InterfaceSettings.StatusCode> codes = receipt.statusCodes().stream()
                    .map(c -> new InterfaceSettings.StatusCode(c.code().strip(), c.status())).toList();
            unique("receipt.statusCodes", codes.stream().map(InterfaceSettings.StatusCode::code).toList(), ".code");
            receipt = new InterfaceSettings.Receipt(receipt.period(), receipt.periodUnit(), codes);
        }
        if (old != null) {
            checkStatusCodesKept(old.settings(InterfaceSettings.Webhook.class).receipt(), receipt);
        }
        return new InterfaceSettings.Webhook(url, body.auth(), List.copyOf(body.idTypes()), parameters, receipt);
    }

    /**
     * The product: once receipts are configured, their status codes cannot be changed or removed (receipts
     * already reported were judged by them); codes may be added, the period may change.
     */
    static void checkStatusCodesKept(InterfaceSettings.Receipt before, InterfaceSettings.Receipt after) {
        if (before == null) {
            return;
        }
        if (after == null) {
            throw new ApiException(ProblemCode.CONFLICT, "receipt: receipts are configured and cannot be switched off "
                    + "(their status codes cannot be removed)", List.of(new FieldError("receipt", "cannot be removed")));
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < after.statusCodes().size(); i++) {
            index.put(after.statusCodes().get(i).code(), i);
        }
        for (InterfaceSettings.StatusCode was : before.statusCodes()) {
            Integer i = index.get(was.code());
            if (i == null) {
                throw new ApiException(ProblemCode.CONFLICT, "receipt.statusCodes: status code '" + was.code()
                        + "' is configured and cannot be removed; codes can be added, not removed or changed",
                        List.of(new FieldError("receipt.statusCodes", "status code '" + was.code() + "' is missing")));
            }
            if (after.statusCodes().get(i).status() != was.status()) {
                throw ApiException.field(ProblemCode.CONFLICT, "receipt.statusCodes[" + i + "].status", "status code '" + was.code()
                        + "' means " + was.status() + " and cannot become " + after.statusCodes().get(i).status());
            }
        }
    }

    private static void unique(String field, List<IdType> values) {
        Map<IdType, Integer> seen = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            Integer first = seen.putIfAbsent(values.get(i), i);
            if (first != null) {
                throw Checks.invalid(field + "[" + i + "]", values.get(i) + " is listed twice (also at " + field + "[" + first + "])");
            }
        }
    }

    private static void unique(String field, List<String> values, String suffix) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            Integer first = seen.putIfAbsent(values.get(i), i);
            if (first != null) {
                throw Checks.invalid(field + "[" + i + "]" + suffix, "'" + values.get(i) + "' is listed twice (also at "
                        + field + "[" + first + "])");
            }
        }
    }
}
