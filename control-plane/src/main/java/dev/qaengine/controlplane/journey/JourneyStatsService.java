package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.config.Clocks;
import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.controlplane.journey.JourneyBodies.Journey;
import dev.qaengine.controlplane.journey.JourneyBodies.JourneyStats;
import dev.qaengine.controlplane.journey.JourneyBodies.NodeStats;
import dev.qaengine.controlplane.journey.JourneyStatsRecords.Count;
import dev.qaengine.controlplane.journey.JourneyStatsRecords.Delta;
import dev.qaengine.controlplane.journey.JourneyStatsRepository.Counter;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.model.journey.JourneyDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The journeys engine's counts per journey and node: deltas from {@code qa.journeys.stats} added once each
 * ({@link #apply}, for {@link JourneyStatsConsumer}) — each source of deltas (an engine instance's run) remembered by
 * its last checkpoint — shown per journey ({@link #stats}), and sources quiet for {@code QA_JOURNEY_STATS_DELTA_RETENTION}
 * forgotten.
 */
@Service
public class JourneyStatsService {
    private static final Logger log = LoggerFactory.getLogger(JourneyStatsService.class);
    private static final String BRANCH = "branch:";
    private static final String SKIPPED = "skipped:";

    private final JourneyStatsRepository repository;
    private final JourneyRepository journeyRepository;
    private final JourneyService journeys;
    private final TransactionTemplate transactions;
    private final Clocks clocks;
    private final Duration retention;

    public JourneyStatsService(JourneyStatsRepository repository, JourneyRepository journeyRepository, JourneyService journeys,
                               TransactionTemplate transactions, Clocks clocks, QaProperties properties) {
        this.repository = repository;
        this.journeyRepository = journeyRepository;
        this.journeys = journeys;
        this.transactions = transactions;
        this.clocks = clocks;
        this.retention = properties.journeyStats().deltaRetention();
    }

    /** How a batch went: deltas added, deltas added before (delivered again), deltas of journeys that do not exist. */
    public record Applied(int added, int duplicates, int ignored) {
        static final Applied NONE = new Applied(0, 0, 0);
    }

    /**
     * Adds a batch of deltas in one transaction: each delta whose id was not added before is remembered and its counts
     * are added. A delta of a journey that does not exist — deleted, or not of the organization it names — is passed
     * over, as are counts of nodes its definition does not have (a started journey's definition never changes). Throws
     * when the database is away (the caller retries the batch; nothing of it was stored).
     */
    public Applied apply(List<Delta> deltas) {
        return transactions.execute(tx -> {
            OffsetDateTime now = clocks.now();
            Map<String, Optional<Set<String>>> nodesOf = new HashMap<>();
            // summed per counter, in key order: one statement per counter, and concurrent batches lock rows in the same order
            TreeMap<Key, Sum> sums = new TreeMap<>();
            int added = 0;
            int duplicates = 0;
            int ignored = 0;
            for (Delta d : deltas) {
                Optional<Set<String>> nodes = nodesOf.computeIfAbsent(d.orgId() + "/" + d.journeyId(), k ->
                        journeyRepository.findOfOrganization(d.orgId(), d.journeyId()).map(r -> nodeIds(r.definition())));
                if (nodes.isEmpty()) {
                    ignored++;
                } else if (!repository.markApplied(d.deltaId(), d.journeyId(), now)) {
                    duplicates++;
                } else {
                    added++;
                    OffsetDateTime time = Instant.ofEpochMilli(d.time()).atOffset(ZoneOffset.UTC);
                    for (Count c : d.counts()) {
                        if (c.nodeId().equals(JourneyStatsRecords.JOURNEY) || nodes.get().contains(c.nodeId())) {
                            sums.computeIfAbsent(new Key(d.journeyId(), d.orgId(), c.nodeId(), c.metric()), k -> new Sum()).add(c.amount(), time);
                        }
                    }
                }
            }
            sums.forEach((k, s) -> repository.add(k.orgId(), k.journeyId(), k.nodeId(), k.metric(), s.amount, s.time));
            return new Applied(added, duplicates, ignored);
        });
    }

    private static Set<String> nodeIds(JourneyDefinition d) {
        return d.nodesOrEmpty().stream().map(JourneyDefinition.Node::id).filter(id -> id != null).collect(Collectors.toSet());
    }

    private record Key(String journeyId, String orgId, String nodeId, String metric) implements Comparable<Key> {
        private static final Comparator<Key> ORDER = Comparator.comparing(Key::journeyId).thenComparing(Key::orgId)
                .thenComparing(Key::nodeId).thenComparing(Key::metric);

        @Override
        public int compareTo(Key o) {
            return ORDER.compare(this, o);
        }
    }

    private static final class Sum {
        long amount;
        OffsetDateTime time;

        void add(long more, OffsetDateTime at) {
            long s = amount + more;
            amount = s < 0 ? Long.MAX_VALUE : s; // both ≥ 0: a negative sum overflowed
            time = time == null || at.isAfter(time) ? at : time;
        }
    }

    /**
     * The journey's counts (404 for a journey not of the caller's workspace, as every journey endpoint): every node of
     * its definition in definition order, 0 where nothing was counted; a journey never started answers zeros.
     */
    public JourneyStats stats(Caller caller, String id) {
        return stats(caller, journeys.get(caller, id));
    }

    /**
     * The journey drawn with these counts, as SVG ({@link JourneyDiagram}); 404 as {@link #stats}. The definition and
     * the counts are read for the same journey in one go, so every box has its node's counts.
     */
    public String diagram(Caller caller, String id) {
        Journey j = journeys.get(caller, id);
        return JourneyDiagram.svg(j, stats(caller, j));
    }

    private JourneyStats stats(Caller caller, Journey j) {
        String id = j.id();
        Map<String, Map<String, Long>> byNode = new HashMap<>();
        OffsetDateTime updated = null;
        for (Counter c : repository.counters(caller.orgId(), id)) {
            byNode.computeIfAbsent(c.nodeId(), k -> new HashMap<>()).put(c.metric(), c.amount());
            updated = updated == null || c.updatedAt().isAfter(updated) ? c.updatedAt() : updated;
        }
        JourneyDefinition d = j.definition();
        List<NodeStats> nodes = d.nodesOrEmpty().stream().map(n -> {
            Map<String, Long> m = byNode.getOrDefault(n.id(), Map.of());
            // the node's branches in the order of its edges, then whatever else the engine counted, by name
            Map<String, Long> branches = new LinkedHashMap<>();
            d.edgesOrEmpty().stream().filter(e -> n.id() != null && n.id().equals(e.from()) && e.branch() != null)
                    .forEach(e -> branches.put(e.branch(), m.getOrDefault(BRANCH + e.branch(), 0L)));
            named(m, BRANCH).forEach(branches::putIfAbsent);
            return new NodeStats(n.id(), n.type(), n.name(), m.getOrDefault("entered", 0L), m.getOrDefault("exited", 0L),
                    m.getOrDefault("actions", 0L), branches, named(m, SKIPPED));
        }).toList();
        Map<String, Long> own = byNode.getOrDefault(JourneyStatsRecords.JOURNEY, Map.of());
        return new JourneyStats(j.id(), j.status(), own.getOrDefault("entered", 0L), own.getOrDefault("ended", 0L), updated, nodes);
    }

    /** The metrics named {@code <prefix><name>}, by name. */
    private static Map<String, Long> named(Map<String, Long> metrics, String prefix) {
        Map<String, Long> out = new TreeMap<>();
        metrics.forEach((metric, amount) -> {
            if (metric.startsWith(prefix)) {
                out.put(metric.substring(prefix.length()), amount);
            }
        });
        return out;
    }

    /** Forgets the ids of deltas added longer ago than the retention; every instance runs it (deleting twice is harmless). */
    @Scheduled(fixedDelayString = "${qa.journey-stats.purge-interval:1h}", initialDelayString = "PT1M")
    public void purge() {
        OffsetDateTime cutoff = clocks.now().minus(retention);
        Integer n = transactions.execute(s -> repository.purgeAppliedBefore(cutoff));
        if (n != null && n > 0) {
            log.info("forgot {} journey stats delta ids added before {}", n, cutoff);
        }
    }
}
