package dev.qaengine.identity;

import dev.qaengine.model.IdType;
import dev.qaengine.model.Identifier;
import dev.qaengine.model.IdentityRefusal;
import dev.qaengine.model.IdentitySettings;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain, sequential union-find with the same caps, written independently of the job: the reference the
 * identity job is checked against. Each identifier starts as its own person (id and first-seen time given);
 * links are applied one by one; the older person (first seen earlier, then smaller id) survives.
 */
final class UnionFindOracle {
    private final IdentitySettings settings;
    private final Map<Identifier, Identifier> parent = new HashMap<>();
    private final Map<Identifier, String> personId = new HashMap<>();
    private final Map<Identifier, Long> firstSeen = new HashMap<>();
    private final Map<Identifier, List<Identifier>> members = new HashMap<>();

    UnionFindOracle(IdentitySettings settings) {
        this.settings = settings;
    }

    void add(Identifier id, String person, long seen) {
        if (parent.containsKey(id)) {
            return;
        }
        parent.put(id, id);
        personId.put(id, person);
        firstSeen.put(id, seen);
        members.put(id, new ArrayList<>(List.of(id)));
    }

    boolean knows(Identifier id) {
        return parent.containsKey(id);
    }

    Identifier root(Identifier id) {
        Identifier p = parent.get(id);
        while (!p.equals(parent.get(p))) {
            p = parent.get(p);
        }
        parent.put(id, p);
        return p;
    }

    String person(Identifier id) {
        return personId.get(root(id));
    }

    List<Identifier> membersOf(Identifier id) {
        return members.get(root(id)).stream().sorted().toList();
    }

    /** What applying the link does: null = merged (or already one person), else the refusal. */
    record Outcome(boolean alreadyOne, IdentityRefusal refusal, String survivor, String merged) {
    }

    Outcome link(Identifier a, Identifier b) {
        Identifier ra = root(a);
        Identifier rb = root(b);
        if (ra.equals(rb)) {
            return new Outcome(true, null, personId.get(ra), null);
        }
        List<Identifier> ma = members.get(ra);
        List<Identifier> mb = members.get(rb);
        for (IdType t : settings.uniqueIdTypesOrEmpty()) {
            long distinct = java.util.stream.Stream.concat(ma.stream(), mb.stream()).filter(i -> i.type() == t).distinct().count();
            if (distinct > 1) {
                return new Outcome(false, IdentityRefusal.UNIQUE_TYPE_CONFLICT, null, null);
            }
        }
        if (ma.size() + mb.size() > settings.maxIdentifiersPerPerson()) {
            return new Outcome(false, IdentityRefusal.TOO_MANY_IDENTIFIERS, null, null);
        }
        boolean aOlder = firstSeen.get(ra) != (long) firstSeen.get(rb)
                ? firstSeen.get(ra) < firstSeen.get(rb)
                : personId.get(ra).compareTo(personId.get(rb)) < 0;
        Identifier keep = aOlder ? ra : rb;
        Identifier gone = aOlder ? rb : ra;
        parent.put(gone, keep);
        members.get(keep).addAll(members.remove(gone));
        return new Outcome(false, null, personId.get(keep), personId.get(gone));
    }
}
