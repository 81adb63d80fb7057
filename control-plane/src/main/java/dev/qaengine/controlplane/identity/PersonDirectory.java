package dev.qaengine.controlplane.identity;

import dev.qaengine.controlplane.config.Failures;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.ProblemCode;
import dev.qaengine.model.Identifier;
import dev.qaengine.model.PersonRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import java.util.Optional;

/**
 * Reads the person directory the identity job writes to Redis (SEMANTICS.md § Identity): an identifier's
 * key {@code qa:pid:<org>:<TYPE>:<value>} holds its person's id, {@code qa:person:<org>:<personId>} the
 * {@link PersonRecord}. Keys carry the organization, so one organization can never read another's persons.
 * Nothing is cached: the directory changes with every merge.
 */
@Component
public class PersonDirectory {
    private static final Logger log = LoggerFactory.getLogger(PersonDirectory.class);

    /** One Redis GET: the value, or null when the key does not exist. */
    @FunctionalInterface
    interface Store {
        String get(String key);
    }

    private final Store store;
    private final ObjectReader records;
    /** Set while Redis does not answer: an outage is logged once, not once per look-up. */
    private volatile boolean redisDown;

    @Autowired
    public PersonDirectory(JedisPooled redis, JsonMapper json) {
        this(redis::get, json);
    }

    PersonDirectory(Store store, JsonMapper json) {
        this.store = store;
        // Fields a newer identity job adds must not make the look-up fail.
        this.records = json.readerFor(PersonRecord.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * The person holding {@code id} in the organization, if any. A merge rewrites the directory key by key:
     * an identifier may for a moment still name a person whose record was just removed (merged into an
     * older one). The identifier is then read once more — by then it names the survivor — and if it still
     * leads nowhere, there is no person to show.
     *
     * @throws ApiException 503 {@code redis-unavailable} when Redis does not answer
     */
    public Optional<PersonRecord> find(String orgId, Identifier id) {
        String idKey = PersonRecord.identifierKey(orgId, id);
        String personId = get(idKey);
        if (personId == null) {
            return Optional.empty();
        }
        String json = get(PersonRecord.personKey(orgId, personId));
        if (json == null) {
            String again = get(idKey);
            if (again == null) {
                return Optional.empty();
            }
            personId = again;
            json = get(PersonRecord.personKey(orgId, personId));
            if (json == null) {
                return Optional.empty();
            }
        }
        PersonRecord person = read(orgId, personId, json);
        // The key already scopes the organization; a record naming another one is someone else's data.
        return orgId.equals(person.orgId()) ? Optional.of(person) : Optional.empty();
    }

    private String get(String key) {
        String value;
        try {
            value = store.get(key);
        } catch (JedisException e) {
            // Jedis' messages name the host and the failure, never the key (which holds an identifier value).
            if (!redisDown) {
                redisDown = true;
                log.warn("Redis does not answer person look-ups ({}); they answer 503 until it does", Failures.rootMessage(e));
            } else {
                log.debug("Redis still does not answer: {}", Failures.rootMessage(e));
            }
            throw new ApiException(ProblemCode.REDIS_UNAVAILABLE,
                    "the person directory (Redis) does not answer; try again later", e);
        }
        if (redisDown) {
            redisDown = false;
            log.info("Redis answers person look-ups again");
        }
        return value;
    }

    private PersonRecord read(String orgId, String personId, String json) {
        try {
            return records.readValue(json);
        } catch (JacksonException e) {
            // The identity job writes these; a damaged one is a server-side fault, logged without its content.
            var at = e.getLocation();
            log.error("person record {} of organization {} is not a person record v1 ({}{})", personId, orgId, e.getClass().getSimpleName(),
                    at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr());
            throw new ApiException(ProblemCode.INTERNAL, "the person's record is damaged; the server log has the details");
        }
    }
}
