package dev.qaengine.journeys;

import dev.qaengine.model.journey.JourneyPlan;


/**
 * Whether a matching trigger event lets a person into a journey (SEMANTICS.md § Journeys): not a
 * duplicate or replay of an event already counted; the N-th matching event (the count starts again after
 * each entry); and within the participation limit — once ever, or fewer than {@code maxEntries} earlier
 * entries whose trigger event times lie within {@code entryWindowMs} of this one, before or after it (event
 * time, so a late event is judged where it belongs).
 *
 * <p>Pure: the state of one person in one journey goes in and comes out ({@link State} is immutable),
 * for the operator to keep in its keyed state. Event ids are remembered as 64-bit hashes
 * ({@link Hashes#id64}; a collision among one person's last ids is ~2^-52 likely), and bounded
 * ({@value #REMEMBERED_IDS} per person and journey; older ones are forgotten first): an event replayed
 * after more than that many newer matching events of the same person would count again — and still meet
 * the participation limit.
 */
public final class EntryGate {
    public static final int REMEMBERED_IDS = 64;
    /** Entry times kept per person and journey (the limit is at most 10 entries, so 32 leave room for late events). */
    public static final int REMEMBERED_ENTRIES = 32;

    /**
     * A person's record in one journey. The arrays are never changed once a state holds them (every decision
     * makes new ones): primitive arrays, because a person's record in each journey is read and written on
     * every event that concerns it, and boxed lists cost an object per value each time.
     */
    public record State(int count, long[] entries, long[] eventIds) {
        public static final State EMPTY = new State(0, new long[0], new long[0]);
    }

    /** The gate's answer: whether the person enters now, and the state to keep. */
    public record Decision(boolean enter, Reason reason, State state) {
    }

    public enum Reason { ENTERED, DUPLICATE, COUNTING, LIMIT_REACHED }

    private EntryGate() {
    }

    /**
     * The record of two persons merged into one: both persons' entries (the limit counts them all), both
     * sets of remembered event ids, and both N-th-event counts added up. Each list keeps its newest.
     */
    public static State union(State a, State b) {
        long[] entries = java.util.Arrays.copyOf(a.entries(), a.entries().length + b.entries().length);
        System.arraycopy(b.entries(), 0, entries, a.entries().length, b.entries().length);
        java.util.Arrays.sort(entries);
        entries = newest(entries, entries.length, REMEMBERED_ENTRIES);
        long[] ids = java.util.Arrays.copyOf(a.eventIds(), a.eventIds().length + b.eventIds().length);
        int n = a.eventIds().length;
        for (long id : b.eventIds()) {
            if (!contains(ids, n, id)) {
                ids[n++] = id;
            }
        }
        return new State(a.count() + b.count(), entries, newest(ids, n, REMEMBERED_IDS));
    }

    public static Decision offer(JourneyPlan.Trigger trigger, State s, String eventId, long eventTime) {
        State state = s == null ? State.EMPTY : s;
        long id = Hashes.id64(eventId);
        long[] known = state.eventIds();
        if (contains(known, known.length, id)) {
            return new Decision(false, Reason.DUPLICATE, state);
        }
        long[] ids = java.util.Arrays.copyOf(known, known.length + 1);
        ids[known.length] = id;
        ids = newest(ids, ids.length, REMEMBERED_IDS);
        int count = state.count() + 1;
        int times = trigger.times() == null ? 1 : trigger.times();
        if (count < times) {
            return new Decision(false, Reason.COUNTING, new State(count, state.entries(), ids));
        }
        int max = trigger.maxEntries() == null ? 1 : trigger.maxEntries();
        Long window = trigger.entryWindowMs();
        int within = 0;
        for (long t : state.entries()) {
            if (window == null || Math.abs(eventTime - t) < window) {
                within++;
            }
        }
        if (within >= max) {
            // the count stays where it is: the next matching event is judged again
            return new Decision(false, Reason.LIMIT_REACHED, new State(count - 1, state.entries(), ids));
        }
        long[] before = state.entries();
        long[] entries = new long[before.length + 1];
        int at = 0;
        while (at < before.length && before[at] <= eventTime) {
            at++;
        }
        System.arraycopy(before, 0, entries, 0, at);
        entries[at] = eventTime;
        System.arraycopy(before, at, entries, at + 1, before.length - at);
        return new Decision(true, Reason.ENTERED, new State(0, newest(entries, entries.length, REMEMBERED_ENTRIES), ids));
    }

    private static boolean contains(long[] values, int n, long v) {
        for (int i = 0; i < n; i++) {
            if (values[i] == v) {
                return true;
            }
        }
        return false;
    }

    /** The last {@code max} of the first {@code n} values (the array itself when it is exactly those). */
    private static long[] newest(long[] values, int n, int max) {
        int from = Math.max(0, n - max);
        return from == 0 && n == values.length ? values : java.util.Arrays.copyOfRange(values, from, n);
    }
}
