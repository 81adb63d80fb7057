package dev.qaengine.controlplane.web;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.BindingResult;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns every error into an RFC 9457 problem (or the ingestion shape on ingestion paths) with a stable
 * {@code code}/{@code type} and, where a field is at fault, {@code field} and {@code errors[{field, message}]}.
 * Spring MVC's own exceptions arrive through {@link #handleExceptionInternal}; ours through the handlers below.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    private final ErrorResponder errors;

    public ProblemHandler(ErrorResponder errors) {
        this.errors = errors;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> api(ApiException e, HttpServletRequest request) {
        return errors.entity(e.code(), e.getMessage(), e.errors(), e.properties(), request, null);
    }

    /** The database's unique constraints back the service's own checks when two requests race. */
    @ExceptionHandler(DuplicateKeyException.class)
    ResponseEntity<Object> duplicate(DuplicateKeyException e, HttpServletRequest request) {
        return errors.entity(ProblemCode.DUPLICATE, "already exists (a concurrent request created it)", List.of(), request, null);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        BodySizeLimitFilter.BodyTooLargeException tooLarge = find(e, BodySizeLimitFilter.BodyTooLargeException.class);
        if (tooLarge != null) {
            return errors.entity(ProblemCode.PAYLOAD_TOO_LARGE, tooLarge.getMessage(), List.of(), request, null);
        }
        log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return errors.entity(ProblemCode.INTERNAL, "unexpected error; the server log has the details", List.of(), request, null);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        HttpServletRequest servlet = ((NativeWebRequest) request).getNativeRequest(HttpServletRequest.class);
        Mapped m = map(ex, status);
        return errors.entity(m.code(), m.detail(), m.errors(), servlet, headers);
    }

    private record Mapped(ProblemCode code, String detail, List<FieldError> errors) {
    }

    private static Mapped map(Exception ex, HttpStatusCode status) {
        if (ex instanceof MethodArgumentNotValidException e) {
            List<FieldError> list = fieldErrors(e.getBindingResult());
            return new Mapped(ProblemCode.VALIDATION, summary(list), list);
        }
        if (ex instanceof HandlerMethodValidationException e) {
            List<FieldError> list = new ArrayList<>();
            e.getParameterValidationResults().forEach(r -> r.getResolvableErrors().forEach(err ->
                    list.add(new FieldError(r.getMethodParameter().getParameterName(), err.getDefaultMessage()))));
            return new Mapped(ProblemCode.BAD_PARAMETER, summary(list), list);
        }
        if (ex instanceof HttpMessageNotReadableException e) {
            return unreadable(e);
        }
        if (ex instanceof HttpMediaTypeNotSupportedException e) {
            return new Mapped(ProblemCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type '" + e.getContentType()
                    + "' is not supported; send " + e.getSupportedMediaTypes(), List.of());
        }
        if (ex instanceof HttpMediaTypeNotAcceptableException) {
            return new Mapped(ProblemCode.NOT_ACCEPTABLE, "the response can only be application/json", List.of());
        }
        if (ex instanceof HttpRequestMethodNotSupportedException e) {
            return new Mapped(ProblemCode.METHOD_NOT_ALLOWED, e.getMethod() + " is not supported here; use "
                    + e.getSupportedHttpMethods(), List.of());
        }
        if (ex instanceof NoResourceFoundException || ex instanceof NoHandlerFoundException) {
            return new Mapped(ProblemCode.NOT_FOUND, "no such endpoint", List.of());
        }
        if (ex instanceof TypeMismatchException e) {
            String name = e.getPropertyName() == null ? "parameter" : e.getPropertyName();
            String message = "'" + e.getValue() + "' is not " + simpleType(e.getRequiredType());
            return new Mapped(ProblemCode.BAD_PARAMETER, name + ": " + message, List.of(new FieldError(name, message)));
        }
        if (ex instanceof MissingServletRequestParameterException e) {
            return new Mapped(ProblemCode.BAD_PARAMETER, e.getParameterName() + ": is required",
                    List.of(new FieldError(e.getParameterName(), "is required")));
        }
        ProblemCode code = switch (status.value()) {
            case 400 -> ProblemCode.BAD_PARAMETER;
            case 404 -> ProblemCode.NOT_FOUND;
            case 405 -> ProblemCode.METHOD_NOT_ALLOWED;
            case 406 -> ProblemCode.NOT_ACCEPTABLE;
            case 413 -> ProblemCode.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemCode.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ProblemCode.KAFKA_UNAVAILABLE;
            default -> ProblemCode.INTERNAL;
        };
        return new Mapped(code, ex.getMessage(), List.of());
    }

    /** Not JSON (400 naming where), or JSON of the wrong shape for a field (422 naming the field). */
    private static Mapped unreadable(HttpMessageNotReadableException e) {
        BodySizeLimitFilter.BodyTooLargeException tooLarge = find(e, BodySizeLimitFilter.BodyTooLargeException.class);
        if (tooLarge != null) {
            return new Mapped(ProblemCode.PAYLOAD_TOO_LARGE, tooLarge.getMessage(), List.of());
        }
        JacksonException jackson = find(e, JacksonException.class);
        if (jackson == null) {
            return new Mapped(ProblemCode.MALFORMED_JSON, "the request body is missing or not readable", List.of());
        }
        String path = path(jackson);
        if (path.isEmpty() && jackson instanceof MismatchedInputException m && m.getTargetType() != null) {
            return new Mapped(ProblemCode.VALIDATION, "the request body must be " + simpleType(m.getTargetType()), List.of());
        }
        if (jackson instanceof StreamReadException || path.isEmpty()) {
            var loc = jackson.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            return new Mapped(ProblemCode.MALFORMED_JSON, "the request body is not valid JSON" + where + ": "
                    + firstLine(jackson.getOriginalMessage()), List.of());
        }
        String message;
        if (jackson instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            message = "'" + f.getValue() + "' is not one of " + java.util.Arrays.toString(f.getTargetType().getEnumConstants());
        } else if (jackson instanceof MismatchedInputException m && m.getTargetType() != null) {
            message = "must be " + simpleType(m.getTargetType());
        } else {
            message = firstLine(jackson.getOriginalMessage());
        }
        return new Mapped(ProblemCode.VALIDATION, path + ": " + message, List.of(new FieldError(path, message)));
    }

    private static List<FieldError> fieldErrors(BindingResult result) {
        List<FieldError> list = new ArrayList<>();
        result.getFieldErrors().forEach(f -> list.add(new FieldError(f.getField(), f.getDefaultMessage())));
        result.getGlobalErrors().forEach(g -> list.add(new FieldError(g.getObjectName(), g.getDefaultMessage())));
        list.sort(java.util.Comparator.comparing(FieldError::field));
        return list;
    }

    private static String summary(List<FieldError> list) {
        return list.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
    }

    /** A JSON path like {@code attributes[1].type} from Jackson's reference chain. */
    static String path(JacksonException e) {
        StringBuilder b = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String simpleType(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type == String.class) {
            return "a string";
        }
        return "an object";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
