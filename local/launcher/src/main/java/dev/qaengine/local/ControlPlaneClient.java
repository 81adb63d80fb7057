package dev.qaengine.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.Json;
import dev.qaengine.model.ChannelDefinition;
import dev.qaengine.model.EventCatalog;
import dev.qaengine.model.EventDefinition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A small client of the control plane's REST API, as any API client talks to it (JDK HttpClient, JSON,
 * {@code Authorization: Bearer <key>}): used by the demo, the end-to-end tests and the benchmark. It
 * shares nothing with the control plane's code but the wire records of qa-model.
 */
public final class ControlPlaneClient {
    private final HttpClient http;
    private final String baseUrl;
    private final String apiKey;
    private final Duration timeout;

    public ControlPlaneClient(String baseUrl, String apiKey) {
        this(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build(),
                baseUrl, apiKey, Duration.ofSeconds(30));
    }

    public ControlPlaneClient(HttpClient http, String baseUrl, String apiKey, Duration timeout) {
        this.http = http;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
        this.timeout = timeout;
    }

    /** The same client with a longer or shorter per-request timeout. */
    public ControlPlaneClient withTimeout(Duration t) {
        return new ControlPlaneClient(http, baseUrl, apiKey, t);
    }

    /** An HTTP answer: status and body (JSON, a problem document or empty). */
    public record Response(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public JsonNode json() {
            if (body == null || body.isBlank()) {
                return Json.MAPPER.missingNode();
            }
            try {
                return Json.MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                return Json.MAPPER.missingNode();
            }
        }

        /** Fails with the answer in the message unless the status is 2xx. */
        public Response requireOk(String what) {
            if (!ok()) {
                throw new IllegalStateException(what + ": HTTP " + status + " " + body);
            }
            return this;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response delete(String path) {
        return send(request(path).DELETE());
    }

    /** POST with a JSON body: a String or byte[] is sent as is, anything else serialized with Jackson. */
    public Response post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body))));
    }

    public Response put(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(body))));
    }

    /** {@code /actuator/health} answers 200 with status UP. False while the service starts or when it is down. */
    public boolean healthy() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && "UP".equals(Json.MAPPER.readTree(r.body()).path("status").asText());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The organization of this client's key ({@code GET /api/v1/me}). */
    public String organizationId() {
        return get("/api/v1/me").requireOk("GET /api/v1/me").json().path("organizationId").asText();
    }

    /**
     * Makes the organization's channels and event definitions at least those of {@code catalog} through the
     * API: creates what is missing, replaces what differs (attributes may only be added: a definition changed
     * incompatibly since answers 409, which is reported in the returned lines and left as it is). The
     * catalog's org id is ignored: the key decides the organization.
     *
     * @return one line per change made, e.g. {@code "created event-definitions/purchase"}
     */
    public List<String> defineCatalog(EventCatalog catalog) {
        List<String> done = new ArrayList<>();
        for (ChannelDefinition c : catalog.channels() == null ? List.<ChannelDefinition>of() : catalog.channels()) {
            upsert("/api/v1/event-channels", c.appKey(), c, done);
        }
        for (EventDefinition e : catalog.eventsOrEmpty()) {
            upsert("/api/v1/event-definitions", e.eventCode(), e, done);
        }
        return done;
    }

    private void upsert(String collection, String key, Object wanted, List<String> done) {
        String path = collection + "/" + URLEncoder.encode(key, StandardCharsets.UTF_8);
        String name = collection.substring(collection.lastIndexOf('/') + 1) + "/" + key;
        Response current = get(path);
        if (current.status() == 404) {
            post(collection, wanted).requireOk("POST " + collection);
            done.add("created " + name);
        } else if (current.ok()) {
            if (!sameFields(current.json(), Json.MAPPER.valueToTree(wanted))) {
                Response r = put(path, wanted);
                done.add(r.ok() ? "updated " + name : "left " + name + " as it is (" + r.status() + " " + r.json().path("detail").asText() + ")");
            }
        } else {
            current.requireOk("GET " + path);
        }
    }

    /** Whether {@code current} has every field of {@code wanted} with the same value (it also has timestamps). */
    static boolean sameFields(JsonNode current, JsonNode wanted) {
        var names = wanted.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            JsonNode w = wanted.get(n);
            JsonNode c = current.get(n);
            boolean bothEmpty = (w.isNull() || (w.isArray() && w.isEmpty())) && (c == null || c.isNull() || (c.isArray() && c.isEmpty()));
            if (!bothEmpty && !w.equals(c)) {
                return false;
            }
        }
        return true;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b;
    }

    private Response send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static byte[] bytes(Object body) {
        if (body instanceof byte[] b) {
            return b;
        }
        if (body instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
