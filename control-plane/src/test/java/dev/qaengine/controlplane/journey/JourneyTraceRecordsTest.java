package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.consumer.Parsed;
import dev.qaengine.controlplane.journey.JourneyTraceRecords.Step;
import dev.qaengine.model.journey.NodeType;
import dev.qaengine.model.journey.TraceStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a qa.journeys.trace record becomes: a step to store with the hash that makes a step written again a duplicate, or a
 * reason to skip it that quotes nothing of it.
 */
class JourneyTraceRecordsTest {
    private static final JourneyTraceRecords RECORDS = new JourneyTraceRecords(JsonMapper.builder().build());
    /** Something a record might hold that must never appear in a reason (reasons are logged). */
    private static final String SECRET = "13800138000";

    private static Parsed<Step> parse(String json) {
        return RECORDS.parse(json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aStepAsTheEngineWritesItWithJackson2() throws Exception {
        TraceStep written = new TraceStep(1, "org1", "j1", 3, "ONEID:c-9", "r1", TraceStep.Kind.PASSED, "check", NodeType.EVENT_BRANCH,
                "NOT_DONE", "no purchase within 30 min", null, 1_795_824_000_000L, 1_795_824_000_123L);
        Parsed<Step> r = RECORDS.parse(dev.qaengine.controlplane.support.ControlRecords.JOBS_JSON.writeValueAsBytes(written));
        assertThat(r.problem()).isNull();
        Step s = r.value();
        assertThat(s).isEqualTo(new Step("org1", "j1", "ONEID:c-9", "r1", TraceStep.Kind.PASSED, "check", "EVENT_BRANCH", "NOT_DONE",
                "no purchase within 30 min", null, 3, 1_795_824_000_000L, 1_795_824_000_123L, s.hash()));
        assertThat(s.hash()).hasSize(64).isEqualTo(JourneyTraceRecords.hash("org1", "j1", "ONEID:c-9", "r1", "PASSED", "check", null,
                "1795824000000", "NOT_DONE"));
    }

    @Test
    void theSameStepWrittenAgainHasTheSameHashAndAnotherStepAnother() {
        String base = """
                {"v":1,"orgId":"o","journeyId":"j","planVersion":1,"personId":"p","runId":"r","step":"PASSED","nodeId":"b","exit":"DONE",
                 "eventId":"e1","reason":"bought","at":100,"time":%d%s}""";
        String hash = parse(base.formatted(1, "")).value().hash();
        assertThat(parse(base.formatted(999, ",\"later\":{\"x\":1}")).value().hash()).as("another time, unknown members").isEqualTo(hash);
        assertThat(parse(base.formatted(1, "").replace("bought", "bought, again")).value().hash()).as("other words").isEqualTo(hash);
        for (String[] change : new String[][]{{"\"o\"", "\"o2\""}, {"\"j\"", "\"j2\""}, {"\"p\"", "\"p2\""}, {"\"r\"", "\"r/a\""},
                {"PASSED", "WAITING"}, {"\"b\"", "\"b2\""}, {"DONE", "NOT_DONE"}, {"e1", "e2"}, {"100", "101"}}) {
            assertThat(parse(base.formatted(1, "").replace(change[0], change[1])).value().hash()).as(change[1]).isNotEqualTo(hash);
        }
        // an absent member is not an empty one, nor the next one's value
        assertThat(JourneyTraceRecords.hash("a", null, "b")).isNotEqualTo(JourneyTraceRecords.hash("a", "", "b"))
                .isNotEqualTo(JourneyTraceRecords.hash("a", "b", null));
    }

    @Test
    void notEnteredHasNoRunAndAReasonIsCutNotRefused() {
        Step s = parse("""
                {"v":1,"orgId":"o","journeyId":"j","planVersion":2,"personId":"p","step":"NOT_ENTERED","eventId":"e","reason":"%s","at":5,"time":6}"""
                .formatted("ab\\u0000".repeat(1500))).value();
        assertThat(s.runId()).isNull();
        assertThat(s.nodeId()).isNull();
        assertThat(s.reason()).hasSize(JourneyTraceRecords.MAX_REASON).startsWith("abab").endsWith("a…");
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "NULL", textBlock = """
            NULL                                                                                             | malformed           | empty record
            not json 13800138000                                                                             | malformed           | not JSON (StreamReadException at line 1, column 1)
            [1]                                                                                              | malformed           | not a JSON object
            {"orgId":"13800138000"}                                                                          | unsupported_version | v is missing, not 1
            {"v":2,"orgId":"13800138000"}                                                                    | unsupported_version | v is 2, not 1
            {"v":1,"journeyId":"j","personId":"13800138000","step":"ENTERED","runId":"r","planVersion":1,"at":1,"time":1} | malformed | no orgId
            {"v":1,"orgId":"o","personId":"13800138000","step":"ENTERED","runId":"r","planVersion":1,"at":1,"time":1} | malformed | no journeyId
            {"v":1,"orgId":"o","journeyId":"j","personId":" ","step":"ENTERED","runId":"r","planVersion":1,"at":1,"time":1} | malformed | no personId
            {"v":1,"orgId":"o","journeyId":"j","personId":"13800138000","step":"JUMPED","runId":"r","planVersion":1,"at":1,"time":1} | malformed | step is not one of [ENTERED, NOT_ENTERED, PASSED, WAITING, ACTION, ENDED, MOVED]
            {"v":1,"orgId":"o","journeyId":"j","personId":"13800138000","step":"ENTERED","planVersion":1,"at":1,"time":1} | malformed | no runId (every step but NOT_ENTERED has one)
            {"v":1,"orgId":"o","journeyId":"j","personId":"13800138000","step":"ENTERED","runId":"r","planVersion":0,"at":1,"time":1} | malformed | planVersion is below 1
            {"v":1,"orgId":"o","journeyId":"j","personId":"13800138000","step":"ENTERED","runId":"r","planVersion":1,"at":"1","time":1} | malformed | at is not a whole number
            {"v":1,"orgId":"o","journeyId":"j","personId":"13800138000","step":"ENTERED","runId":"r","planVersion":1,"at":1} | malformed | time is not a whole number
            {"v":1,"orgId":"o","journeyId":"j","personId":"13800138000","step":"PASSED","runId":"r","nodeId":7,"planVersion":1,"at":1,"time":1} | malformed | nodeId is not a string
            {"v":1,"orgId":"o","journeyId":"j","personId":"13800138000","step":"PASSED","runId":"r","exit":"a\\u0000","planVersion":1,"at":1,"time":1} | malformed | exit is longer than 512 characters or holds control characters
            {"v":1,"orgId":"o","journeyId":"j","personId":"13800138000","step":"PASSED","runId":"r","reason":false,"planVersion":1,"at":1,"time":1} | malformed | reason is not a string
            """)
    void whatIsNotATraceStepV1IsSkippedWithAReasonThatQuotesNothing(String json, String reason, String problem) {
        Parsed<Step> r = parse(json);
        assertThat(r.value()).isNull();
        assertThat(r.reason()).isEqualTo(reason);
        assertThat(r.problem()).isEqualTo(problem).doesNotContain(SECRET);
    }

    @Test
    void idsLongerThanTheirColumnsAreMalformed() {
        String step = "{\"v\":1,\"orgId\":\"%s\",\"journeyId\":\"j\",\"personId\":\"%s\",\"step\":\"ENTERED\",\"runId\":\"r\",\"planVersion\":1,\"at\":1,\"time\":1}";
        assertThat(parse(step.formatted("o".repeat(64), "p".repeat(256))).value()).isNotNull();
        assertThat(parse(step.formatted("o".repeat(65), "p")).problem()).isEqualTo("orgId is longer than 64 characters or holds control characters");
        assertThat(parse(step.formatted("o", "p".repeat(257))).problem()).isEqualTo("personId is longer than 256 characters or holds control characters");
    }

    @Test
    void aRecordOfOneEngineCallHoldsItsStepsInOrderAndABadStepIsSkippedAlone() throws Exception {
        TraceStep entered = new TraceStep(1, "org1", "j1", 3, "p1", "r1", TraceStep.Kind.ENTERED, null, null, null, "met the trigger", "e1",
                1_000L, 2_000L);
        TraceStep waiting = new TraceStep(1, "org1", "j1", 3, "p1", "r1", TraceStep.Kind.WAITING, "b", NodeType.EVENT_BRANCH, null,
                "for purchase", null, 1_000L, 2_000L);
        byte[] record = dev.qaengine.controlplane.support.ControlRecords.JOBS_JSON.writeValueAsBytes(java.util.List.of(entered, waiting));
        assertThat(RECORDS.parseAll(record)).extracting(p -> p.value().step() + " " + p.value().nodeId())
                .containsExactly("ENTERED null", "WAITING b");

        String good = "{\"v\":1,\"orgId\":\"o\",\"journeyId\":\"j\",\"personId\":\"p\",\"step\":\"ENDED\",\"runId\":\"r\",\"planVersion\":1,\"at\":1,\"time\":1}";
        var mixed = RECORDS.parseAll(("[" + good + ",{\"v\":1,\"personId\":\"" + SECRET + "\"}," + good.replace("ENDED", "MOVED") + "]")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(mixed).extracting(p -> p.value() == null ? p.reason() + ": " + p.problem() : p.value().step().name())
                .containsExactly("ENDED", "malformed: step 2 of 3: no orgId", "MOVED");
        assertThat(mixed.get(1).problem()).doesNotContain(SECRET);
        // a step object alone (what builds before the arrays wrote) is one step; what is neither is one failure
        assertThat(RECORDS.parseAll(good.getBytes(StandardCharsets.UTF_8))).extracting(p -> p.value().step()).containsExactly(TraceStep.Kind.ENDED);
        assertThat(RECORDS.parseAll("[]".getBytes(StandardCharsets.UTF_8))).extracting(Parsed::problem).containsExactly("an empty array");
        assertThat(RECORDS.parseAll("[1]".getBytes(StandardCharsets.UTF_8))).extracting(Parsed::problem).containsExactly("step 1 of 1: not a JSON object");
        assertThat(RECORDS.parseAll("{not json".getBytes(StandardCharsets.UTF_8))).extracting(Parsed::reason).containsExactly(Parsed.MALFORMED);
    }
}
