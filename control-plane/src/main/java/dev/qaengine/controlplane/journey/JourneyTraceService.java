package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.config.Clocks;
import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.controlplane.journey.JourneyTraceBodies.PersonTrace;
import dev.qaengine.controlplane.journey.JourneyTraceBodies.Refusal;
import dev.qaengine.controlplane.journey.JourneyTraceBodies.Run;
import dev.qaengine.controlplane.journey.JourneyTraceRecords.Step;
import dev.qaengine.controlplane.journey.JourneyTraceRepository.Row;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.ProblemCode;
import dev.qaengine.model.journey.JourneyDefinition;
import dev.qaengine.model.journey.TraceStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The journeys engine's trace: steps from {@code qa.journeys.trace} stored once each ({@link #store}, for
 * {@link JourneyTraceConsumer}), a person's way through a journey ({@link #trace}), and steps older than
 * {@code QA_JOURNEYS_TRACE_RETENTION} deleted.
 */
@Service
public class JourneyTraceService {
    private static final Logger log = LoggerFactory.getLogger(JourneyTraceService.class);
    public static final int DEFAULT_LIMIT = 200;
    public static final int MAX_LIMIT = 1000;

    private final JourneyTraceRepository repository;
    private final JourneyRepository journeys;
    private final TransactionTemplate transactions;
    private final Clocks clocks;
    private final Duration retention;

    public JourneyTraceService(JourneyTraceRepository repository, JourneyRepository journeys, TransactionTemplate transactions, Clocks clocks,
                               QaProperties properties) {
        this.repository = repository;
        this.journeys = journeys;
        this.transactions = transactions;
        this.clocks = clocks;
        this.retention = properties.journeyTrace().retention();
    }

    /**
     * How a batch went: steps added; steps stored before (delivered again — within the batch too); steps of journeys that do
     * not exist (deleted, or not of the organization they name); steps the database refused for what they hold.
     */
    public record Stored(int added, int duplicates, int ignored, List<Step> refused) {
        static final Stored NONE = new Stored(0, 0, 0, List.of());
    }

    /**
     * Stores a batch in one transaction: each step unless the same step (by its hash) is stored already. If the database
     * refuses the batch for what a step holds, each step is stored on its own and the refused ones are answered (one odd
     * step never blocks the topic); if it is away, the exception goes to the caller, which retries the batch.
     */
    public Stored store(List<Step> steps) {
        Map<String, Step> unique = new LinkedHashMap<>();
        steps.forEach(s -> unique.putIfAbsent(s.hash(), s));
        int repeated = steps.size() - unique.size();
        OffsetDateTime now = clocks.now();
        try {
            Stored s = transactions.execute(tx -> {
                List<Step> known = known(unique.values());
                int added = repository.insert(known, now);
                return new Stored(added, known.size() - added, unique.size() - known.size(), List.of());
            });
            return new Stored(s.added(), s.duplicates() + repeated, s.ignored(), List.of());
        } catch (DataIntegrityViolationException e) {
            // one of them, or a journey deleted meanwhile: step by step
        }
        int added = 0;
        int duplicates = repeated;
        int ignored = 0;
        List<Step> refused = new ArrayList<>();
        for (Step s : unique.values()) {
            try {
                Integer n = transactions.execute(tx -> known(List.of(s)).isEmpty() ? -1 : repository.insert(List.of(s), now));
                if (n == null || n < 0) {
                    ignored++;
                } else if (n == 0) {
                    duplicates++;
                } else {
                    added++;
                }
            } catch (DataIntegrityViolationException e) {
                refused.add(s);
            }
        }
        return new Stored(added, duplicates, ignored, refused);
    }

    /** The steps whose journey exists in the organization they name. */
    private List<Step> known(Iterable<Step> steps) {
        Map<String, Boolean> exists = new HashMap<>();
        List<Step> out = new ArrayList<>();
        for (Step s : steps) {
            if (exists.computeIfAbsent(s.orgId() + '/' + s.journeyId(), k -> repository.journeyExists(s.orgId(), s.journeyId()))) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The person's way through the journey (404 for a journey not of the caller's workspace, as every journey endpoint):
     * their runs with every step in the engine's order, named by the journey's definition, and the trigger events that did
     * not let them in. A person the engine traced nothing for answers empty lists. {@code limit} (1-{@value #MAX_LIMIT},
     * default {@value #DEFAULT_LIMIT}) caps the runs and the refusals listed: the newest of each.
     */
    public PersonTrace trace(Caller caller, String journeyId, String personId, Integer limit) {
        int max = limit == null ? DEFAULT_LIMIT : limit;
        if (max < 1 || max > MAX_LIMIT) {
            throw ApiException.field(ProblemCode.BAD_PARAMETER, "limit", "must be between 1 and " + MAX_LIMIT);
        }
        JourneyDefinition d = journeys.find(caller.workspaceId(), journeyId).orElseThrow(() -> ApiException.notFound("journey", journeyId))
                .definition();
        Map<String, String> names = new HashMap<>();
        d.nodesOrEmpty().forEach(n -> {
            if (n.id() != null && n.name() != null) {
                names.put(n.id(), n.name());
            }
        });
        List<Run> runs = runs(repository.runSteps(caller.orgId(), journeyId, personId), names);
        List<Refusal> refused = repository.refusals(caller.orgId(), journeyId, personId, max).stream()
                .map(s -> new Refusal(s.eventId(), s.reason(), Instant.ofEpochMilli(s.at()), s.at())).toList();
        return new PersonTrace(journeyId, personId, runs.subList(Math.max(0, runs.size() - max), runs.size()), refused);
    }

    /** Steps by run, a run where its first step was; each branch of a fork after the run it forked from. */
    private static List<Run> runs(List<Row> steps, Map<String, String> names) {
        Map<String, List<Row>> byRun = new LinkedHashMap<>();
        steps.forEach(s -> byRun.computeIfAbsent(s.runId(), k -> new ArrayList<>()).add(s));
        Map<String, Integer> firstSeen = new HashMap<>();
        byRun.keySet().forEach(id -> firstSeen.put(id, firstSeen.size()));
        List<String> order = new ArrayList<>(byRun.keySet());
        order.sort(Comparator.comparing((String id) -> firstSeen.getOrDefault(root(id), -1)).thenComparing(firstSeen::get));
        List<Run> out = new ArrayList<>(order.size());
        for (String id : order) {
            List<Row> own = byRun.get(id);
            Row entered = byRun.getOrDefault(root(id), List.of()).stream().filter(s -> s.step() == TraceStep.Kind.ENTERED).findFirst()
                    .orElse(null);
            Row ended = own.stream().filter(s -> s.step() == TraceStep.Kind.ENDED).findFirst().orElse(null);
            Row last = own.get(own.size() - 1);
            out.add(new Run(id, id.contains("/") ? id.substring(0, id.lastIndexOf('/')) : null,
                    entered == null ? null : entered.eventId(),
                    entered == null ? null : Instant.ofEpochMilli(entered.at()), entered == null ? null : entered.at(),
                    own.get(0).planVersion(), ended != null,
                    ended == null ? null : Instant.ofEpochMilli(ended.at()), ended == null ? null : ended.at(),
                    ended == null && last.step() == TraceStep.Kind.WAITING ? last.nodeId() : null,
                    own.stream().map(s -> new JourneyTraceBodies.Step(s.step(), s.nodeId(), s.nodeId() == null ? null : names.get(s.nodeId()),
                            s.nodeType(), s.exit(), s.reason(), s.eventId(), Instant.ofEpochMilli(s.at()), s.at())).toList()));
        }
        return out;
    }

    /** The run a branch ({@code <runId>/<branch>[/<branch>…]}) forked from first. */
    private static String root(String runId) {
        int slash = runId.indexOf('/');
        return slash < 0 ? runId : runId.substring(0, slash);
    }

    /** Deletes the steps the engine wrote longer ago than the retention; every instance runs it (deleting twice is harmless). */
    @Scheduled(fixedDelayString = "${qa.journey-trace.purge-interval:1h}", initialDelayString = "PT1M")
    public void purge() {
        long cutoff = clocks.clock().millis() - retention.toMillis();
        Integer n = transactions.execute(s -> repository.purgeBefore(cutoff));
        if (n != null && n > 0) {
            log.info("deleted {} journey trace steps written more than {} ago", n, retention);
        }
    }
}
