package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.config.KafkaConnection;
import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.controlplane.consumer.TopicConsumer;
import dev.qaengine.model.Topics;
import dev.qaengine.model.journey.JourneyPlanStatus;
import dev.qaengine.model.journey.JourneyStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the journeys engine's plan acknowledgements ({@code qa.journeys.status}, {@link JourneyPlanStatus}):
 * a PENDING journey becomes RUNNING (or FAILED) when the engine answers for the plan version the control
 * plane published last. Replays and answers about older plans change nothing, so at-least-once delivery
 * is harmless. A FAILED answer also withdraws the plan and frees the journey's place under the organization's
 * running limit ({@link JourneyService#acknowledge}). A record that is not a status v1 is logged (partition,
 * offset, why) and passed over.
 */
@Component
public class JourneyStatusConsumer extends TopicConsumer {
    private static final Logger log = LoggerFactory.getLogger(JourneyStatusConsumer.class);

    private final JourneyService journeys;
    private final JsonMapper json;
    private final Counter applied;
    private final Counter ignored;
    private final Counter skipped;

    public JourneyStatusConsumer(KafkaConnection connection, JourneyService journeys, JsonMapper json, QaProperties properties,
                                 MeterRegistry meters) {
        super(connection, Topics.JOURNEY_STATUS, "qa-journey-status-consumer", properties.journeyStatus());
        this.journeys = journeys;
        this.json = json;
        this.applied = Counter.builder("qa.journeys.status.applied").description("plan acknowledgements that moved a journey").register(meters);
        this.ignored = Counter.builder("qa.journeys.status.ignored")
                .description("plan acknowledgements about older plans, replays, or journeys no longer pending").register(meters);
        this.skipped = Counter.builder("qa.journeys.status.skipped").description("qa.journeys.status records that are not a status v1")
                .register(meters);
    }

    @Override
    protected void store(ConsumerRecords<byte[], byte[]> batch) {
        List<JourneyPlanStatus> answers = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            JourneyPlanStatus s = parse(r.value());
            if (s == null) {
                bad.add("partition " + r.partition() + " offset " + r.offset());
            } else {
                answers.add(s);
            }
        }
        // one transaction per answer (JourneyService.acknowledge): each takes its organization's lock first, as every
        // API change does; a replay after a crash in the middle of the batch changes nothing
        int moved = 0;
        for (JourneyPlanStatus s : answers) {
            if (journeys.acknowledge(s)) {
                moved++;
                if (s.status() == JourneyStatus.FAILED) {
                    log.warn("the engine could not run journey {} of organization {}: {}", s.journeyId(), s.orgId(), s.reason());
                }
            }
        }
        applied.increment(moved);
        ignored.increment(answers.size() - moved);
        for (String b : bad) {
            log.warn("skipped the {} record at {}: not a journey plan status v1 (RUNNING or FAILED)", Topics.JOURNEY_STATUS, b);
            skipped.increment();
        }
    }

    private JourneyPlanStatus parse(byte[] value) {
        try {
            JourneyPlanStatus s = value == null ? null : json.readValue(value, JourneyPlanStatus.class);
            boolean ok = s != null && s.v() == JourneyPlanStatus.VERSION && s.orgId() != null && s.journeyId() != null
                    && (s.status() == JourneyStatus.RUNNING || s.status() == JourneyStatus.FAILED);
            return ok ? s : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
