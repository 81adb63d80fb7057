package dev.qaengine.controlplane.engine;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.net.URI;

/** {@link EngineException} as a problem document, shaped like every other error of the API (type, title, status, detail, instance, code). */
@RestControllerAdvice(assignableTypes = EngineController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class EngineProblemHandler {

    @ExceptionHandler(EngineException.class)
    ResponseEntity<ProblemDetail> engine(EngineException e, HttpServletRequest request) {
        EngineException.Problem p = e.problem();
        ProblemDetail body = ProblemDetail.forStatusAndDetail(p.status(), e.getMessage());
        body.setType(p.type());
        body.setTitle(p.title());
        body.setInstance(URI.create(request.getRequestURI()));
        body.setProperty("code", p.code());
        return ResponseEntity.status(p.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }
}
