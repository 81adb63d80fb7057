package dev.qaengine.controlplane.template;

import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.ProblemCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The review calls of a third-party SMS or email platform (CONTRACTS.md §4): JSON in, JSON out, every answer
 * carrying {@code platformName, code, message, requestId}. A call succeeds when the HTTP status is 2xx and
 * {@code code} is absent or one of the success spellings platforms use ({@code OK}, {@code 200}, {@code 0},
 * {@code SUCCESS}, any case) — the contract names the field, not its success value. Anything else becomes
 * a 502 problem carrying the platform's own code, message and request id.
 */
@Component
public class PlatformClient {
    private static final Logger log = LoggerFactory.getLogger(PlatformClient.class);
    private static final Set<String> SUCCESS_CODES = Set.of("OK", "200", "0", "SUCCESS");

    private final HttpClient http;
    private final JsonMapper json;
    private final Duration requestTimeout;

    public PlatformClient(JsonMapper json, QaProperties properties) {
        this.json = json;
        this.requestTimeout = properties.platforms().requestTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(properties.platforms().connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A review status as the platform reports it: 0 pending, 1 approved, 2 rejected. */
    public record Review(ReviewStatus status, String reason) {
    }

    // --- SMS

    /** {@code POST ${prefix}/sms/smsTemplate}: answers the new template's code. */
    public String createSmsTemplate(String prefix, Map<String, Object> model) {
        return templateCode(call("POST", prefix + "/sms/smsTemplate", model));
    }

    /** {@code PUT ${prefix}/sms/smsTemplate/{templateCode}}: answers the code the platform gives back (the same one, normally). */
    public String updateSmsTemplate(String prefix, String templateCode, Map<String, Object> model) {
        return templateCodeOr(call("PUT", prefix + "/sms/smsTemplate/" + segment(templateCode), model), templateCode);
    }

    /** {@code GET ${prefix}/sms/smsTemplate/{templateCode}}: its {@code templateStatus}. */
    public Review smsTemplateReview(String prefix, String templateCode) {
        return review(call("GET", prefix + "/sms/smsTemplate/" + segment(templateCode), null), "templateStatus");
    }

    /** {@code GET ${prefix}/sms/smsSign/{signName}}: its {@code signStatus}. */
    public Review smsSignReview(String prefix, String signName) {
        return review(call("GET", prefix + "/sms/smsSign/" + segment(signName), null), "signStatus");
    }

    // --- email

    /** {@code POST ${prefix}/email/emailTemplate}: answers the new template's code. */
    public String createEmailTemplate(String prefix, Map<String, Object> model) {
        return templateCode(call("POST", prefix + "/email/emailTemplate", model));
    }

    /** {@code PUT ${prefix}/email/emailTemplate/{templateCode}}. */
    public String updateEmailTemplate(String prefix, String templateCode, Map<String, Object> model) {
        return templateCodeOr(call("PUT", prefix + "/email/emailTemplate/" + segment(templateCode), model), templateCode);
    }

    /** {@code GET ${prefix}/email/emailTemplate/{templateCode}}: its {@code templateStatus}. */
    public Review emailTemplateReview(String prefix, String templateCode) {
        return review(call("GET", prefix + "/email/emailTemplate/" + segment(templateCode), null), "templateStatus");
    }

    // ---

    private JsonNode call(String method, String url, Map<String, Object> body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(requestTimeout).header("Accept", "application/json");
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw unavailable(method, url, "did not answer within " + requestTimeout.toSeconds() + " s");
        } catch (IOException e) {
            throw unavailable(method, url, "could not be reached (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(method, url, "call interrupted");
        }
        JsonNode answer;
        try {
            answer = response.body().length == 0 ? null : json.readTree(response.body());
        } catch (JacksonException e) {
            answer = null;
        }
        boolean ok = response.statusCode() / 100 == 2;
        if (answer == null || !answer.isObject()) {
            if (ok) {
                throw unavailable(method, url, "answered HTTP " + response.statusCode() + " without the documented JSON object");
            }
            throw platformError(method, url, response.statusCode(), null, null, null);
        }
        String code = text(answer, "code");
        if (!ok || (code != null && !SUCCESS_CODES.contains(code.strip().toUpperCase(Locale.ROOT)))) {
            throw platformError(method, url, response.statusCode(), code, text(answer, "message"), text(answer, "requestId"));
        }
        return answer;
    }

    private String templateCode(JsonNode answer) {
        String code = text(answer, "templateCode");
        if (code == null || code.isBlank()) {
            throw new ApiException(ProblemCode.PLATFORM_UNAVAILABLE, "the platform accepted the template but answered no templateCode",
                    List.of(), Map.of("platformRequestId", String.valueOf(text(answer, "requestId"))));
        }
        return code.strip();
    }

    private String templateCodeOr(JsonNode answer, String current) {
        String code = text(answer, "templateCode");
        return code == null || code.isBlank() ? current : code.strip();
    }

    private static Review review(JsonNode answer, String field) {
        JsonNode status = answer.get(field);
        int value;
        if (status != null && status.isIntegralNumber()) {
            value = status.intValue();
        } else if (status != null && status.isString() && status.stringValue().strip().matches("[0-9]")) {
            value = Integer.parseInt(status.stringValue().strip());
        } else {
            throw new ApiException(ProblemCode.PLATFORM_UNAVAILABLE, "the platform's answer has no " + field + " (0, 1 or 2)");
        }
        ReviewStatus s = ReviewStatus.ofPlatform(value).orElseThrow(() -> new ApiException(ProblemCode.PLATFORM_UNAVAILABLE,
                "the platform answered " + field + " " + value + ", which is none of 0 (pending), 1 (approved), 2 (rejected)"));
        String reason = text(answer, "reason");
        return new Review(s, reason == null || reason.isBlank() ? null : reason);
    }

    private static ApiException platformError(String method, String url, int status, String code, String message, String requestId) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("platformHttpStatus", status);
        if (code != null) {
            p.put("platformCode", code);
        }
        if (message != null) {
            p.put("platformMessage", message);
        }
        if (requestId != null) {
            p.put("platformRequestId", requestId);
        }
        String detail = "the platform refused " + method + " " + path(url) + ": HTTP " + status
                + (code == null ? "" : ", code " + code) + (message == null || message.isBlank() ? "" : ", message: " + message);
        log.info("platform call failed: {}", detail);
        return new ApiException(ProblemCode.PLATFORM_ERROR, detail, List.of(), p);
    }

    private static ApiException unavailable(String method, String url, String why) {
        String detail = "the platform " + why + " (" + method + " " + path(url) + ")";
        log.info("platform call failed: {}", detail);
        return new ApiException(ProblemCode.PLATFORM_UNAVAILABLE, detail);
    }

    /** The URL without query, for messages. */
    private static String path(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.isString() ? v.stringValue() : v.toString();
    }

    /** A path segment, percent-encoded (signature names are often Chinese). */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
