package dev.qaengine.identity;

/**
 * A reference to a person: its id, the identifier that founded it (whose key holds the person's own
 * state, so a message to the person is a message to that key) and when it was first seen. Persons are
 * ordered by age: the older of two — smaller {@code firstSeen}, then smaller id — survives their merge.
 */
public record PersonRef(String id, String founder, long firstSeen) {

    /** Whether this person survives a merge with {@code other}. */
    public boolean olderThan(PersonRef other) {
        return firstSeen != other.firstSeen ? firstSeen < other.firstSeen : id.compareTo(other.id) < 0;
    }
}
