package dev.qaengine.identity;

import dev.qaengine.model.Identifier;

import java.util.List;

/**
 * One message to one identifier key of the identity operator: an input (an event, a link) or a step of
 * the merge protocol travelling through the feedback topic. Mutable fields, no getters: it is the
 * element type of the keyed stream and is written by {@link CommandCodec}.
 */
public final class Command {
    /** An event whose customer id is {@link #target}: resolve its person and emit the resolved event. */
    public static final byte EVENT = 1;
    /** From an identity message: {@link #linkA} (the customer, = target) and {@link #linkB} belong together. */
    public static final byte LINK = 2;
    /** Second step of a link, at {@link #linkB}: {@link #p1} is linkA's person. */
    public static final byte LINK_AT = 3;
    /** At the founder of the younger person {@link #p1}: merge it into the older {@link #p2}. */
    public static final byte MERGE = 4;
    /** At the founder of the older person {@link #p2}: take {@link #p1} with its {@link #members}, or refuse. */
    public static final byte ABSORB = 5;
    /** At the founder of a locked person: it now belongs to {@link #p1} (the survivor). */
    public static final byte MERGED = 6;
    /** At the founder of a locked person: the merge was refused, carry on. */
    public static final byte UNLOCK = 7;
    /** At a member of person {@link #p1}: it now belongs to p1, whose identifiers are {@link #members} at {@link #version}. */
    public static final byte REPOINT = 8;

    /** A message refused on receipt (not readable, unknown type, invalid value): {@link #payload} is the IdentityAudit JSON. */
    public static final byte AUDIT = 9;

    public byte kind;
    public String org;
    /** The identifier key ({@code TYPE:value}) this command is for. */
    public String target;
    /** Epoch ms: the record timestamp of the input that started it (first-seen times come from it). */
    public long time;
    /** Logical clock: decisions that depend on each other carry increasing clocks. */
    public long clock;
    /** The link being decided: the customer (anchor) and the linked identifier, as keys. */
    public String linkA;
    public String linkB;
    public PersonRef p1;
    public PersonRef p2;
    public List<Identifier> members;
    public long version;
    /** EVENT: the canonical event's JSON. */
    public byte[] payload;

    public Command() {
    }

    public static Command event(String org, String target, long time, byte[] canonicalJson) {
        Command c = new Command();
        c.kind = EVENT;
        c.org = org;
        c.target = target;
        c.time = time;
        c.payload = canonicalJson;
        return c;
    }

    public static Command link(String org, String anchor, String linked, long time) {
        Command c = new Command();
        c.kind = LINK;
        c.org = org;
        c.target = anchor;
        c.time = time;
        c.linkA = anchor;
        c.linkB = linked;
        return c;
    }

    /** A protocol step derived from {@code cause}: same org, time and link. */
    static Command next(byte kind, String target, Command cause, long clock) {
        Command c = new Command();
        c.kind = kind;
        c.org = cause.org;
        c.target = target;
        c.time = cause.time;
        c.clock = clock;
        c.linkA = cause.linkA;
        c.linkB = cause.linkB;
        return c;
    }

    /** The key of the identity operator: org and identifier. */
    public String routingKey() {
        return org + '|' + target;
    }

    @Override
    public String toString() {
        return "Command{" + kind + " " + org + "|" + target + " clock=" + clock + " link=" + linkA + "~" + linkB
                + " p1=" + p1 + " p2=" + p2 + "}";
    }
}
