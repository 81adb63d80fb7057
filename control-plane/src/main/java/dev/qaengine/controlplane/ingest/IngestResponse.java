package dev.qaengine.controlplane.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.qaengine.controlplane.web.ProblemCode;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.UUID;

/**
 * The product's documented answer of the ingestion endpoints, for success and error alike
 * (CONTRACTS.md §1): {@code {"success":…,"errorCode":…,"errorDesc":…,"traceId":…}}, every member always present.
 *
 * @param errorCode stable upper-case code (see {@link #codeFor} and the README), null on success
 * @param errorDesc a sentence naming the offending message and field, e.g. {@code [3].eventTime: …}
 * @param traceId   also set as the {@code qa.trace.id} header of every Kafka record the call produced
 */
@JsonInclude(JsonInclude.Include.ALWAYS) // the documented shape has all four members, null when not applicable
public record IngestResponse(
        @Schema(example = "true") boolean success,
        @Schema(example = "BAD_FIELD") String errorCode,
        @Schema(example = "[0].eventTime: must be an integer of epoch milliseconds, found a boolean") String errorDesc,
        @Schema(example = "9f1c2d3e4b5a69788796a5b4c3d2e1f0") String traceId) {

    public static IngestResponse ok(String traceId) {
        return new IngestResponse(true, null, null, traceId);
    }

    public static IngestResponse error(String code, String desc) {
        return new IngestResponse(false, code, desc, newTraceId());
    }

    public static IngestResponse error(String code, String desc, String traceId) {
        return new IngestResponse(false, code, desc, traceId);
    }

    public static String newTraceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** The ingestion error code of a general API error (authentication, body size, media type…). */
    public static String codeFor(ProblemCode code) {
        return switch (code) {
            case PAYLOAD_TOO_LARGE -> IngestErrors.TOO_LARGE;
            case KAFKA_UNAVAILABLE -> IngestErrors.UNAVAILABLE;
            case VALIDATION, BAD_PARAMETER -> IngestErrors.BAD_FIELD;
            default -> code.name();
        };
    }
}
