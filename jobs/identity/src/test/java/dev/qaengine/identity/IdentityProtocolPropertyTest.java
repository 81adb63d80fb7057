package dev.qaengine.identity;

import dev.qaengine.model.IdType;
import dev.qaengine.model.Identifier;
import dev.qaengine.model.IdentityAudit;
import dev.qaengine.model.IdentityChange;
import dev.qaengine.model.IdentityRefusal;
import dev.qaengine.model.IdentitySettings;
import dev.qaengine.model.PersonRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random identity graphs — shared devices, giant components, conflicting unique ids, anonymous persons
 * that later log in, shuffled and duplicated input — through the merge protocol with adversarial delivery
 * order, compared with a plain sequential union-find with the same caps ({@link UnionFindOracle}).
 */
class IdentityProtocolPropertyTest {
    private static final String ORG = "org-1";
    private static final int SCENARIOS = Integer.getInteger("identity.scenarios", 400);

    private static final List<IdentitySettings> SETTINGS = List.of(
            IdentitySettings.defaults(ORG),
            new IdentitySettings(ORG, List.of(IdType.ONEID, IdType.MOBILE), 4),
            new IdentitySettings(ORG, List.of(), 3),
            new IdentitySettings(ORG, List.of(), 1000));

    @Test
    void everyScenarioMatchesTheSequentialOracleReplayedInDecisionOrder() {
        Stats total = new Stats();
        for (int seed = 1; seed <= SCENARIOS; seed++) {
            IdentitySettings settings = SETTINGS.get(seed % SETTINGS.size());
            Scenario s = Scenario.random(seed, settings);
            ProtocolSimulator sim = new ProtocolSimulator(settings, seed * 31L);
            sim.run(s.inputs);
            check(s, sim, "seed " + seed + " " + settings);
            total.add(sim);
        }
        // The generator must actually exercise what it claims to: merges, both refusals, anonymous persons.
        assertThat(total.merges).as("merges").isGreaterThan(1000);
        assertThat(total.unique).as("unique-type refusals").isGreaterThan(100);
        assertThat(total.tooMany).as("too-many refusals").isGreaterThan(100);
        assertThat(total.anonymousMerged).as("anonymous persons merged into known ones").isGreaterThan(100);
    }

    @Test
    void withoutCapsTheResultDoesNotDependOnOrderOrDeliveryAtAll() {
        IdentitySettings free = new IdentitySettings(ORG, List.of(), 1000);
        for (int seed = 1; seed <= SCENARIOS / 4; seed++) {
            Scenario s = Scenario.random(seed, free);
            ProtocolSimulator sim = new ProtocolSimulator(free, seed);
            sim.run(s.inputs);
            UnionFindOracle oracle = seeded(free, sim);
            List<Command> shuffled = new ArrayList<>(s.links());
            Collections.shuffle(shuffled, new Random(seed));
            for (Command l : shuffled) {
                oracle.link(Identifier.ofKey(l.linkA), Identifier.ofKey(l.linkB));
            }
            for (Identifier id : s.identifiers) {
                assertThat(sim.nodes.get(ORG + '|' + id.key()).person.id()).as("seed %d, %s", seed, id).isEqualTo(oracle.person(id));
            }
        }
    }

    @Test
    void anAnonymousDeviceThatLogsInJoinsTheCustomerAndTheOlderPersonSurvives() {
        IdentitySettings settings = IdentitySettings.defaults(ORG);
        Identifier device = new Identifier(IdType.IDFA, "6D92078A-8246-4BA4-AE5B-76104861E7DC");
        Identifier customer = new Identifier(IdType.ONEID, "c-1");
        List<Command> inputs = List.of(
                Command.event(ORG, device.key(), 100, new byte[0]),
                Command.event(ORG, device.key(), 150, new byte[0]),
                Command.event(ORG, customer.key(), 200, new byte[0]),
                Command.link(ORG, customer.key(), device.key(), 300),
                Command.event(ORG, customer.key(), 400, new byte[0]));
        ProtocolSimulator sim = new ProtocolSimulator(settings, 7);
        for (Command c : inputs) {
            sim.run(List.of(c)); // one at a time: each step completes before the next input
        }
        String anonymous = IdentityCore.personId(ORG, device.key());
        assertThat(sim.resolvedPersons).containsExactly(anonymous, anonymous, IdentityCore.personId(ORG, customer.key()), anonymous);
        assertThat(sim.changes).singleElement().satisfies(c -> {
            assertThat(c.survivor()).isEqualTo(anonymous); // the device was seen first: its person is the older one
            assertThat(c.merged()).isEqualTo(IdentityCore.personId(ORG, customer.key()));
            assertThat(c.moved()).containsExactly(customer);
            assertThat(c.identifiers()).containsExactly(customer, device);
        });
        assertThat(sim.directory).containsEntry(ORG + '|' + customer.key(), anonymous).containsEntry(ORG + '|' + device.key(), anonymous);
    }

    @Test
    void aSecondCustomerOnTheSameDeviceIsRefusedWithTheReason() {
        IdentitySettings settings = IdentitySettings.defaults(ORG);
        Identifier device = new Identifier(IdType.IMEI, "860123456789012");
        ProtocolSimulator sim = new ProtocolSimulator(settings, 3);
        sim.run(List.of(Command.link(ORG, "ONEID:alice", device.key(), 10)));
        sim.run(List.of(Command.link(ORG, "ONEID:bob", device.key(), 20)));
        assertThat(sim.changes).hasSize(1);
        assertThat(sim.audits).singleElement().satisfies(a -> {
            assertThat(a.reason()).isEqualTo(IdentityRefusal.UNIQUE_TYPE_CONFLICT);
            assertThat(a.anchorValue()).isEqualTo("bob");
            assertThat(a.idValue()).isEqualTo("860123456789012");
            assertThat(a.detail()).contains("ONEID is unique").contains("alice").contains("bob");
            assertThat(a.persons()).containsExactlyInAnyOrder(sim.nodes.get(ORG + "|ONEID:alice").person.id(), IdentityCore.personId(ORG, "ONEID:bob"));
        });
        assertThat(sim.nodes.get(ORG + "|ONEID:bob").person.id()).isEqualTo(IdentityCore.personId(ORG, "ONEID:bob"));
    }

    // ---------------------------------------------------------------------------------------------

    private static void check(Scenario s, ProtocolSimulator sim, String what) {
        // 1. Quiet: nothing locked, nothing queued, nothing lost.
        assertThat(sim.pending).as(what + ": pending").isEmpty();
        assertThat(sim.orphans).as(what + ": orphans").isZero();
        sim.nodes.forEach((k, n) -> assertThat(n.status).as(what + ": status of " + k).isNotEqualTo(Node.LOCKED));
        assertThat(sim.resolved).as(what + ": every event resolved once").hasSize(s.events);

        // 2. Replaying the job's decisions in seq order through the oracle gives the same decisions.
        UnionFindOracle oracle = seeded(s.settings, sim);
        record Decision(long seq, int index, IdentityChange change, IdentityAudit audit) {
        }
        List<Decision> decisions = new ArrayList<>();
        for (IdentityChange c : sim.changes) {
            decisions.add(new Decision(c.seq(), decisions.size(), c, null));
        }
        for (IdentityAudit a : sim.audits) {
            decisions.add(new Decision(a.seq(), decisions.size(), null, a));
        }
        decisions.sort(Comparator.comparingLong(Decision::seq).thenComparingInt(Decision::index));
        Map<IdentityAudit, Boolean> seen = new HashMap<>();
        for (Decision d : decisions) {
            Identifier a;
            Identifier b;
            if (d.change != null) {
                // The link that caused a merge is not on the change record: find the merged persons' members.
                UnionFindOracle.Outcome o = oracleMerge(oracle, d.change);
                assertThat(o.refusal()).as(what + ": oracle refuses a merge the job made: " + d.change).isNull();
                assertThat(o.alreadyOne()).as(what + ": oracle has one person already: " + d.change).isFalse();
                assertThat(o.survivor()).as(what + ": survivor").isEqualTo(d.change.survivor());
                assertThat(o.merged()).as(what + ": merged").isEqualTo(d.change.merged());
            } else {
                a = new Identifier(IdType.valueOf(d.audit.anchorType()), d.audit.anchorValue());
                b = new Identifier(IdType.valueOf(d.audit.idType()), d.audit.idValue());
                UnionFindOracle.Outcome o = oracle.link(a, b);
                assertThat(o.alreadyOne()).as(what + ": refused link is one person in the oracle: " + d.audit).isFalse();
                assertThat(o.refusal()).as(what + ": refusal " + d.audit).isEqualTo(d.audit.reason());
                seen.put(d.audit, true);
            }
        }

        // 3. The final persons are the oracle's: every identifier, every member list, the directory.
        for (Identifier id : s.identifiers) {
            String key = ORG + '|' + id.key();
            Node n = sim.nodes.get(key);
            assertThat(n).as(what + ": node of " + id).isNotNull();
            assertThat(n.person.id()).as(what + ": person of " + id).isEqualTo(oracle.person(id));
            assertThat(n.personIds).as(what + ": identifiers seen by " + id).isEqualTo(oracle.membersOf(id));
            assertThat(sim.directory.get(key)).as(what + ": directory " + id).isEqualTo(n.person.id());
            Node founder = sim.nodes.get(ORG + '|' + n.person.founder());
            assertThat(founder.status).isEqualTo(Node.ACTIVE);
            assertThat(founder.members).as(what + ": members of " + n.person.id()).isEqualTo(oracle.membersOf(id));
            assertThat(founder.members.size()).isLessThanOrEqualTo(s.settings.maxIdentifiersPerPerson());
            for (IdType t : s.settings.uniqueIdTypesOrEmpty()) {
                assertThat(founder.members.stream().filter(i -> i.type() == t).count()).isLessThanOrEqualTo(1);
            }
        }

        // 4. Every input link holds, or was refused with a reason.
        Set<String> refused = new HashSet<>();
        for (IdentityAudit a : sim.audits) {
            refused.add(a.anchorType() + ':' + a.anchorValue() + '~' + a.idType() + ':' + a.idValue());
        }
        for (Command l : s.links()) {
            boolean together = sim.nodes.get(ORG + '|' + l.linkA).person.id().equals(sim.nodes.get(ORG + '|' + l.linkB).person.id());
            assertThat(together || refused.contains(l.linkA + '~' + l.linkB)).as(what + ": link " + l.linkA + "~" + l.linkB).isTrue();
        }
    }

    /** Applies a change to the oracle: the link between any identifier of each of the two persons. */
    private static UnionFindOracle.Outcome oracleMerge(UnionFindOracle oracle, IdentityChange c) {
        Identifier moved = c.moved().get(0);
        Identifier kept = c.identifiers().stream().filter(i -> !c.moved().contains(i)).findFirst().orElseThrow();
        return oracle.link(kept, moved);
    }

    private static UnionFindOracle seeded(IdentitySettings settings, ProtocolSimulator sim) {
        UnionFindOracle oracle = new UnionFindOracle(settings);
        for (PersonRecord p : sim.created) {
            oracle.add(p.identifiers().get(0), p.personId(), p.firstSeen());
        }
        return oracle;
    }

    private static final class Stats {
        long merges;
        long unique;
        long tooMany;
        long anonymousMerged;

        void add(ProtocolSimulator sim) {
            merges += sim.changes.size();
            unique += sim.audits.stream().filter(a -> a.reason() == IdentityRefusal.UNIQUE_TYPE_CONFLICT).count();
            tooMany += sim.audits.stream().filter(a -> a.reason() == IdentityRefusal.TOO_MANY_IDENTIFIERS).count();
            anonymousMerged += sim.changes.stream().filter(c -> c.moved().stream().anyMatch(i -> i.type() == IdType.IDFA)
                    && c.identifiers().stream().anyMatch(i -> i.type() == IdType.ONEID)).count();
        }
    }

    /** A random workload: identity messages and events of one org, shuffled, some duplicated. */
    static final class Scenario {
        final IdentitySettings settings;
        final List<Command> inputs = new ArrayList<>();
        final Set<Identifier> identifiers = new HashSet<>();
        int events;

        Scenario(IdentitySettings settings) {
            this.settings = settings;
        }

        List<Command> links() {
            return inputs.stream().filter(c -> c.kind == Command.LINK && !c.linkA.equals(c.linkB)).toList();
        }

        static Scenario random(long seed, IdentitySettings settings) {
            Random r = new Random(seed);
            Scenario s = new Scenario(settings);
            int customers = 2 + r.nextInt(12);
            int sharedDevices = 1 + r.nextInt(4);
            List<Command> raw = new ArrayList<>();
            boolean giant = r.nextInt(4) == 0;
            for (int c = 0; c < customers; c++) {
                Identifier customer = new Identifier(IdType.ONEID, "c" + c);
                int links = r.nextInt(6);
                for (int i = 0; i < links; i++) {
                    Identifier other = switch (r.nextInt(6)) {
                        case 0 -> new Identifier(IdType.IDFA, String.format("00000000-0000-0000-0000-%012d", r.nextInt(sharedDevices) + 1));
                        case 1 -> new Identifier(IdType.IDFA, String.format("00000000-0000-0000-0001-%012d", c * 100 + i));
                        case 2 -> new Identifier(IdType.MOBILE, "138" + String.format("%08d", r.nextInt(customers + 2)));
                        case 3 -> new Identifier(IdType.EMAIL, "u" + c + "-" + i + "@example.com");
                        case 4 -> new Identifier(IdType.ONEID, "c" + r.nextInt(customers)); // a second ONEID
                        default -> new Identifier(IdType.OPEN_ID, "o" + c + "x" + r.nextInt(3));
                    };
                    raw.add(Command.link(ORG, customer.key(), other.key(), 0));
                }
                if (giant && c > 0) {
                    // a chain through devices: every customer shares one with the previous one
                    raw.add(Command.link(ORG, customer.key(), new Identifier(IdType.IMEI, String.format("8600000000%05d", c)).key(), 0));
                    raw.add(Command.link(ORG, new Identifier(IdType.ONEID, "c" + (c - 1)).key(),
                            new Identifier(IdType.IMEI, String.format("8600000000%05d", c)).key(), 0));
                }
            }
            // Events: customers and (anonymous, before any link is known) devices.
            int events = r.nextInt(3 * customers);
            for (int e = 0; e < events; e++) {
                Identifier who = r.nextBoolean()
                        ? new Identifier(IdType.ONEID, "c" + r.nextInt(customers))
                        : new Identifier(IdType.IDFA, String.format("00000000-0000-0000-0001-%012d", r.nextInt(customers) * 100 + r.nextInt(3)));
                raw.add(Command.event(ORG, who.key(), 0, new byte[0]));
            }
            Collections.shuffle(raw, r);
            List<Command> withDuplicates = new ArrayList<>();
            for (Command c : raw) {
                withDuplicates.add(c);
                if (r.nextInt(10) == 0) {
                    withDuplicates.add(copy(c));
                }
            }
            for (int i = 0; i < withDuplicates.size(); i++) {
                Command c = withDuplicates.get(i);
                c.time = 1_000 + i / 3; // record timestamps in input order, some equal (ties by person id)
                s.inputs.add(c);
                s.identifiers.add(Identifier.ofKey(c.target));
                if (c.kind == Command.LINK) {
                    s.identifiers.add(Identifier.ofKey(c.linkB));
                } else {
                    s.events++;
                }
            }
            return s;
        }

        private static Command copy(Command c) {
            return c.kind == Command.LINK ? Command.link(c.org, c.linkA, c.linkB, c.time) : Command.event(c.org, c.target, c.time, c.payload);
        }
    }
}
