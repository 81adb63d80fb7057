package dev.qaengine.journeys;

import dev.qaengine.journeys.EntryGate.Decision;
import dev.qaengine.journeys.EntryGate.Reason;
import dev.qaengine.journeys.EntryGate.State;
import dev.qaengine.model.journey.JourneyPlan.Trigger;
import dev.qaengine.model.journey.TriggerType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EntryGateTest {
    static final long DAY = 86_400_000L;
    static final Trigger ONCE = new Trigger(TriggerType.EVENT, null, 1, 1, null, null);

    /** Offers events (id, time) one after another; returns the reasons. */
    static List<Reason> offer(Trigger t, Object... idAndTime) {
        State s = State.EMPTY;
        List<Reason> out = new ArrayList<>();
        for (int i = 0; i < idAndTime.length; i += 2) {
            Decision d = EntryGate.offer(t, s, (String) idAndTime[i], ((Number) idAndTime[i + 1]).longValue());
            assertThat(d.enter()).isEqualTo(d.reason() == Reason.ENTERED);
            out.add(d.reason());
            s = d.state();
        }
        return out;
    }

    @Test
    void onceEverAndNeverTwiceForTheSameEvent() {
        assertThat(offer(ONCE, "e1", 0, "e1", 0, "e2", 100 * DAY)).containsExactly(Reason.ENTERED, Reason.DUPLICATE, Reason.LIMIT_REACHED);
    }

    @Test
    void atMostYEntriesWithinXDaysOfEventTime() {
        Trigger threeIn7 = new Trigger(TriggerType.EVENT, null, 1, 3, 7 * DAY, null);
        assertThat(offer(threeIn7, "a", 0, "b", DAY, "c", 2 * DAY, "d", 3 * DAY, "e", 8 * DAY, "f", 9 * DAY + 1))
                .containsExactly(Reason.ENTERED, Reason.ENTERED, Reason.ENTERED,
                        Reason.LIMIT_REACHED, // 3 days: a, b and c are within 7 days of it
                        Reason.ENTERED,       // 8 days: only c (6 days before) is; b is exactly 7 days before, not within
                        Reason.ENTERED);      // 9 days + 1 ms: only e (8 days); c is 7 days + 1 ms before
        // a late event is judged by its own time: the entries around it count
        assertThat(offer(threeIn7, "a", 10 * DAY, "b", 11 * DAY, "c", 12 * DAY, "late", 9 * DAY))
                .containsExactly(Reason.ENTERED, Reason.ENTERED, Reason.ENTERED, Reason.LIMIT_REACHED);
    }

    @Test
    void theNthMatchingEventEntersAndTheCountStartsAgain() {
        Trigger third = new Trigger(TriggerType.EVENT, null, 3, 10, 7 * DAY, null);
        assertThat(offer(third, "a", 1, "b", 2, "b", 3, "c", 4, "d", 5, "e", 6, "f", 7))
                .containsExactly(Reason.COUNTING, Reason.COUNTING, Reason.DUPLICATE, Reason.ENTERED, Reason.COUNTING, Reason.COUNTING, Reason.ENTERED);
        // at the limit, the count stays: the next matching event is judged again
        Trigger secondOnce = new Trigger(TriggerType.EVENT, null, 2, 1, null, null);
        assertThat(offer(secondOnce, "a", 1, "b", 2, "c", 3, "d", 4)).containsExactly(Reason.COUNTING, Reason.ENTERED,
                Reason.COUNTING, Reason.LIMIT_REACHED);
    }

    @Test
    void rememberedIdsAreBounded() {
        Trigger many = new Trigger(TriggerType.EVENT, null, 1000, 1, null, null);
        State s = State.EMPTY;
        for (int i = 0; i < EntryGate.REMEMBERED_IDS + 5; i++) {
            s = EntryGate.offer(many, s, "e" + i, i).state();
        }
        assertThat(s.eventIds()).hasSize(EntryGate.REMEMBERED_IDS).doesNotContain(Hashes.id64("e0"))
                .contains(Hashes.id64("e" + (EntryGate.REMEMBERED_IDS + 4)));
        assertThat(s.count()).isEqualTo(EntryGate.REMEMBERED_IDS + 5);
    }
}
