package dev.qaengine.controlplane.config;

import dev.qaengine.model.Topics;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;

/**
 * Every setting of the control plane, bound from the {@code QA_*} environment variables that
 * application.yml maps onto {@code qa.*} (one source of truth: the same names as the jobs and the local stack).
 */
@ConfigurationProperties("qa")
public record QaProperties(@DefaultValue Db db, @DefaultValue Kafka kafka, @DefaultValue Security security,
                           @DefaultValue Bootstrap bootstrap, @DefaultValue Outbox outbox, @DefaultValue Ingest ingest,
                           @DefaultValue Platforms platforms, @DefaultValue Receipts receipts, @DefaultValue Engine engine,
                           @DefaultValue Redis redis, @DefaultValue IdentityAudit identityAudit,
                           @DefaultValue JourneyStatus journeyStatus, @DefaultValue JourneyStats journeyStats,
                           @DefaultValue Journeys journeys, @DefaultValue JourneyTrace journeyTrace,
                           @DefaultValue JourneyDryRun journeyDryRun) {

    /** QA_DB_URL, QA_DB_USER, QA_DB_PASSWORD; Spring's datasource reads these through application.yml. */
    public record Db(String url, String user, String password) {
    }

    /** QA_KAFKA_BOOTSTRAP and the SASL/TLS settings every client of the suite honours. */
    public record Kafka(@DefaultValue("localhost:9092") String bootstrap, String securityProtocol,
                        String saslMechanism, String saslJaasConfig) {
    }

    /**
     * @param secretKey QA_SECRET_KEY: the key that seals channel secrets and AES keys, at rest and on qa.control
     *                  (base64 of 32 bytes; the jobs hold the same). Unset: see {@code secret.SecretKeySource}.
     */
    public record Security(String secretKey) {
    }

    /**
     * @param adminKey QA_BOOTSTRAP_ADMIN_KEY: a fixed platform-admin key (≥ 16 characters). When unset,
     *                 the first start generates one and logs it once.
     * @param orgId    QA_BOOTSTRAP_ORG_ID: the id of the organization created at first start (default a
     *                 random UUID) — lets a local stack or a demo know its org id in advance
     */
    public record Bootstrap(String adminKey, String orgId) {
    }

    /**
     * @param publisherEnabled whether this instance publishes the outbox (every instance may; they take turns)
     * @param pollInterval     how often pending rows are looked for when no commit woke the publisher
     * @param batchSize        rows sent per round
     * @param retention        how long sent rows are kept for inspection before they are deleted
     * @param retryBackoff     pause after a failed round (Kafka down), before the next attempt
     */
    public record Outbox(@DefaultValue("true") boolean publisherEnabled,
                         @DefaultValue("150ms") Duration pollInterval,
                         @DefaultValue("500") int batchSize,
                         @DefaultValue("7d") Duration retention,
                         @DefaultValue("1s") Duration retryBackoff,
                         @DefaultValue("1") int controlTopicPartitions,
                         @DefaultValue("1") short controlTopicReplication) {
    }

    /**
     * @param maxBodySize  request bodies above this are refused with 413 (every /api path)
     * @param maxMessages  event or identity messages per call (CONTRACTS.md: 100)
     * @param sendTimeout  how long an ingest call waits for Kafka's acknowledgements before answering 503
     */
    public record Ingest(@DefaultValue("1MB") DataSize maxBodySize,
                         @DefaultValue("100") int maxMessages,
                         @DefaultValue("10s") Duration sendTimeout) {
    }

    /**
     * Calls to third-party SMS and email platforms (CONTRACTS.md §4).
     *
     * @param connectTimeout how long to wait for a platform's connection
     * @param requestTimeout how long to wait for a platform's answer (a create or update call waits this long at most)
     * @param syncInterval   QA_PLATFORM_SYNC_INTERVAL: how often the review status of pending templates and signatures is
     *                       asked of their platform
     * @param syncBatch      pending items asked per round (the oldest-synced first)
     */
    public record Platforms(@DefaultValue("5s") Duration connectTimeout,
                            @DefaultValue("10s") Duration requestTimeout,
                            @DefaultValue("5m") Duration syncInterval,
                            @DefaultValue("200") int syncBatch) {
    }

    /**
     * Webhook receipts (CONTRACTS.md §3).
     *
     * @param skew         QA_RECEIPT_SKEW: how far a receipt's {@code timestamp} may be from the control plane's clock,
     *                     either way; nonces are remembered this long past their timestamp
     * @param maxBodySize  receipt request bodies above this are refused (413)
     * @param maxReceipts  receipts per request
     * @param sendTimeout  how long a receipt call waits for Kafka's acknowledgements before answering 503
     */
    public record Receipts(@DefaultValue("5m") Duration skew,
                           @DefaultValue("1MB") DataSize maxBodySize,
                           @DefaultValue("1000") int maxReceipts,
                           @DefaultValue("10s") Duration sendTimeout) {
    }

    /**
     * Engine operations ({@code dev.qaengine.controlplane.engine}).
     *
     * @param flinkRestUrl     QA_FLINK_REST_URL: the Flink session cluster's REST API (JobManager, port 8081)
     * @param jobsJar          QA_JOBS_JAR: the suite's fat jar (jobs/dist, {@code qa-jobs-*.jar}) that
     *                         {@code POST /api/v1/engine/jobs} uploads; unset = submitting is not possible here
     * @param connectTimeout   how long to wait for a connection to Flink before answering 503
     * @param requestTimeout   how long one Flink REST call may take (an upload gets {@code uploadTimeout})
     * @param uploadTimeout    the jar upload
     * @param savepointTimeout QA_SAVEPOINT_TIMEOUT: how long {@code POST .../stop} waits for the savepoint before
     *                         answering 202 with the operation to poll
     * @param counters         operator counters reported with each job (metric names after the operator
     *                         name; a trailing {@code *} matches any suffix)
     */
    public record Engine(@DefaultValue("http://localhost:8081") String flinkRestUrl,
                         String jobsJar,
                         @DefaultValue("2s") Duration connectTimeout,
                         @DefaultValue("10s") Duration requestTimeout,
                         @DefaultValue("120s") Duration uploadTimeout,
                         @DefaultValue("60s") Duration savepointTimeout,
                         @DefaultValue({"normalized", "duplicates", "heldForDefinitions", "controlRecordsRejected", "dlq.*"})
                         List<String> counters) {

        /** The base URL without a trailing slash. */
        public String flinkUrl() {
            return flinkRestUrl.endsWith("/") ? flinkRestUrl.substring(0, flinkRestUrl.length() - 1) : flinkRestUrl;
        }
    }

    /**
     * The person directory the identity job keeps in Redis ({@code GET /api/v1/persons/...} reads it).
     *
     * @param url     QA_REDIS_URL: {@code redis://[user:password@]host:port[/db]} ({@code rediss://} for TLS)
     * @param timeout connect and read timeout of one Redis call, and the longest wait for a pooled connection
     * @param maxConnections pooled connections at most
     */
    public record Redis(@DefaultValue("redis://127.0.0.1:6379") String url,
                        @DefaultValue("2s") Duration timeout,
                        @DefaultValue("16") int maxConnections) {
    }


    /** How an instance consumes one of the topics the control plane reads into its database ({@code consumer.TopicConsumer}). */
    public interface ConsumerSettings {
        /** Whether this instance consumes (instances share the partitions through the consumer group). */
        boolean consumerEnabled();

        /** The consumer group (its committed offsets are where a restart resumes). */
        String groupId();

        /** The longest one poll waits for records. */
        Duration pollTimeout();

        /** Pause after a failure (Kafka or the database away, topic missing) before trying again. */
        Duration retryBackoff();

        /** How often a consuming instance checks that Kafka answers (polling alone does not tell). */
        Duration probeInterval();
    }

    /**
     * The consumer of {@code qa.identity.audit} (links the identity job refused) and the table it fills.
     *
     * @param consumerEnabled QA_IDENTITY_AUDIT_CONSUMER_ENABLED: whether this instance consumes (instances share
     *                        the partitions through the consumer group)
     * @param groupId         the consumer group (its committed offsets are where a restart resumes)
     * @param retention       QA_IDENTITY_AUDIT_RETENTION: records whose {@code time} is older are deleted
     * @param purgeInterval   how often the retention purge runs
     * @param pollTimeout     the longest one poll waits for records
     * @param retryBackoff    pause after a failure (Kafka or the database away, topic missing) before trying again
     * @param probeInterval   how often a consuming instance checks that Kafka answers (polling alone does not tell)
     */
    public record IdentityAudit(@DefaultValue("true") boolean consumerEnabled,
                                @DefaultValue("qa-control-plane-identity-audit") String groupId,
                                @DefaultValue("30d") Duration retention,
                                @DefaultValue("1h") Duration purgeInterval,
                                @DefaultValue("500ms") Duration pollTimeout,
                                @DefaultValue("1s") Duration retryBackoff,
                                @DefaultValue("10s") Duration probeInterval) implements ConsumerSettings {
    }

    /** The consumer of the journeys engine's plan acknowledgements (qa.journeys.status). */
    public record JourneyStatus(@DefaultValue("true") boolean consumerEnabled,
                                @DefaultValue("qa-control-plane-journey-status") String groupId,
                                @DefaultValue("500ms") Duration pollTimeout,
                                @DefaultValue("1s") Duration retryBackoff,
                                @DefaultValue("10s") Duration probeInterval) implements ConsumerSettings {
    }

    /**
     * The consumer of the journeys engine's counts per journey and node ({@code qa.journeys.stats}: deltas per engine
     * instance and checkpoint) and the tables it sums them into.
     *
     * @param consumerEnabled QA_JOURNEY_STATS_CONSUMER_ENABLED: whether this instance consumes (instances share the
     *                        partitions through the consumer group)
     * @param groupId         the consumer group
     * @param topic           the engine's topic ({@code qa.journeys.stats}; the job's QA_JOURNEYS_STATS_TOPIC)
     * @param deltaRetention  QA_JOURNEY_STATS_DELTA_RETENTION: how long a source of deltas (an engine instance's run) is
     *                        remembered after its last delta; a delta of a forgotten source delivered again would be
     *                        added again (redeliveries come within minutes)
     * @param purgeInterval   how often sources quiet for longer than {@code deltaRetention} are deleted
     */
    public record JourneyStats(@DefaultValue("true") boolean consumerEnabled,
                               @DefaultValue("qa-control-plane-journey-stats") String groupId,
                               @DefaultValue(Topics.JOURNEY_STATS) String topic,
                               @DefaultValue("30d") Duration deltaRetention,
                               @DefaultValue("1h") Duration purgeInterval,
                               @DefaultValue("500ms") Duration pollTimeout,
                               @DefaultValue("1s") Duration retryBackoff,
                               @DefaultValue("10s") Duration probeInterval) implements ConsumerSettings {
    }

    /**
     * The consumer of the journeys engine's trace steps ({@code qa.journeys.trace}: each step of a person through a journey,
     * and why) and the table it stores them in, for {@code GET /api/v1/journeys/{id}/persons/{personId}/trace}.
     *
     * @param consumerEnabled QA_JOURNEY_TRACE_CONSUMER_ENABLED: whether this instance consumes (instances share the
     *                        partitions through the consumer group)
     * @param groupId         the consumer group
     * @param topic           the engine's topic ({@code qa.journeys.trace})
     * @param retention       QA_JOURNEYS_TRACE_RETENTION: steps the engine wrote longer ago (their {@code time}) are deleted
     * @param purgeInterval   how often the retention purge runs
     */
    public record JourneyTrace(@DefaultValue("true") boolean consumerEnabled,
                               @DefaultValue("qa-control-plane-journey-trace") String groupId,
                               @DefaultValue(Topics.JOURNEY_TRACE) String topic,
                               @DefaultValue("7d") Duration retention,
                               @DefaultValue("1h") Duration purgeInterval,
                               @DefaultValue("500ms") Duration pollTimeout,
                               @DefaultValue("1s") Duration retryBackoff,
                               @DefaultValue("10s") Duration probeInterval) implements ConsumerSettings {
    }

    /**
     * A journey run over a recorded event file with nothing sent ({@code POST /api/v1/journeys/{id}/dry-run}).
     *
     * @param maxBodySize QA_JOURNEYS_DRY_RUN_MAX_BODY_SIZE: event files above this are refused (413); the only /api body
     *                    allowed above {@link Ingest#maxBodySize()}. Read line by line, never held whole
     * @param lateness    how far behind the latest event time the run's clock stays (the journeys job's allowed lateness,
     *                    5 s): deadlines fire between events as the job's watermark would fire them
     */
    public record JourneyDryRun(@DefaultValue("100MB") DataSize maxBodySize,
                                @DefaultValue("5s") Duration lateness) {
    }

    /**
     * Journeys (package {@code journey}).
     *
     * @param maxRunningPerOrg QA_JOURNEYS_MAX_RUNNING_PER_ORG: how many journeys of one organization the engine may hold
     *                         at a time (PENDING with a published plan, or RUNNING); a journey started beyond it
     *                         waits PENDING, queued, its plan not published, until one of them stops, pauses or fails.
     *                         0 = no limit (the default; the product's ceiling is 10)
     */
    public record Journeys(@DefaultValue("0") int maxRunningPerOrg) {
        public Journeys {
            if (maxRunningPerOrg < 0) {
                throw new IllegalArgumentException("qa.journeys.max-running-per-org (QA_JOURNEYS_MAX_RUNNING_PER_ORG) is 0 (no limit) "
                        + "or a number of journeys, is " + maxRunningPerOrg);
            }
        }

        /** Whether the organization may have another journey's plan published while it holds {@code holding}. */
        public boolean roomFor(long holding) {
            return maxRunningPerOrg == 0 || holding < maxRunningPerOrg;
        }
    }
}
