package dev.qaengine.controlplane.engine;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server that answers as Flink 2.2.1's REST API did: every answer is an exchange recorded from a
 * real cluster (src/test/resources/flink-2.2.1, by record.py against the local stack's Flink; the two marked
 * "derived" are edited copies). It keeps what it was asked, for the tests to check the requests. Metric
 * queries ({@code .../subtasks/metrics?get=a,b}) are answered from the recorded values of every metric of the
 * vertex, filtered like Flink does (see {@link #metricValues}).
 */
final class FlinkContractServer implements AutoCloseable {
    static final String RUNNING_JOB = "48be05c8aaf23b81a3089a1176ab467c";
    static final String FINISHED_JOB = "22b58e03a7ac030e3c3d25d518ceb3d1";
    static final String NORMALIZE_VERTEX = "45a15354dc6693cebce08818ce4d3252";
    static final String RAW_SOURCE_VERTEX = "b0804092163d5fb91e0a68e171cfb2e4";
    static final String CONTROL_SOURCE_VERTEX = "98959b4b46d83dc31961e28a7a96a4ca";
    static final List<String> DEFAULTS = List.of("overview", "jobs-overview-one-finished", "job-running", "job-running-checkpoints",
            "job-running-restarts", "job-finished", "job-finished-checkpoints", "jars", "jars-upload", "jar-run", "job-stop",
            "savepoint-completed", "job-unknown", "savepoint-unknown-trigger",
            "vertex-" + NORMALIZE_VERTEX + "-metric-list", "vertex-" + RAW_SOURCE_VERTEX + "-metric-list",
            "vertex-" + CONTROL_SOURCE_VERTEX + "-metric-list");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What the server was asked. */
    record Request(String method, String path, String query, String contentType, byte[] body) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    private record Answer(int status, String body) {
    }

    private final Map<String, Answer> routes = new ConcurrentHashMap<>();
    /** Answers given once, before the standing one of the same request. */
    private final Map<String, java.util.Deque<Answer>> once = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private int port;

    static FlinkContractServer start() {
        FlinkContractServer s = new FlinkContractServer();
        s.listen(0);
        s.reset();
        return s;
    }

    private void listen(int onPort) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The default scenario: one qa-normalize running, one finished after a stop-with-savepoint; no request seen. */
    void reset() {
        routes.clear();
        once.clear();
        requests.clear();
        DEFAULTS.forEach(this::respond);
    }

    /** From now on, answer the recording's request with the recording's answer. */
    void respond(String recording) {
        JsonNode r = recording(recording);
        respond(recording, r.path("method").asString(), r.path("path").asString());
    }

    /** Answer this request with the recording's answer (e.g. a failed run of another jar id, for the current one). */
    void respond(String recording, String method, String path) {
        JsonNode r = recording(recording);
        routes.put(method + " " + path, new Answer(r.path("status").asInt(), JSON.writeValueAsString(r.path("body"))));
    }

    /** Answer this request with a body of the test's own (an answer observed but not recorded, such as {@code []}). */
    void respondWith(String method, String path, int status, String body) {
        routes.put(method + " " + path, new Answer(status, body));
    }

    /** Answer the next such request with the recording's answer, then as before. */
    void respondOnce(String recording, String method, String path) {
        JsonNode r = recording(recording);
        once.computeIfAbsent(method + " " + path, k -> new java.util.concurrent.ConcurrentLinkedDeque<>())
                .add(new Answer(r.path("status").asInt(), JSON.writeValueAsString(r.path("body"))));
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String method, String pathPrefix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).toList();
    }

    /** Stops answering: the port refuses connections until {@link #resume()}. */
    void pause() {
        server.stop(0);
    }

    void resume() {
        listen(port);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String query = ex.getRequestURI().getRawQuery();
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        requests.add(new Request(ex.getRequestMethod(), path, query, ex.getRequestHeaders().getFirst("Content-Type"), body));
        Answer a = answer(ex.getRequestMethod(), path, query);
        byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(a.status(), out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }

    private Answer answer(String method, String path, String query) {
        if (query != null && query.startsWith("get=") && path.endsWith("/subtasks/metrics")) {
            return metricValues(path, URLDecoder.decode(query.substring(4), StandardCharsets.UTF_8));
        }
        java.util.Deque<Answer> first = once.get(method + " " + path);
        if (first != null && !first.isEmpty()) {
            return first.poll();
        }
        Answer a = routes.get(method + " " + path + (query == null ? "" : "?" + query));
        if (a == null) {
            a = routes.get(method + " " + path);
        }
        // not recorded: answered as Flink answers a job it does not know (job-unknown)
        return a != null ? a : routes.get("GET /jobs/00000000000000000000000000000000");
    }

    /**
     * As observed: an id the vertex does not list empties the whole answer; a listed metric that is not a
     * number (isBackPressured, a client version) is left out of the aggregate; the others are answered.
     */
    private Answer metricValues(String path, String ids) {
        String vertex = path.split("/")[4];
        Set<String> wanted = new HashSet<>(Arrays.asList(ids.split(",")));
        if (!new HashSet<>(recordedMetricIds(vertex)).containsAll(wanted)) {
            return new Answer(200, "[]");
        }
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode m : recording("vertex-" + vertex + "-metric-values").path("body")) {
            if (wanted.contains(m.path("id").asString())) {
                out.add(m);
            }
        }
        return new Answer(200, JSON.writeValueAsString(out));
    }

    static JsonNode recording(String name) {
        try (InputStream in = FlinkContractServer.class.getResourceAsStream("/flink-2.2.1/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no recording " + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> recordedMetricIds(String vertex) {
        List<String> ids = new ArrayList<>();
        recording("vertex-" + vertex + "-metric-list").path("body").forEach(m -> ids.add(m.path("id").asString()));
        return ids;
    }
}
