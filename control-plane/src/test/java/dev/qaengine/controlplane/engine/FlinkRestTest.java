package dev.qaengine.controlplane.engine;

import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.ProblemCode;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Flink's recorded error answers digested to one line; an unreachable cluster; the suite jar's manifest. */
class FlinkRestTest {

    private static String digest(String recording) {
        return FlinkRest.errorMessage(FlinkContractServer.recording(recording).path("body"));
    }

    @Test
    void errorAnswersBecomeTheirMessageAndRootCause() {
        assertThat(digest("job-unknown")).isEqualTo("Job 00000000000000000000000000000000 not found"
                + " — caused by FlinkJobNotFoundException: Could not find Flink job (00000000000000000000000000000000)");
        assertThat(digest("jar-run-unknown-class")).startsWith(
                "The program's entry point class 'dev.qaengine.NoSuchJob' was not found in the jar file.");
        assertThat(digest("jar-run-unknown-jar")).isEqualTo(
                "Jar file /tmp/flink-web-upload/00000000-0000-0000-0000-000000000000_qa-jobs.jar does not exist");
        assertThat(digest("jar-run-main-failed")).startsWith("Could not execute application. — caused by NoSuchMethodError: ");
        assertThat(digest("savepoint-unknown-trigger")).startsWith("There is no savepoint operation with triggerId=");
        assertThat(FlinkRest.digest(FlinkContractServer.recording("savepoint-failed-tasks-not-running")
                .at("/body/operation/failure-cause/stack-trace").asString()))
                .startsWith("Checkpoint triggering task Source: qa.events.raw (1/1) of job")
                .endsWith("Failure reason: Not all required tasks are currently running.");
    }

    @Test
    void aClusterThatDoesNotAnswerIsUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        FlinkRest rest = new FlinkRest(properties("http://127.0.0.1:" + port, null), JsonMapper.builder().build());
        assertThatThrownBy(() -> rest.get("/jobs/overview")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ProblemCode.FLINK_UNAVAILABLE);
            assertThat(e.getMessage()).contains("http://127.0.0.1:" + port).contains("GET /jobs/overview");
        });
    }

    @Test
    void metricQueriesAreSplitBelowTheRequestLineLimit() {
        try (FlinkContractServer flink = FlinkContractServer.start()) {
            FlinkRest rest = new FlinkRest(properties(flink.url(), null), JsonMapper.builder().build());
            String vertex = FlinkContractServer.NORMALIZE_VERTEX;
            List<String> all = FlinkContractServer.recordedMetricIds(vertex);
            assertThat(rest.metrics("/jobs/" + FlinkContractServer.RUNNING_JOB + "/vertices/" + vertex + "/subtasks/metrics", all))
                    .as("every numeric metric (isBackPressured is not one)").hasSize(all.size() - 1);
            assertThat(flink.requests()).hasSizeGreaterThan(1)
                    .allSatisfy(r -> assertThat(r.query().length()).isLessThanOrEqualTo(FlinkRest.MAX_QUERY_CHARS));
        }
    }

    @Test
    void theSuiteJarSaysWhichJobsItHolds() throws Exception {
        assertThat(SuiteJar.parse("qa-normalize=dev.qaengine.normalize.NormalizeJob, qa-identity = x.IdentityJob,broken,=x"))
                .containsExactly(new SuiteJar.Job("qa-normalize", "dev.qaengine.normalize.NormalizeJob"),
                        new SuiteJar.Job("qa-identity", "x.IdentityJob"));
        assertThat(SuiteJar.jobs(EngineApiTest.suiteJar())).extracting(SuiteJar.Job::name).containsExactly("qa-normalize", "qa-identity");
        assertThatThrownBy(() -> SuiteJar.require(properties("http://x", null)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ProblemCode.JOBS_JAR_MISSING))
                .hasMessageContaining("QA_JOBS_JAR");
        Path missing = Files.createTempDirectory("qa").resolve("qa-jobs.jar");
        assertThatThrownBy(() -> SuiteJar.require(properties("http://x", missing.toString()))).hasMessageContaining("does not exist");
    }

    private static QaProperties.Engine properties(String url, String jar) {
        return new QaProperties.Engine(url, jar, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(1),
                List.of("normalized", "dlq.*"));
    }
}
