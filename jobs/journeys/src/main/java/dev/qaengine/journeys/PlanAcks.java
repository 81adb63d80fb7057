package dev.qaengine.journeys;

import dev.qaengine.common.Json;
import dev.qaengine.common.TopicRecord;
import dev.qaengine.model.journey.JourneyPlanStatus;
import dev.qaengine.model.journey.JourneyStatus;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.nio.charset.StandardCharsets;

/**
 * Turns the engine instances' answers to a plan into the journey's status on {@code qa.journeys.status}:
 * RUNNING once <em>every</em> instance has applied that version (from then on any instance admits a
 * person on it), FAILED as soon as one refuses it. Keyed by journey; each version is answered once.
 */
final class PlanAcks extends KeyedProcessFunction<String, PlanAck, TopicRecord> {
    private final String statusTopic;
    private transient MapState<Integer, Long> applied;
    private transient ValueState<Long> answered;

    PlanAcks(String statusTopic) {
        this.statusTopic = statusTopic;
    }

    @Override
    public void open(OpenContext ctx) {
        applied = getRuntimeContext().getMapState(new MapStateDescriptor<>("applied", Types.INT, Types.LONG));
        answered = getRuntimeContext().getState(new ValueStateDescriptor<>("answered", Types.LONG));
    }

    @Override
    public void processElement(PlanAck ack, Context ctx, Collector<TopicRecord> out) throws Exception {
        long last = answered.value() == null ? 0 : answered.value();
        if (ack.status() == JourneyStatus.FAILED) {
            if (ack.version() > last) {
                answered.update(ack.version());
                out.collect(status(ack, JourneyStatus.FAILED, ack.reason()));
            }
            return;
        }
        Long before = applied.get(ack.instance());
        if (before == null || before < ack.version()) {
            applied.put(ack.instance(), ack.version());
        }
        if (ack.version() <= last) {
            return;
        }
        for (int i = 0; i < ack.instances(); i++) {
            Long v = applied.get(i);
            if (v == null || v < ack.version()) {
                return;
            }
        }
        answered.update(ack.version());
        out.collect(status(ack, JourneyStatus.RUNNING, null));
    }

    private TopicRecord status(PlanAck ack, JourneyStatus status, String reason) throws Exception {
        long now = System.currentTimeMillis(); // when answered, on the real clock (Kafka's record time too)
        JourneyPlanStatus s = new JourneyPlanStatus(JourneyPlanStatus.VERSION, ack.orgId(), ack.journeyId(), ack.version(), status, reason, now);
        return new TopicRecord(statusTopic, ack.subject().getBytes(StandardCharsets.UTF_8), Json.MAPPER.writeValueAsBytes(s), now);
    }
}
