package dev.qaengine.normalize;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonFactory;
import dev.qaengine.common.ControlRecords;
import dev.qaengine.common.FlinkSettings;
import dev.qaengine.common.Settings;
import dev.qaengine.model.DlqHeaders;
import dev.qaengine.model.DlqReason;
import dev.qaengine.model.Schemas;
import dev.qaengine.model.Topics;
import dev.qaengine.testkit.EmbeddedKafka;
import dev.qaengine.testkit.FlinkTestCluster;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over 10,000 random and mutated payloads through the running job: every message comes out, normalized
 * or in the DLQ with a known reason, count for count; the job never fails. The expected count comes from
 * an independent oracle (Jackson's tree parser plus the documented limits), not from our parser.
 */
class NormalizeFuzzIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

    static final int RECORDS = 10_000;
    static final long SEED = Long.getLong("fuzz.seed", 20261125L);
    final long now = System.currentTimeMillis();
    final FuzzCorpus fuzz = new FuzzCorpus(SEED, now);
    final Limits limits = Limits.defaults();
    final ObjectMapper oracle = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(100_000).build()).build());

    @Test
    void everyInputIsAccountedForNormalizedOrInTheDlq() throws Exception {
        List<byte[]> corpus = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            corpus.add(fuzz.payload());
        }
        corpus.add(fuzz.array(1000, false));   // the largest array accepted by default
        corpus.add(fuzz.array(10_000, false)); // beyond the limit: rejected whole
        corpus.add(fuzz.array(10_000, true));
        long expected = corpus.stream().mapToLong(this::expectedMessages).sum();

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic(Topics.CONTROL, 1, Map.of("cleanup.policy", "compact"));
            // Raw records up to 8 MB reach the job (a producer may send more than the job's 1 MiB limit).
            kafka.createTopic(Topics.EVENTS_RAW, 2, Map.of("max.message.bytes", String.valueOf(8 << 20)));
            kafka.createTopic(Topics.EVENTS_NORMALIZED, 2);
            kafka.createTopic(Topics.EVENTS_DLQ, 2);
            try (KafkaProducer<byte[], byte[]> p = kafka.producer(Map.of("max.request.size", String.valueOf(8 << 20)))) {
                p.send(ControlRecords.catalog(Fixtures.catalog(), 1)).get();
                List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
                for (byte[] v : corpus) {
                    sent.add(p.send(new ProducerRecord<>(Topics.EVENTS_RAW, null, now, null, v)));
                }
                for (var f : sent) {
                    f.get(); // every record must really be on the topic
                }
            }
            Map<String, String> s = FlinkTestCluster.jobSettings(kafka.bootstrap());

            Settings settings = Settings.of(s);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.jobConfiguration(settings));
            new NormalizeJob(settings).addTo(env);
            JobClient job = env.executeAsync("normalize-fuzz");
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (kafka.count(Topics.EVENTS_NORMALIZED) + kafka.count(Topics.EVENTS_DLQ) < expected) {
                    assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("job still running").isFalse();
                    assertThat(System.nanoTime()).as("all %d messages accounted for in time (normalized %d, DLQ %d)", expected,
                            kafka.count(Topics.EVENTS_NORMALIZED), kafka.count(Topics.EVENTS_DLQ)).isLessThan(deadline);
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L); // poll pacing
                }
                long normalized = kafka.count(Topics.EVENTS_NORMALIZED);
                long rejected = kafka.count(Topics.EVENTS_DLQ);
                assertThat(normalized + rejected).isEqualTo(expected);

                List<ConsumerRecord<byte[], byte[]>> dlq = kafka.readExactly(Topics.EVENTS_DLQ, (int) rejected, Duration.ofSeconds(60));
                Map<DlqReason, Integer> byReason = new EnumMap<>(DlqReason.class);
                for (ConsumerRecord<byte[], byte[]> r : dlq) {
                    DlqReason reason = DlqReason.valueOf(new String(r.headers().lastHeader(DlqHeaders.REASON).value(), StandardCharsets.UTF_8));
                    byReason.merge(reason, 1, Integer::sum);
                    assertThat(r.headers().lastHeader(DlqHeaders.DETAIL).value()).isNotEmpty();
                    if (r.headers().lastHeader(DlqHeaders.ORIGINAL_SIZE) != null) {
                        assertThat(r.value()).hasSize(900 * 1024);
                    }
                }
                // The corpus exercises every syntactic reason and the definition-dependent ones it contains.
                assertThat(byReason.keySet()).contains(DlqReason.MALFORMED_JSON, DlqReason.MISSING_FIELD, DlqReason.BAD_FIELD,
                        DlqReason.TOO_LARGE, DlqReason.UNKNOWN_EVENT, DlqReason.UNKNOWN_ORG, DlqReason.BAD_ATTRIBUTE,
                        DlqReason.TIME_OUT_OF_RANGE);
                List<ConsumerRecord<byte[], byte[]>> out = kafka.readExactly(Topics.EVENTS_NORMALIZED, (int) normalized, Duration.ofSeconds(60));
                var schema = Schemas.load("canonical-event-v1.schema.json");
                Set<String> ids = out.stream().map(r -> {
                    JsonNode n = NormalizeJobIT.tree(r.value());
                    assertThat(schema.validate(n)).isEmpty();
                    return n.get("eventId").asText();
                }).collect(Collectors.toSet());
                assertThat(ids).hasSize(out.size());
                System.out.printf("fuzz seed %d: %d records, %d messages -> %d normalized, %d DLQ %s%n",
                        SEED, corpus.size(), expected, normalized, rejected, byReason);
            } finally {
                job.cancel().get();
            }
        }
    }

    /** How many messages the job must account for: the array's length when it is a valid array within limits, else 1. */
    long expectedMessages(byte[] record) {
        if (record.length == 0 || record.length > limits.maxRecordBytes()) {
            return 1;
        }
        JsonNode tree;
        try {
            tree = oracle.readTree(record);
        } catch (Exception e) {
            return 1;
        }
        if (tree == null || !tree.isArray() || tree.isEmpty() || depth(tree) > limits.maxNestingDepth()) {
            return 1;
        }
        return tree.size() > limits.maxElements() ? 1 : tree.size();
    }

    static int depth(JsonNode n) {
        int d = 0;
        for (JsonNode c : n) {
            d = Math.max(d, depth(c));
        }
        return n.isContainerNode() ? d + 1 : 0;
    }

}
