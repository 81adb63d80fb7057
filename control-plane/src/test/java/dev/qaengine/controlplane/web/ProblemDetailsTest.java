package dev.qaengine.controlplane.web;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Every error is an RFC 9457 problem with a stable code and type (ingestion paths: see IngestIT). */
class ProblemDetailsTest extends ControlPlaneTest {

    private static void assertProblem(Api.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.text("/code")).isEqualTo(code);
        assertThat(r.text("/type")).isEqualTo("https://qaengine.dev/problems/" + code);
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        assertThat(r.text("/title")).isNotBlank();
        assertThat(r.text("/detail")).isNotBlank();
    }

    @Test
    void malformedJsonIs400SayingWhere() {
        Api api = newOrg().admin();
        Api.Response r = api.post("/api/v1/event-channels", "{\"appKey\": \"a\",\n \"name\": }");
        assertProblem(r, 400, "malformed-json");
        assertThat(r.text("/detail")).contains("line 2");
        assertProblem(api.post("/api/v1/event-channels", ""), 400, "malformed-json");
        assertProblem(api.post("/api/v1/event-channels", "[1,2]"), 422, "validation");
    }

    @Test
    void wrongJsonTypesNameTheField() {
        Api.Response r = newOrg().admin().post("/api/v1/event-channels",
                "{\"appKey\":\"a\",\"name\":\"A\",\"appType\":\"APP\",\"globalAttributes\":{\"id\":\"x\"}}");
        assertProblem(r, 422, "validation");
        assertThat(r.text("/field")).isEqualTo("globalAttributes");
        assertThat(r.json().get("errors").get(0).get("message").asString()).isEqualTo("must be an array");
    }

    @Test
    void unsupportedMediaTypeIs415() {
        Api api = newOrg().admin();
        Api.Response r = api.send("POST", "/api/v1/event-channels", "text/plain", HttpRequest.BodyPublishers.ofString("{}"));
        assertProblem(r, 415, "unsupported-media-type");
        assertThat(r.text("/detail")).contains("application/json");
    }

    @Test
    void wrongMethodIs405AndUnknownPathIs404() {
        Api api = newOrg().admin();
        assertProblem(api.send("PATCH", "/api/v1/event-channels/x", "application/json", HttpRequest.BodyPublishers.ofString("{}")),
                405, "method-not-allowed");
        assertProblem(api.get("/api/v1/no-such-thing"), 404, "not-found");
    }

    @Test
    void bodiesAboveTheLimitAre413WithOrWithoutContentLength() {
        Api api = newOrg().admin();
        String big = "{\"appKey\":\"a\",\"name\":\"" + "x".repeat(1_100_000) + "\",\"appType\":\"APP\"}";
        Api.Response declared = api.post("/api/v1/event-channels", big);
        assertProblem(declared, 413, "payload-too-large");
        assertThat(declared.text("/detail")).contains("1048576");

        // streamed without Content-Length (chunked): the limit is enforced while reading
        Api.Response chunked = api.send("POST", "/api/v1/event-channels", "application/json", chunked(big));
        assertProblem(chunked, 413, "payload-too-large");
    }

    /** A body publisher of unknown length, so the JDK client sends it chunked. */
    static HttpRequest.BodyPublisher chunked(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
    }
}
