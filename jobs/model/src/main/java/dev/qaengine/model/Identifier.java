package dev.qaengine.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One identifier of a person, <em>normalized</em> ({@link IdentifierRules#normalize}): two spellings of
 * the same mobile number or e-mail address are one identifier. Ordered by type, then value, which is the
 * order persons list their identifiers in.
 */
public record Identifier(@JsonProperty("type") IdType type, @JsonProperty("value") String value) implements Comparable<Identifier> {

    public Identifier {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    /** {@code TYPE:value}, the identifier's key inside one organization (Redis, Kafka keys, state keys). */
    @JsonIgnore
    public String key() {
        return type.name() + ':' + value;
    }

    /** Reads {@link #key()} back; null when {@code key} is not one. */
    public static Identifier ofKey(String key) {
        int colon = key.indexOf(':');
        if (colon < 0) {
            return null;
        }
        try {
            return new Identifier(IdType.valueOf(key.substring(0, colon)), key.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public int compareTo(Identifier o) {
        int c = type.compareTo(o.type);
        return c != 0 ? c : value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return key();
    }
}
