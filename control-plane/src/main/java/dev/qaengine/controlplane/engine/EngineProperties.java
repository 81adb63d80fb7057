package dev.qaengine.controlplane.engine;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the engine operations, bound from {@code qa-engine.properties} (which maps the {@code QA_*}
 * environment variables onto {@code qa.engine.*}).
 *
 * @param flinkRestUrl     QA_FLINK_REST_URL: the Flink session cluster's REST API (JobManager, port 8081)
 * @param jobsJar          QA_JOBS_JAR: the suite's fat jar (jobs/dist, {@code qa-jobs-*.jar}) that
 *                         {@code POST /api/v1/engine/jobs} uploads; unset = submitting is not possible here
 * @param connectTimeout   how long to wait for a connection to Flink before answering 503
 * @param requestTimeout   how long one Flink REST call may take (an upload gets {@code uploadTimeout})
 * @param uploadTimeout    the jar upload
 * @param savepointTimeout how long {@code POST .../stop} waits for the savepoint before answering 202 with
 *                         the operation to poll
 * @param counters         operator counters reported with each job (metric names after the operator
 *                         name; a trailing {@code *} matches any suffix)
 */
@ConfigurationProperties("qa.engine")
public record EngineProperties(
        @DefaultValue("http://localhost:8081") String flinkRestUrl,
        String jobsJar,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("120s") Duration uploadTimeout,
        @DefaultValue("60s") Duration savepointTimeout,
        @DefaultValue({"normalized", "duplicates", "heldForDefinitions", "controlRecordsRejected", "dlq.*"}) List<String> counters) {

    /** The base URL without a trailing slash. */
    public String flinkUrl() {
        return flinkRestUrl.endsWith("/") ? flinkRestUrl.substring(0, flinkRestUrl.length() - 1) : flinkRestUrl;
    }
}
