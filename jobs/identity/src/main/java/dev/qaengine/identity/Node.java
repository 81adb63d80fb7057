package dev.qaengine.identity;

import dev.qaengine.model.Identifier;

import java.util.List;

/**
 * What the identity operator keeps per identifier key.
 * <ul>
 *   <li>Every identifier: its person ({@link #person}) and a copy of that person's identifiers at
 *   {@link #personVersion}, so that an event is resolved in one step, at its own key.</li>
 *   <li>The identifier that founded a person also holds the person ({@link #status} not {@link #NONE}):
 *   its members, version and clock; while a merge of it is in flight it is {@link #LOCKED}; once merged
 *   away it stays as a forwarding address ({@link #MERGED} with {@link #successor}).</li>
 * </ul>
 */
public final class Node {
    public static final byte NONE = 0;
    public static final byte ACTIVE = 1;
    public static final byte LOCKED = 2;
    public static final byte MERGED = 3;

    public PersonRef person;
    public long personVersion;
    public List<Identifier> personIds;

    /** Logical clock of what this key has seen (decisions carry clocks; see {@link Command#clock}). */
    public long clock;

    public byte status;
    /** The founded person's first-seen time (its id follows from the key: {@link IdentityCore#personId}). */
    public long firstSeen;
    public long version;
    public List<Identifier> members;
    public PersonRef successor;
    /** Commands wait in the pending list (so that unlocking need not read it when none do). */
    public boolean queued;
    /** Created by an event and never linked: an anonymous person that may expire. */
    public boolean anonymous;
    /** Anonymous persons: the day (epoch days, of record timestamps) of the last event seen; expiry counts from it. */
    public int lastSeenDay;

    /**
     * Not state (never serialized): the resolved events' JSON before the event, rendered for
     * {@link #prefixPerson} and {@link #prefixIds} — reused while this object (cached) keeps that person.
     */
    byte[] resolvedPrefix;
    PersonRef prefixPerson;
    List<Identifier> prefixIds;

    public Node() {
    }
}
