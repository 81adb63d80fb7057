package dev.qaengine.journeys;

import dev.qaengine.model.Schemas;
import dev.qaengine.model.journey.NodeType;
import dev.qaengine.model.journey.PersonTags;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.qaengine.journeys.Fixtures.MIN;
import static dev.qaengine.journeys.Fixtures.ORG;
import static dev.qaengine.journeys.Fixtures.T0;
import static dev.qaengine.journeys.Fixtures.branches;
import static dev.qaengine.journeys.Fixtures.email;
import static dev.qaengine.journeys.Fixtures.event;
import static dev.qaengine.journeys.Fixtures.match;
import static dev.qaengine.journeys.Fixtures.plan;
import static dev.qaengine.journeys.Fixtures.sms;
import static dev.qaengine.journeys.Fixtures.tagSplit;
import static dev.qaengine.journeys.Fixtures.trigger;
import static org.assertj.core.api.Assertions.assertThat;

/** TAG_BRANCH: the first branch whose filter the person's tags match, else OTHER; tags from qa.profiles. */
class TagBranchTest {
    @Test
    void thePersonTakesTheFirstMatchingBranchElseOtherAndANewProfileReplacesTheOld() throws Exception {
        try (Engine e = new Engine(new ManualClock("tags", T0), null, null)) {
            e.profile(PersonTags.of(ORG, "early", Map.of("level", "gold"), T0)); // no tag branch yet: not kept
            e.plan(plan("t", trigger(match("visit"), 10), "b",
                    branches("b", NodeType.TAG_BRANCH, List.of(tagSplit("vip", "level=gold"), tagSplit("local", "city")),
                            Map.of("vip", "v", "local", "l", "OTHER", "o")),
                    sms("v", "tpl-vip", null), email("l", "tpl-local", null), sms("o", "tpl-other", null)), 1);
            assertThat(e.stateEntries()).isZero();
            e.profile(PersonTags.of(ORG, "gold", Map.of("level", "gold", "city", "Hangzhou", "unrelated", "x"), T0));
            e.profile(PersonTags.of(ORG, "silver", Map.of("level", "silver", "city", "Shanghai"), T0));
            e.profile(PersonTags.of(ORG, "plain", Map.of("level", "silver", "city", ""), T0));
            for (String p : List.of("gold", "silver", "plain", "early", "unknown")) {
                e.event(event(p, p + "-1", "visit", T0 + MIN));
            }
            assertThat(e.actions()).extracting(a -> a.get("personId").asText() + ":" + a.get("templateId").asText()).containsExactly(
                    "gold:tpl-vip", "silver:tpl-local", "plain:tpl-other", "early:tpl-other", "unknown:tpl-other");
            e.profile(PersonTags.of(ORG, "gold", Map.of(), T0 + 2 * MIN)); // the tags are gone
            e.event(event("gold", "gold-2", "visit", T0 + 3 * MIN));
            assertThat(e.actions()).extracting(a -> a.get("templateId").asText()).containsExactly("tpl-other");
            assertThat(Schemas.violations("person-tags-v1.schema.json", dev.qaengine.common.Json.MAPPER.valueToTree(
                    PersonTags.of(ORG, "p", Map.of("level", "gold"), T0)))).isEmpty();
        }
    }

    @Test
    void filtersAreATagOrATagAndItsValue() {
        assertThat(TagFilter.matches("city", Map.of("city", "Hangzhou"))).isTrue();
        assertThat(TagFilter.matches("city", Map.of("city", ""))).isFalse();
        assertThat(TagFilter.matches("city", Map.of())).isFalse();
        assertThat(TagFilter.matches("level=gold", Map.of("level", "gold"))).isTrue();
        assertThat(TagFilter.matches("level=gold", Map.of("level", "golden"))).isFalse();
        assertThat(TagFilter.matches("note=a=b", Map.of("note", "a=b"))).as("the value may hold '='").isTrue();
        assertThat(TagFilter.tagId("level=gold")).isEqualTo("level");
    }
}
