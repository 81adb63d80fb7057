package dev.qaengine.journeys;

import dev.qaengine.model.journey.JourneyPlan;

import java.util.ArrayList;
import java.util.List;

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

    /** A person's record in one journey. */
    public record State(int count, List<Long> entries, List<Long> eventIds) {
        public static final State EMPTY = new State(0, List.of(), List.of());
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
        List<Long> entries = new ArrayList<>(a.entries());
        entries.addAll(b.entries());
        entries.sort(null);
        while (entries.size() > REMEMBERED_ENTRIES) {
            entries.remove(0);
        }
        List<Long> ids = new ArrayList<>(a.eventIds());
        for (long id : b.eventIds()) {
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        while (ids.size() > REMEMBERED_IDS) {
            ids.remove(0);
        }
        return new State(a.count() + b.count(), List.copyOf(entries), List.copyOf(ids));
    }

    public static Decision offer(JourneyPlan.Trigger trigger, State s, String eventId, long eventTime) {
        State state = s == null ? State.EMPTY : s;
        long id = Hashes.id64(eventId);
        if (state.eventIds().contains(id)) {
            return new Decision(false, Reason.DUPLICATE, state);
        }
        List<Long> ids = new ArrayList<>(state.eventIds());
        ids.add(id);
        if (ids.size() > REMEMBERED_IDS) {
            ids.remove(0);
        }
        int count = state.count() + 1;
        int times = trigger.times() == null ? 1 : trigger.times();
        if (count < times) {
            return new Decision(false, Reason.COUNTING, new State(count, state.entries(), List.copyOf(ids)));
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
            return new Decision(false, Reason.LIMIT_REACHED, new State(count - 1, state.entries(), List.copyOf(ids)));
        }
        List<Long> entries = new ArrayList<>(state.entries());
        entries.add(eventTime);
        entries.sort(null);
        if (entries.size() > REMEMBERED_ENTRIES) {
            entries.remove(0);
        }
        return new Decision(true, Reason.ENTERED, new State(0, List.copyOf(entries), List.copyOf(ids)));
    }
}
