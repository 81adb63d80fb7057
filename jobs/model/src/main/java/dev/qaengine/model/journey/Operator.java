package dev.qaengine.model.journey;

/**
 * Comparisons of attribute conditions and count conditions. Each applies to TEXT or NUMBER attributes
 * (or both) and takes a fixed number of values.
 */
public enum Operator {
    EQ(true, true, 1), NE(true, true, 1),
    GT(false, true, 1), GE(false, true, 1), LT(false, true, 1), LE(false, true, 1),
    /** Inclusive range: two values, low then high. */
    BETWEEN(false, true, 2),
    CONTAINS(true, false, 1), NOT_CONTAINS(true, false, 1), STARTS_WITH(true, false, 1), ENDS_WITH(true, false, 1),
    /** One of the values (one or more). */
    IN(true, true, -1), NOT_IN(true, true, -1),
    /** The attribute is absent or empty: no value. */
    IS_EMPTY(true, true, 0), IS_NOT_EMPTY(true, true, 0);

    public final boolean text;
    public final boolean number;
    /** Values the operator takes; -1 = one or more. */
    public final int arity;

    Operator(boolean text, boolean number, int arity) {
        this.text = text;
        this.number = number;
        this.arity = arity;
    }

    /** Operators a count condition may use. */
    public boolean forCounts() {
        return number && arity == 1;
    }
}
