package dev.qaengine.controlplane.identity;

import dev.qaengine.controlplane.consumer.Parsed;
import dev.qaengine.controlplane.identity.IdentityAuditRecords.Row;
import dev.qaengine.controlplane.identity.IdentityAuditRecords.Skip;
import dev.qaengine.controlplane.support.ControlRecords;
import dev.qaengine.model.IdType;
import dev.qaengine.model.IdentityAudit;
import dev.qaengine.model.IdentityRefusal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a qa.identity.audit record becomes: a row with its content hash, or a reason to skip it that quotes nothing of it. */
class IdentityAuditRecordsTest {
    private static final IdentityAuditRecords RECORDS = new IdentityAuditRecords(JsonMapper.builder().build());
    /** An identifier value that must never appear in a reason (reasons are logged). */
    private static final String SECRET = "13800138000";

    static final IdentityAudit AUDIT = new IdentityAudit(1, "org-1", IdentityRefusal.TOO_MANY_IDENTIFIERS, "person holds 50 identifiers",
            "ONEID", "customer001", "mobile", SECRET, List.of("p-1"), 1764300000123L, 17);

    /** As the identity job writes it: Jackson 2. */
    static byte[] wire(IdentityAudit a) throws Exception {
        return ControlRecords.JOBS_JSON.writeValueAsBytes(a);
    }

    private static Parsed<Row> parse(String json) {
        return RECORDS.parse(json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRecordBecomesARowWithTheTypeItsIdMappingNames() throws Exception {
        Parsed<Row> r = RECORDS.parse(wire(AUDIT));
        assertThat(r.reason()).isNull();
        assertThat(r.value().orgId()).isEqualTo("org-1");
        assertThat(r.value().audit()).isEqualTo(AUDIT);
        assertThat(r.value().idType()).isEqualTo(IdType.MOBILE);
        assertThat(r.value().contentHash()).hasSize(64).matches("[0-9a-f]+");
    }

    @Test
    void theHashIsTheContentsNotTheSpelling() throws Exception {
        String hash = RECORDS.parse(wire(AUDIT)).value().contentHash();
        Parsed<Row> respelled = parse("""
                { "seq": 17, "time": 1764300000123, "persons": ["p-1"], "idValue": "13800138000", "idType": "mobile",
                  "anchorValue": "customer001", "anchorType": "ONEID", "detail": "person holds 50 identifiers",
                  "reason": "TOO_MANY_IDENTIFIERS", "orgId": "org-1", "v": 1, "addedByANewerJob": {"x": 1} }""");
        assertThat(respelled.value().contentHash()).as("field order, spacing, unknown fields").isEqualTo(hash);
        IdentityAudit later = new IdentityAudit(1, "org-1", AUDIT.reason(), AUDIT.detail(), AUDIT.anchorType(), AUDIT.anchorValue(),
                AUDIT.idType(), AUDIT.idValue(), AUDIT.persons(), AUDIT.time(), 18);
        assertThat(RECORDS.parse(wire(later)).value().contentHash()).as("another decision").isNotEqualTo(hash);
    }

    @Test
    void aMessageLevelRefusalHasNoIdentifier() throws Exception {
        IdentityAudit malformed = new IdentityAudit(1, "org-1", IdentityRefusal.MALFORMED_MESSAGE, "no customerId", null, null, null, null,
                null, 1764300000123L, 0);
        Parsed<Row> r = RECORDS.parse(wire(malformed));
        assertThat(r.value().idType()).isNull();
        assertThat(r.value().audit().persons()).isEmpty();
    }

    @Test
    void anIdMappingNamingNoTypeIsKeptAsSent() {
        Parsed<Row> r = parse("{\"v\":1,\"orgId\":\"o\",\"reason\":\"UNKNOWN_ID_TYPE\",\"detail\":\"d\",\"idType\":\"Phone\",\"idValue\":\"1\",\"time\":5,\"seq\":0}");
        assertThat(r.value().idType()).isNull();
        assertThat(r.value().audit().idType()).isEqualTo("Phone");
    }

    @Test
    void nulCharactersAreReplacedSoTheDatabaseTakesThem() {
        Parsed<Row> r = parse("{\"v\":1,\"orgId\":\"o\",\"reason\":\"INVALID_IDENTIFIER\",\"detail\":\"d\",\"idType\":\"oneid\",\"idValue\":\"a\\u0000b\",\"time\":5,\"seq\":0}");
        assertThat(r.value().audit().idValue()).isEqualTo("a\uFFFDb");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            NULL                                                                                        | MALFORMED
            ''                                                                                          | MALFORMED
            not json at all 13800138000                                                                 | MALFORMED
            {"v":1,"orgId":"o","idValue":"13800138000"                                                  | MALFORMED
            [1,2,3]                                                                                     | MALFORMED
            "13800138000"                                                                               | MALFORMED
            {"orgId":"o","reason":"INVALID_IDENTIFIER","idValue":"13800138000","time":5,"seq":0}        | UNSUPPORTED_VERSION
            {"v":2,"orgId":"o","reason":"INVALID_IDENTIFIER","idValue":"13800138000","time":5,"seq":0}  | UNSUPPORTED_VERSION
            {"v":"1","orgId":"o","reason":"INVALID_IDENTIFIER","idValue":"13800138000","time":5}        | UNSUPPORTED_VERSION
            {"v":1,"reason":"INVALID_IDENTIFIER","idValue":"13800138000","time":5,"seq":0}              | NO_ORG
            {"v":1,"orgId":null,"reason":"MALFORMED_MESSAGE","idValue":"13800138000","time":5}          | NO_ORG
            {"v":1,"orgId":" ","reason":"MALFORMED_MESSAGE","idValue":"13800138000","time":5}           | NO_ORG
            {"v":1,"orgId":42,"reason":"MALFORMED_MESSAGE","idValue":"13800138000","time":5}            | NO_ORG
            {"v":1,"orgId":"o","reason":"SOMETHING_NEW","idValue":"13800138000","time":5,"seq":0}       | MALFORMED
            {"v":1,"orgId":"o","idValue":"13800138000","time":5,"seq":0}                                | MALFORMED
            {"v":1,"orgId":"o","reason":"INVALID_IDENTIFIER","idValue":"13800138000","seq":0}           | MALFORMED
            {"v":1,"orgId":"o","reason":"INVALID_IDENTIFIER","idValue":"13800138000","time":"soon"}     | MALFORMED
            {"v":1,"orgId":"o","reason":"INVALID_IDENTIFIER","persons":"13800138000","time":5}          | MALFORMED
            """)
    void badRecordsAreSkippedWithAReasonThatQuotesNothing(String json, Skip expected) {
        Parsed<Row> r = parse(json);
        assertThat(r.value()).isNull();
        assertThat(r.reason()).isEqualTo(expected.tag());
        assertThat(r.problem()).isNotBlank().doesNotContain(SECRET).doesNotContain("SOMETHING_NEW").doesNotContain("soon");
    }

    @Test
    void anOrganizationIdLongerThanAnyIsNoOrganization() {
        String org = "o".repeat(IdentityAuditRecords.MAX_ORG_ID + 1);
        assertThat(parse("{\"v\":1,\"orgId\":\"" + org + "\",\"reason\":\"INVALID_IDENTIFIER\",\"time\":5}").reason()).isEqualTo(Skip.NO_ORG.tag());
    }
}
