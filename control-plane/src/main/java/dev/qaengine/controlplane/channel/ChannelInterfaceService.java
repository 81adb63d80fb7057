package dev.qaengine.controlplane.channel;

import dev.qaengine.controlplane.config.Clocks;
import dev.qaengine.controlplane.outbox.Outbox;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.tenancy.OrganizationData;
import dev.qaengine.controlplane.tenancy.TenancyRepository;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.Page;
import dev.qaengine.controlplane.web.PageRequest;
import dev.qaengine.controlplane.web.ProblemCode;
import dev.qaengine.model.ChannelInterface;
import dev.qaengine.model.ChannelInterfaceType;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.SecretBox;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Channel interfaces of a workspace, whatever their type: storage, secrets (sealed on the way in, never
 * shown), the webhook lifecycle, in-use checks, and publication. Every change publishes the interface to
 * qa.control as CHANNEL_INTERFACE {@code <orgId>/<id>} through the outbox, in the change's transaction; a
 * deletion publishes a tombstone. Writes take the organization's lock, like every org change, so one
 * interface's versions follow commit order and a check (enabled? in use?) holds until the commit.
 */
@Service
@Order(20)
public class ChannelInterfaceService implements OrganizationData {
    private final ChannelInterfaceRepository repository;
    private final TenancyRepository tenancy;
    private final Outbox outbox;
    private final SecretBox secrets;
    private final List<InterfaceUsage> usages;
    private final Clocks clocks;

    public ChannelInterfaceService(ChannelInterfaceRepository repository, TenancyRepository tenancy, Outbox outbox, SecretBox secrets,
                                   List<InterfaceUsage> usages, Clocks clocks) {
        this.repository = repository;
        this.tenancy = tenancy;
        this.outbox = outbox;
        this.secrets = secrets;
        this.usages = usages;
        this.clocks = clocks;
    }

    /** The new state of an interface an update makes: name, settings, and the secrets (sealed) it keeps. */
    public record Draft(String name, InterfaceSettings settings, Map<String, String> sealedSecrets) {
    }

    @Transactional(readOnly = true)
    public Page<StoredInterface> list(Caller caller, ChannelInterfaceType type, ChannelInterfaceRepository.Filter filter, PageRequest page) {
        return new Page<>(repository.list(caller.workspaceId(), type, filter, page), page.page(), page.size(),
                repository.count(caller.workspaceId(), type, filter));
    }

    @Transactional(readOnly = true)
    public StoredInterface get(Caller caller, ChannelInterfaceType type, String id) {
        return repository.find(caller.workspaceId(), type, id).orElseThrow(() -> notFound(type, id));
    }

    /**
     * Creates an interface, enabled: a new webhook starts ENABLED (the product: it can be tested and used at once,
     * and must be disabled before an edit or a deletion); the other types are always enabled.
     */
    @Transactional
    public StoredInterface create(Caller caller, String name, InterfaceSettings settings, Map<String, String> plainSecrets) {
        lock(caller);
        ChannelInterfaceType type = settings.type();
        String n = name.strip();
        checkName(caller, type, n, null);
        OffsetDateTime now = clocks.now();
        StoredInterface i = new StoredInterface(UUID.randomUUID().toString(), caller.orgId(), caller.workspaceId(), type, n,
                true, settings, seal(plainSecrets), now, now);
        repository.insert(i);
        publish(i);
        return i;
    }

    /** Replaces an interface; {@code change} gets the current state and answers the new one. Webhooks only while disabled. */
    @Transactional
    public StoredInterface update(Caller caller, ChannelInterfaceType type, String id, Function<StoredInterface, Draft> change) {
        lock(caller);
        StoredInterface old = get(caller, type, id);
        requireDisabled(old, "edited");
        Draft d = change.apply(old);
        String n = d.name().strip();
        checkName(caller, type, n, id);
        StoredInterface i = new StoredInterface(id, old.orgId(), old.workspaceId(), type, n, old.enabled(), d.settings(),
                Map.copyOf(d.sealedSecrets()), old.createdAt(), clocks.now());
        repository.update(i);
        publish(i);
        return i;
    }

    /** Deletes an interface that is not in use (webhooks: only while disabled), and publishes its tombstone. */
    @Transactional
    public void delete(Caller caller, ChannelInterfaceType type, String id) {
        lock(caller);
        StoredInterface i = get(caller, type, id);
        requireDisabled(i, "deleted");
        List<String> users = usages.stream().flatMap(u -> u.usersOfInterface(i.orgId(), id).stream()).toList();
        if (!users.isEmpty()) {
            throw ApiException.inUse(label(type) + " '" + i.name() + "'", users);
        }
        repository.delete(caller.workspaceId(), id);
        outbox.publish(ControlKind.CHANNEL_INTERFACE, ChannelInterface.subject(i.orgId(), id), null);
    }

    /** Switches a webhook on or off; idempotent (publishes only a change). */
    @Transactional
    public StoredInterface setEnabled(Caller caller, ChannelInterfaceType type, String id, boolean enabled) {
        lock(caller);
        StoredInterface old = get(caller, type, id);
        if (old.enabled() == enabled) {
            return old;
        }
        StoredInterface i = new StoredInterface(id, old.orgId(), old.workspaceId(), type, old.name(), enabled, old.settings(),
                old.secrets(), old.createdAt(), clocks.now());
        repository.update(i);
        publish(i);
        return i;
    }

    /** A copy with the same settings and secrets, disabled (the product: a copy must be switched on by hand). */
    @Transactional
    public StoredInterface copy(Caller caller, ChannelInterfaceType type, String id, String name) {
        lock(caller);
        StoredInterface from = get(caller, type, id);
        String n = name == null || name.isBlank() ? freeCopyName(caller, from) : name.strip();
        checkName(caller, type, n, null);
        OffsetDateTime now = clocks.now();
        Map<String, String> resealed = from.secrets().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> secrets.seal(secrets.open(e.getValue()))));
        StoredInterface i = new StoredInterface(UUID.randomUUID().toString(), from.orgId(), from.workspaceId(), type, n, false,
                from.settings(), resealed, now, now);
        repository.insert(i);
        publish(i);
        return i;
    }

    /** A webhook of any organization, for receipts (authenticated by the webhook's signature, not an API key). */
    @Transactional(readOnly = true)
    public Optional<StoredInterface> webhookForReceipt(String id) {
        return repository.findAnywhere(ChannelInterfaceType.WEBHOOK, id);
    }

    /** Opens a stored secret for a use inside the service (verifying a receipt's signature); null when it has none. */
    public String openSecret(StoredInterface i, String name) {
        String sealed = i.secrets().get(name);
        return sealed == null ? null : secrets.open(sealed);
    }

    /** The sealed secrets after an update: a value given replaces (sealed now), one not given keeps the old one. */
    public Map<String, String> mergeSecrets(StoredInterface old, Map<String, String> plainChanges, List<String> keep) {
        Map<String, String> out = new HashMap<>();
        for (String name : keep) {
            String given = plainChanges.get(name);
            if (given != null) {
                out.put(name, secrets.seal(given));
            } else if (old.secrets().containsKey(name)) {
                out.put(name, old.secrets().get(name));
            }
        }
        return out;
    }

    /** The engine's view of an interface (what qa.control carries). */
    public ChannelInterface wire(StoredInterface i) {
        return InterfaceWire.of(i);
    }

    @Override
    public void deleteOrganizationData(String orgId) {
        for (StoredInterface i : repository.ofOrganization(orgId)) {
            outbox.publish(ControlKind.CHANNEL_INTERFACE, ChannelInterface.subject(orgId, i.id()), null);
        }
        repository.deleteAll(orgId);
    }

    private void publish(StoredInterface i) {
        outbox.publish(ControlKind.CHANNEL_INTERFACE, ChannelInterface.subject(i.orgId(), i.id()), InterfaceWire.of(i));
    }

    private Map<String, String> seal(Map<String, String> plain) {
        Map<String, String> out = new HashMap<>();
        plain.forEach((k, v) -> {
            if (v != null) {
                out.put(k, secrets.seal(v));
            }
        });
        return Map.copyOf(out);
    }

    private void lock(Caller caller) {
        if (!tenancy.lockOrganization(caller.orgId())) {
            throw ApiException.notFound("organization", caller.orgId());
        }
    }

    private void checkName(Caller caller, ChannelInterfaceType type, String name, String exceptId) {
        if (repository.nameTaken(caller.workspaceId(), type, name, exceptId)) {
            throw ApiException.field(ProblemCode.DUPLICATE, "name", "a " + label(type) + " named '" + name + "' already exists in this workspace");
        }
    }

    private String freeCopyName(Caller caller, StoredInterface from) {
        String candidate = withSuffix(from.name(), " (copy)");
        for (int n = 2; repository.nameTaken(caller.workspaceId(), from.type(), candidate, null); n++) {
            candidate = withSuffix(from.name(), " (copy " + n + ")");
        }
        return candidate;
    }

    /** Names are at most 200 characters: a long name is shortened to make room for the suffix. */
    private static String withSuffix(String name, String suffix) {
        return (name.length() + suffix.length() <= 200 ? name : name.substring(0, 200 - suffix.length())) + suffix;
    }

    private static void requireDisabled(StoredInterface i, String verb) {
        if (i.type() == ChannelInterfaceType.WEBHOOK && i.enabled()) {
            throw new ApiException(ProblemCode.ENABLED, "webhook '" + i.name() + "' is enabled: disable it before it can be " + verb);
        }
    }

    static ApiException notFound(ChannelInterfaceType type, String id) {
        return ApiException.notFound(label(type), id);
    }

    static String label(ChannelInterfaceType type) {
        return switch (type) {
            case SMS -> "SMS platform";
            case EMAIL -> "email platform";
            case WEBHOOK -> "webhook";
            case PUSH -> "push app";
            case WECHAT -> "WeChat account";
            case KAFKA -> "Kafka interface";
        };
    }
}
