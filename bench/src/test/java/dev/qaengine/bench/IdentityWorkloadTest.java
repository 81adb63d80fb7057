package dev.qaengine.bench;

import dev.qaengine.identity.Command;
import dev.qaengine.identity.IdentityCore;
import dev.qaengine.identity.Inputs;
import dev.qaengine.identity.Node;
import dev.qaengine.model.Identifier;
import dev.qaengine.model.IdentityAudit;
import dev.qaengine.model.IdentityChange;
import dev.qaengine.model.IdentitySettings;
import dev.qaengine.model.PersonRecord;
import dev.qaengine.model.Topics;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The identity workload, parsed by the job's own inputs and run through its rules: the counts it promises hold. */
class IdentityWorkloadTest {

    @Test
    void tenRecordsPerPersonGiveEveryPersonThreeIdentifiersAndTwoMerges() {
        check(new IdentityWorkload(42, 1_764_000_000_000L, 1_000, 10_000), 1_000);
    }

    @Test
    void fewerRecordsLeaveSomePersonsAnonymousAndTheCountsStillHold() {
        check(new IdentityWorkload(7, 1_764_000_000_000L, 1_000, 3_000), -1);
    }

    @Test
    void sameIndexSameBytesAndTopics() {
        IdentityWorkload a = new IdentityWorkload(42, 1L, 1000, 10_000);
        IdentityWorkload b = new IdentityWorkload(42, 1L, 1000, 10_000);
        for (long i : new long[]{0, 9, 19, 8_888, 9_999}) {
            assertThat(a.value(i)).isEqualTo(b.value(i));
            assertThat(a.topic(i)).isEqualTo(i % 10 == 9 ? Topics.IDENTITIES_RAW : Topics.EVENTS_NORMALIZED);
        }
        assertThat(a.topics()).containsExactly(Topics.EVENTS_NORMALIZED, Topics.IDENTITIES_RAW);
    }

    private static void check(IdentityWorkload w, int expectedPersons) {
        Map<String, Node> nodes = new HashMap<>();
        Map<String, List<Command>> pending = new HashMap<>();
        int[] merges = {0};
        int[] refusals = {0};
        long[] steps = {0};
        ArrayDeque<Command> inFlight = new ArrayDeque<>();
        IdentityCore core = new IdentityCore(IdentitySettings::defaults);
        IdentityCore.Output out = new IdentityCore.Output() {
            public void resolved(Command e, Node n) {
            }

            public void change(IdentityChange c) {
                merges[0]++;
            }

            public void audit(IdentityAudit a) {
                refusals[0]++;
            }

            public void send(Command c) {
                inFlight.add(c);
            }

            public void pointer(String org, Identifier id, String personId) {
            }

            public void person(PersonRecord r) {
            }

            public void personGone(String org, String personId) {
            }
        };
        for (long i = 0; i < w.count(); i++) {
            List<Command> in = w.topic(i).equals(Topics.IDENTITIES_RAW)
                    ? Inputs.identities(w.value(i), 1000 + i) : List.of(Inputs.event(w.value(i), 1000 + i));
            for (Command c : in) {
                assertThat(c.kind).as("record %d is usable", i).isNotEqualTo(Command.AUDIT);
                inFlight.add(c);
            }
            while (!inFlight.isEmpty()) {
                Command c = inFlight.poll();
                if (c.kind != Command.EVENT && c.kind != Command.LINK) {
                    steps[0]++;
                }
                String key = c.routingKey();
                core.handle(c, new IdentityCore.State() {
                    public Node node() {
                        return nodes.get(key);
                    }

                    public void update(Node n) {
                        nodes.put(key, n);
                    }

                    public void clear() {
                        nodes.remove(key);
                    }

                    public List<Command> pending() {
                        return pending.getOrDefault(key, List.of());
                    }

                    public void setPending(List<Command> cs) {
                        pending.put(key, cs);
                    }
                }, out);
            }
        }
        assertThat(refusals[0]).isZero();
        assertThat(merges[0]).isEqualTo(w.merges());
        // The protocol's cost per registration (two links, two merges), as the README reports it.
        double perRegistration = (double) steps[0] / Math.min(w.messages(), expectedPersons > 0 ? expectedPersons : w.messages());
        System.out.printf("identity workload: %,d protocol steps, %.2f per registration%n", steps[0], perRegistration);
        assertThat(perRegistration).as("protocol steps per registration (delivered in order)").isLessThanOrEqualTo(12.0);
        assertThat(nodes).hasSize((int) w.identifiers());
        Set<String> persons = new HashSet<>();
        nodes.values().forEach(n -> persons.add(n.person.id()));
        if (expectedPersons > 0) {
            assertThat(persons).hasSize(expectedPersons);
            assertThat(nodes).hasSize(3 * expectedPersons);
        }
    }
}
