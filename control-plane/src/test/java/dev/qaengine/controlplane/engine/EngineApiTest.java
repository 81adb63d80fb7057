package dev.qaengine.controlplane.engine;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import dev.qaengine.controlplane.support.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static dev.qaengine.controlplane.engine.FlinkContractServer.FINISHED_JOB;
import static dev.qaengine.controlplane.engine.FlinkContractServer.NORMALIZE_VERTEX;
import static dev.qaengine.controlplane.engine.FlinkContractServer.RAW_SOURCE_VERTEX;
import static dev.qaengine.controlplane.engine.FlinkContractServer.CONTROL_SOURCE_VERTEX;
import static dev.qaengine.controlplane.engine.FlinkContractServer.RUNNING_JOB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine operations against Flink 2.2.1's REST API as recorded from a real cluster ({@link FlinkContractServer}).
 * What this covers: the requests the control plane sends (paths, bodies, the multipart upload, metric queries
 * within Flink's request-line limit) and how it reads every recorded answer, errors included. That a real cluster
 * runs, reports and stops the jobs is covered by local/launcher's EngineOperationsIT (control plane process +
 * LocalFlink + the suite jar).
 */
class EngineApiTest extends ControlPlaneTest {
    static final FlinkContractServer FLINK = FlinkContractServer.start();
    static final Path JAR = suiteJar();
    static final String JAR_ID = "152ab396-dd00-416b-b91f-b7a8c8b59869_qa-jobs-0.1.0-SNAPSHOT.jar";
    static final String RUN_PATH = "/jars/" + JAR_ID + "/run";

    @DynamicPropertySource
    static void engine(DynamicPropertyRegistry registry) {
        registry.add("qa.engine.flink-rest-url", FLINK::url);
        registry.add("qa.engine.jobs-jar", JAR::toString);
        registry.add("qa.engine.savepoint-timeout", () -> "1s");
    }

    @AfterAll
    static void stopFlink() {
        FLINK.close();
    }

    @BeforeEach
    void freshScenario() {
        FLINK.reset();
    }

    /** A jar whose manifest lists the suite's jobs, as jobs/dist writes it. */
    static Path suiteJar() {
        try {
            Path dir = Files.createTempDirectory("qa-suite");
            Path jar = dir.resolve("qa-jobs-test.jar");
            Manifest m = new Manifest();
            m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            m.getMainAttributes().putValue(SuiteJar.MANIFEST_ATTRIBUTE,
                    "qa-normalize=dev.qaengine.normalize.NormalizeJob,qa-identity=dev.qaengine.identity.IdentityJob");
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
                j.putNextEntry(new JarEntry("dev/qaengine/README.txt"));
                j.write("not a real job".getBytes());
                j.closeEntry();
            }
            dir.toFile().deleteOnExit();
            jar.toFile().deleteOnExit();
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The top-level ids of a page's items (findValuesAsString would also find nested ones). */
    private static List<String> ids(Api.Response page) {
        List<String> ids = new ArrayList<>();
        page.json().path("items").forEach(i -> ids.add(i.path("id").asString()));
        return ids;
    }

    private Api analyst() {
        return key(newOrg(), "ANALYST");
    }

    private static double recordedSum(String vertex, String metric) {
        for (JsonNode m : FlinkContractServer.recording("vertex-" + vertex + "-metric-values").path("body")) {
            if (m.path("id").asString().equals(metric)) {
                return m.path("sum").asDouble();
            }
        }
        throw new AssertionError("not recorded: " + metric);
    }

    @Nested
    class Reading {
        @Test
        void jobsAreListedNewestFirstWithStateUptimeCheckpointAndMetrics() {
            Api.Response r = analyst().get("/api/v1/engine/jobs");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode items = r.json().path("items");
            assertThat(r.json().path("total").asLong()).isEqualTo(3);
            assertThat(ids(r)).containsExactly(FINISHED_JOB, "2278ba257b8c5843263bc91498505e66", RUNNING_JOB);

            JsonNode running = items.get(2);
            JsonNode details = FlinkContractServer.recording("job-running").path("body");
            JsonNode completed = FlinkContractServer.recording("job-running-checkpoints").path("body").path("latest").path("completed");
            assertThat(running.path("name").asString()).isEqualTo("qa-normalize");
            assertThat(running.path("state").asString()).isEqualTo("RUNNING");
            assertThat(running.path("uptimeMs").asLong()).isEqualTo(details.path("duration").asLong());
            assertThat(Instant.parse(running.path("startTime").asString()).toEpochMilli()).isEqualTo(details.path("start-time").asLong());
            assertThat(running.path("endTime").isMissingNode() || running.path("endTime").isNull()).isTrue();
            assertThat(running.path("restarts").asLong()).isZero();
            assertThat(running.at("/lastCheckpoint/id").asLong()).isEqualTo(completed.path("id").asLong());
            assertThat(running.at("/lastCheckpoint/externalPath").asString()).isEqualTo(completed.path("external_path").asString());
            assertThat(running.at("/lastCheckpoint/stateSizeBytes").asLong()).isEqualTo(completed.path("state_size").asLong());
            assertThat(Instant.parse(running.at("/lastCheckpoint/completedAt").asString()).toEpochMilli())
                    .isEqualTo(completed.path("latest_ack_timestamp").asLong());
            assertThat(running.at("/lastCheckpoint/savepoint").asBoolean()).isFalse();

            JsonNode metrics = running.path("metrics");
            double in = recordedSum(RAW_SOURCE_VERTEX, "numRecordsOutPerSecond") + recordedSum(CONTROL_SOURCE_VERTEX, "numRecordsOutPerSecond");
            double out = recordedSum(NORMALIZE_VERTEX, "qa_events_normalized__Writer.numRecordsInPerSecond")
                    + recordedSum(NORMALIZE_VERTEX, "qa_events_dlq__Writer.numRecordsInPerSecond");
            assertThat(metrics.path("recordsInPerSecond").asDouble()).isCloseTo(in, org.assertj.core.data.Offset.offset(0.01));
            assertThat(metrics.path("recordsOutPerSecond").asDouble()).isCloseTo(out, org.assertj.core.data.Offset.offset(0.01));
            JsonNode counters = metrics.path("counters");
            assertThat(counters.path("normalize.normalized").asLong()).isEqualTo(Math.round(recordedSum(NORMALIZE_VERTEX, "normalize.normalized")))
                    .isPositive();
            assertThat(counters.path("normalize.dlq.UNKNOWN_EVENT").asLong())
                    .isEqualTo(Math.round(recordedSum(NORMALIZE_VERTEX, "normalize.dlq.UNKNOWN_EVENT")));
            assertThat(counters.has("normalize.duplicates")).isTrue();
            assertThat(counters.has("normalize.heldForDefinitions")).isTrue();
            assertThat(counters.propertyNames()).allMatch(n -> n.startsWith("normalize."))
                    .as("no Kafka client or task metric").noneMatch(n -> n.contains("KafkaProducer") || n.contains("numRecords"));
            List<String> vertexIds = new ArrayList<>();
            running.path("vertices").forEach(v -> vertexIds.add(v.path("id").asString()));
            assertThat(vertexIds).containsExactlyInAnyOrder(RAW_SOURCE_VERTEX, CONTROL_SOURCE_VERTEX,
                    NORMALIZE_VERTEX);
            JsonNode normalizeVertex = running.path("vertices").get(2);
            assertThat(normalizeVertex.path("parallelism").asInt()).isEqualTo(2);
            assertThat(normalizeVertex.path("recordsInPerSecond").asDouble())
                    .isCloseTo(recordedSum(NORMALIZE_VERTEX, "numRecordsInPerSecond"), org.assertj.core.data.Offset.offset(0.01));

            JsonNode finished = items.get(0);
            assertThat(finished.path("state").asString()).isEqualTo("FINISHED");
            assertThat(finished.path("endTime").asString()).isNotBlank();
            assertThat(finished.has("metrics") && !finished.path("metrics").isNull()).as("no metrics once ended").isFalse();
            assertThat(finished.has("uptimeMs") && !finished.path("uptimeMs").isNull()).isFalse();
            assertThat(finished.at("/lastCheckpoint/savepoint").asBoolean()).as("the stop's savepoint").isTrue();
            assertThat(finished.at("/lastCheckpoint/externalPath").asString()).isEqualTo(
                    FlinkContractServer.recording("savepoint-completed").at("/body/operation/location").asString());

            JsonNode gone = items.get(1);
            assertThat(gone.path("state").asString()).as("a job the cluster no longer details is listed from the overview")
                    .isEqualTo("CANCELED");
            assertThat(gone.path("name").asString()).isEqualTo("qa-normalize");
        }

        @Test
        void metricsNotFetchedYetAreAbsentNotAnError() {
            // Right after a job starts, Flink's metric fetcher has not run yet: metric lists answer [] (as observed)
            for (String vertex : List.of(RAW_SOURCE_VERTEX, CONTROL_SOURCE_VERTEX, NORMALIZE_VERTEX)) {
                FLINK.respondWith("GET", "/jobs/" + RUNNING_JOB + "/vertices/" + vertex + "/subtasks/metrics", 200, "[]");
            }
            FLINK.respondWith("GET", "/jobs/" + RUNNING_JOB + "/metrics?get=numRestarts", 200, "[]");
            Api.Response r = analyst().get("/api/v1/engine/jobs/" + RUNNING_JOB);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().path("state").asString()).isEqualTo("RUNNING");
            assertThat(r.json().at("/metrics/recordsInPerSecond").isNull()).isTrue();
            assertThat(r.json().at("/metrics/recordsOutPerSecond").isNull()).isTrue();
            assertThat(r.json().at("/metrics/counters").isEmpty()).isTrue();
            assertThat(r.json().path("restarts").isNull()).isTrue();
            assertThat(r.json().at("/vertices/0/recordsInPerSecond").isNull()).isTrue();

            // one vertex reported, the others not yet: sums of what is there
            FLINK.respond("vertex-" + RAW_SOURCE_VERTEX + "-metric-list");
            JsonNode partial = analyst().get("/api/v1/engine/jobs/" + RUNNING_JOB).json();
            assertThat(partial.at("/metrics/recordsInPerSecond").asDouble())
                    .isCloseTo(recordedSum(RAW_SOURCE_VERTEX, "numRecordsOutPerSecond"), org.assertj.core.data.Offset.offset(0.01));
            assertThat(partial.at("/metrics/recordsOutPerSecond").isNull()).isTrue();
            assertThat(EngineService.add(null, null)).isNull();
            assertThat(EngineService.add(null, 2.0)).isEqualTo(2.0);
            assertThat(EngineService.add(1.0, null)).isEqualTo(1.0);
        }

        @Test
        void metricQueriesAskOnlyForListedMetricsAndStayWithinFlinksRequestLineLimit() {
            assertThat(analyst().get("/api/v1/engine/jobs/" + RUNNING_JOB).status()).isEqualTo(200);
            List<FlinkContractServer.Request> queries = FLINK.requests().stream()
                    .filter(q -> q.path().endsWith("/subtasks/metrics") && q.query() != null).toList();
            assertThat(queries).isNotEmpty();
            for (FlinkContractServer.Request q : queries) {
                assertThat(q.path().length() + q.query().length() + 1).isLessThan(4096 - 100);
                String vertex = q.path().split("/")[4];
                List<String> asked = List.of(java.net.URLDecoder.decode(q.query().substring(4), java.nio.charset.StandardCharsets.UTF_8).split(","));
                assertThat(FlinkContractServer.recordedMetricIds(vertex)).containsAll(asked);
            }
        }

        @Test
        void filtersAndPages() {
            Api a = analyst();
            assertThat(ids(a.get("/api/v1/engine/jobs?state=running"))).containsExactly(RUNNING_JOB);
            assertThat(a.get("/api/v1/engine/jobs?name=NORMAL").json().path("total").asLong()).isEqualTo(3);
            assertThat(a.get("/api/v1/engine/jobs?name=identity").json().path("total").asLong()).isZero();
            Api.Response page = a.get("/api/v1/engine/jobs?size=1&page=1");
            assertThat(ids(page)).containsExactly("2278ba257b8c5843263bc91498505e66");
            assertThat(page.json().path("total").asLong()).isEqualTo(3);
            Api.Response bad = a.get("/api/v1/engine/jobs?size=0");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.text("/field")).isEqualTo("size");
        }

        @Test
        void aJobTheClusterDoesNotKnowIsNotFound() {
            Api a = analyst();
            Api.Response unknown = a.get("/api/v1/engine/jobs/00000000000000000000000000000000");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.contentType()).startsWith("application/problem+json");
            assertThat(unknown.text("/code")).isEqualTo("not-found");
            assertThat(a.get("/api/v1/engine/jobs/not-a-job-id").status()).isEqualTo(404);
            assertThat(FLINK.requests("GET", "/jobs/not-a-job-id")).as("not even asked").isEmpty();
        }

        @Test
        void clusterAndSuite() {
            Api a = analyst();
            JsonNode cluster = a.get("/api/v1/engine/cluster").json();
            assertThat(cluster.path("flinkVersion").asString()).isEqualTo("2.2.1");
            assertThat(cluster.path("flinkUrl").asString()).isEqualTo(FLINK.url());
            assertThat(cluster.path("slotsTotal").asInt()).isEqualTo(8);
            assertThat(cluster.path("taskManagers").asInt()).isEqualTo(1);
            JsonNode suite = a.get("/api/v1/engine/suite").json();
            assertThat(suite.path("jar").asString()).isEqualTo(JAR.toString());
            assertThat(suite.path("jobs").findValuesAsString("name")).containsExactly("qa-normalize", "qa-identity");
            assertThat(suite.path("jobs").findValuesAsString("mainClass")).contains("dev.qaengine.normalize.NormalizeJob");
        }
    }

    @Nested
    class Submitting {
        @Test
        void uploadsTheSuiteJarOnceAndRunsTheJobsMainClassWithItsSettings() throws Exception {
            FLINK.respond("jobs-overview-all-ended");
            Files.setLastModifiedTime(JAR, FileTime.from(Instant.now().plusSeconds(FLINK.requests().size() + 5))); // a new version of the jar
            Api.Response r = platform().post("/api/v1/engine/jobs", """
                    {"job":"qa-normalize","parallelism":2,"settings":{"QA_DEDUP_HORIZON":"5m"}}""");
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            String jobId = FlinkContractServer.recording("jar-run").at("/body/jobid").asString();
            assertThat(r.text("/jobId")).isEqualTo(jobId);
            assertThat(r.headers().firstValue("Location")).contains("/api/v1/engine/jobs/" + jobId);
            assertThat(r.text("/entryClass")).isEqualTo("dev.qaengine.normalize.NormalizeJob");
            assertThat(r.text("/jarId")).isEqualTo(JAR_ID);

            List<FlinkContractServer.Request> uploads = FLINK.requests("POST", "/jars/upload");
            assertThat(uploads).hasSize(1);
            FlinkContractServer.Request upload = uploads.get(0);
            assertThat(upload.contentType()).startsWith("multipart/form-data; boundary=");
            assertThat(upload.text()).contains("Content-Disposition: form-data; name=\"jarfile\"; filename=\"qa-jobs-test.jar\"");
            assertThat(upload.body().length).isGreaterThan((int) Files.size(JAR));

            FlinkContractServer.Request run = FLINK.requests("POST", RUN_PATH).get(0);
            JsonNode body = run.json();
            assertThat(body.path("entryClass").asString()).isEqualTo("dev.qaengine.normalize.NormalizeJob");
            assertThat(body.path("parallelism").asInt()).isEqualTo(2);
            List<String> args = new ArrayList<>();
            body.path("programArgsList").forEach(n -> args.add(n.asString()));
            assertThat(args).containsExactly("QA_KAFKA_BOOTSTRAP=" + TestKafka.bootstrap(), "QA_DEDUP_HORIZON=5m");
            assertThat(body.has("savepointPath")).isFalse();

            // the same jar again: the cluster still lists the upload, so it is not sent twice
            Api.Response again = platform().post("/api/v1/engine/jobs", """
                    {"job":"qa-normalize","savepointPath":"file:/tmp/savepoints/savepoint-22b58e-ba5897677400","allowNonRestoredState":true}""");
            assertThat(again.status()).as(again.toString()).isEqualTo(201);
            assertThat(FLINK.requests("POST", "/jars/upload")).hasSize(1);
            assertThat(FLINK.requests("GET", "/jars")).hasSize(1);
            JsonNode resumed = FLINK.requests("POST", RUN_PATH).get(1).json();
            assertThat(resumed.path("savepointPath").asString()).isEqualTo("file:/tmp/savepoints/savepoint-22b58e-ba5897677400");
            assertThat(resumed.path("allowNonRestoredState").asBoolean()).isTrue();
            assertThat(resumed.has("parallelism")).as("the cluster's default").isFalse();
        }

        @Test
        void aJarTheClusterLostIsUploadedAgain() throws Exception {
            FLINK.respond("jobs-overview-all-ended");
            Files.setLastModifiedTime(JAR, FileTime.from(Instant.now().plusSeconds(FLINK.requests().size() + 100)));
            FLINK.respondOnce("jar-run-unknown-jar", "POST", RUN_PATH);
            Api.Response r = platform().post("/api/v1/engine/jobs", "{\"job\":\"qa-normalize\"}");
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            assertThat(FLINK.requests("POST", "/jars/upload")).hasSize(2);
            assertThat(FLINK.requests("POST", RUN_PATH)).hasSize(2);
        }

        @Test
        void aSecondInstanceOfARunningJobIsRefused() {
            Api.Response r = platform().post("/api/v1/engine/jobs", "{\"job\":\"qa-normalize\"}");
            assertThat(r.status()).as(r.toString()).isEqualTo(409);
            assertThat(r.text("/code")).isEqualTo("conflict");
            assertThat(r.text("/detail")).contains(RUNNING_JOB).contains("stop it first");
            assertThat(FLINK.requests("POST", "/jars")).isEmpty();
        }

        @Test
        void badRequestsNameTheField() {
            Api p = platform();
            Api.Response unknown = p.post("/api/v1/engine/jobs", "{\"job\":\"qa-teleport\"}");
            assertThat(unknown.status()).isEqualTo(422);
            assertThat(unknown.text("/field")).isEqualTo("job");
            assertThat(unknown.text("/detail")).contains("qa-normalize", "qa-identity");
            Api.Response setting = p.post("/api/v1/engine/jobs", "{\"job\":\"qa-normalize\",\"settings\":{\"java.home\":\"/x\"}}");
            assertThat(setting.status()).isEqualTo(422);
            assertThat(setting.text("/field")).isEqualTo("settings.java.home");
            Api.Response parallelism = p.post("/api/v1/engine/jobs", "{\"job\":\"qa-normalize\",\"parallelism\":0}");
            assertThat(parallelism.status()).isEqualTo(422);
            assertThat(parallelism.text("/field")).isEqualTo("parallelism");
            assertThat(p.post("/api/v1/engine/jobs", "{}").text("/field")).isEqualTo("job");
            assertThat(FLINK.requests("POST", "/jars")).isEmpty();
        }

        @Test
        void aMainClassThatFailsIsAFlinkErrorWithItsRootCause() {
            FLINK.respond("jobs-overview-all-ended");
            FLINK.respond("jar-run-main-failed", "POST", RUN_PATH);
            Api.Response r = platform().post("/api/v1/engine/jobs", "{\"job\":\"qa-normalize\"}");
            assertThat(r.status()).as(r.toString()).isEqualTo(502);
            assertThat(r.text("/code")).isEqualTo("flink-error");
            assertThat(r.text("/type")).isEqualTo("https://qaengine.dev/problems/flink-error");
            assertThat(r.text("/detail")).contains("Could not execute application")
                    .contains("NoSuchMethodError").doesNotContain("\tat ").doesNotContain("java.util.concurrent.CompletionException");

            FLINK.respond("jar-run-unknown-class", "POST", RUN_PATH);
            assertThat(platform().post("/api/v1/engine/jobs", "{\"job\":\"qa-normalize\"}").text("/detail"))
                    .contains("The program's entry point class 'dev.qaengine.NoSuchJob' was not found in the jar file");
        }
    }

    @Nested
    class Stopping {
        @Test
        void stopsWithASavepointAndAnswersItsPath() {
            Api.Response r = platform().post("/api/v1/engine/jobs/" + FINISHED_JOB + "/stop", "{\"drain\":false,\"targetDirectory\":\"file:/sp\"}");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.text("/status")).isEqualTo("COMPLETED");
            assertThat(r.text("/savepointPath")).isEqualTo(FlinkContractServer.recording("savepoint-completed").at("/body/operation/location").asString());
            assertThat(r.text("/triggerId")).isEqualTo(FlinkContractServer.recording("job-stop").at("/body/request-id").asString());
            JsonNode sent = FLINK.requests("POST", "/jobs/" + FINISHED_JOB + "/stop").get(0).json();
            assertThat(sent.path("drain").asBoolean()).isFalse();
            assertThat(sent.path("targetDirectory").asString()).isEqualTo("file:/sp");

            Api.Response noBody = platform().send("POST", "/api/v1/engine/jobs/" + FINISHED_JOB + "/stop", null,
                    java.net.http.HttpRequest.BodyPublishers.noBody());
            assertThat(noBody.status()).as(noBody.toString()).isEqualTo(200);
            assertThat(FLINK.requests("POST", "/jobs/" + FINISHED_JOB + "/stop").get(1).json().has("targetDirectory")).isFalse();
        }

        @Test
        void aSavepointStillBeingWrittenIsAcceptedWithTheOperationToPoll() {
            String trigger = FlinkContractServer.recording("job-stop").at("/body/request-id").asString();
            String path = "/jobs/" + FINISHED_JOB + "/savepoints/" + trigger;
            FLINK.respond("savepoint-in-progress", "GET", path);
            Api.Response r = platform().post("/api/v1/engine/jobs/" + FINISHED_JOB + "/stop", "{}");
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
            assertThat(r.text("/status")).isEqualTo("IN_PROGRESS");
            String location = r.headers().firstValue("Location").orElseThrow();
            assertThat(location).isEqualTo("/api/v1/engine/jobs/" + FINISHED_JOB + "/savepoints/" + trigger);
            assertThat(FLINK.requests("GET", path).size()).as("polled until the timeout").isGreaterThan(1);

            Api a = analyst();
            assertThat(a.get(location).text("/status")).isEqualTo("IN_PROGRESS");
            FLINK.respond("savepoint-completed");
            JsonNode done = a.get(location).json();
            assertThat(done.path("status").asString()).isEqualTo("COMPLETED");
            assertThat(done.path("savepointPath").asString()).startsWith("file:/");
            assertThat(a.get("/api/v1/engine/jobs/" + FINISHED_JOB + "/savepoints/00000000000000000000000000000000").status()).isEqualTo(404);
        }

        @Test
        void aFailedSavepointIsAConflictWithFlinksReason() {
            String trigger = FlinkContractServer.recording("job-stop").at("/body/request-id").asString();
            FLINK.respond("savepoint-failed-tasks-not-running", "GET", "/jobs/" + FINISHED_JOB + "/savepoints/" + trigger);
            Api.Response r = platform().post("/api/v1/engine/jobs/" + FINISHED_JOB + "/stop", "{}");
            assertThat(r.status()).as(r.toString()).isEqualTo(409);
            assertThat(r.text("/code")).isEqualTo("savepoint-failed");
            assertThat(r.text("/detail")).contains("Not all required tasks are currently running").doesNotContain("CompletionException");
        }

        @Test
        void stoppingAJobThatEndedIsNotFound() {
            FLINK.respond("job-stop-ended");
            FLINK.respond("savepoint-failed-job-ended");
            Api.Response r = platform().post("/api/v1/engine/jobs/" + FINISHED_JOB + "/stop", "{}");
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
            assertThat(r.text("/code")).isEqualTo("not-found");
        }
    }

    @Nested
    class Roles {
        @Test
        void anyKeyMayLookButOnlyThePlatformAdminChangesWhatRuns() {
            Org org = newOrg();
            for (Api key : List.of(key(org, "ANALYST"), key(org, "DEVELOPER"), org.admin())) {
                assertThat(key.get("/api/v1/engine/jobs").status()).isEqualTo(200);
                Api.Response submit = key.post("/api/v1/engine/jobs", "{\"job\":\"qa-normalize\"}");
                assertThat(submit.status()).isEqualTo(403);
                assertThat(key.post("/api/v1/engine/jobs/" + RUNNING_JOB + "/stop", "{}").status()).isEqualTo(403);
            }
            assertThat(anonymous().get("/api/v1/engine/jobs").status()).isEqualTo(401);
            assertThat(FLINK.requests("POST", "/")).isEmpty();
        }
    }

    @Nested
    class FlinkDown {
        @Test
        void everyOperationAnswers503WhileTheClusterDoesNotAnswer() {
            FLINK.pause();
            try {
                Api a = analyst();
                for (Api.Response r : List.of(a.get("/api/v1/engine/jobs"), a.get("/api/v1/engine/cluster"),
                        a.get("/api/v1/engine/jobs/" + RUNNING_JOB),
                        platform().post("/api/v1/engine/jobs/" + RUNNING_JOB + "/stop", "{}"))) {
                    assertThat(r.status()).as(r.toString()).isEqualTo(503);
                    assertThat(r.contentType()).startsWith("application/problem+json");
                    assertThat(r.text("/code")).isEqualTo("flink-unavailable");
                    assertThat(r.text("/detail")).contains(FLINK.url());
                }
                assertThat(a.get("/api/v1/engine/suite").status()).as("the suite needs no cluster").isEqualTo(200);
            } finally {
                FLINK.resume();
            }
            assertThat(analyst().get("/api/v1/engine/jobs").status()).isEqualTo(200);
        }
    }

    @Test
    void theOpenApiDocumentListsTheEngineOperations() {
        JsonNode paths = anonymous().get("/v3/api-docs").json().path("paths");
        for (String p : List.of("/api/v1/engine/jobs", "/api/v1/engine/jobs/{id}", "/api/v1/engine/jobs/{id}/stop",
                "/api/v1/engine/jobs/{id}/savepoints/{triggerId}", "/api/v1/engine/cluster", "/api/v1/engine/suite")) {
            assertThat(paths.has(p)).as(p).isTrue();
        }
        assertThat(paths.at("/~1api~1v1~1engine~1jobs/get/responses/503").isMissingNode()).isFalse();
    }
}
