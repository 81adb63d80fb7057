package dev.qaengine.journeys;

import dev.qaengine.model.IdType;
import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.Operator;
import org.junit.jupiter.api.Test;

import static dev.qaengine.journeys.Fixtures.MIN;
import static dev.qaengine.journeys.Fixtures.ORG;
import static dev.qaengine.journeys.Fixtures.email;
import static dev.qaengine.journeys.Fixtures.eventBranch;
import static dev.qaengine.journeys.Fixtures.match;
import static dev.qaengine.journeys.Fixtures.plan;
import static dev.qaengine.journeys.Fixtures.sms;
import static dev.qaengine.journeys.Fixtures.trigger;
import static dev.qaengine.journeys.Fixtures.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

class PlanBookTest {
    static PlanRuntime run(JourneyPlan p, long version) {
        return PlanRuntime.of(p, version).plan();
    }

    @Test
    void indexesFollowEveryVersionHeldAndEmptyWhenTheJourneyGoes() {
        PlanBook book = new PlanBook();
        JourneyPlan v1 = plan("j", trigger(match("cart"), 10), "b", eventBranch("b", match("buy"), 30 * MIN, Operator.GE, 1, null, "s"),
                sms("s", "t", null));
        JourneyPlan v2 = plan("j", trigger(match("view"), 10), "w", waitFor("w", 10 * MIN, "m"), email("m", "t", null));
        book.putCurrent(run(v1, 1), 0);
        assertThat(book.concerns(ORG, "cart")).isTrue();
        assertThat(book.watched(ORG, "buy")).isTrue();
        assertThat(book.idTypes(ORG)).containsExactly(IdType.MOBILE);

        book.putCurrent(run(v2, 2), 1_000);
        assertThat(book.candidates(ORG, "cart")).isEmpty();
        assertThat(book.candidates(ORG, "view")).extracting(JourneyPlan::journeyId).containsExactly("j");
        assertThat(book.watched(ORG, "buy")).as("runs on v1 may still wait for it").isTrue();
        assertThat(book.idTypes(ORG)).containsExactlyInAnyOrder(IdType.MOBILE, IdType.EMAIL);
        assertThat(book.version(ORG, "j", 1)).isNotNull();

        // v1's longest run is its 30-minute window: retired once that and the slack have passed
        assertThat(book.retire(1_000 + 30 * MIN + 5_000, 5_000)).isEmpty();
        assertThat(book.retire(1_000 + 30 * MIN + 5_001, 5_000)).containsExactly("org1/j@1");
        assertThat(book.watched(ORG, "buy")).isFalse();
        assertThat(book.idTypes(ORG)).containsExactly(IdType.EMAIL);

        assertThat(book.removeJourney(ORG, "j")).containsExactly("org1/j@2");
        assertThat(book.concerns(ORG, "view")).isFalse();
        assertThat(book.idTypes(ORG)).isEmpty();
        assertThat(book.size()).isZero();
        assertThat(book.versions()).isZero();
    }
}
