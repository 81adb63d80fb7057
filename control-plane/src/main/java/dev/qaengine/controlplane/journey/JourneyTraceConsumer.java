package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.config.KafkaConnection;
import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.controlplane.consumer.Parsed;
import dev.qaengine.controlplane.consumer.TopicConsumer;
import dev.qaengine.controlplane.journey.JourneyTraceRecords.Step;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the journeys engine's trace ({@code qa.journeys.trace}: each step of a person through a journey and why, key
 * {@code <orgId>|<personId>}) into {@code journey_trace} ({@link JourneyTraceService#store}), a polled batch in one
 * transaction, as consumer group {@code qa-control-plane-journey-trace}.
 *
 * <p><b>At least once, stored once.</b> The engine writes its steps at least once (after a restore the same steps come
 * again, only their {@code time} differs), and this consumer reads at least once: a step whose hash is stored already
 * adds nothing. Steps of journeys that do not exist (deleted, or not of the organization they name) are passed over and
 * counted as ignored. A record that is not a trace step v1 is logged (partition, offset and why, never its content),
 * counted in {@code qa.journeys.trace.skipped{reason}} and passed over: it never holds up the partition.
 * {@code /actuator/health} component {@code journeyTrace} says what is happening.
 */
@Component
public class JourneyTraceConsumer extends TopicConsumer {
    private static final Logger log = LoggerFactory.getLogger(JourneyTraceConsumer.class);
    /** The database refused the step for what it holds (a retry would be refused again). */
    static final String UNSTORABLE = "unstorable";

    private final JourneyTraceService trace;
    private final JourneyTraceRecords records;
    private final Counter stored;
    private final Counter duplicates;
    private final Counter ignored;
    private final Map<String, Counter> skipped = new HashMap<>();

    public JourneyTraceConsumer(KafkaConnection connection, JourneyTraceService trace, JsonMapper json, QaProperties properties,
                                MeterRegistry meters) {
        super(connection, properties.journeyTrace().topic(), "qa-journey-trace-consumer", properties.journeyTrace());
        this.trace = trace;
        this.records = new JourneyTraceRecords(json);
        this.stored = Counter.builder("qa.journeys.trace.stored").description("journey trace steps stored").register(meters);
        this.duplicates = Counter.builder("qa.journeys.trace.duplicates")
                .description("journey trace steps stored before (written or delivered again), not stored twice").register(meters);
        this.ignored = Counter.builder("qa.journeys.trace.ignored")
                .description("journey trace steps of journeys that do not exist (deleted, or of another organization)").register(meters);
        for (String reason : List.of(Parsed.MALFORMED, Parsed.UNSUPPORTED_VERSION, UNSTORABLE)) {
            skipped.put(reason, Counter.builder("qa.journeys.trace.skipped").tag("reason", reason)
                    .description("qa.journeys.trace records not stored: not a trace step v1, or refused by the database").register(meters));
        }
    }

    @Override
    protected void store(ConsumerRecords<byte[], byte[]> batch) {
        List<Skipped> bad = new ArrayList<>();
        List<Step> steps = readAll(batch, records::parseAll, bad); // a record holds the steps of one engine call
        JourneyTraceService.Stored result = steps.isEmpty() ? JourneyTraceService.Stored.NONE : trace.store(steps);
        passOver(bad, skipped);
        for (Step refused : result.refused()) {
            log.warn("skipped a {} step of journey {} of organization {}: the database refused it", topic(), refused.journeyId(), refused.orgId());
            skipped.get(UNSTORABLE).increment();
        }
        if (result.ignored() > 0) {
            log.debug("{} {} steps name journeys that do not exist; passed over", result.ignored(), topic());
        }
        stored.increment(result.added());
        duplicates.increment(result.duplicates());
        ignored.increment(result.ignored());
    }
}
