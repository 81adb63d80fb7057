package dev.qaengine.controlplane.web;

import org.springframework.http.HttpStatus;

import java.net.URI;

/**
 * Every kind of error the API answers, with its HTTP status. The {@code type} URI and the {@code code}
 * member of the problem document are derived from the name and never change: clients may branch on them.
 */
public enum ProblemCode {
    MALFORMED_JSON(HttpStatus.BAD_REQUEST, "Malformed JSON"),
    BAD_PARAMETER(HttpStatus.BAD_REQUEST, "Bad request parameter"),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "Missing or unknown API key"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "The API key's role does not allow this"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "Not found"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
    DUPLICATE(HttpStatus.CONFLICT, "Already exists"),
    IN_USE(HttpStatus.CONFLICT, "In use"),
    ATTRIBUTE_REMOVED(HttpStatus.CONFLICT, "An attribute cannot be removed"),
    ATTRIBUTE_RETYPED(HttpStatus.CONFLICT, "An attribute's type cannot change"),
    CONFLICT(HttpStatus.CONFLICT, "Conflict"),
    ALREADY_SET(HttpStatus.CONFLICT, "Already set, and it cannot change"),
    ENABLED(HttpStatus.CONFLICT, "Enabled: disable it first"),
    PAYLOAD_TOO_LARGE(HttpStatus.PAYLOAD_TOO_LARGE, "Request body too large"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
    VALIDATION(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid request"),
    KAFKA_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Kafka unavailable"),
    /** Person look-ups: the identity job's Redis does not answer (refused, timed out, no free connection). */
    REDIS_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Redis unavailable"),
    PLATFORM_ERROR(HttpStatus.BAD_GATEWAY, "The platform refused the request"),
    PLATFORM_UNAVAILABLE(HttpStatus.BAD_GATEWAY, "The platform could not be reached or did not answer as documented"),
    /** Engine operations: the Flink REST API does not answer (refused, timed out). */
    FLINK_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Flink cluster unavailable"),
    /** Engine operations: Flink answered with an error the request could not have avoided (5xx, unexpected 4xx). */
    FLINK_ERROR(HttpStatus.BAD_GATEWAY, "The Flink cluster reported an error"),
    /** Engine operations: no suite jar is configured or it is missing, so nothing can be submitted from this instance. */
    JOBS_JAR_MISSING(HttpStatus.SERVICE_UNAVAILABLE, "The suite's jobs jar is not available"),
    /** Engine operations: stop-with-savepoint failed on the cluster (the job keeps running unless it had ended). */
    SAVEPOINT_FAILED(HttpStatus.CONFLICT, "The savepoint failed"),
    INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

    /** Where the problem types are documented (control-plane/README.md § Errors). */
    public static final String TYPE_BASE = "https://qaengine.dev/problems/";

    private final HttpStatus status;
    private final String title;

    ProblemCode(HttpStatus status, String title) {
        this.status = status;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The stable machine-readable code, e.g. {@code attribute-removed}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public URI type() {
        return URI.create(TYPE_BASE + code());
    }
}
