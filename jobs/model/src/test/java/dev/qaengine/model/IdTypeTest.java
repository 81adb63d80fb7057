package dev.qaengine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class IdTypeTest {

    @Nested
    class Names {
        @Test
        void theFourteenTypesOfTheProduct() {
            assertThat(IdType.values()).extracting(Enum::name).containsExactlyInAnyOrder(
                    "ONEID", "UNION_ID", "OPEN_ID", "MOBILE", "EMAIL", "TAOBAO_ID", "TAOBAO_NICK", "ALIPAY_ID",
                    "WEIBO_ID_ORG", "IMEI", "IDFA", "IMSI", "OAID", "MAC_ORG");
        }

        @Test
        void apiNamesAreTheIdentityApisSpellings() {
            assertThat(IdType.values()).extracting(IdType::apiName).containsExactlyInAnyOrder(
                    "oneid", "email", "mobile", "taobao_id", "taobao_nick", "imei", "idfa", "mac_org", "weibo_id_org",
                    "alipay_id", "open_id", "union_id", "imsi", "oaid");
        }

        @Test
        void jacksonWritesTheWebhookTargetType() throws Exception {
            assertThat(new ObjectMapper().writeValueAsString(IdType.OPEN_ID)).isEqualTo("\"OPEN_ID\"");
        }

        @Test
        void theSchemaAcceptsBothSpellingsOfEveryType() throws Exception {
            JsonNode values = new ObjectMapper().readTree(getClass().getResourceAsStream(
                    "/state-schemas/identity-message-v1.schema.json")).at("/$defs/idType/enum");
            List<String> names = new ArrayList<>();
            values.forEach(n -> names.add(n.asText()));
            List<String> expected = new ArrayList<>();
            for (IdType t : IdType.values()) {
                expected.add(t.name());
                expected.add(t.apiName());
            }
            assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Nested
    class Parse {
        @ParameterizedTest
        @EnumSource(IdType.class)
        void readsTheApiNameAndTheEnumName(IdType type) {
            assertThat(IdType.parse(type.apiName())).contains(type);
            assertThat(IdType.parse(type.name())).contains(type);
        }

        @ParameterizedTest
        @CsvSource({"Mobile, MOBILE", "open_ID, OPEN_ID", "OneId, ONEID", "Mac_Org, MAC_ORG"})
        void ignoresLetterCase(String input, IdType expected) {
            assertThat(IdType.parse(input)).contains(expected);
        }

        @Test
        void ignoresTheDefaultLocale() {
            Locale saved = Locale.getDefault();
            try {
                // Turkish maps "I" to dotless "ı" in lower case; "IMEI" must still be read.
                Locale.setDefault(Locale.forLanguageTag("tr-TR"));
                assertThat(IdType.parse("IMEI")).contains(IdType.IMEI);
                assertThat(IdType.parse("imei")).contains(IdType.IMEI);
                assertThat(IdType.IMSI.apiName()).isEqualTo("imsi");
            } finally {
                Locale.setDefault(saved);
            }
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"phone", "open id", "openid", " mobile", "mobile ", "weibo_id", "mac", "ONE_ID", "0"})
        void unknownInputIsEmptyNotAnException(String input) {
            assertThat(IdType.parse(input)).isEqualTo(Optional.empty());
        }
    }

    @Nested
    class SmsMobile {
        @ParameterizedTest
        @ValueSource(strings = {"13888888888", "18600000000", "00000000000"})
        void elevenDigits(String mobile) {
            assertThat(IdType.isSmsMobile(mobile)).isTrue();
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {
                "8613888888888",   // the 86 prefix
                "+8613888888888",
                "1388888888",      // 10 digits
                "138888888880",    // 12 digits
                "138 8888 8888",
                "138-8888-8888",
                " 13888888888",
                "1388888888a",
                "١٣٨٨٨٨٨٨٨٨٨"      // Arabic-Indic digits: Character.isDigit, but no SMS platform's
        })
        void anythingElse(String mobile) {
            assertThat(IdType.isSmsMobile(mobile)).isFalse();
        }
    }
}
