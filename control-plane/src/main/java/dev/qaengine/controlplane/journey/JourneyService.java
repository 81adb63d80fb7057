package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.channel.ChannelInterfaceRepository;
import dev.qaengine.controlplane.config.Clocks;
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
import dev.qaengine.model.journey.JourneyDefinition;
import dev.qaengine.model.journey.JourneyStatus;
import dev.qaengine.model.journey.JourneyValidator;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Journeys of a workspace: saved when they are valid (every finding of {@link JourneyValidator} names the
 * node and the field), as INCOMPLETE while a branch is still open, NOT_STARTED when they could start;
 * edited only before they start; deleted unless PENDING or RUNNING; copied; started (the compiled plan is
 * published on {@code qa.control}; PENDING until the engine acknowledges it) and stopped (a tombstone).
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

    public JourneyService(JourneyRepository repository, EventCatalogRepository events, ChannelInterfaceRepository interfaces,
                          TemplateRepository templates, TenancyRepository tenancy, PlatformTransactionManager tx, Clocks clocks, Outbox outbox) {
        this.outbox = outbox;
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
            Row r = new Row(UUID.randomUUID().toString(), caller.orgId(), caller.workspaceId(), d.name(), status(check), d, 1, now, now);
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
            Row r = new Row(id, old.orgId(), old.workspaceId(), d.name(), status(check), d, old.revision() + 1, old.createdAt(), clocks.now());
            if (!repository.update(r, old.revision())) {
                throw new ApiException(ProblemCode.CONFLICT, "journey '" + old.name() + "' changed meanwhile; read it again");
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
     * engine instance receives the plan as broadcast state.
     */
    public Journey start(Caller caller, String id) {
        return write(caller, () -> {
            Row r = find(caller, id);
            JourneyCheck check = checker(caller).check(r.definition());
            if (r.status() != JourneyStatus.NOT_STARTED && r.status() != JourneyStatus.INCOMPLETE) {
                throw new ApiException(ProblemCode.CONFLICT, "journey '" + r.name() + "' is " + r.status() + ": only a journey not started yet can start");
            }
            if (!check.startable()) {
                List<JourneyCheck.Violation> all = new ArrayList<>(check.errors());
                all.addAll(check.incomplete());
                JourneyCheck.Violation first = all.get(0);
                throw new ApiException(ProblemCode.CONFLICT, "journey '" + r.name() + "' cannot start: " + first.field() + ": " + first.message(),
                        all.stream().map(v -> new FieldError(v.field(), v.message())).toList(), Map.of("violations", all));
            }
            JourneyPlan plan = new JourneyCompiler(catalog(caller)).compile(r.id(), r.revision(), r.definition());
            long version = outbox.publish(ControlKind.JOURNEY_PLAN, JourneyPlan.subject(caller.orgId(), r.id()), plan);
            OffsetDateTime now = clocks.now();
            if (!repository.transition(caller.workspaceId(), id, r.status(), JourneyStatus.PENDING, version, now)) {
                throw new ApiException(ProblemCode.CONFLICT, "journey '" + r.name() + "' changed meanwhile; read it again");
            }
            return view(new Row(r.id(), r.orgId(), r.workspaceId(), r.name(), JourneyStatus.PENDING, r.definition(), r.revision(),
                    r.createdAt(), now), check);
        });
    }

    /**
     * Stops a PENDING, RUNNING or PAUSED journey for good: STOPPED (final), and a tombstone for its plan, so
     * that the engine lets no one enter any more and ends the runs in progress.
     */
    public Journey stop(Caller caller, String id) {
        return write(caller, () -> {
            Row r = find(caller, id);
            if (r.status() != JourneyStatus.PENDING && r.status() != JourneyStatus.RUNNING && r.status() != JourneyStatus.PAUSED) {
                throw new ApiException(ProblemCode.CONFLICT, "journey '" + r.name() + "' is " + r.status() + ": only a started journey can be stopped");
            }
            outbox.publish(ControlKind.JOURNEY_PLAN, JourneyPlan.subject(caller.orgId(), r.id()), null);
            OffsetDateTime now = clocks.now();
            if (!repository.transition(caller.workspaceId(), id, r.status(), JourneyStatus.STOPPED, null, now)) {
                throw new ApiException(ProblemCode.CONFLICT, "journey '" + r.name() + "' changed meanwhile; read it again");
            }
            return view(new Row(r.id(), r.orgId(), r.workspaceId(), r.name(), JourneyStatus.STOPPED, r.definition(), r.revision(),
                    r.createdAt(), now), checker(caller).check(r.definition()));
        });
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
            Row r = new Row(UUID.randomUUID().toString(), caller.orgId(), caller.workspaceId(), name, status, d, 1, now, now);
            repository.insert(r);
            return view(r, check);
        });
    }

    @Override
    public void deleteOrganizationData(String orgId) {
        for (String id : repository.started(orgId)) {
            outbox.publish(ControlKind.JOURNEY_PLAN, JourneyPlan.subject(orgId, id), null);
        }
        repository.deleteAll(orgId);
    }

    private Row find(Caller caller, String id) {
        return repository.find(caller.workspaceId(), id).orElseThrow(() -> ApiException.notFound("journey", id));
    }

    private JourneyValidator checker(Caller caller) {
        return new JourneyValidator(catalog(caller));
    }

    private WorkspaceCatalog catalog(Caller caller) {
        return new WorkspaceCatalog(caller.orgId(), caller.workspaceId(), events, interfaces, templates);
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
        var t = r.definition().trigger();
        return new Journey(r.id(), r.name(), status, t == null ? null : t.type(), r.definition(), check, r.revision(), r.createdAt(), r.updatedAt());
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
