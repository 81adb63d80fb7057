package dev.qaengine.journeys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qaengine.common.Json;
import dev.qaengine.common.TopicRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts per journey and node — entered, exited, per branch taken, action requests, skipped with the reason;
 * per journey entries and ended runs — as Flink metrics (group {@code journey.<org>/<id>[.node.<node>]},
 * created when first counted) and as deltas for the control plane: {@link #drain} turns what was counted
 * since the last checkpoint into one record per journey on {@code qa.journeys.stats}, written in that
 * checkpoint's Kafka transaction — so each count reaches the control plane once, with a {@code deltaId}
 * unique per journey, instance and checkpoint (schema: state-schemas/journey-stats-v1.schema.json).
 *
 * <p>Counting is on the per-event path: a node's counts are an object the plan keeps a reference to
 * ({@link PlanRuntime#counts}), so counting is a field increment, not a map lookup by name.
 */
final class JourneyStats {
    /**
     * Where the totals are shown: Flink's metric groups in the job ({@link JourneyOperator}), nowhere in a
     * dry run. Kept free of Flink's types so the engine runs without Flink (the control plane's dry run).
     */
    interface Meters {
        Meters NONE = new Meters() {
            @Override
            public Meters group(String key, String value) {
                return this;
            }

            @Override
            public Counter counter(String name) {
                return () -> { };
            }
        };

        Meters group(String key, String value);

        Counter counter(String name);
    }

    interface Counter {
        void inc();
    }

    private final Map<String, Journey> journeys = new LinkedHashMap<>();
    private final Meters metrics;

    JourneyStats(Meters metrics) {
        this.metrics = metrics;
    }

    /** One journey's counts (all its plan versions share them). */
    final class Journey {
        final String subject;
        final Map<String, Node> nodes = new LinkedHashMap<>();
        private final Meters group;
        long entered;
        long ended;
        private final Counter enteredTotal;
        private final Counter endedTotal;

        Journey(String subject) {
            this.subject = subject;
            this.group = metrics.group("journey", subject);
            this.enteredTotal = group.counter("entered");
            this.endedTotal = group.counter("ended");
        }

        void entered() {
            entered++;
            enteredTotal.inc();
        }

        void ended() {
            ended++;
            endedTotal.inc();
        }

        Node node(String id) {
            return nodes.computeIfAbsent(id, n -> new Node(group.group("node", n)));
        }

        boolean isEmpty() {
            if (entered != 0 || ended != 0) {
                return false;
            }
            for (Node n : nodes.values()) {
                if (!n.isEmpty()) {
                    return false;
                }
            }
            return true;
        }
    }

    /** One node's counts since the last drain, and its Flink counters (totals). */
    static final class Node {
        private final Meters group;
        long entered;
        long exited;
        long actions;
        final Map<String, long[]> branches = new HashMap<>();
        final Map<String, long[]> skipped = new HashMap<>();
        private final Counter enteredTotal;
        private final Counter exitedTotal;
        private Counter actionsTotal;
        private final Map<String, Counter> named = new HashMap<>();

        Node(Meters group) {
            this.group = group;
            this.enteredTotal = group.counter("entered");
            this.exitedTotal = group.counter("exited");
        }

        void entered() {
            entered++;
            enteredTotal.inc();
        }

        void exited() {
            exited++;
            exitedTotal.inc();
        }

        void action() {
            actions++;
            if (actionsTotal == null) {
                actionsTotal = group.counter("actions");
            }
            actionsTotal.inc();
        }

        void branch(String exit) {
            branches.computeIfAbsent(exit, e -> new long[1])[0]++;
            named.computeIfAbsent("branch_" + exit, group::counter).inc();
        }

        void skipped(String reason) {
            skipped.computeIfAbsent(reason, r -> new long[1])[0]++;
            named.computeIfAbsent("skipped_" + reason.replace(':', '_'), group::counter).inc();
        }

        boolean isEmpty() {
            return entered == 0 && exited == 0 && actions == 0 && branches.isEmpty() && skipped.isEmpty();
        }
    }

    Journey journey(String subject) {
        return journeys.computeIfAbsent(subject, Journey::new);
    }

    boolean isEmpty() {
        for (Journey j : journeys.values()) {
            if (!j.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The deltas since the last call, one record per journey with any, keyed {@code <org>/<journey>}; then all start at 0. */
    /** @param instance the subtask index and a run id, e.g. {@code 0-3fa9c2}: a deltaId never repeats across restores */
    List<TopicRecord> drain(String topic, String instance, long checkpointId, long now) {
        List<TopicRecord> out = new ArrayList<>();
        for (Journey j : journeys.values()) {
            if (j.isEmpty()) {
                continue;
            }
            int slash = j.subject.indexOf('/');
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("v", 1);
            root.put("orgId", j.subject.substring(0, slash));
            root.put("journeyId", j.subject.substring(slash + 1));
            root.put("deltaId", j.subject + '#' + instance + '@' + checkpointId);
            root.put("instance", Integer.parseInt(instance.substring(0, instance.indexOf('-'))));
            root.put("time", now);
            if (j.entered != 0 || j.ended != 0) {
                ObjectNode jn = root.putObject("journey");
                putIf(jn, "entered", j.entered);
                putIf(jn, "ended", j.ended);
            }
            ObjectNode nodes = Json.MAPPER.createObjectNode();
            for (Map.Entry<String, Node> e : j.nodes.entrySet()) {
                Node n = e.getValue();
                if (n.isEmpty()) {
                    continue;
                }
                ObjectNode nn = nodes.putObject(e.getKey());
                putIf(nn, "entered", n.entered);
                putIf(nn, "exited", n.exited);
                putIf(nn, "actions", n.actions);
                counts(nn, "branches", n.branches);
                counts(nn, "skipped", n.skipped);
                n.entered = 0;
                n.exited = 0;
                n.actions = 0;
                n.branches.clear();
                n.skipped.clear();
            }
            if (!nodes.isEmpty()) {
                root.set("nodes", nodes);
            }
            j.entered = 0;
            j.ended = 0;
            try {
                out.add(new TopicRecord(topic, j.subject.getBytes(StandardCharsets.UTF_8), Json.MAPPER.writeValueAsBytes(root), now));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static void putIf(ObjectNode o, String name, long value) {
        if (value != 0) {
            o.put(name, value);
        }
    }

    private static void counts(ObjectNode o, String name, Map<String, long[]> counts) {
        if (!counts.isEmpty()) {
            ObjectNode c = o.putObject(name);
            new java.util.TreeMap<>(counts).forEach((k, v) -> c.put(k, v[0]));
        }
    }
}
