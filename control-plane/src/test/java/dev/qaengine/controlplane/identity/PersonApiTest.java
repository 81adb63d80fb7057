package dev.qaengine.controlplane.identity;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import dev.qaengine.controlplane.support.ControlRecords;
import dev.qaengine.model.IdType;
import dev.qaengine.model.Identifier;
import dev.qaengine.model.PersonRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import redis.clients.jedis.JedisPooled;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/v1/persons/{idType}/{idValue} against the real Redis, holding person directories written the
 * way the identity job writes them (qa-model's keys, Jackson 2). Each test's organization is new, so its
 * keys are its own; they are deleted afterwards.
 */
class PersonApiTest extends ControlPlaneTest {
    @Autowired
    JedisPooled redis;

    private final List<String> written = new ArrayList<>();

    @AfterEach
    void deleteKeys() {
        if (!written.isEmpty()) {
            redis.del(written.toArray(String[]::new));
        }
    }

    /** A person of {@code orgId} with the given identifiers, every one of them pointing at it, as the identity job leaves it. */
    private PersonRecord person(String orgId, String personId, Identifier... ids) throws Exception {
        PersonRecord p = new PersonRecord(PersonRecord.VERSION, orgId, personId, 1764300000123L, 3,
                List.of(ids).stream().sorted().toList());
        set(PersonRecord.personKey(orgId, personId), ControlRecords.JOBS_JSON.writeValueAsString(p));
        for (Identifier id : ids) {
            set(PersonRecord.identifierKey(orgId, id), personId);
        }
        return p;
    }

    private void set(String key, String value) {
        written.add(key);
        redis.set(key, value);
    }

    private static PersonRecord read(Api.Response r) throws Exception {
        return ControlRecords.JOBS_JSON.readValue(r.body(), PersonRecord.class);
    }

    @Test
    void findsThePersonByEachIdentifierInAnySpellingOfTypeAndValue() throws Exception {
        Org org = newOrg();
        PersonRecord p = person(org.id(), "p-1", new Identifier(IdType.ONEID, "customer001"), new Identifier(IdType.MOBILE, "13800138000"),
                new Identifier(IdType.EMAIL, "li.lei@example.com"), new Identifier(IdType.OPEN_ID, "oAbC-123"));
        Api analyst = key(org, "ANALYST");
        for (String path : List.of("oneid/customer001", "ONEID/customer001", "mobile/13800138000",
                "mobile/%2B86%20138-0013-8000", "MOBILE/0086%20138%200013%208000", "Mobile/(138)%200013.8000",
                "email/Li.Lei@Example.COM", "email/%20li.lei@example.com%20", "open_id/oAbC-123")) {
            Api.Response r = analyst.get("/api/v1/persons/" + path);
            assertThat(r.status()).as(path + ": " + r).isEqualTo(200);
            assertThat(r.contentType()).startsWith("application/json");
            assertThat(read(r)).as(path).isEqualTo(p);
        }
        // OPEN_IDs are case-sensitive: another case is another identifier
        assertThat(analyst.get("/api/v1/persons/open_id/OABC-123").status()).isEqualTo(404);
    }

    @Test
    void anUnknownIdentifierIsNotFound() throws Exception {
        Org org = newOrg();
        person(org.id(), "p-1", new Identifier(IdType.MOBILE, "13800138000"));
        Api.Response r = org.admin().get("/api/v1/persons/mobile/13900139000");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.text("/code")).isEqualTo("not-found");
        assertThat(r.text("/detail")).contains("MOBILE").doesNotContain("13900139000");
    }

    @Test
    void anUnknownTypeOrAnInvalidValueIsABadParameterNamingIt() {
        Api api = newOrg().admin();
        Api.Response type = api.get("/api/v1/persons/phone/13800138000");
        assertThat(type.status()).isEqualTo(400);
        assertThat(type.text("/code")).isEqualTo("bad-parameter");
        assertThat(type.text("/field")).isEqualTo("idType");
        assertThat(type.text("/detail")).contains("'phone'", "mobile", "open_id");

        Api.Response mobile = api.get("/api/v1/persons/mobile/12345");
        assertThat(mobile.status()).isEqualTo(400);
        assertThat(mobile.text("/field")).isEqualTo("idValue");
        assertThat(mobile.text("/detail")).isEqualTo("idValue: MOBILE: not a valid MOBILE value");

        Api.Response idfa = api.get("/api/v1/persons/idfa/00000000-0000-0000-0000-000000000000");
        assertThat(idfa.status()).isEqualTo(400);
        assertThat(idfa.text("/field")).isEqualTo("idValue");
        assertThat(idfa.text("/detail")).contains("all-zero IDFA");

        Api.Response email = api.get("/api/v1/persons/email/not-an-address");
        assertThat(email.status()).isEqualTo(400);
        assertThat(email.text("/errors/0/field")).isEqualTo("idValue");
    }

    @Test
    void anotherOrganizationsPersonIsNotVisible() throws Exception {
        Org a = newOrg();
        Org b = newOrg();
        person(a.id(), "p-a", new Identifier(IdType.MOBILE, "13800138000"));
        // A record of A's written under B's keys (never by the job) is not shown to B either.
        set(PersonRecord.identifierKey(b.id(), new Identifier(IdType.ONEID, "stray")), "p-a");
        set(PersonRecord.personKey(b.id(), "p-a"), redis.get(PersonRecord.personKey(a.id(), "p-a")));

        assertThat(a.admin().get("/api/v1/persons/mobile/13800138000").status()).isEqualTo(200);
        Api.Response r = b.admin().get("/api/v1/persons/mobile/13800138000");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).doesNotContain(a.id()).doesNotContain("p-a");
        assertThat(b.admin().get("/api/v1/persons/oneid/stray").status()).isEqualTo(404);
    }

    @Test
    void anIdentifierWhosePersonIsGoneIsNotFound() {
        Org org = newOrg();
        // The state between a merge's writes: the identifier still names the merged (removed) person.
        set(PersonRecord.identifierKey(org.id(), new Identifier(IdType.EMAIL, "gone@example.com")), "p-merged");
        Api.Response r = org.admin().get("/api/v1/persons/email/gone@example.com");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.text("/code")).isEqualTo("not-found");
    }
}
