package dev.qaengine.controlplane.engine;

import org.springframework.http.HttpStatus;

import java.net.URI;

/**
 * An engine operation that could not be done because of the Flink cluster or the suite's jar, answered as
 * an RFC 9457 problem by {@link EngineProblemHandler} (same members as every other problem of the API).
 */
public class EngineException extends RuntimeException {

    /** The engine's problem types; {@code code} and {@code type} are stable like the API's others. */
    public enum Problem {
        /** The Flink REST API does not answer (refused, timed out). */
        FLINK_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Flink cluster unavailable"),
        /** Flink answered with an error the request could not have avoided (5xx, unexpected 4xx). */
        FLINK_ERROR(HttpStatus.BAD_GATEWAY, "The Flink cluster reported an error"),
        /** No suite jar is configured or it is missing: nothing can be submitted from this instance. */
        JOBS_JAR_MISSING(HttpStatus.SERVICE_UNAVAILABLE, "The suite's jobs jar is not available"),
        /** Stop-with-savepoint failed on the cluster (the job keeps running unless it had ended). */
        SAVEPOINT_FAILED(HttpStatus.CONFLICT, "The savepoint failed");

        private final HttpStatus status;
        private final String title;

        Problem(HttpStatus status, String title) {
            this.status = status;
            this.title = title;
        }

        public HttpStatus status() {
            return status;
        }

        public String title() {
            return title;
        }

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /** The same base as the API's other problem types (control-plane/README.md § Errors). */
        public URI type() {
            return URI.create(dev.qaengine.controlplane.web.ProblemCode.TYPE_BASE + code());
        }
    }

    private final Problem problem;

    public EngineException(Problem problem, String detail) {
        super(detail);
        this.problem = problem;
    }

    public EngineException(Problem problem, String detail, Throwable cause) {
        super(detail, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
