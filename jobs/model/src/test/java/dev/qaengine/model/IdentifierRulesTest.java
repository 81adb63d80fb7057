package dev.qaengine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IdentifierRulesTest {

    @ParameterizedTest(name = "{0} ''{1}'' -> ''{2}''")
    @CsvSource(delimiter = '|', value = {
            "MOBILE|13800138000|13800138000",
            "MOBILE|+86 138-0013-8000|13800138000",
            "MOBILE|8613800138000|13800138000",
            "MOBILE|0086 (138) 0013 8000|13800138000",
            "MOBILE|' 138.0013.8000 '|13800138000",
            "EMAIL|'  Li.Na@Example.COM '|li.na@example.com",
            "IDFA|6d92078a-8246-4ba4-ae5b-76104861e7dc|6D92078A-8246-4BA4-AE5B-76104861E7DC",
            "IMEI|86-012345-678901-2|860123456789012",
            "IMEI|a0000012345678|A0000012345678",
            "IMSI|460001234567890|460001234567890",
            "MAC_ORG|a4-83-e7-1b-2c-3d|A4:83:E7:1B:2C:3D",
            "MAC_ORG|a483.e71b.2c3d|A4:83:E7:1B:2C:3D",
            "OAID|dffe7f3e-6a38-46b4-9f3c-0b3e5c8a1d2e|DFFE7F3E-6A38-46B4-9F3C-0B3E5C8A1D2E",
            "ONEID|' Customer-001 '|Customer-001",
            "OPEN_ID|oUpF8uMuAJO_M2pxb1Q9zNjWeS6o|oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
    })
    void normalizesEachTypesSpellingsToOneValue(IdType type, String raw, String expected) {
        IdentifierRules.Result r = IdentifierRules.normalize(type, raw);
        assertThat(r.problem()).isNull();
        assertThat(r.identifier()).isEqualTo(new Identifier(type, expected));
    }

    @ParameterizedTest(name = "{0} ''{1}'' is refused: {2}")
    @CsvSource(delimiter = '|', value = {
            "MOBILE|1380013800|not a valid MOBILE value",
            "MOBILE|23800138000|not a valid MOBILE value",
            "MOBILE|138001380OO|not a valid MOBILE value",
            "EMAIL|li.na|not a valid EMAIL value",
            "EMAIL|li@na|not a valid EMAIL value",
            "EMAIL|a@@b.com|not a valid EMAIL value",
            "EMAIL|'li na@x.com'|not a valid EMAIL value",
            "IDFA|00000000-0000-0000-0000-000000000000|all-zero",
            "IDFA|6d92078a82464ba4ae5b76104861e7dc|not a valid IDFA value",
            "MAC_ORG|02:00:00:00:00:00|all-zero",
            "MAC_ORG|00-00-00-00-00-00|all-zero",
            "IMEI|12345|not a valid IMEI value",
            "IMEI|000000000000000|all-zero",
            "ONEID|'   '|empty value",
    })
    void refusesInvalidValuesWithAReason(IdType type, String raw, String problem) {
        IdentifierRules.Result r = IdentifierRules.normalize(type, raw);
        assertThat(r.valid()).isFalse();
        assertThat(r.problem()).startsWith(type.name() + ": ").contains(problem);
    }

    @Test
    void refusesControlCharactersNullsAndOverlongValues() {
        assertThat(IdentifierRules.normalize(IdType.ONEID, "a\u0000b").problem()).isEqualTo("ONEID: control character at 1");
        assertThat(IdentifierRules.normalize(IdType.ONEID, null).problem()).isEqualTo("ONEID: no value");
        assertThat(IdentifierRules.normalize(IdType.ONEID, "x".repeat(257)).problem()).isEqualTo("ONEID: longer than 256 characters");
        assertThat(IdentifierRules.normalize(IdType.ONEID, "x".repeat(256)).valid()).isTrue();
    }

    @Test
    void identifierKeysReadBackAndSortByTypeThenValue() {
        Identifier m = new Identifier(IdType.MOBILE, "13800138000");
        assertThat(Identifier.ofKey(m.key())).isEqualTo(m);
        assertThat(Identifier.ofKey("NOPE:1")).isNull();
        assertThat(Identifier.ofKey("ONEID:a:b")).isEqualTo(new Identifier(IdType.ONEID, "a:b"));
        assertThat(List.of(m, new Identifier(IdType.ONEID, "z"), new Identifier(IdType.ONEID, "a")).stream().sorted())
                .containsExactly(new Identifier(IdType.ONEID, "a"), new Identifier(IdType.ONEID, "z"), m);
    }

    @Test
    void identityWireTypesMatchTheirSchemas() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<Identifier> ids = List.of(new Identifier(IdType.ONEID, "c1"), new Identifier(IdType.IDFA, "6D92078A-8246-4BA4-AE5B-76104861E7DC"));
        IdentityChange change = new IdentityChange(1, IdentityChange.MERGE, "org", "p1", "p2", ids.subList(1, 2), ids, 1_700_000_000_000L, 7);
        JsonNode json = mapper.valueToTree(change);
        assertThat(Schemas.violations("identity-change-v1.schema.json", json)).isEmpty();
        assertThat(mapper.treeToValue(json, IdentityChange.class)).isEqualTo(change);

        IdentityAudit audit = new IdentityAudit(1, "org", IdentityRefusal.UNIQUE_TYPE_CONFLICT, "ONEID: person p1 holds c1, person p2 holds c2",
                "ONEID", "c1", "idfa", "6D92078A-8246-4BA4-AE5B-76104861E7DC", List.of("p1", "p2"), 1_700_000_000_000L, 3);
        json = mapper.valueToTree(audit);
        assertThat(Schemas.violations("identity-audit-v1.schema.json", json)).isEmpty();
        assertThat(mapper.treeToValue(json, IdentityAudit.class)).isEqualTo(audit);

        PersonRecord person = new PersonRecord(1, "org", "p1", 1_700_000_000_000L, 2, ids);
        json = mapper.valueToTree(person);
        assertThat(Schemas.violations("person-record-v1.schema.json", json)).isEmpty();
        assertThat(mapper.treeToValue(json, PersonRecord.class)).isEqualTo(person);
        assertThat(PersonRecord.identifierKey("org", ids.get(0))).isEqualTo("qa:pid:org:ONEID:c1");
        assertThat(PersonRecord.personKey("org", "p1")).isEqualTo("qa:person:org:p1");

        CanonicalEvent e = new CanonicalEvent(1, "0123456789abcdef0123456789abcdef", "org", "c1", "shop-app", AppType.APP,
                "add_to_cart", Map.of("sku", "A-1"), 1_700_000_000_000L, 1_700_000_000_100L);
        ResolvedEvent resolved = new ResolvedEvent(1, "p1", Map.of(IdType.ONEID, List.of("c1")), e);
        json = mapper.valueToTree(resolved);
        assertThat(Schemas.violations("resolved-event-v1.schema.json", json)).isEmpty();
        assertThat(mapper.treeToValue(json, ResolvedEvent.class)).isEqualTo(resolved);
        assertThat(Schemas.violations("resolved-event-v1.schema.json", mapper.readTree("{\"v\":1,\"personId\":\"p\",\"identifiers\":{\"PHONE\":[\"1\"]},\"event\":{}}")))
                .isNotEmpty();
    }

    @Test
    void channelsDeclareTheirCustomerIdTypeOnlyWhenNotOneid() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ChannelDefinition plain = new ChannelDefinition("app", "App", AppType.APP, List.of());
        assertThat(plain.customerIdTypeOrDefault()).isEqualTo(IdType.ONEID);
        assertThat(mapper.valueToTree(plain).has("customerIdType")).isFalse();
        ChannelDefinition mini = new ChannelDefinition("mini", "Mini", AppType.MINI_PROGRAM, List.of(), IdType.OPEN_ID);
        JsonNode json = mapper.valueToTree(new EventCatalog("org", List.of(mini), List.of()));
        assertThat(Schemas.violations("event-catalog-v1.schema.json", json)).isEmpty();
        assertThat(mapper.treeToValue(json, EventCatalog.class).channels().get(0).customerIdTypeOrDefault()).isEqualTo(IdType.OPEN_ID);
    }
}
