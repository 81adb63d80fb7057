package dev.qaengine.journeys;

import dev.qaengine.common.BinaryType;
import dev.qaengine.model.IdType;
import dev.qaengine.model.journey.DeliveryResult;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the engine keeps of one person, in one keyed value (one RocksDB read and write per event
 * that concerns a journey): the entry records per journey, the runs in progress, the recent events that
 * EVENT_BRANCH windows may still need, and the identifiers actions address the person by.
 *
 * <p>Serialized by {@link Type}, versioned by its first byte, so a later format can read this one.
 */
final class PersonState {
    static final long NONE = Long.MIN_VALUE;
    /** {@link Run#waitCode} of a run whose plan must be looked up to know. */
    static final String UNKNOWN = new String("?unknown");

    /** Arrival counter of this person's events (orders events of equal time, as CEP orders them). */
    long seq;
    /** When this person is due for clean-up, {@link #NONE} when not planned. */
    long gcAt = NONE;
    /**
     * The one timer registered for this person: the earliest of its runs' deadlines and its clean-up
     * ({@link #NONE} when none is). One timer per person, not per run: a timer is a state write, and firing
     * one reads and writes the person — one firing handles every deadline that has come.
     */
    long timerAt = NONE;
    /** The person's identifiers of the types running plans address persons by. */
    final Map<IdType, String> ids = new EnumMap<>(IdType.class);
    /** Entry records per journey id. */
    final Map<String, EntryGate.State> gates = new HashMap<>();
    final List<Run> runs = new ArrayList<>();
    /** Recent events of watched codes, oldest first. */
    final List<Seen> history = new ArrayList<>();
    /**
     * Set once this person was merged into another (identity): its state has moved there, and what still
     * arrives for it (delivery results of its runs) is forwarded. Kept until the clean-up.
     */
    String mergedInto;
    /** The person's values of the tags running TAG_BRANCHes of its organization look at. */
    final Map<String, String> tags = new HashMap<>();

    boolean isEmpty() {
        return gates.isEmpty() && runs.isEmpty() && history.isEmpty() && mergedInto == null && tags.isEmpty();
    }

    /**
     * Takes in the state of a person merged into this one: its runs (same ids, so the same idempotency keys:
     * nothing sent twice), its entries per journey (so participation limits hold across the merge: the
     * entries of both count, and so do the de-duplication ids and the N-th-event counts), its recent events
     * and any identifier this one lacks. Runs already here (a repeated transfer) are not taken twice.
     *
     * @return the runs taken, whose timers the caller registers here
     */
    List<Run> absorb(PersonState other, int maxHistory) {
        List<Run> taken = new ArrayList<>();
        for (Run r : other.runs) {
            if (run(r.runId) == null) {
                runs.add(r);
                taken.add(r);
            }
        }
        for (Map.Entry<String, EntryGate.State> e : other.gates.entrySet()) {
            gates.merge(e.getKey(), e.getValue(), EntryGate::union);
        }
        history.addAll(other.history);
        history.sort(java.util.Comparator.comparingLong(Seen::time));
        while (history.size() > maxHistory) {
            history.remove(0);
        }
        seq = Math.max(seq, other.seq);
        other.ids.forEach(ids::putIfAbsent);
        other.tags.forEach(tags::putIfAbsent);
        return taken;
    }

    Run run(String runId) {
        for (Run r : runs) {
            if (r.runId.equals(runId)) {
                return r;
            }
        }
        return null;
    }

    /** A person's pass through one journey, started by one trigger event, on one plan version. */
    static final class Run {
        String runId;
        String journeyId;
        long planVersion;
        String triggerEventId;
        /** Event time of the trigger event. */
        long entryTime;
        /** The step it is at. */
        String stepId;
        /** Event time at which it reached that step (a wait's or window's start). */
        long since;
        /** The person's arrival counter when it reached that step: events of time {@code since} count only after it. */
        long sinceSeq;
        /** Its pending timer, {@link #NONE} when it has none. */
        long timer = NONE;
        /** Matching events counted in the current EVENT_BRANCH window, and their id hashes (no event counts twice). */
        int count;
        final List<Long> counted = new ArrayList<>();
        /** The trigger event's attributes that the plan's variables read, as text. */
        final Map<String, String> vars = new LinkedHashMap<>();
        /** The branch of the COPY or TIME branch it came out of (null before any). */
        String branch;
        /**
         * The event code the run's EVENT_BRANCH window waits for (null when it waits for none): an event is offered
         * only to the runs waiting for its code, without looking their plans up. {@link #UNKNOWN} for runs read from
         * state format 1, which are looked up.
         */
        String waitCode;
        /** Delivery results of its actions that a RESULT_BRANCH routes by: node id → the furthest outcome. */
        final Map<String, DeliveryResult.Outcome> results = new LinkedHashMap<>();

        /** A copy going on as a branch of its own: a new id, no timer, nothing counted. */
        Run copy(String newId) {
            Run r = new Run();
            r.runId = newId;
            r.journeyId = journeyId;
            r.planVersion = planVersion;
            r.triggerEventId = triggerEventId;
            r.entryTime = entryTime;
            r.stepId = stepId;
            r.since = since;
            r.sinceSeq = sinceSeq;
            r.vars.putAll(vars);
            r.branch = branch;
            r.results.putAll(results);
            return r;
        }
    }

    /** An event kept for windows that may still open over it. */
    record Seen(long id, long seq, long time, String code, String channel, Map<String, Object> attributes) {
    }

    static final class Type extends BinaryType<PersonState> {
        static final Type INSTANCE = new Type();
        /** 2: the person's one timer; run ids of the engine's own form (32 hex digits, a branch suffix) as 16 bytes. */
        private static final int FORMAT = 2;

        @Override
        protected void write(PersonState p, DataOutputView out) throws IOException {
            out.writeByte(FORMAT);
            out.writeLong(p.seq);
            out.writeLong(p.gcAt);
            out.writeLong(p.timerAt);
            writeString(p.mergedInto, out);
            out.writeShort(p.tags.size());
            for (Map.Entry<String, String> t : p.tags.entrySet()) {
                writeString(t.getKey(), out);
                writeString(t.getValue(), out);
            }
            out.writeShort(p.ids.size());
            for (Map.Entry<IdType, String> e : p.ids.entrySet()) {
                out.writeByte(e.getKey().ordinal());
                writeString(e.getValue(), out);
            }
            out.writeShort(p.gates.size());
            for (Map.Entry<String, EntryGate.State> e : p.gates.entrySet()) {
                writeString(e.getKey(), out);
                EntryGate.State g = e.getValue();
                out.writeInt(g.count());
                longArray(g.entries(), out);
                longArray(g.eventIds(), out);
            }
            out.writeShort(p.runs.size());
            for (Run r : p.runs) {
                writeRunId(r.runId, out);
                writeString(r.journeyId, out);
                out.writeLong(r.planVersion);
                writeString(r.triggerEventId, out);
                out.writeLong(r.entryTime);
                writeString(r.stepId, out);
                out.writeLong(r.since);
                out.writeLong(r.sinceSeq);
                out.writeLong(r.timer);
                out.writeInt(r.count);
                longs(r.counted, out);
                out.writeShort(r.vars.size());
                for (Map.Entry<String, String> v : r.vars.entrySet()) {
                    writeString(v.getKey(), out);
                    writeString(v.getValue(), out);
                }
                writeString(r.branch, out);
                writeString(r.waitCode == UNKNOWN ? "\u0000" : r.waitCode, out); // still unknown: looked up when read again
                out.writeShort(r.results.size());
                for (Map.Entry<String, DeliveryResult.Outcome> e : r.results.entrySet()) {
                    writeString(e.getKey(), out);
                    out.writeByte(e.getValue().ordinal());
                }
            }
            out.writeShort(p.history.size());
            for (Seen s : p.history) {
                out.writeLong(s.id());
                out.writeLong(s.seq());
                out.writeLong(s.time());
                writeString(s.code(), out);
                out.writeBoolean(s.channel() != null);
                if (s.channel() != null) {
                    writeString(s.channel(), out);
                }
                out.writeShort(s.attributes().size());
                for (Map.Entry<String, Object> a : s.attributes().entrySet()) {
                    writeString(a.getKey(), out);
                    Object v = a.getValue();
                    if (v == null) {
                        out.writeByte(0);
                    } else if (v instanceof Number n) {
                        out.writeByte(1);
                        out.writeDouble(n.doubleValue());
                    } else {
                        out.writeByte(2);
                        writeString(String.valueOf(v), out);
                    }
                }
            }
        }

        @Override
        protected PersonState read(DataInputView in) throws IOException {
            int format = in.readByte();
            if (format != FORMAT && format != 1) {
                throw new IOException("person state format " + format + " is not known to this engine");
            }
            PersonState p = new PersonState();
            p.seq = in.readLong();
            p.gcAt = in.readLong();
            // format 1 had a timer per run and one for the clean-up: they still fire, and the next write registers the one
            p.timerAt = format == 1 ? NONE : in.readLong();
            p.mergedInto = readString(in);
            for (int i = in.readShort(); i > 0; i--) {
                p.tags.put(readString(in), readString(in));
            }
            IdType[] types = IdType.values();
            for (int i = in.readShort(); i > 0; i--) {
                p.ids.put(types[in.readByte()], readString(in));
            }
            for (int i = in.readShort(); i > 0; i--) {
                String journey = readString(in);
                int count = in.readInt();
                p.gates.put(journey, new EntryGate.State(count, longArray(in), longArray(in)));
            }
            for (int i = in.readShort(); i > 0; i--) {
                Run r = new Run();
                r.runId = format == 1 ? readString(in) : readRunId(in);
                r.journeyId = readString(in);
                r.planVersion = in.readLong();
                r.triggerEventId = readString(in);
                r.entryTime = in.readLong();
                r.stepId = readString(in);
                r.since = in.readLong();
                r.sinceSeq = in.readLong();
                r.timer = in.readLong();
                r.count = in.readInt();
                r.counted.addAll(longs(in));
                for (int j = in.readShort(); j > 0; j--) {
                    r.vars.put(readString(in), readString(in));
                }
                r.branch = readString(in);
                String waitCode = format == 1 ? null : readString(in);
                r.waitCode = format == 1 || "\u0000".equals(waitCode) ? UNKNOWN : waitCode;
                DeliveryResult.Outcome[] outcomes = DeliveryResult.Outcome.values();
                for (int j = in.readShort(); j > 0; j--) {
                    r.results.put(readString(in), outcomes[in.readByte()]);
                }
                p.runs.add(r);
            }
            for (int i = in.readShort(); i > 0; i--) {
                long id = in.readLong();
                long seq = in.readLong();
                long time = in.readLong();
                String code = readString(in);
                String channel = in.readBoolean() ? readString(in) : null;
                Map<String, Object> attrs = new HashMap<>();
                for (int j = in.readShort(); j > 0; j--) {
                    String name = readString(in);
                    int tag = in.readByte();
                    attrs.put(name, tag == 0 ? null : tag == 1 ? (Object) in.readDouble() : readString(in));
                }
                p.history.add(new Seen(id, seq, time, code, channel, attrs));
            }
            return p;
        }

        private static final java.util.HexFormat HEX = java.util.HexFormat.of();

        /** A run id {@code <32 hex digits>[/<branch>…]} ({@link Hashes#runId}) as 16 bytes and the suffix; any other form as text. */
        private static void writeRunId(String id, DataOutputView out) throws IOException {
            byte[] hash = id.length() >= 32 && (id.length() == 32 || id.charAt(32) == '/') ? hash16(id) : null;
            if (hash != null) {
                out.writeByte(1);
                out.write(hash);
                writeString(id.length() == 32 ? "" : id.substring(32), out);
            } else {
                out.writeByte(0);
                writeString(id, out);
            }
        }

        /** The first 32 characters as 16 bytes when they are lower-case hex digits (the engine's own form), else null: one pass. */
        private static byte[] hash16(String id) {
            byte[] b = new byte[16];
            for (int i = 0; i < 16; i++) {
                int hi = hexDigit(id.charAt(2 * i));
                int lo = hexDigit(id.charAt(2 * i + 1));
                if ((hi | lo) < 0) {
                    return null;
                }
                b[i] = (byte) (hi << 4 | lo);
            }
            return b;
        }

        private static int hexDigit(char c) {
            return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        }

        private static String readRunId(DataInputView in) throws IOException {
            if (in.readByte() == 0) {
                return readString(in);
            }
            byte[] hash = new byte[16];
            in.readFully(hash);
            return HEX.formatHex(hash) + readString(in);
        }

        private static void longs(List<Long> values, DataOutputView out) throws IOException {
            out.writeShort(values.size());
            for (long v : values) {
                out.writeLong(v);
            }
        }

        private static void longArray(long[] values, DataOutputView out) throws IOException {
            out.writeShort(values.length);
            for (long v : values) {
                out.writeLong(v);
            }
        }

        private static long[] longArray(DataInputView in) throws IOException {
            long[] values = new long[in.readShort()];
            for (int i = 0; i < values.length; i++) {
                values[i] = in.readLong();
            }
            return values;
        }

        private static List<Long> longs(DataInputView in) throws IOException {
            int n = in.readShort();
            List<Long> values = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                values.add(in.readLong());
            }
            return List.copyOf(values);
        }

        @Override
        protected Class<PersonState> typeClass() {
            return PersonState.class;
        }

        @Override
        public TypeSerializerSnapshot<PersonState> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<PersonState> {
        public Snapshot() {
            super(() -> Type.INSTANCE);
        }
    }
}
