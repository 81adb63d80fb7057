package dev.qaengine.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.Settings;
import dev.qaengine.model.EventMessageV1;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The control plane's engine operations against a real Flink cluster: the control plane as its own process
 * (its Boot jar), a {@link LocalFlink} session cluster with its REST API, the stack's broker, and the suite's
 * fat jar from jobs/dist. Through the API only: submit qa-normalize from the jar, see it RUNNING with a
 * checkpoint and the normalize operator's counters matching the traffic sent, refuse a second instance, stop
 * it with a savepoint (written to disk), resume from that savepoint, and answer 503 once the cluster is gone.
 * (control-plane's EngineApiTest covers the same calls against recorded Flink answers, errors included.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EngineOperationsIT {
    private static final String ADMIN_KEY = "qak_engine-ops-admin-key-0123456789";
    private static final PrintStream OUT = System.out;

    @TempDir
    static Path dir;
    private EmbeddedKafka kafka;
    private LocalFlink flink;
    private ControlPlaneProcess controlPlane;
    private ControlPlaneClient api;

    @BeforeAll
    void start() throws Exception {
        Path jobsJar = ControlPlaneProcess.findJobsJar(Path.of("")).orElseThrow(() ->
                new AssertionError("jobs/dist/target/qa-jobs-*.jar is not built (the reactor builds it before this module)"));
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), Net.freePort(), Net.freePort(), Duration.ofSeconds(60));
        KafkaTopics.ensure(kafka.bootstrap(), new Properties(), Duration.ofSeconds(30));
        StackConfig stack = new StackConfig(dir, 0, 0, Net.freePort(), 0, 4, Optional.empty(), Optional.empty(), Optional.empty(),
                false, StackConfig.HOST);
        controlPlane = ControlPlaneProcess.start(new ControlPlaneProcess.Config(Optional.empty(), Net.freePort(), StackConfig.HOST,
                dir.resolve("control-plane"), dir.resolve("logs/control-plane.log"), Optional.empty(), Optional.of(ADMIN_KEY), "ops-org",
                List.of("-Xmx384m"), Map.of("QA_FLINK_REST_URL", stack.flinkUrl(), "QA_JOBS_JAR", jobsJar.toAbsolutePath().toString())),
                kafka.bootstrap());
        // a session cluster with no job: the control plane submits one
        flink = LocalFlink.start(stack, Settings.of(Map.of(
                "QA_KAFKA_BOOTSTRAP", kafka.bootstrap(),
                "QA_CHECKPOINT_DIR", dir.resolve("checkpoints").toUri().toString(),
                "QA_SAVEPOINT_DIR", dir.resolve("savepoints").toUri().toString())), OUT);
        controlPlane.awaitHealthy(Duration.ofSeconds(180));
        api = controlPlane.client();
    }

    @AfterAll
    void stop() throws Exception {
        Parts.closeInOrder(flink, controlPlane, kafka);
    }

    @Test
    void submitWatchStopWithASavepointAndResumeThroughTheApi() throws Exception {
        JsonNode cluster = ok(api.get("/api/v1/engine/cluster"));
        assertThat(cluster.path("flinkVersion").asText()).isEqualTo("2.2.1");
        assertThat(ok(api.get("/api/v1/engine/suite")).path("jobs").findValuesAsText("name")).contains("qa-normalize");
        assertThat(ok(api.get("/api/v1/engine/jobs")).path("total").asInt()).isZero();

        api.post("/api/v1/event-channels", "{\"appKey\":\"shop\",\"name\":\"Shop\",\"appType\":\"APP\"}").requireOk("channel");
        api.post("/api/v1/event-definitions", "{\"eventCode\":\"view_item\",\"name\":\"View\",\"channel\":\"shop\"}").requireOk("event");

        // submit from the jar: uploaded, run with the job's main class and QA_* settings as program arguments
        ControlPlaneClient.Response submitted = api.post("/api/v1/engine/jobs", """
                {"job":"qa-normalize","parallelism":2,"settings":{"QA_CHECKPOINT_INTERVAL":"1s","QA_NORMALIZE_GROUP_ID":"ops-it"}}""");
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);
        String jobId = submitted.json().path("jobId").asText();
        OUT.println("[engine-it] submitted " + submitted.body());

        // traffic through the API: 40 defined events and 7 of an unknown code
        List<EventMessageV1> batch = new ArrayList<>();
        for (int i = 0; i < 47; i++) {
            batch.add(EventMessageV1.of("ops-org", "c-" + i, "shop", i < 40 ? "view_item" : "teleport", System.currentTimeMillis() + i, Map.of()));
        }
        api.post("/api/v1/events", batch).requireOk("ingest");

        JsonNode running = awaitJob(jobId, j -> j.path("state").asText().equals("RUNNING")
                && allVerticesRunning(j)
                && j.at("/metrics/counters/normalize.normalized").asLong() == 40
                && j.at("/metrics/counters/normalize.dlq.UNKNOWN_EVENT").asLong() == 7
                && j.path("lastCheckpoint").isObject(), Duration.ofSeconds(90));
        OUT.println("[engine-it] running: " + running);
        assertThat(running.path("name").asText()).isEqualTo("qa-normalize");
        assertThat(running.path("uptimeMs").asLong()).isPositive();
        assertThat(running.path("restarts").asLong()).isZero();
        assertThat(running.at("/metrics/counters/normalize.duplicates").asLong()).isZero();
        assertThat(running.at("/metrics/recordsInPerSecond").isNumber()).isTrue();
        assertThat(running.at("/metrics/recordsOutPerSecond").isNumber()).isTrue();
        assertThat(running.path("vertices")).hasSize(3);
        assertThat(running.at("/lastCheckpoint/externalPath").asText()).contains(jobId);

        ControlPlaneClient.Response twice = api.post("/api/v1/engine/jobs", "{\"job\":\"qa-normalize\"}");
        assertThat(twice.status()).as("a second instance is refused: " + twice).isEqualTo(409);

        // stop with a savepoint: its path comes back and the savepoint is on disk
        ControlPlaneClient.Response stopped = api.post("/api/v1/engine/jobs/" + jobId + "/stop", "{\"drain\":false}");
        assertThat(stopped.status()).as(stopped.toString()).isEqualTo(200);
        String savepoint = stopped.json().path("savepointPath").asText();
        OUT.println("[engine-it] stopped: " + stopped.body());
        assertThat(Path.of(URI.create(savepoint)).resolve("_metadata")).exists();
        // Flink's REST API reports the job FINISHED before its checkpoint statistics (cached for a few seconds) show the
        // savepoint as the latest: wait for both
        JsonNode finished = awaitJob(jobId, j -> j.path("state").asText().equals("FINISHED") && j.at("/lastCheckpoint/savepoint").asBoolean(),
                Duration.ofSeconds(30));
        assertThat(finished.at("/lastCheckpoint/savepoint").asBoolean()).isTrue();
        assertThat(finished.at("/lastCheckpoint/externalPath").asText()).isEqualTo(savepoint);

        // resume from it
        ControlPlaneClient.Response resumed = api.post("/api/v1/engine/jobs", "{\"job\":\"qa-normalize\",\"parallelism\":2,\"savepointPath\":\""
                + savepoint + "\",\"settings\":{\"QA_NORMALIZE_GROUP_ID\":\"ops-it\"}}");
        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(201);
        String again = resumed.json().path("jobId").asText();
        awaitJob(again, j -> j.path("state").asText().equals("RUNNING") && allVerticesRunning(j), Duration.ofSeconds(60));
        JsonNode restored = flinkRest("/jobs/" + again + "/checkpoints").path("latest").path("restored");
        assertThat(restored.path("external_path").asText()).isEqualTo(savepoint);
        assertThat(restored.path("is_savepoint").asBoolean()).isTrue();
        assertThat(ok(api.get("/api/v1/engine/jobs?state=RUNNING")).path("total").asInt()).isEqualTo(1);

        // the cluster goes away: 503
        flink.close();
        flink = null;
        ControlPlaneClient.Response down = api.get("/api/v1/engine/jobs");
        assertThat(down.status()).as(down.toString()).isEqualTo(503);
        assertThat(down.json().path("code").asText()).isEqualTo("flink-unavailable");
    }

    private static boolean allVerticesRunning(JsonNode job) {
        if (!job.path("vertices").isArray() || job.path("vertices").isEmpty()) {
            return false;
        }
        for (JsonNode v : job.path("vertices")) {
            if (!v.path("status").asText().equals("RUNNING")) {
                return false;
            }
        }
        return true;
    }

    private JsonNode awaitJob(String id, Predicate<JsonNode> done, Duration timeout) throws InterruptedException {
        JsonNode[] last = {null};
        boolean ok = Net.await(timeout, () -> {
            ControlPlaneClient.Response r = api.get("/api/v1/engine/jobs/" + id);
            last[0] = r.json();
            return r.ok() && done.test(r.json());
        });
        assertThat(ok).as("job " + id + " within " + timeout + "; last seen " + last[0]).isTrue();
        return last[0];
    }

    private static JsonNode ok(ControlPlaneClient.Response r) {
        assertThat(r.ok()).as(r.toString()).isTrue();
        return r.json();
    }

    private JsonNode flinkRest(String path) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(flink.restUrl() + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return dev.qaengine.common.Json.MAPPER.readTree(r.body());
    }
}
