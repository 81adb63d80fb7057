package dev.qaengine.controlplane.ingest;

import dev.qaengine.model.EventMessageV1;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The envelope rules, table-driven: one message in, the first issue (or none) out. */
class EnvelopesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static List<Envelopes.Issue> event(String json) {
        List<Envelopes.Issue> issues = new ArrayList<>();
        EventMessageV1 m = new Envelopes("org", -1, issues).event(JSON.readTree(json));
        assertThat(m == null).as("message built iff no issue").isEqualTo(!issues.isEmpty());
        return issues;
    }

    private static List<Envelopes.Issue> identity(String json) {
        List<Envelopes.Issue> issues = new ArrayList<>();
        new Envelopes("org", 3, issues).identity(JSON.readTree(json));
        return issues;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"customerId":"c","eventCode":"e","eventTime":1}                                 |              |
            {"orgnizationId":"org","customerId":"c","eventCode":"e","eventTime":1}           |              |
            {"organizationId":"org","customerId":7,"eventCode":"e","eventTime":"17"}          |              |
            {"orgnizationId":"","customerId":"c","eventCode":"e","eventTime":1,"v":null}     |              |
            {"customerId":"c","eventCode":"e","eventTime":1,"v":"1","extendAttributes":null}  |              |
            {"customerId":"c","eventCode":"e","eventTime":1,"extendAttributes":{"a":1,"b":null,"c":false}} | |
            {"orgnizationId":"other","customerId":"c","eventCode":"e","eventTime":1}         | ORG_MISMATCH | orgnizationId
            {"organizationId":5,"customerId":"c","eventCode":"e","eventTime":1}              | BAD_FIELD    | organizationId
            {"eventCode":"e","eventTime":1}                                                  | MISSING_FIELD | customerId
            {"customerId":" ","eventCode":"e","eventTime":1}                                 | MISSING_FIELD | customerId
            {"customerId":{},"eventCode":"e","eventTime":1}                                  | BAD_FIELD    | customerId
            {"customerId":"c","eventTime":1}                                                 | MISSING_FIELD | eventCode
            {"customerId":"c","eventCode":"e"}                                               | MISSING_FIELD | eventTime
            {"customerId":"c","eventCode":"e","eventTime":1.5}                               | BAD_FIELD    | eventTime
            {"customerId":"c","eventCode":"e","eventTime":"12a"}                             | BAD_FIELD    | eventTime
            {"customerId":"c","eventCode":"e","eventTime":99999999999999999999}              | BAD_FIELD    | eventTime
            {"customerId":"c","eventCode":"e","eventTime":1,"v":2}                           | BAD_FIELD    | v
            {"customerId":"c","eventCode":"e","eventTime":1,"eventSourceCode":[]}            | BAD_FIELD    | eventSourceCode
            {"customerId":"c","eventCode":"e","eventTime":1,"extendAttributes":"a=1"}        | BAD_FIELD    | extendAttributes
            {"customerId":"c","eventCode":"e","eventTime":1,"extendAttributes":{"a":[1]}}    | BAD_FIELD    | extendAttributes.a
            """)
    void eventEnvelope(String json, String code, String field) {
        List<Envelopes.Issue> issues = event(json);
        if (code == null) {
            assertThat(issues).isEmpty();
        } else {
            assertThat(issues).isNotEmpty();
            assertThat(issues.get(0).code()).isEqualTo(code);
            assertThat(issues.get(0).field()).isEqualTo(field);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"customerId":"c","customerIdList":[{"customerId":"x","idMapping":"oneid"}]}          |               |
            {"customerId":"c","customerIdList":[{"customerId":"x","idMapping":"WEIBO_ID_ORG"}]}   |               |
            {"customerId":"c","customerIdList":[{"customerId":"x","idMapping":"oaid"}]}           |               |
            {"customerId":"c","customerIdList":[{"customerId":"x","idMapping":"qq"}]}             | BAD_FIELD     | [3].customerIdList[0].idMapping
            {"customerId":"c","customerIdList":[{"customerId":"x","idMapping":1}]}                | BAD_FIELD     | [3].customerIdList[0].idMapping
            {"customerId":"c","customerIdList":[{"customerId":"x"}]}                              | MISSING_FIELD | [3].customerIdList[0].idMapping
            {"customerId":"c","customerIdList":["x"]}                                             | BAD_FIELD     | [3].customerIdList[0]
            {"customerId":"c","customerIdList":{}}                                                | BAD_FIELD     | [3].customerIdList
            {"customerIdList":[{"customerId":"x","idMapping":"email"}]}                           | MISSING_FIELD | [3].customerId
            """)
    void identityEnvelope(String json, String code, String field) {
        List<Envelopes.Issue> issues = identity(json);
        if (code == null) {
            assertThat(issues).isEmpty();
        } else {
            assertThat(issues.get(0).code()).isEqualTo(code);
            assertThat(issues.get(0).field()).isEqualTo(field);
        }
    }

    @org.junit.jupiter.api.Test
    void everyDocumentedIdTypeAndTheTwoExtrasAreAccepted() {
        for (String t : List.of("oneid", "email", "mobile", "taobao_id", "taobao_nick", "imei", "idfa", "mac_org", "weibo_id_org",
                "alipay_id", "open_id", "union_id", "imsi", "oaid")) {
            assertThat(identity("{\"customerId\":\"c\",\"customerIdList\":[{\"customerId\":\"x\",\"idMapping\":\"" + t.toUpperCase() + "\"}]}"))
                    .as(t).isEmpty();
        }
    }
}
