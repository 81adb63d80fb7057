package dev.qaengine.controlplane.engine;

import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.ProblemCode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few calls of Flink's REST API (documented at nightlies.apache.org/flink/.../ops/rest_api) the engine
 * operations need, over the JDK's HTTP client. Answers are JSON trees; a cluster that does not answer is a
 * {@link ProblemCode#FLINK_UNAVAILABLE}, an error answer a {@link FlinkError} with Flink's message digested to
 * one line (Flink answers {@code {"errors":["Internal server error.","<Exception on server side: ...>"]}}).
 */
@Component
public class FlinkRest {
    /** Flink's REST server refuses request lines over 4096 bytes; metric queries are split below this. */
    static final int MAX_QUERY_CHARS = 2000;
    private static final Pattern EXCEPTION_PREFIX = Pattern.compile("^(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*: ");
    private static final Pattern CAUSED_BY = Pattern.compile("(?m)^Caused by: (.*)$");

    private final QaProperties.Engine properties;
    private final JsonMapper json;
    private final HttpClient http;

    @Autowired
    public FlinkRest(QaProperties qa, JsonMapper json) {
        this(qa.engine(), json);
    }

    FlinkRest(QaProperties.Engine properties, JsonMapper json) {
        this.properties = properties;
        this.json = json;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .build();
    }

    /** Flink answered with an error status. */
    public static final class FlinkError extends RuntimeException {
        private final int status;

        FlinkError(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public String baseUrl() {
        return properties.flinkUrl();
    }

    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), properties.requestTimeout(), "GET " + path);
    }

    public JsonNode post(String path, Object body) {
        String text = json.writeValueAsString(body);
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text)), properties.requestTimeout(), "POST " + path);
    }

    /** {@code POST /jars/upload}: the jar as the multipart part {@code jarfile}; answers {@code {filename, status}}. */
    public JsonNode uploadJar(Path jar) {
        String boundary = "qa-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        try {
            HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                    HttpRequest.BodyPublishers.ofFile(jar), HttpRequest.BodyPublishers.ofByteArray(tail));
            return send(HttpRequest.newBuilder(uri("/jars/upload")).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(body), properties.uploadTimeout(), "POST /jars/upload");
        } catch (java.io.FileNotFoundException e) {
            throw new ApiException(ProblemCode.JOBS_JAR_MISSING, "the jobs jar " + jar + " does not exist", e);
        }
    }

    /**
     * {@code GET .../metrics?get=a,b,c} for the given ids, in as many requests as the request-line limit
     * needs; answers the concatenated {@code [{id, min, max, avg, sum}]} (or {@code [{id, value}]}). Only ask for
     * ids Flink listed: one unknown id makes it answer an empty list for the whole request.
     */
    public List<JsonNode> metrics(String path, List<String> ids) {
        List<JsonNode> out = new java.util.ArrayList<>();
        StringBuilder query = new StringBuilder();
        for (String id : ids) {
            String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8);
            if (!query.isEmpty() && query.length() + encoded.length() + 1 > MAX_QUERY_CHARS) {
                get(path + "?get=" + query).forEach(out::add);
                query.setLength(0);
            }
            query.append(query.isEmpty() ? "" : ",").append(encoded);
        }
        if (!query.isEmpty()) {
            get(path + "?get=" + query).forEach(out::add);
        }
        return out;
    }

    private URI uri(String path) {
        return URI.create(properties.flinkUrl() + path);
    }

    private JsonNode send(HttpRequest.Builder request, Duration timeout, String what) {
        HttpResponse<String> r;
        try {
            r = http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ApiException(ProblemCode.FLINK_UNAVAILABLE, "the Flink cluster at " + properties.flinkUrl()
                    + " did not answer " + what + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ProblemCode.FLINK_UNAVAILABLE, "interrupted while calling the Flink cluster", e);
        }
        JsonNode body;
        try {
            body = r.body() == null || r.body().isBlank() ? json.missingNode() : json.readTree(r.body());
        } catch (JacksonException e) {
            throw new ApiException(ProblemCode.FLINK_ERROR, what + " answered " + r.statusCode() + " with a body that is not JSON"
                    + " — is " + properties.flinkUrl() + " a Flink REST API?", e);
        }
        if (r.statusCode() >= 400) {
            throw new FlinkError(r.statusCode(), what + ": " + errorMessage(body));
        }
        return body;
    }

    /** Flink's {@code errors} digested to one line: the root cause's message without exception class names. */
    static String errorMessage(JsonNode body) {
        JsonNode errors = body.path("errors");
        if (!errors.isArray() || errors.isEmpty()) {
            return body.isMissingNode() ? "(no body)" : body.toString();
        }
        String text = errors.get(errors.size() - 1).asString();
        if (text.startsWith("<Exception on server side:")) {
            text = text.substring("<Exception on server side:".length()).strip();
        }
        return digest(text);
    }

    /**
     * A Java stack trace as one line: the outermost message without exception class names and, when the
     * root cause (the last "Caused by") says something else, {@code " — caused by SimpleName: message"}.
     */
    static String digest(String stackTrace) {
        String first = stackTrace.strip().lines().findFirst().orElse("");
        String top = stripClassNames(first);
        String root = null;
        Matcher causedBy = CAUSED_BY.matcher(stackTrace);
        while (causedBy.find()) {
            root = causedBy.group(1).strip();
        }
        if (root == null) {
            return top;
        }
        String rootMessage = stripClassNames(root);
        if (top.contains(rootMessage)) {
            return top;
        }
        Matcher cls = Pattern.compile("^(?:[a-z_$][\\w$]*\\.)+([A-Z][\\w$]*): ").matcher(root);
        String simple = cls.find() ? cls.group(1) + ": " + root.substring(cls.end()) : root;
        return top.isEmpty() ? simple : top + " — caused by " + simple;
    }

    private static String stripClassNames(String line) {
        String previous;
        do {
            previous = line;
            line = EXCEPTION_PREFIX.matcher(line).replaceFirst("");
        } while (!line.equals(previous));
        return line.strip();
    }
}
