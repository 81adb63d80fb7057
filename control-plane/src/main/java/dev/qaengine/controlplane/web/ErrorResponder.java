package dev.qaengine.controlplane.web;

import dev.qaengine.controlplane.ingest.IngestResponse;
import dev.qaengine.controlplane.receipt.ReceiptAnswer;
import dev.qaengine.controlplane.receipt.ReceiptController;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The one place error bodies are made, for controllers, filters and interceptors alike. Everything
 * answers RFC 9457 problem details, except the ingestion endpoints, which keep the product's documented
 * {@code {success, errorCode, errorDesc, traceId}} shape for errors too (SDKs parse it).
 */
@Component
public class ErrorResponder {
    private final JsonMapper json;

    public ErrorResponder(JsonMapper json) {
        this.json = json;
    }

    /** Whether the request is for the authenticated, size-limited API (not docs, UI or actuator). */
    public static boolean isApiPath(HttpServletRequest request) {
        return request.getRequestURI().startsWith(request.getContextPath() + "/api/");
    }

    public static boolean isReceiptPath(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length()).equals(ReceiptController.PATH);
    }

    public static boolean isIngestPath(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/api/v1/events") || path.equals("/api/v1/identities");
    }

    public ProblemDetail problem(ProblemCode code, String detail, List<FieldError> errors, HttpServletRequest request) {
        return problem(code, detail, errors, Map.of(), request);
    }

    public ProblemDetail problem(ProblemCode code, String detail, List<FieldError> errors, Map<String, Object> properties,
                                 HttpServletRequest request) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(code.status(), detail);
        p.setType(code.type());
        p.setTitle(code.title());
        if (request != null) {
            p.setInstance(URI.create(request.getRequestURI()));
        }
        p.setProperty("code", code.code());
        if (!errors.isEmpty()) {
            p.setProperty("field", errors.get(0).field());
            p.setProperty("errors", errors);
        }
        properties.forEach(p::setProperty);
        return p;
    }

    /** The response entity for a controller advice: a problem, or the ingestion shape on ingestion paths. */
    public ResponseEntity<Object> entity(ProblemCode code, String detail, List<FieldError> errors, HttpServletRequest request,
                                         HttpHeaders headers) {
        return entity(code, detail, errors, Map.of(), request, headers);
    }

    public ResponseEntity<Object> entity(ProblemCode code, String detail, List<FieldError> errors, Map<String, Object> properties,
                                         HttpServletRequest request, HttpHeaders headers) {
        HttpHeaders h = new HttpHeaders();
        if (headers != null) {
            h.putAll(headers);
        }
        if (request != null && isIngestPath(request)) {
            h.setContentType(MediaType.APPLICATION_JSON);
            return new ResponseEntity<>(IngestResponse.error(IngestResponse.codeFor(code), detail), h, code.status());
        }
        if (request != null && isReceiptPath(request)) {
            // partners' receivers parse {code, message, requestId}, as they answer webhook requests themselves
            h.setContentType(MediaType.APPLICATION_JSON);
            return new ResponseEntity<>(new ReceiptAnswer(code.name(), detail, IngestResponse.newTraceId(), null, null), h, code.status());
        }
        h.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(problem(code, detail, errors, properties, request), h, code.status());
    }

    /** Writes an error straight to the servlet response (filters, before Spring MVC). */
    public void write(HttpServletRequest request, HttpServletResponse response, ProblemCode code, String detail) throws IOException {
        response.setStatus(code.status().value());
        if (isIngestPath(request)) {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            json.writeValue(response.getOutputStream(), IngestResponse.error(IngestResponse.codeFor(code), detail));
        } else {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            json.writeValue(response.getOutputStream(), problem(code, detail, List.of(), request));
        }
    }
}
