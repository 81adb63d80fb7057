package dev.qaengine.controlplane.support;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A tiny HTTP client for tests against the real server (JDK HttpClient: what any API client sends). */
public final class Api {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final String key;

    public Api(int port, String key) {
        this.base = "http://127.0.0.1:" + port;
        this.key = key;
    }

    public Api as(String otherKey) {
        return new Api(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), otherKey);
    }

    public record Response(int status, String contentType, String body, java.net.http.HttpHeaders headers) {
        public JsonNode json() {
            return body.isEmpty() ? JSON.missingNode() : JSON.readTree(body);
        }

        public String text(String pointer) {
            return json().at(pointer).asString();
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body;
        }
    }

    public Response get(String path) {
        return send(builder(path).GET());
    }

    public Response delete(String path) {
        return send(builder(path).DELETE());
    }

    public Response post(String path, String json) {
        return send(builder(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response put(String path, String json) {
        return send(builder(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Any request, e.g. with another content type or a streamed (chunked) body. */
    public Response send(String method, String path, String contentType, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder b = builder(path).method(method, body);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b);
    }

    public HttpRequest.Builder builder(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b;
    }

    public Response send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonMapper json() {
        return JSON;
    }
}
