package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.config.KafkaConnection;
import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.controlplane.consumer.Parsed;
import dev.qaengine.controlplane.consumer.TopicConsumer;
import dev.qaengine.controlplane.journey.JourneyStatsRecords.Delta;
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
 * Reads the journeys engine's counts ({@code qa.journeys.stats}: per journey, engine instance and checkpoint, the
 * increments since the previous record, written in Kafka transactions and read committed) and adds them up per
 * journey, node and metric ({@link JourneyStatsService#apply}), a polled batch in one transaction, as consumer group
 * {@code qa-control-plane-journey-stats}.
 *
 * <p><b>At least once, added once.</b> A delta delivered again (a restart, a rebalance) finds its deltaId among the
 * added ones and adds nothing. Deltas of journeys that do not exist (deleted, or not of the organization they name) are
 * passed over and counted as ignored. A record that is not a stats delta v1 is logged (partition, offset and why, never
 * its content), counted in {@code qa.journeys.stats.skipped{reason}} and passed over: it never holds up the partition.
 * {@code /actuator/health} component {@code journeyStats} says what is happening.
 */
@Component
public class JourneyStatsConsumer extends TopicConsumer {
    private static final Logger log = LoggerFactory.getLogger(JourneyStatsConsumer.class);

    private final JourneyStatsService stats;
    private final JourneyStatsRecords records;
    private final Counter added;
    private final Counter duplicates;
    private final Counter ignored;
    private final Map<String, Counter> skipped = new HashMap<>();

    public JourneyStatsConsumer(KafkaConnection connection, JourneyStatsService stats, JsonMapper json, QaProperties properties,
                                MeterRegistry meters) {
        super(connection, properties.journeyStats().topic(), "qa-journey-stats-consumer", properties.journeyStats());
        this.stats = stats;
        this.records = new JourneyStatsRecords(json);
        this.added = Counter.builder("qa.journeys.stats.applied").description("stats deltas added to the journeys' counts").register(meters);
        this.duplicates = Counter.builder("qa.journeys.stats.duplicates")
                .description("stats deltas added before (delivered again), not added twice").register(meters);
        this.ignored = Counter.builder("qa.journeys.stats.ignored")
                .description("stats deltas of journeys that do not exist (deleted, or of another organization)").register(meters);
        for (String reason : List.of(Parsed.MALFORMED, Parsed.UNSUPPORTED_VERSION)) {
            skipped.put(reason, Counter.builder("qa.journeys.stats.skipped").tag("reason", reason)
                    .description("qa.journeys.stats records that are not a stats delta v1, by reason").register(meters));
        }
    }

    @Override
    protected void store(ConsumerRecords<byte[], byte[]> batch) {
        List<Skipped> bad = new ArrayList<>();
        List<Delta> deltas = read(batch, records::parse, bad);
        JourneyStatsService.Applied applied = deltas.isEmpty() ? JourneyStatsService.Applied.NONE : stats.apply(deltas);
        passOver(bad, skipped);
        if (applied.ignored() > 0) {
            log.debug("{} {} deltas name journeys that do not exist; passed over", applied.ignored(), topic());
        }
        added.increment(applied.added());
        duplicates.increment(applied.duplicates());
        ignored.increment(applied.ignored());
    }
}
