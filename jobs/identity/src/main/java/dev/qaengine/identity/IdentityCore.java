package dev.qaengine.identity;

import dev.qaengine.model.IdType;
import dev.qaengine.model.Identifier;
import dev.qaengine.model.IdentityAudit;
import dev.qaengine.model.IdentityChange;
import dev.qaengine.model.IdentityRefusal;
import dev.qaengine.model.IdentitySettings;
import dev.qaengine.model.PersonRecord;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The identity graph's rules, one command at a time, at one identifier key — free of Flink so that the
 * same code runs in the job and in the protocol simulator of the tests.
 *
 * <h2>The merge protocol</h2>
 * A person's state lives at the key of the identifier that founded it; every identifier knows its
 * person. A link (a, b) travels {@code LINK} at a → {@code LINK_AT} at b (now both persons are known) →
 * {@code MERGE} at the younger person, which locks itself and sends its members with {@code ABSORB} to the
 * older person, who alone decides against the organization's caps: it either takes them (the change is
 * announced, the younger person becomes a forwarding address via {@code MERGED}, each member is told its
 * new person via {@code REPOINT}) or refuses (audit record, {@code UNLOCK}). A locked person queues what
 * arrives for it; a merged-away one forwards it to its survivor. Locks are only ever waited for by
 * <em>younger</em> persons, so waits cannot form a cycle; every step touches one key, so nothing is
 * global; a merge moves at most the organization's cap of identifiers, so fan-out is bounded.
 *
 * <h2>Clocks</h2>
 * Every key keeps a logical clock carried by each command; a decision (merge or refusal) takes
 * {@code max + 1}. Decisions that depend on one another therefore have increasing {@code seq}s, and
 * replaying the decisions in {@code seq} order through a sequential union-find gives the same persons
 * (what the property test checks).
 */
public final class IdentityCore {

    /** The state of the key the command is for. */
    public interface State {
        Node node();

        void update(Node node);

        /** The key holds no node any more. */
        void clear();

        /** Commands waiting for this key's person to be unlocked, in arrival order. */
        List<Command> pending();

        void setPending(List<Command> commands);
    }

    /** Where results go. */
    public interface Output {
        void resolved(Command event, Node node);

        void change(IdentityChange change);

        void audit(IdentityAudit audit);

        /** A command for another key (or this one), through the feedback topic. */
        void send(Command command);

        /** The directory: identifier → person. */
        void pointer(String org, Identifier id, String personId);

        /** The directory: a person's record (written by its founder). */
        void person(PersonRecord record);

        /** The directory: a merged-away person's record is gone. */
        void personGone(String org, String personId);

        /** A protocol command for a key that holds no person (expired anonymous state); it is dropped. */
        default void orphan(Command command) {
        }
    }

    /** The organization's identity settings (caps). */
    public interface Caps {
        IdentitySettings of(String org);
    }

    private final Caps caps;

    public IdentityCore(Caps caps) {
        this.caps = caps;
    }

    /** The id of the person founded by identifier {@code key} of {@code org}: stable, 16 hex digits. */
    public static String personId(String org, String key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((org + '|' + key).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void handle(Command c, State s, Output out) {
        switch (c.kind) {
            case Command.EVENT -> out.resolved(c, resolve(c, s, out, true));
            case Command.LINK -> link(c, s, out);
            case Command.LINK_AT -> linkAt(c, s, out);
            case Command.MERGE -> merge(c, s, out);
            case Command.ABSORB -> absorb(c, s, out);
            case Command.MERGED -> merged(c, s, out);
            case Command.UNLOCK -> unlock(c, s, out);
            case Command.REPOINT -> repoint(c, s, out);
            default -> throw new IllegalArgumentException("unknown command kind " + c.kind);
        }
    }

    /** This key's node, created (a new person of one identifier) when the identifier is new. */
    private Node resolve(Command c, State s, Output out, boolean fromEvent) {
        Node n = s.node();
        if (n == null) {
            Identifier id = Identifier.ofKey(c.target);
            n = new Node();
            n.person = new PersonRef(personId(c.org, c.target), c.target, c.time);
            n.personVersion = 1;
            n.personIds = List.of(id);
            n.status = Node.ACTIVE;
            n.firstSeen = c.time;
            n.version = 1;
            n.members = List.of(id);
            n.anonymous = fromEvent;
            n.lastSeenDay = day(c.time);
            n.clock = c.clock;
            s.update(n);
            out.pointer(c.org, id, n.person.id());
            out.person(record(c.org, n.person, n.members, 1));
        } else if (!fromEvent && n.anonymous) {
            n.anonymous = false; // linked: no longer an anonymous person that may expire
            s.update(n);
        } else if (n.anonymous && day(c.time) > n.lastSeenDay) {
            n.lastSeenDay = day(c.time); // written at most once a day: expiry counts from the last event
            s.update(n);
        }
        return n;
    }

    /** Epoch days of a timestamp. */
    public static int day(long epochMillis) {
        return (int) Math.floorDiv(epochMillis, 86_400_000L);
    }

    private void link(Command c, State s, Output out) {
        Node n = resolve(c, s, out, false);
        if (c.linkA.equals(c.linkB)) {
            return; // "c belongs to c": the customer is known now, nothing to link
        }
        Command next = Command.next(Command.LINK_AT, c.linkB, c, n.clock);
        next.p1 = n.person;
        out.send(next);
    }

    private void linkAt(Command c, State s, Output out) {
        Node n = resolve(c, s, out, false);
        long clock = tick(n, c, s);
        proposeMerge(c.p1, n.person, c, clock, out);
    }

    /** Sends the merge of two persons to the younger one, unless they are one person. */
    private static void proposeMerge(PersonRef x, PersonRef y, Command cause, long clock, Output out) {
        if (x.id().equals(y.id())) {
            return;
        }
        PersonRef young = x.olderThan(y) ? y : x;
        PersonRef old = young == x ? y : x;
        Command m = Command.next(Command.MERGE, young.founder(), cause, clock);
        m.p1 = young;
        m.p2 = old;
        out.send(m);
    }

    private void merge(Command c, State s, Output out) {
        Node n = s.node();
        if (n == null || n.status == Node.NONE) {
            out.orphan(c);
            return;
        }
        long clock = tick(n, c, s);
        switch (n.status) {
            case Node.MERGED -> proposeMerge(n.successor, c.p2, c, clock, out);
            case Node.LOCKED -> pend(s, c);
            default -> {
                n.status = Node.LOCKED;
                s.update(n);
                Command a = Command.next(Command.ABSORB, c.p2.founder(), c, clock);
                a.p1 = own(c, n);
                a.p2 = c.p2;
                a.members = n.members;
                out.send(a);
            }
        }
    }

    private void absorb(Command c, State s, Output out) {
        Node n = s.node();
        if (n == null || n.status == Node.NONE) {
            out.orphan(c);
            unlockSender(c, c.clock, out);
            return;
        }
        long clock = tick(n, c, s);
        switch (n.status) {
            case Node.MERGED -> {
                Command a = Command.next(Command.ABSORB, n.successor.founder(), c, clock);
                a.p1 = c.p1;
                a.p2 = n.successor;
                a.members = c.members;
                out.send(a);
            }
            case Node.LOCKED -> pend(s, c);
            default -> decide(c, n, s, out);
        }
    }

    /** The older person decides: take the younger person's identifiers, or refuse the link. */
    private void decide(Command c, Node n, State s, Output out) {
        PersonRef self = own(c, n);
        n.clock = n.clock + 1;
        long seq = n.clock;
        IdentitySettings settings = caps.of(c.org);
        String refusal = null;
        IdentityRefusal reason = null;
        for (IdType unique : settings.uniqueIdTypesOrEmpty()) {
            Identifier mine = first(n.members, unique);
            Identifier theirs = first(c.members, unique);
            if (mine != null && theirs != null && !mine.equals(theirs)) {
                reason = IdentityRefusal.UNIQUE_TYPE_CONFLICT;
                refusal = unique.name() + " is unique: person " + self.id() + " holds " + mine.value()
                        + ", person " + c.p1.id() + " holds " + theirs.value();
                break;
            }
        }
        if (reason == null && n.members.size() + c.members.size() > settings.maxIdentifiersPerPerson()) {
            reason = IdentityRefusal.TOO_MANY_IDENTIFIERS;
            refusal = "persons " + self.id() + " (" + n.members.size() + " identifiers) and " + c.p1.id() + " ("
                    + c.members.size() + ") together exceed the limit of " + settings.maxIdentifiersPerPerson();
        }
        if (reason != null) {
            s.update(n);
            Identifier a = Identifier.ofKey(c.linkA);
            Identifier b = Identifier.ofKey(c.linkB);
            out.audit(new IdentityAudit(IdentityAudit.VERSION, c.org, reason, refusal, a.type().name(), a.value(),
                    b.type().name(), b.value(), List.of(self.id(), c.p1.id()), c.time, seq));
            unlockSender(c, seq, out);
            return;
        }
        List<Identifier> all = new ArrayList<>(n.members.size() + c.members.size());
        all.addAll(n.members);
        all.addAll(c.members);
        all.sort(null);
        n.members = List.copyOf(all);
        n.version++;
        s.update(n);
        out.change(new IdentityChange(IdentityChange.VERSION, IdentityChange.MERGE, c.org, self.id(), c.p1.id(),
                c.members, n.members, c.time, seq));
        Command done = Command.next(Command.MERGED, c.p1.founder(), c, seq);
        done.p1 = self;
        done.members = n.members; // the merged-away founder is a member too: re-pointed by this same step
        done.version = n.version;
        out.send(done);
        for (Identifier m : n.members) {
            if (m.key().equals(c.p1.founder())) {
                continue;
            }
            Command r = Command.next(Command.REPOINT, m.key(), c, seq);
            r.p1 = self;
            r.members = n.members;
            r.version = n.version;
            out.send(r);
        }
    }

    private static void unlockSender(Command c, long clock, Output out) {
        out.send(Command.next(Command.UNLOCK, c.p1.founder(), c, clock));
    }

    private void merged(Command c, State s, Output out) {
        Node n = s.node();
        if (n == null || n.status != Node.LOCKED) {
            out.orphan(c);
            return;
        }
        tick(n, c, s);
        n.status = Node.MERGED;
        n.successor = c.p1;
        n.members = null;
        s.update(n);
        out.personGone(c.org, IdentityCore.personId(c.org, c.target));
        if (c.members != null) {
            repoint(c, s, out); // this identifier now belongs to the survivor as well
        }
        drain(s, out);
    }

    private void unlock(Command c, State s, Output out) {
        Node n = s.node();
        if (n == null || n.status != Node.LOCKED) {
            out.orphan(c);
            return;
        }
        tick(n, c, s);
        n.status = Node.ACTIVE;
        s.update(n);
        drain(s, out);
    }

    /** Hands the queued commands on now that the person is no longer locked, until it locks again. */
    private void drain(State s, Output out) {
        Node node = s.node();
        if (!node.queued) {
            return;
        }
        node.queued = false;
        s.update(node);
        List<Command> queued = s.pending();
        if (queued.isEmpty()) {
            return;
        }
        s.setPending(List.of());
        for (int i = 0; i < queued.size(); i++) {
            Node n = s.node();
            if (n.status == Node.LOCKED) {
                List<Command> rest = new ArrayList<>(s.pending());
                rest.addAll(queued.subList(i, queued.size()));
                s.setPending(rest);
                n.queued = true;
                s.update(n);
                return;
            }
            handle(queued.get(i), s, out);
        }
    }

    private void repoint(Command c, State s, Output out) {
        Node n = s.node();
        Identifier id = Identifier.ofKey(c.target);
        if (n == null) {
            n = new Node(); // an identifier whose own state expired while it was being merged: keep the pointer
        }
        boolean newer = n.person == null || c.p1.olderThan(n.person)
                || (c.p1.id().equals(n.person.id()) && c.version > n.personVersion);
        if (!newer) {
            tick(n, c, s);
            return;
        }
        boolean moved = n.person == null || !n.person.id().equals(c.p1.id());
        n.person = c.p1;
        n.personVersion = c.version;
        n.personIds = c.members;
        n.anonymous = false;
        n.clock = Math.max(n.clock, c.clock);
        s.update(n);
        if (moved) {
            out.pointer(c.org, id, c.p1.id());
        }
        if (c.target.equals(c.p1.founder())) {
            out.person(record(c.org, c.p1, c.members, c.version));
        }
    }

    private static void pend(State s, Command c) {
        List<Command> queued = new ArrayList<>(s.pending());
        queued.add(c);
        s.setPending(queued);
        Node n = s.node();
        if (!n.queued) {
            n.queued = true;
            s.update(n);
        }
    }

    /** Advances the key's clock to the command's; returns it. */
    private static long tick(Node n, Command c, State s) {
        if (c.clock > n.clock) {
            n.clock = c.clock;
            s.update(n);
        }
        return n.clock;
    }

    /** The person founded at this key. */
    private static PersonRef own(Command c, Node n) {
        return new PersonRef(personId(c.org, c.target), c.target, n.firstSeen);
    }

    private static Identifier first(List<Identifier> ids, IdType type) {
        for (Identifier i : ids) {
            if (i.type() == type) {
                return i;
            }
        }
        return null;
    }

    static PersonRecord record(String org, PersonRef p, List<Identifier> ids, long version) {
        return new PersonRecord(PersonRecord.VERSION, org, p.id(), p.firstSeen(), version, ids);
    }
}
