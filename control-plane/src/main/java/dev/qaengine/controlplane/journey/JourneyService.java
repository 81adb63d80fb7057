package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.channel.ChannelInterfaceRepository;
import dev.qaengine.controlplane.config.Clocks;
import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.controlplane.event.EventCatalogRepository;
import dev.qaengine.controlplane.journey.JourneyBodies.Journey;
import dev.qaengine.controlplane.journey.JourneyRepository.Filter;
import dev.qaengine.controlplane.journey.JourneyRepository.Row;
import dev.qaengine.controlplane.template.TemplateRepository;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.tenancy.OrganizationData;
import dev.qaengine.controlplane.tenancy.TenancyRepository;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.FieldError;
import dev.qaengine.controlplane.web.Page;
import dev.qaengine.controlplane.web.PageRequest;
import dev.qaengine.controlplane.web.ProblemCode;
import dev.qaengine.controlplane.outbox.Outbox;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.journey.JourneyCheck;
import dev.qaengine.model.journey.JourneyCompiler;
import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.JourneyPlanStatus;
import dev.qaengine.model.journey.JourneyDefinition;
import dev.qaengine.model.journey.JourneyStatus;
import dev.qaengine.model.journey.JourneyValidator;
import dev.qaengine.model.journey.TriggerType;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Journeys of a workspace: saved when they are valid (every finding of {@link JourneyValidator} names the
 * node and the field), as INCOMPLETE while a branch is still open, NOT_STARTED when they could start;
 * edited only before they start; deleted unless PENDING or RUNNING; copied; started (the compiled plan is
 * published on {@code qa.control}; PENDING until the engine acknowledges it), paused and resumed (audience
 * journeys) and stopped (a tombstone).
 *
 * <p>The organization's running limit ({@link QaProperties.Journeys}, off by default) caps the plans the engine
 * holds per organization: a journey started or resumed beyond it waits PENDING, queued, with nothing published; the
 * oldest queued journey is published as if started then when a place frees (a stop, a pause, a FAILED answer).
 * Every change runs under the organization's lock, so the count and the queue are never read stale.
 */
@Service
@Order(5) // journeys before the templates and interfaces they use
public class JourneyService implements OrganizationData {
    private final JourneyRepository repository;
    private final EventCatalogRepository events;
    private final ChannelInterfaceRepository interfaces;
    private final TemplateRepository templates;
    private final TenancyRepository tenancy;
    private final TransactionTemplate transactions;
    private final Clocks clocks;
    private final Outbox outbox;
    private final QaProperties.Journeys limits;

    public JourneyService(JourneyRepository repository, EventCatalogRepository events, ChannelInterfaceRepository interfaces,
                          TemplateRepository templates, TenancyRepository tenancy, PlatformTransactionManager tx, Clocks clocks, Outbox outbox,
                          QaProperties properties) {
        this.outbox = outbox;
        this.limits = properties.journeys();
        this.repository = repository;
        this.events = events;
        this.interfaces = interfaces;
        this.templates = templates;
        this.tenancy = tenancy;
        this.transactions = new TransactionTemplate(tx);
        this.clocks = clocks;
    }

    public Journey create(Caller caller, JourneyDefinition body) {
        return write(caller, () -> {
            JourneyDefinition d = ofCaller(caller, body);
            JourneyCheck check = validOrThrow(caller, d);
            uniqueName(caller, d.name(), null);
            OffsetDateTime now = clocks.now();
            Row r = new Row(UUID.randomUUID().toString(), caller.orgId(), caller.workspaceId(), d.name(), status(check), d, 1, now, now,
                    null, null);
            repository.insert(r);
            return view(r, check);
        });
    }

    public Journey get(Caller caller, String id) {
        Row r = find(caller, id);
        return view(r, checker(caller).check(r.definition()));
    }

    public Page<Journey> list(Caller caller, Filter filter, PageRequest page) {
        JourneyValidator v = checker(caller);
        return new Page<>(repository.list(caller.workspaceId(), filter, page).stream().map(r -> view(r, v.check(r.definition()))).toList(),
                page.page(), page.size(), repository.count(caller.workspaceId(), filter));
    }

    public Journey update(Caller caller, String id, JourneyDefinition body) {
        return write(caller, () -> {
            Row old = find(caller, id);
            if (!old.status().editable()) {
                throw new ApiException(ProblemCode.CONFLICT, "journey '" + old.name() + "' is " + old.status()
                        + ": only a journey not started yet (INCOMPLETE, NOT_STARTED) can be edited; copy it to change it");
            }
            JourneyDefinition d = ofCaller(caller, body);
            JourneyCheck check = validOrThrow(caller, d);
            uniqueName(caller, d.name(), id);
            Row r = new Row(id, old.orgId(), old.workspaceId(), d.name(), status(check), d, old.revision() + 1, old.createdAt(), clocks.now(),
                    null, null);
            if (!repository.update(r, old.revision())) {
                throw changedMeanwhile(old);
            }
            return view(r, check);
        });
    }

    public void delete(Caller caller, String id) {
        write(caller, () -> {
            Row r = find(caller, id);
            if (!r.status().deletable()) {
                throw new ApiException(ProblemCode.CONFLICT, "journey '" + r.name() + "' is " + r.status() + ": stop it before deleting it");
            }
            repository.delete(caller.workspaceId(), id);
            return null;
        });
    }

    /**
     * Starts a NOT_STARTED journey: checks it again against today's catalog, compiles its plan and publishes
     * it on {@code qa.control} (JOURNEY_PLAN, subject {@code <org>/<journey>}) in the same transaction, and
     * marks it PENDING — RUNNING once the engine acknowledges that plan version. No Flink job restarts: every
     * engine instance receives the plan as broadcast state. Beyond the organization's running limit it is
     * PENDING and queued instead, its plan published when its turn comes.
     */
    public Journey start(Caller caller, String id) {
        return write(caller, () -> {
            Row r = find(caller, id);
            JourneyCheck check = checker(caller).check(r.definition());
            if (r.status() != JourneyStatus.NOT_STARTED && r.status() != JourneyStatus.INCOMPLETE) {
                throw new ApiException(ProblemCode.CONFLICT, "journey '" + r.name() + "' is " + r.status() + ": only a journey not started yet can start");
            }
            startableOrThrow(r, check, "start");
            launchOrQueue(r);
            return view(find(caller, id), check);
        });
    }

    /**
     * The plan a start would publish now, for a dry run: the journey's current definition — in any status, a draft too —
     * checked against today's catalog (the 409 a start answers, naming every finding, when it could not start) and
     * compiled as a start compiles it. Nothing is stored or published.
     */
    public JourneyPlan dryRunPlan(Caller caller, String id) {
        Row r = find(caller, id);
        WorkspaceCatalog catalog = catalog(r.orgId(), r.workspaceId());
        startableOrThrow(r, new JourneyValidator(catalog).check(r.definition()), "start, not even in a dry run");
        return new JourneyCompiler(catalog).compile(r.id(), r.revision(), r.definition());
    }

    /**
     * Stops a PENDING (queued too), RUNNING or PAUSED journey for good: STOPPED (final), and a tombstone for
     * its plan when the engine holds one, so that it lets no one enter any more and ends the runs in progress
     * (a queued journey never had a plan published; a paused one had its plan withdrawn already). The place
     * it held goes to the organization's oldest queued journey.
     */
    public Journey stop(Caller caller, String id) {
        return write(caller, () -> {
            Row r = find(caller, id);
            if (r.status() != JourneyStatus.PENDING && r.status() != JourneyStatus.RUNNING && r.status() != JourneyStatus.PAUSED) {
                throw new ApiException(ProblemCode.CONFLICT, "journey '" + r.name() + "' is " + r.status() + ": only a started journey can be stopped");
            }
            withdraw(r, JourneyStatus.STOPPED);
            return view(find(caller, id), checker(caller).check(r.definition()));
        });
    }

    /**
     * Pauses a RUNNING audience-triggered journey: PAUSED, and its plan withdrawn (a tombstone), so that the engine
     * lets no one in and starts no new period. Event-triggered journeys can only be stopped (SEMANTICS.md § Journeys).
     * A paused journey holds no place under the running limit: the oldest queued journey takes it.
     */
    public Journey pause(Caller caller, String id) {
        return write(caller, () -> {
            Row r = find(caller, id);
            if (triggerType(r) != TriggerType.AUDIENCE) {
                throw new ApiException(ProblemCode.CONFLICT, "journey '" + r.name() + "' is event-triggered: event-triggered journeys "
                        + "can only be stopped; only audience-triggered journeys pause",
                        List.of(new FieldError("trigger.type", "is " + triggerType(r) + "; only AUDIENCE journeys can be paused")));
            }
            requireStatus(r, JourneyStatus.RUNNING, "paused");
            withdraw(r, JourneyStatus.PAUSED);
            return view(find(caller, id), checker(caller).check(r.definition()));
        });
    }

    /**
     * Resumes a PAUSED journey as a start does: checked against today's catalog (409 naming every finding), its plan
     * compiled and published again with a new version — PENDING until the engine acknowledges it (for a periodic
     * audience journey, a new period), or queued behind the organization's running limit.
     */
    public Journey resume(Caller caller, String id) {
        return write(caller, () -> {
            Row r = find(caller, id);
            requireStatus(r, JourneyStatus.PAUSED, "resumed");
            JourneyCheck check = checker(caller).check(r.definition());
            startableOrThrow(r, check, "resume");
            launchOrQueue(r);
            return view(find(caller, id), check);
        });
    }

    /**
     * The engine's answer about a plan ({@code qa.journeys.status}), in a transaction of its own under the
     * organization's lock: a PENDING journey whose last published plan has that version becomes RUNNING or
     * FAILED. A FAILED journey's plan is withdrawn (FAILED is final; a plan the engine could not run should not
     * stay on the compacted topic) and its place goes to the oldest queued journey. Returns whether it changed
     * anything; answers about older plans, unknown journeys or organizations change nothing.
     */
    public boolean acknowledge(JourneyPlanStatus answer) {
        return Boolean.TRUE.equals(transactions.execute(tx -> {
            if (!tenancy.lockOrganization(answer.orgId())
                    || !repository.acknowledged(answer.orgId(), answer.journeyId(), answer.planVersion(), answer.status(), answer.reason(),
                    clocks.now())) {
                return false;
            }
            if (answer.status() == JourneyStatus.FAILED) {
                outbox.publish(ControlKind.JOURNEY_PLAN, JourneyPlan.subject(answer.orgId(), answer.journeyId()), null);
                promoteQueued(answer.orgId());
            }
            return true;
        }));
    }

    /** A copy that can be edited: a new id, "name (copy)" (numbered when taken), checked again against today's catalog. */
    public Journey copy(Caller caller, String id) {
        return write(caller, () -> {
            Row from = find(caller, id);
            String name = from.name() + " (copy)";
            for (int i = 2; repository.nameTaken(caller.workspaceId(), name, null); i++) {
                name = from.name() + " (copy " + i + ")";
            }
            JourneyDefinition src = from.definition();
            JourneyDefinition d = new JourneyDefinition(src.v(), src.orgId(), name, src.trigger(), src.start(), src.nodes(), src.edges());
            JourneyCheck check = checker(caller).check(d);
            // a copy is saved even if its references have gone since: it lists them, and cannot start until fixed
            JourneyStatus status = check.startable() ? JourneyStatus.NOT_STARTED : JourneyStatus.INCOMPLETE;
            OffsetDateTime now = clocks.now();
            Row r = new Row(UUID.randomUUID().toString(), caller.orgId(), caller.workspaceId(), name, status, d, 1, now, now, null, null);
            repository.insert(r);
            return view(r, check);
        });
    }

    @Override
    public void deleteOrganizationData(String orgId) {
        for (String id : repository.holdingPlan(orgId)) {
            outbox.publish(ControlKind.JOURNEY_PLAN, JourneyPlan.subject(orgId, id), null);
        }
        repository.deleteAll(orgId);
    }

    private Row find(Caller caller, String id) {
        return repository.find(caller.workspaceId(), id).orElseThrow(() -> ApiException.notFound("journey", id));
    }

    private JourneyValidator checker(Caller caller) {
        return new JourneyValidator(catalog(caller.orgId(), caller.workspaceId()));
    }

    private WorkspaceCatalog catalog(String orgId, String workspaceId) {
        return new WorkspaceCatalog(orgId, workspaceId, events, interfaces, templates);
    }

    /** A 409 listing every finding (errors, then open branches) that keeps the journey from starting. */
    private static void startableOrThrow(Row r, JourneyCheck check, String operation) {
        if (!check.startable()) {
            List<JourneyCheck.Violation> all = findings(check);
            JourneyCheck.Violation first = all.get(0);
            throw new ApiException(ProblemCode.CONFLICT, "journey '" + r.name() + "' cannot " + operation + ": " + first.field() + ": " + first.message(),
                    all.stream().map(v -> new FieldError(v.field(), v.message())).toList(), Map.of("violations", all));
        }
    }

    private static List<JourneyCheck.Violation> findings(JourneyCheck check) {
        List<JourneyCheck.Violation> all = new ArrayList<>(check.errors());
        all.addAll(check.incomplete());
        return all;
    }

    private static void requireStatus(Row r, JourneyStatus required, String done) {
        if (r.status() != required) {
            throw new ApiException(ProblemCode.CONFLICT, "journey '" + r.name() + "' is " + r.status() + ": only a " + required
                    + " journey can be " + done, List.of(new FieldError("status", "is " + r.status() + ", not " + required)));
        }
    }

    private static TriggerType triggerType(Row r) {
        var t = r.definition().trigger();
        return t == null ? null : t.type();
    }

    /**
     * Publishes a startable journey's plan if its organization has room under the running limit, else queues it.
     * Queued journeys of the organization go first (the limit may have been raised since they queued).
     */
    private void launchOrQueue(Row r) {
        promoteQueued(r.orgId());
        long holding = repository.holdingPlans(r.orgId());
        if (limits.roomFor(holding)) {
            launch(r, catalog(r.orgId(), r.workspaceId()));
        } else if (!repository.queue(r.workspaceId(), r.id(), r.status(), "queued behind the organization's running limit of "
                + limits.maxRunningPerOrg() + " (qa.journeys.max-running-per-org): its plan is published when one of the organization's "
                + "started journeys stops, pauses or fails", clocks.now())) {
            throw changedMeanwhile(r);
        }
    }

    /** Compiles the plan, publishes it (the record's version is the plan version) and makes the journey PENDING. */
    private void launch(Row r, WorkspaceCatalog catalog) {
        JourneyPlan plan = new JourneyCompiler(catalog).compile(r.id(), r.revision(), r.definition());
        long version = outbox.publish(ControlKind.JOURNEY_PLAN, JourneyPlan.subject(r.orgId(), r.id()), plan);
        if (!repository.transition(r.workspaceId(), r.id(), r.status(), JourneyStatus.PENDING, version, null, clocks.now())) {
            throw changedMeanwhile(r);
        }
    }

    /** Moves a started journey to {@code to}, withdrawing its plan if the engine holds one; its place goes to the queue. */
    private void withdraw(Row r, JourneyStatus to) {
        if (r.holdsPlan()) {
            outbox.publish(ControlKind.JOURNEY_PLAN, JourneyPlan.subject(r.orgId(), r.id()), null);
        }
        if (!repository.transition(r.workspaceId(), r.id(), r.status(), to, null, null, clocks.now())) {
            throw changedMeanwhile(r);
        }
        promoteQueued(r.orgId());
    }

    /**
     * Publishes the plans of the organization's queued journeys, oldest first, while it has room under its running
     * limit. A queued journey that cannot start any more (its catalog changed while it waited: a template withdrawn,
     * an interface disabled) becomes FAILED with the first finding as its reason, and the next one goes.
     */
    private void promoteQueued(String orgId) {
        while (limits.roomFor(repository.holdingPlans(orgId))) {
            Optional<Row> next = repository.oldestQueued(orgId);
            if (next.isEmpty()) {
                return;
            }
            Row r = next.get();
            WorkspaceCatalog catalog = catalog(orgId, r.workspaceId());
            JourneyCheck check = new JourneyValidator(catalog).check(r.definition());
            if (check.startable()) {
                launch(r, catalog);
            } else {
                JourneyCheck.Violation first = findings(check).get(0);
                if (!repository.transition(r.workspaceId(), r.id(), JourneyStatus.PENDING, JourneyStatus.FAILED, null,
                        "its turn in the queue came, but it cannot start any more: " + first.field() + ": " + first.message(), clocks.now())) {
                    throw changedMeanwhile(r);
                }
            }
        }
    }

    private static ApiException changedMeanwhile(Row r) {
        return new ApiException(ProblemCode.CONFLICT, "journey '" + r.name() + "' changed meanwhile; read it again");
    }

    /** The definition with the caller's organization: a body naming another one is refused. */
    private static JourneyDefinition ofCaller(Caller caller, JourneyDefinition d) {
        if (d.orgId() != null && !d.orgId().equals(caller.orgId())) {
            throw ApiException.field(ProblemCode.VALIDATION, "orgId", "is the caller's organization (" + caller.orgId() + ") or absent");
        }
        return new JourneyDefinition(d.v(), caller.orgId(), d.name(), d.trigger(), d.start(), d.nodes(), d.edges());
    }

    private JourneyCheck validOrThrow(Caller caller, JourneyDefinition d) {
        JourneyCheck check = checker(caller).check(d);
        if (!check.valid()) {
            JourneyCheck.Violation first = check.errors().get(0);
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("violations", check.errors());
            throw new ApiException(ProblemCode.VALIDATION, check.errors().size() + " problem(s) in the journey; the first: "
                    + first.field() + ": " + first.message(),
                    check.errors().stream().map(v -> new FieldError(v.field(), v.message())).toList(), props);
        }
        return check;
    }

    private void uniqueName(Caller caller, String name, String exceptId) {
        if (repository.nameTaken(caller.workspaceId(), name, exceptId)) {
            throw ApiException.field(ProblemCode.DUPLICATE, "name", "a journey named '" + name + "' exists in this workspace");
        }
    }

    private static JourneyStatus status(JourneyCheck check) {
        return check.startable() ? JourneyStatus.NOT_STARTED : JourneyStatus.INCOMPLETE;
    }

    /**
     * The stored journey with what the validator says of it now. A journey not started yet reports the
     * status its check gives today (a template withdrawn since makes it INCOMPLETE); a started one keeps its own.
     */
    private static Journey view(Row r, JourneyCheck check) {
        JourneyStatus status = r.status().editable() ? (check.startable() ? JourneyStatus.NOT_STARTED : JourneyStatus.INCOMPLETE) : r.status();
        return new Journey(r.id(), r.name(), status, triggerType(r), status == JourneyStatus.PENDING && r.queuedAt() != null, r.statusReason(),
                r.definition(), check, r.revision(), r.createdAt(), r.updatedAt());
    }

    private <T> T write(Caller caller, Supplier<T> work) {
        return transactions.execute(s -> {
            if (!tenancy.lockOrganization(caller.orgId())) {
                throw ApiException.notFound("organization", caller.orgId());
            }
            return work.get();
        });
    }
}
