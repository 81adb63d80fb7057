package dev.qaengine.controlplane.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A third-party SMS/email platform on 127.0.0.1 implementing the review calls of CONTRACTS.md §4 (templates,
 * signatures) and checking every request against the contract: a request that breaks it is answered 400 and
 * recorded as a violation, which tests assert there are none of. One server per test JVM; each test takes a
 * {@link Tenant} of its own (its own URL prefix, templates, signatures and recorded requests), so the
 * periodic review poll of the shared service never meets a stopped server.
 */
public final class FakePlatform {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static FakePlatform instance;

    private final HttpServer server;
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final AtomicInteger codes = new AtomicInteger(1000);

    private FakePlatform() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fake-platform");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** A tenant of the shared server: the prefix to register a platform with, and what it received. */
    public static synchronized Tenant tenant() {
        if (instance == null) {
            try {
                instance = new FakePlatform();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Tenant t = new Tenant(instance, "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        instance.tenants.put(t.name, t);
        return t;
    }

    /** One request as received: method, path after the prefix, JSON body (null for none). */
    public record Received(String method, String path, JsonNode body) {
    }

    public static final class Tenant {
        private final FakePlatform server;
        private final String name;
        private final List<Received> requests = new CopyOnWriteArrayList<>();
        private final List<String> violations = new CopyOnWriteArrayList<>();
        private final Map<String, int[]> reviews = new ConcurrentHashMap<>(); // template code -> {status}
        private final Map<String, String> reasons = new ConcurrentHashMap<>();
        private final Map<String, Integer> signs = new ConcurrentHashMap<>();
        private volatile Failure failNext;

        private Tenant(FakePlatform server, String name) {
            this.server = server;
            this.name = name;
        }

        /** ${prefix} of a platform registered against this tenant. */
        public String prefix() {
            return "http://127.0.0.1:" + server.server.getAddress().getPort() + "/" + name;
        }

        public List<Received> requests() {
            return List.copyOf(requests);
        }

        public List<Received> requests(String method, String pathStart) {
            return requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathStart)).toList();
        }

        /** Requests that broke the contract (each was answered 400). */
        public List<String> violations() {
            return List.copyOf(violations);
        }

        /** Sets a template's review: 0 pending, 1 approved, 2 rejected. */
        public void review(String templateCode, int status, String reason) {
            reviews.put(templateCode, new int[]{status});
            if (reason != null) {
                reasons.put(templateCode, reason);
            }
        }

        /** Makes a signature known, with its review status. */
        public void sign(String signName, int status, String reason) {
            signs.put(signName, status);
            if (reason != null) {
                reasons.put("sign:" + signName, reason);
            }
        }

        /** The next call answers this error (HTTP status, the platform's code and message). */
        public void failNext(int httpStatus, String code, String message) {
            failNext = new Failure(httpStatus, code, message);
        }
    }

    private record Failure(int status, String code, String message) {
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String raw = ex.getRequestURI().getRawPath();
            String[] parts = raw.split("/", 3); // "", tenant, rest
            Tenant t = parts.length < 3 ? null : tenants.get(parts[1]);
            if (t == null) {
                answer(ex, 404, error("NoSuchTenant", "unknown prefix " + raw));
                return;
            }
            String path = "/" + URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
            String method = ex.getRequestMethod();
            byte[] bytes = ex.getRequestBody().readAllBytes();
            JsonNode body = null;
            if (method.equals("POST") || method.equals("PUT")) {
                String type = ex.getRequestHeaders().getFirst("Content-Type");
                if (type == null || !type.startsWith("application/json")) {
                    violation(ex, t, method + " " + path + ": Content-Type " + type + ", not application/json");
                    return;
                }
                try {
                    body = JSON.readTree(bytes);
                } catch (RuntimeException e) {
                    violation(ex, t, method + " " + path + ": body is not JSON");
                    return;
                }
                if (!body.isObject()) {
                    violation(ex, t, method + " " + path + ": body is not a JSON object");
                    return;
                }
            } else if (bytes.length > 0) {
                violation(ex, t, method + " " + path + ": a GET with a body");
                return;
            }
            t.requests.add(new Received(method, path, body));
            Failure f = t.failNext;
            if (f != null) {
                t.failNext = null;
                answer(ex, f.status(), error(f.code(), f.message()));
                return;
            }
            route(ex, t, method, path, body);
        } catch (RuntimeException e) {
            answer(ex, 500, error("InternalError", e.toString()));
        }
    }

    private void route(HttpExchange ex, Tenant t, String method, String path, JsonNode body) throws IOException {
        String[] seg = path.substring(1).split("/", 3);
        String area = seg.length > 0 ? seg[0] : "";
        String resource = seg.length > 1 ? seg[1] : "";
        String key = seg.length > 2 ? seg[2] : null;
        boolean sms = area.equals("sms");
        if (sms && resource.equals("smsSign") && key != null && method.equals("GET")) {
            Integer status = t.signs.get(key);
            if (status == null) {
                answer(ex, 404, error("isv.SMS_SIGN_NOT_EXIST", "签名不存在: " + key));
                return;
            }
            ObjectNode a = ok();
            a.put("signName", key).put("signStatus", status).put("reason", t.reasons.getOrDefault("sign:" + key, "无审核备注"))
                    .put("createDate", "2019-01-08 16:44:13");
            answer(ex, 200, a);
            return;
        }
        boolean template = (sms && resource.equals("smsTemplate")) || (area.equals("email") && resource.equals("emailTemplate"));
        if (!template) {
            answer(ex, 404, error("NoSuchApi", method + " " + path));
            return;
        }
        if (method.equals("POST") && key == null) {
            String problem = sms ? checkSms(body, true) : checkEmail(body, true);
            if (problem != null) {
                violation(ex, t, "POST " + path + ": " + problem);
                return;
            }
            String code = (sms ? "SMS_" : "EMAIL_") + codes.incrementAndGet();
            t.reviews.put(code, new int[]{0});
            answer(ex, 200, ok().put("templateCode", code));
            return;
        }
        if (key == null || !t.reviews.containsKey(key)) {
            answer(ex, 404, error("isv.TEMPLATE_NOT_EXIST", "no template " + key));
            return;
        }
        if (method.equals("PUT")) {
            String problem = sms ? checkSms(body, false) : checkEmail(body, false);
            if (problem != null) {
                violation(ex, t, "PUT " + path + ": " + problem);
                return;
            }
            t.reviews.put(key, new int[]{0});
            t.reasons.remove(key);
            answer(ex, 200, ok().put("templateCode", key));
            return;
        }
        if (method.equals("GET")) {
            ObjectNode a = ok();
            a.put("templateCode", key).put("templateStatus", t.reviews.get(key)[0]).put("reason", t.reasons.getOrDefault(key, "无审核备注"))
                    .put("createDate", "2019-01-08 16:44:13");
            answer(ex, 200, a);
            return;
        }
        answer(ex, 405, error("MethodNotAllowed", method));
    }

    /** AddSmsTemplateModel / UpdateSmsTemplateModel: lengths as documented; on create remark, content, name, type required. */
    private static String checkSms(JsonNode b, boolean create) {
        String p = length(b, "remark", 1, 100, create);
        p = p != null ? p : length(b, "templateContent", 1, 500, create);
        p = p != null ? p : length(b, "templateName", 1, 30, create);
        p = p != null ? p : length(b, "templateSubject", 1, 20, false);
        if (p != null) {
            return p;
        }
        JsonNode type = b.get("templateType");
        if (type == null) {
            return create ? "templateType is required" : null;
        }
        return type.isIntegralNumber() && type.intValue() >= 0 && type.intValue() <= 3 ? null : "templateType must be an integer 0-3";
    }

    /** AddEmailTemplateModel / UpdateEmailTemplateModel. */
    private static String checkEmail(JsonNode b, boolean create) {
        String p = length(b, "remark", 1, 100, create);
        p = p != null ? p : length(b, "senderName", 1, Integer.MAX_VALUE, create);
        p = p != null ? p : length(b, "templateName", 1, 30, create);
        p = p != null ? p : length(b, "templateSubject", 1, Integer.MAX_VALUE, create);
        p = p != null ? p : length(b, "templateContent", 1, Integer.MAX_VALUE, create);
        if (p == null && b.has("templateContent") && b.get("templateContent").asString().getBytes(StandardCharsets.UTF_8).length > 28 * 1024) {
            p = "templateContent is larger than 28 KB";
        }
        return p;
    }

    private static String length(JsonNode b, String field, int min, int max, boolean required) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            return required ? field + " is required" : null;
        }
        if (!v.isString()) {
            return field + " must be a string";
        }
        int n = v.stringValue().codePointCount(0, v.stringValue().length());
        return n < min || n > max ? field + " must be " + min + "-" + max + " characters, is " + n : null;
    }

    private static void violation(HttpExchange ex, Tenant t, String what) throws IOException {
        t.violations.add(what);
        answer(ex, 400, error("InvalidParameter", what));
    }

    private static ObjectNode ok() {
        ObjectNode n = JSON.createObjectNode();
        n.put("platformName", "FakePlatform").put("code", "OK").put("message", "").put("requestId", UUID.randomUUID().toString());
        return n;
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("platformName", "FakePlatform").put("code", code).put("message", message).put("requestId", "req-" + code);
        return n;
    }

    private static void answer(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    /** Requests of a tenant as a readable list, for assertion messages. */
    public static List<String> describe(List<Received> requests) {
        List<String> out = new ArrayList<>();
        requests.forEach(r -> out.add(r.method() + " " + r.path() + (r.body() == null ? "" : " " + r.body())));
        return out;
    }
}
