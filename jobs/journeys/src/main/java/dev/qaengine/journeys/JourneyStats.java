package dev.qaengine.journeys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qaengine.common.Json;
import dev.qaengine.common.TopicRecord;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts per journey and node — entered, exited, per branch taken, action requests, skipped with the reason;
 * per journey entries and ended runs — as Flink metrics (group {@code journey.<org>/<id>.node.<node>}, created
 * when first counted) and as deltas for the control plane: {@link #drain} turns what was counted since the
 * last checkpoint into one record per journey on {@code qa.journeys.stats}, written in that checkpoint's Kafka
 * transaction — so each count reaches the control plane once, with a {@code deltaId} unique per journey,
 * instance and checkpoint (schema: state-schemas/journey-stats-v1.schema.json).
 *
 * <p>Metric names: {@code entered}, {@code exited}, {@code actions}, {@code branch:<name>},
 * {@code skipped:<reason>}; the journey's own under node {@code ""}: {@code entered}, {@code ended}.
 */
final class JourneyStats {
    static final String JOURNEY = "";

    /** subject → node → metric → count since the last drain. */
    private final Map<String, Map<String, Map<String, Long>>> pending = new LinkedHashMap<>();
    private final Map<String, Counter> counters = new HashMap<>();
    private final MetricGroup metrics;

    JourneyStats(MetricGroup metrics) {
        this.metrics = metrics;
    }

    void count(String subject, String node, String metric) {
        pending.computeIfAbsent(subject, s -> new LinkedHashMap<>()).computeIfAbsent(node, n -> new LinkedHashMap<>())
                .merge(metric, 1L, Long::sum);
        String name = subject + '\u0000' + node + '\u0000' + metric;
        Counter c = counters.get(name);
        if (c == null) {
            MetricGroup g = metrics.addGroup("journey", subject);
            if (!node.isEmpty()) {
                g = g.addGroup("node", node);
            }
            c = g.counter(metric.replace(':', '_'));
            counters.put(name, c);
        }
        c.inc();
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** The deltas since the last call, one record per journey, keyed {@code <org>/<journey>}; then nothing is pending. */
    List<TopicRecord> drain(String topic, int instance, long checkpointId, long now) {
        List<TopicRecord> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Map<String, Long>>> j : pending.entrySet()) {
            String subject = j.getKey();
            int slash = subject.indexOf('/');
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("v", 1);
            root.put("orgId", subject.substring(0, slash));
            root.put("journeyId", subject.substring(slash + 1));
            root.put("deltaId", subject + '#' + instance + '@' + checkpointId);
            root.put("instance", instance);
            root.put("time", now);
            ObjectNode nodes = Json.MAPPER.createObjectNode();
            for (Map.Entry<String, Map<String, Long>> n : j.getValue().entrySet()) {
                ObjectNode target = n.getKey().isEmpty() ? root.putObject("journey") : nodes.putObject(n.getKey());
                for (Map.Entry<String, Long> m : n.getValue().entrySet()) {
                    String metric = m.getKey();
                    int colon = metric.indexOf(':');
                    if (colon < 0) {
                        target.put(metric, m.getValue());
                    } else {
                        String group = metric.startsWith("branch:") ? "branches" : "skipped";
                        ObjectNode g = target.has(group) ? (ObjectNode) target.get(group) : target.putObject(group);
                        g.put(metric.substring(colon + 1), m.getValue());
                    }
                }
            }
            if (!nodes.isEmpty()) {
                root.set("nodes", nodes);
            }
            try {
                out.add(new TopicRecord(topic, subject.getBytes(StandardCharsets.UTF_8), Json.MAPPER.writeValueAsBytes(root), now));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        pending.clear();
        return out;
    }
}
