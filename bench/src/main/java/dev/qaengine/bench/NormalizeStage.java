package dev.qaengine.bench;

import dev.qaengine.common.ControlRecords;
import dev.qaengine.common.Settings;
import dev.qaengine.model.Topics;
import dev.qaengine.normalize.NormalizeJob;
import dev.qaengine.testkit.EmbeddedKafka;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.util.List;
import java.util.Map;

/**
 * The normalization job: raw event messages v1 in, canonical events (or DLQ records) out. Every
 * workload record is valid, so the output is one record per input, counted over both topics (a DLQ
 * record still counts as work done; the harness reports it separately because it signals a bad workload).
 */
public final class NormalizeStage implements Stage {
    @Override
    public String name() {
        return "normalize";
    }

    @Override
    public double target() {
        return 0.4;
    }

    @Override
    public void prepare(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(Topics.EVENTS_NORMALIZED, 2);
        kafka.createTopic(Topics.EVENTS_DLQ, 2);
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            producer.send(ControlRecords.catalog(EventWorkload.catalog(), 1)).get();
        }
    }

    @Override
    public Map<String, String> settings() {
        // an event that overtakes its org's definitions waits this long for them, not the production default
        return Map.of("QA_DEFINITION_GRACE", "2s");
    }

    @Override
    public void addTo(StreamExecutionEnvironment env, Settings settings) {
        new NormalizeJob(settings).addTo(env);
    }

    @Override
    public Class<?> jobClass() {
        return NormalizeJob.class;
    }

    @Override
    public List<String> outputTopics() {
        return List.of(Topics.EVENTS_NORMALIZED, Topics.EVENTS_DLQ);
    }

    @Override
    public long expectedOutputs(long inputs) {
        return inputs;
    }
}
