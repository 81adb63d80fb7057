package dev.qaengine.controlplane.config;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import dev.qaengine.controlplane.tenancy.Access;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document lists every /api endpoint, with examples and the security schemes; every endpoint declares its role. */
class OpenApiTest extends ControlPlaneTest {
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    record Endpoint(String method, String path, HandlerMethod handler) {
    }

    List<Endpoint> apiEndpoints() {
        List<Endpoint> out = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mappings.getHandlerMethods().entrySet()) {
            for (String path : e.getKey().getPatternValues()) {
                if (path.startsWith("/api/")) {
                    e.getKey().getMethodsCondition().getMethods().forEach(m -> out.add(new Endpoint(m.name(), path, e.getValue())));
                }
            }
        }
        return out;
    }

    @Test
    void everyEndpointIsDocumentedWithTheBearerScheme() {
        Api.Response r = anonymous().get("/v3/api-docs");
        assertThat(r.status()).isEqualTo(200);
        JsonNode doc = r.json();
        List<Endpoint> endpoints = apiEndpoints();
        assertThat(endpoints).hasSizeGreaterThanOrEqualTo(20);
        for (Endpoint e : endpoints) {
            JsonNode op = doc.at("/paths/" + e.path().replace("/", "~1") + "/" + e.method().toLowerCase(Locale.ROOT));
            assertThat(op.isMissingNode()).as(e.method() + " " + e.path() + " documented").isFalse();
            assertThat(op.get("summary").asString()).as(e.path()).isNotBlank();
            assertThat(op.at("/responses/401").isMissingNode()).as(e.path() + " documents 401").isFalse();
            // the Caller is injected from the key, never a parameter
            assertThat(op.path("parameters").findValuesAsString("name")).doesNotContain("caller");
        }
        assertThat(doc.at("/components/securitySchemes/bearer/scheme").asString()).isEqualTo("bearer");
        assertThat(doc.at("/components/securitySchemes/apiKeyHeader/name").asString()).isEqualTo("X-QA-Api-Key");
        assertThat(doc.at("/security/0").has("bearer")).isTrue();
    }

    @Test
    void writesCarryRequestExamples() {
        JsonNode doc = anonymous().get("/v3/api-docs").json();
        for (Endpoint e : apiEndpoints()) {
            boolean takesBody = java.util.Arrays.stream(e.handler().getMethodParameters())
                    .anyMatch(p -> p.hasParameterAnnotation(org.springframework.web.bind.annotation.RequestBody.class));
            if (takesBody) { // every write with a body; actions such as POST /webhooks/{id}/enable take none
                JsonNode body = doc.at("/paths/" + e.path().replace("/", "~1") + "/" + e.method().toLowerCase(Locale.ROOT)
                        + "/requestBody/content/application~1json");
                boolean example = body.has("example") || body.has("examples");
                assertThat(example).as(e.method() + " " + e.path() + " has a request example").isTrue();
            }
        }
        assertThat(doc.at("/components/schemas/Channel/properties/appKey/example").asString()).isEqualTo("eventsource001");
    }

    @Test
    void theReceiptEndpointIsDocumentedWithoutAnApiKey() {
        JsonNode op = anonymous().get("/v3/api-docs").json()
                .at("/paths/" + dev.qaengine.controlplane.receipt.ReceiptController.PATH.replace("/", "~1") + "/post");
        assertThat(op.isMissingNode()).isFalse();
        assertThat(op.get("summary").asString()).isNotBlank();
        assertThat(op.get("security")).as("no API key: signed instead: " + op).isNotNull().isEmpty();
        JsonNode body = op.at("/requestBody/content/application~1json");
        assertThat(body.has("example") || body.has("examples")).as(op.toString()).isTrue();
        assertThat(op.at("/responses/403").isMissingNode()).isTrue();
        assertThat(op.path("parameters").findValuesAsString("name")).contains("timestamp", "nonce", "X-QA-Hmac-Signature");
    }

    @Test
    void swaggerUiIsServed() {
        Api.Response r = anonymous().send(anonymous().builder("/swagger-ui/index.html").GET());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("swagger-ui");
    }

    @Test
    void everyApiEndpointDeclaresTheRoleItNeeds() {
        for (Endpoint e : apiEndpoints()) {
            Access access = AnnotatedElementUtils.findMergedAnnotation(e.handler().getMethod(), Access.class);
            assertThat(access).as(e.method() + " " + e.path() + " has @Access").isNotNull();
        }
    }
}
