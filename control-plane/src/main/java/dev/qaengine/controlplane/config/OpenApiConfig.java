package dev.qaengine.controlplane.config;

import dev.qaengine.controlplane.tenancy.Caller;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Map;

/** The OpenAPI document at /v3/api-docs (Swagger UI at /swagger-ui.html). */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
        info = @Info(title = "qa-engine control plane", version = "v1",
                description = "Tenancy, event definitions, identity settings, person look-ups and the audit of refused identity links, channel interfaces, "
                        + "templates, HTTP ingestion and webhook receipts "
                        + "of the real-time customer-engagement engine. "
                        + "Every /api call needs an API key: 'Authorization: Bearer <key>' or 'X-QA-Api-Key: <key>'. "
                        + "Errors are RFC 9457 problem details (application/problem+json) with a stable 'code' and, "
                        + "when a field is at fault, 'field' and 'errors'; ingestion answers the product's {success, errorCode, errorDesc, traceId}, "
                        + "webhook receipts (signed, no API key) the receiver shape {code, message, requestId}."),
        security = {@SecurityRequirement(name = OpenApiConfig.BEARER), @SecurityRequirement(name = OpenApiConfig.HEADER)})
@SecurityScheme(name = OpenApiConfig.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "qak_…",
        description = "An API key of a workspace")
@SecurityScheme(name = OpenApiConfig.HEADER, type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        paramName = "X-QA-Api-Key", description = "The same API key, in a header of its own")
public class OpenApiConfig {
    static final String BEARER = "bearer";
    static final String HEADER = "apiKeyHeader";

    static {
        // The authenticated caller is injected from the API key, not a request parameter.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    /** Every /api operation may answer 401 and 403 as problem documents; say so once, here. */
    @Bean
    OpenApiCustomizer problemResponses() {
        return api -> {
            Schema<?> problem = new Schema<>().type("object").description("RFC 9457 problem details")
                    .properties(Map.of(
                            "type", new Schema<>().type("string").example("https://qaengine.dev/problems/validation"),
                            "title", new Schema<>().type("string").example("Invalid request"),
                            "status", new Schema<>().type("integer").example(422),
                            "detail", new Schema<>().type("string").example("attributes[1].type: must not be null"),
                            "instance", new Schema<>().type("string").example("/api/v1/event-definitions"),
                            "code", new Schema<>().type("string").example("validation"),
                            "field", new Schema<>().type("string").example("attributes[1].type"),
                            "errors", new Schema<>().type("array").items(new Schema<>().type("object").properties(Map.of(
                                    "field", new Schema<>().type("string"), "message", new Schema<>().type("string"))))));
            api.getComponents().addSchemas("Problem", problem);
            Content content = new Content().addMediaType("application/problem+json",
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
            api.getPaths().forEach((path, item) -> item.readOperations().forEach(op -> {
                if (!path.startsWith("/api/")) {
                    return; // webhook receipts: no API key, their own answers
                }
                op.getResponses().putIfAbsent("401", new ApiResponse().description("missing or unknown API key").content(content));
                op.getResponses().putIfAbsent("403", new ApiResponse().description("the key's role does not allow this").content(content));
                if (path.contains("{")) {
                    op.getResponses().putIfAbsent("404", new ApiResponse().description("not found (also: another organization's)").content(content));
                }
            }));
        };
    }
}
