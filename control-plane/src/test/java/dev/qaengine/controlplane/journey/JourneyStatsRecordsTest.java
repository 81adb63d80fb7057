package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.consumer.Parsed;
import dev.qaengine.controlplane.journey.JourneyStatsRecords.Count;
import dev.qaengine.controlplane.journey.JourneyStatsRecords.Delta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a qa.journeys.stats record becomes: the counts to add, zeros left out, or a reason to skip it that quotes nothing of it. */
class JourneyStatsRecordsTest {
    private static final JourneyStatsRecords RECORDS = new JourneyStatsRecords(JsonMapper.builder().build());
    /** Something a record might hold that must never appear in a reason (reasons are logged). */
    private static final String SECRET = "13800138000";

    private static Parsed<Delta> parse(String json) {
        return RECORDS.parse(json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theIssuesExampleBecomesItsCounts() {
        Parsed<Delta> r = parse("""
                {"v":1,"orgId":"org1","journeyId":"j1","deltaId":"org1/j1#0@17","instance":0,"time":1795824000000,
                 "journey":{"entered":3,"ended":2},
                 "nodes":{"b":{"entered":3,"exited":3,"branches":{"DONE":1,"NOT_DONE":2}},
                          "s":{"entered":2,"exited":2,"actions":2,"skipped":{"EMPTY_VARIABLE:item":1}}}}""");
        assertThat(r.reason()).isNull();
        assertThat(r.value()).isEqualTo(new Delta("org1", "j1", "org1/j1#0@17", 1795824000000L, List.of(
                new Count("", "entered", 3), new Count("", "ended", 2),
                new Count("b", "entered", 3), new Count("b", "exited", 3), new Count("b", "branch:DONE", 1), new Count("b", "branch:NOT_DONE", 2),
                new Count("s", "entered", 2), new Count("s", "exited", 2), new Count("s", "actions", 2),
                new Count("s", "skipped:EMPTY_VARIABLE:item", 1))));
    }

    @Test
    void absentNullAndZeroCountNothingAndUnknownMembersArePassedOver() {
        Parsed<Delta> r = parse("""
                {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#3@9","instance":3,"time":5,"addedLater":{"x":1},
                 "journey":{"entered":0,"ended":null,"failed":4},
                 "nodes":{"a":{},"b":null,"c":{"exited":1,"branches":{"X":0},"skipped":null,"latency":{"p99":3}}}}""");
        assertThat(r.value()).isEqualTo(new Delta("o", "j", "o/j#3@9", 5, List.of(new Count("c", "exited", 1))));
        assertThat(parse("{\"v\":1,\"orgId\":\"o\",\"journeyId\":\"j\",\"deltaId\":\"o/j#0@1\",\"instance\":0,\"time\":5}").value())
                .as("nothing counted at all").isEqualTo(new Delta("o", "j", "o/j#0@1", 5, List.of()));
        assertThat(parse("{\"v\":1,\"orgId\":\"o\",\"journeyId\":\"j\",\"deltaId\":\"o/j#0-3fa9c2@1\",\"instance\":0,\"time\":5}").value())
                .as("the engine names its run of the instance too").isEqualTo(new Delta("o", "j", "o/j#0-3fa9c2@1", 5, List.of()));
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    // quoted by ` (the default ' stands in the problems)
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "NULL", textBlock = """
            NULL                                                                                  | malformed           | empty record
            ``                                                                                    | malformed           | empty record
            not json 13800138000                                                                  | malformed           | not JSON (StreamReadException at line 1, column 1)
            {"v":1,"orgId":"13800138000"                                                          | malformed           | not JSON (UnexpectedEndOfInputException at line 1, column 29)
            [1]                                                                                   | malformed           | not a JSON object
            {"orgId":"o","journeyId":"j","deltaId":"o/j#0@1","instance":0,"time":5}               | unsupported_version | v is missing, not 1
            {"v":2,"orgId":"o","journeyId":"j","deltaId":"o/j#0@1","instance":0,"time":5}         | unsupported_version | v is 2, not 1
            {"v":"1","orgId":"o","journeyId":"j","deltaId":"o/j#0@1","instance":0,"time":5}       | unsupported_version | v is not a number, not 1
            {"v":1,"journeyId":"j","deltaId":"o/j#0@1","instance":0,"time":5}                     | malformed           | no orgId
            {"v":1,"orgId":" ","journeyId":"j","deltaId":" /j#0@1","instance":0,"time":5}         | malformed           | no orgId
            {"v":1,"orgId":"o","journeyId":13800138000,"deltaId":"o/j#0@1","instance":0,"time":5} | malformed           | no journeyId
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#0@1","time":5}                      | malformed           | instance is not a whole number ≥ 0
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#0@1","instance":-1,"time":5}        | malformed           | instance is not a whole number ≥ 0
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#0@1","instance":0}                  | malformed           | time is not a whole number ≥ 0
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#0@1","instance":0,"time":0}         | malformed           | time is 0
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#0@1","instance":0,"time":"now"}     | malformed           | time is not a whole number ≥ 0
            {"v":1,"orgId":"o","journeyId":"j","instance":0,"time":5}                             | malformed           | deltaId is not <orgId>/<journeyId>#<instance>[-<run>]@<checkpointId> of the record (at most 200 characters)
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"17","instance":0,"time":5}              | malformed           | deltaId is not <orgId>/<journeyId>#<instance>[-<run>]@<checkpointId> of the record (at most 200 characters)
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/k#0@1","instance":0,"time":5}         | malformed           | deltaId is not <orgId>/<journeyId>#<instance>[-<run>]@<checkpointId> of the record (at most 200 characters)
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#1@1","instance":0,"time":5}         | malformed           | deltaId is not <orgId>/<journeyId>#<instance>[-<run>]@<checkpointId> of the record (at most 200 characters)
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#01@1","instance":0,"time":5}        | malformed           | deltaId is not <orgId>/<journeyId>#<instance>[-<run>]@<checkpointId> of the record (at most 200 characters)
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#0@","instance":0,"time":5}          | malformed           | deltaId is not <orgId>/<journeyId>#<instance>[-<run>]@<checkpointId> of the record (at most 200 characters)
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#0@1","instance":0,"time":5,"journey":[3]}               | malformed | journey is not an object
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#0@1","instance":0,"time":5,"journey":{"entered":-3}}   | malformed | journey.entered is not a whole number ≥ 0
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#0@1","instance":0,"time":5,"journey":{"ended":1.5}}    | malformed | journey.ended is not a whole number ≥ 0
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#0@1","instance":0,"time":5,"journey":{"ended":"13800138000"}} | malformed | journey.ended is not a whole number ≥ 0
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#0@1","instance":0,"time":5,"journey":{"ended":9223372036854775808}} | malformed | journey.ended is not a whole number ≥ 0
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#0@1","instance":0,"time":5,"nodes":3}                 | malformed | nodes is not an object
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#0@1","instance":0,"time":5,"nodes":{"s":4}}           | malformed | a node is not an object
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#0@1","instance":0,"time":5,"nodes":{"":{"entered":1}}} | malformed | a node id is empty, longer than 128 characters or holds control characters
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#0@1","instance":0,"time":5,"nodes":{"s\\u0000":{}}}    | malformed | a node id is empty, longer than 128 characters or holds control characters
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#0@1","instance":0,"time":5,"nodes":{"s":{"actions":-1}}} | malformed | a node's actions is not a whole number ≥ 0
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#0@1","instance":0,"time":5,"nodes":{"s":{"branches":[]}}} | malformed | a node's branches is not an object
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#0@1","instance":0,"time":5,"nodes":{"s":{"branches":{"DONE":"13800138000"}}}} | malformed | a node's branches is not a whole number ≥ 0
            {"v":1,"orgId":"o","journeyId":"j","deltaId":"o/j#0@1","instance":0,"time":5,"nodes":{"s":{"skipped":{"":1}}}} | malformed | a name in a node's skipped is empty, longer than 248 characters or holds control characters
            """)
    void badRecordsAreSkippedWithAReasonThatQuotesNothing(String json, String expected, String problem) {
        Parsed<Delta> r = parse(json);
        assertThat(r.value()).isNull();
        assertThat(r.reason()).isEqualTo(expected);
        assertThat(r.problem()).isEqualTo(problem).doesNotContain(SECRET);
    }

    @Test
    void namesThatDoNotFitTheirColumnsAreMalformed() {
        String base = "{\"v\":1,\"orgId\":\"o\",\"journeyId\":\"j\",\"deltaId\":\"o/j#0@%s\",\"instance\":0,\"time\":5,\"nodes\":{%s}}";
        String longNode = "n".repeat(JourneyStatsRecords.MAX_NODE_ID);
        String longReason = "r".repeat(JourneyStatsRecords.MAX_METRIC - "skipped:".length());
        Parsed<Delta> fits = parse(base.formatted("1", "\"" + longNode + "\":{\"skipped\":{\"" + longReason + "\":1}}"));
        assertThat(fits.value().counts()).containsExactly(new Count(longNode, "skipped:" + longReason, 1));
        assertThat(parse(base.formatted("1", "\"" + longNode + "n\":{}")).reason()).isEqualTo(Parsed.MALFORMED);
        assertThat(parse(base.formatted("1", "\"s\":{\"skipped\":{\"" + longReason + "r\":1}}")).reason()).isEqualTo(Parsed.MALFORMED);
        String checkpoint = "1".repeat(JourneyStatsRecords.MAX_DELTA_ID - "o/j#0@".length());
        assertThat(parse(base.formatted(checkpoint, "")).value().deltaId()).hasSize(JourneyStatsRecords.MAX_DELTA_ID);
        assertThat(parse(base.formatted(checkpoint + "1", "")).reason()).isEqualTo(Parsed.MALFORMED);
    }
}
