package dev.qaengine.controlplane.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error the API answers as an RFC 9457 problem document. Thrown by services for conditions that
 * depend on stored state (not found, duplicates, attribute evolution, in use); request-shape errors come
 * from bean validation and are mapped by {@link ProblemHandler}.
 */
public class ApiException extends RuntimeException {
    private final ProblemCode code;
    private final List<FieldError> errors;
    private final Map<String, Object> properties;

    public ApiException(ProblemCode code, String detail, List<FieldError> errors) {
        this(code, detail, errors, Map.of());
    }

    /** @param properties extra members of the problem document (e.g. a platform's own error code) */
    public ApiException(ProblemCode code, String detail, List<FieldError> errors, Map<String, Object> properties) {
        super(detail);
        this.code = code;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.properties = properties == null ? Map.of() : new LinkedHashMap<>(properties);
    }

    public ApiException(ProblemCode code, String detail) {
        this(code, detail, List.of());
    }

    /** An error caused by another (a remote call that failed): the cause goes to the log, its detail to the client. */
    public ApiException(ProblemCode code, String detail, Throwable cause) {
        super(detail, cause);
        this.code = code;
        this.errors = List.of();
        this.properties = Map.of();
    }

    /** An error about one field; its message is also the problem's detail. */
    public static ApiException field(ProblemCode code, String field, String message) {
        return new ApiException(code, field + ": " + message, List.of(new FieldError(field, message)));
    }

    /**
     * In use: {@code what} (e.g. "SMS platform 'Main'") cannot go while these use it. Users name themselves
     * ("SMS template 'Welcome'", "journey 'Cart reminder'"); the first 10 are listed.
     */
    public static ApiException inUse(String what, List<String> users) {
        String shown = String.join(", ", users.subList(0, Math.min(10, users.size())));
        return new ApiException(ProblemCode.IN_USE, what + " is used by " + shown + (users.size() > 10 ? " and " + (users.size() - 10) + " more" : ""));
    }

    /** Not found — also what a key of another organization gets, so existence is not leaked. */
    public static ApiException notFound(String what, String id) {
        return new ApiException(ProblemCode.NOT_FOUND, what + " '" + id + "' does not exist");
    }

    public ProblemCode code() {
        return code;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
