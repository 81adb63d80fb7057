package dev.qaengine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class IdentityMessageV1Test {
    private static final String SCHEMA = "identity-message-v1.schema.json";
    /** The product's example (L10187-10332), with its organization id completed. */
    private static final String EXAMPLE = """
            {"customerId":"customer001","customerIdList":[{"customerId":"13888888888","idMapping":"mobile"}],
             "orgnizationId":"56621289-820e-433a-9947-000000000000","v":1}""";

    private final ObjectMapper mapper = new ObjectMapper();

    @Nested
    class Record {
        @Test
        void readsTheProductsExample() throws Exception {
            IdentityMessageV1 m = mapper.readValue(EXAMPLE, IdentityMessageV1.class);
            assertThat(m).isEqualTo(IdentityMessageV1.of("56621289-820e-433a-9947-000000000000", "customer001",
                    List.of(IdentityLink.of(IdType.MOBILE, "13888888888"))));
            assertThat(m.orgId()).isEqualTo("56621289-820e-433a-9947-000000000000");
            assertThat(m.customerIdList().get(0).idType()).contains(IdType.MOBILE);
        }

        @Test
        void writesTheProductsFieldNamesIncludingTheMisspelling() throws Exception {
            IdentityMessageV1 m = IdentityMessageV1.of("org", "c1",
                    List.of(IdentityLink.of(IdType.OPEN_ID, "o-1"), IdentityLink.of(IdType.WEIBO_ID_ORG, "42")));
            JsonNode json = mapper.valueToTree(m);
            assertThat(json.has("orgnizationId")).isTrue();
            assertThat(json.has("organizationId")).isFalse();
            assertThat(json.has("orgId")).isFalse();
            assertThat(json.at("/customerIdList/0").toString()).isEqualTo("{\"customerId\":\"o-1\",\"idMapping\":\"open_id\"}");
            assertThat(Schemas.violations(SCHEMA, json)).isEmpty();
            assertThat(mapper.treeToValue(json, IdentityMessageV1.class)).isEqualTo(m);
        }

        @Test
        void readsTheCorrectlySpelledOrganizationIdToo() throws Exception {
            IdentityMessageV1 m = mapper.readValue(EXAMPLE.replace("orgnizationId", "organizationId"), IdentityMessageV1.class);
            assertThat(m.orgId()).isEqualTo("56621289-820e-433a-9947-000000000000");
        }

        @Test
        void keepsAnUnknownIdTypeAsAValueForTheCallerToReject() throws Exception {
            IdentityMessageV1 m = mapper.readValue(EXAMPLE.replace("\"mobile\"", "\"phone\""), IdentityMessageV1.class);
            assertThat(m.customerIdList().get(0).idMapping()).isEqualTo("phone");
            assertThat(m.customerIdList().get(0).idType()).isEmpty();
        }

        @Test
        void aMissingListIsEmpty() {
            assertThat(new IdentityMessageV1("org", "c1", null, 1).customerIdListOrEmpty()).isEmpty();
        }
    }

    @Nested
    class Schema {
        @Test
        void theProductsExampleValidatesAloneAndInAnArray() throws Exception {
            assertThat(Schemas.violations(SCHEMA, mapper.readTree(EXAMPLE))).isEmpty();
            assertThat(Schemas.violations(SCHEMA, mapper.readTree("[" + EXAMPLE + "," + EXAMPLE + "]"))).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {
                """
                {"organizationId":"o","customerId":"c","customerIdList":[{"customerId":"x","idMapping":"MOBILE"}]}""",
                """
                {"orgnizationId":"o","customerId":"c","customerIdList":[{"customerId":13888888888,"idMapping":"imsi"}],"v":"1"}""",
                """
                {"orgnizationId":"o","customerId":"c","customerIdList":[],"extra":true}""",
        })
        void acceptsWhatTheContractAllows(String json) throws Exception {
            assertThat(Schemas.violations(SCHEMA, mapper.readTree(json))).isEmpty();
        }

        static Stream<Arguments> invalid() {
            return Stream.of(
                    arguments("{\"customerId\":\"c\",\"customerIdList\":[]}", "'orgnizationId' not found"),
                    arguments("{\"orgnizationId\":\"o\",\"customerIdList\":[]}", "'customerId' not found"),
                    arguments("{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"v\":1}", "'customerIdList' not found"),
                    arguments("{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"customerIdList\":[{\"customerId\":\"x\"}]}",
                            "$.customerIdList[0]: required property 'idMapping'"),
                    arguments("{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"customerIdList\":[{\"idMapping\":\"mobile\"}]}",
                            "$.customerIdList[0]: required property 'customerId'"),
                    arguments("{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"customerIdList\":[{\"customerId\":\"x\",\"idMapping\":\"phone\"}]}",
                            "$.customerIdList[0].idMapping: does not have a value in the enumeration"),
                    arguments("{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"customerIdList\":{\"customerId\":\"x\",\"idMapping\":\"mobile\"}}",
                            "$.customerIdList: object found, array expected"),
                    arguments("{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"customerIdList\":[],\"v\":2}",
                            "$.v: does not have a value in the enumeration"),
                    arguments("{\"orgnizationId\":\"\",\"customerId\":\"c\",\"customerIdList\":[]}",
                            "$.orgnizationId: must be at least 1 characters long"),
                    arguments("{\"orgnizationId\":\"o\",\"customerId\":\"\",\"customerIdList\":[]}",
                            "$.customerId: must be at least 1 characters long"),
                    arguments("[]", "must have at least 1 items"),
                    arguments("\"customer001\"", "string found, object expected"));
        }

        @ParameterizedTest
        @MethodSource("invalid")
        void rejectsWhatItDoesNotForTheRightReason(String json, String reason) throws Exception {
            assertThat(Schemas.violations(SCHEMA, mapper.readTree(json))).anyMatch(v -> v.contains(reason));
        }
    }
}
