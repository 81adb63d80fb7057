package dev.qaengine.identity;

import dev.qaengine.model.Identifier;
import dev.qaengine.model.IdentityAudit;
import dev.qaengine.model.IdentityChange;
import dev.qaengine.model.IdentitySettings;
import dev.qaengine.model.PersonRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs {@link IdentityCore} the way the job does — one key at a time, every protocol command through a
 * "feedback topic" — but with an adversarial network: in-flight commands are delivered in random order
 * (no FIFO between any two keys), interleaved at random with the inputs. Deterministic per seed.
 */
final class ProtocolSimulator implements IdentityCore.Output {
    final Map<String, Node> nodes = new HashMap<>();
    final Map<String, List<Command>> pending = new HashMap<>();
    final List<IdentityChange> changes = new ArrayList<>();
    final List<IdentityAudit> audits = new ArrayList<>();
    final List<Command> resolved = new ArrayList<>();
    final List<String> resolvedPersons = new ArrayList<>();
    /** Person records as created (version 1 = a new person of one identifier). */
    final List<PersonRecord> created = new ArrayList<>();
    final Map<String, String> directory = new HashMap<>();
    int orphans;
    long delivered;

    private final IdentityCore core;
    private final List<Command> inFlight = new ArrayList<>();
    private final Random random;

    ProtocolSimulator(IdentitySettings settings, long seed) {
        this.core = new IdentityCore(org -> settings);
        this.random = new Random(seed);
    }

    /** Feeds the inputs in order, interleaving protocol deliveries at random, then runs until quiet. */
    void run(List<Command> inputs) {
        int next = 0;
        while (next < inputs.size() || !inFlight.isEmpty()) {
            boolean input = next < inputs.size() && (inFlight.isEmpty() || random.nextInt(3) == 0);
            Command c = input ? inputs.get(next++) : inFlight.remove(random.nextInt(inFlight.size()));
            deliver(c);
        }
    }

    private void deliver(Command c) {
        delivered++;
        String key = c.routingKey();
        core.handle(c, new IdentityCore.State() {
            @Override
            public Node node() {
                return nodes.get(key);
            }

            @Override
            public void update(Node node) {
                nodes.put(key, node);
            }

            @Override
            public void clear() {
                nodes.remove(key);
            }

            @Override
            public List<Command> pending() {
                return pending.getOrDefault(key, List.of());
            }

            @Override
            public void setPending(List<Command> commands) {
                if (commands.isEmpty()) {
                    pending.remove(key);
                } else {
                    pending.put(key, List.copyOf(commands));
                }
            }
        }, this);
    }

    @Override
    public void resolved(Command event, Node node) {
        resolved.add(event);
        resolvedPersons.add(node.person.id());
    }

    @Override
    public void change(IdentityChange change) {
        changes.add(change);
    }

    @Override
    public void audit(IdentityAudit audit) {
        audits.add(audit);
    }

    @Override
    public void send(Command command) {
        inFlight.add(command);
    }

    @Override
    public void pointer(String org, Identifier id, String personId) {
        directory.put(org + '|' + id.key(), personId);
    }

    @Override
    public void person(PersonRecord record) {
        if (record.version() == 1) {
            created.add(record);
        }
    }

    @Override
    public void personGone(String org, String personId) {
    }

    @Override
    public void orphan(Command command) {
        orphans++;
    }
}
