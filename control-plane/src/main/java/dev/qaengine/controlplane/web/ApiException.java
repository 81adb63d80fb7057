package dev.qaengine.controlplane.web;

import java.util.List;

/**
 * An error the API answers as an RFC 9457 problem document. Thrown by services for conditions that
 * depend on stored state (not found, duplicates, attribute evolution, in use); request-shape errors come
 * from bean validation and are mapped by {@link ProblemHandler}.
 */
public class ApiException extends RuntimeException {
    private final ProblemCode code;
    private final List<FieldError> errors;

    public ApiException(ProblemCode code, String detail, List<FieldError> errors) {
        super(detail);
        this.code = code;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public ApiException(ProblemCode code, String detail) {
        this(code, detail, List.of());
    }

    /** An error about one field; its message is also the problem's detail. */
    public static ApiException field(ProblemCode code, String field, String message) {
        return new ApiException(code, field + ": " + message, List.of(new FieldError(field, message)));
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
}
