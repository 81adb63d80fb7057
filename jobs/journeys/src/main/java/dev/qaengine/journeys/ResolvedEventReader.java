package dev.qaengine.journeys;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.qaengine.common.Json;
import dev.qaengine.model.AppType;
import dev.qaengine.model.CanonicalEvent;
import dev.qaengine.model.IdType;
import dev.qaengine.model.ResolvedEvent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a resolved event as the engine's object mapper would ({@code Json.MAPPER.readValue(bytes, ResolvedEvent.class)}),
 * token by token instead of through data binding: the engine reads one per event, and binding to records (a creator call
 * per object, a property look-up per member) cost a tenth of its time. The fast way takes the shape the identity job
 * writes and the schema describes; for anything else — a member of another JSON type (which binding may coerce: {@code
 * "v":"1"}), an unknown enum name, malformed JSON — it answers null, and the caller binds the usual way, which gives the
 * same value or the same error as before. {@code ResolvedEventReaderTest} checks the two agree on random and odd input.
 */
final class ResolvedEventReader {
    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

    private ResolvedEventReader() {
    }

    /** The event, or null when the fast way does not take this input (bind it the usual way). */
    static ResolvedEvent read(byte[] json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            ResolvedEvent ev = resolved(p);
            return ev != null && p.nextToken() == null ? ev : null; // trailing content: binding decides
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A member's value did not have the expected JSON type. */
    private static final class Unusual extends RuntimeException {
        static final Unusual INSTANCE = new Unusual();

        private Unusual() {
            super(null, null, false, false);
        }
    }

    private static ResolvedEvent resolved(JsonParser p) throws IOException {
        int v = 0;
        String personId = null;
        Map<IdType, List<String>> identifiers = null;
        CanonicalEvent event = null;
        int seen = 0;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "v" -> {
                    seen = once(seen, 0);
                    v = intValue(p, t);
                }
                case "personId" -> {
                    seen = once(seen, 1);
                    personId = text(p, t);
                }
                case "identifiers" -> {
                    seen = once(seen, 2);
                    identifiers = identifiers(p, t);
                }
                case "event" -> {
                    seen = once(seen, 3);
                    event = event(p, t);
                }
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw Unusual.INSTANCE;
        }
        return new ResolvedEvent(v, personId, identifiers, event);
    }

    private static CanonicalEvent event(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            throw Unusual.INSTANCE;
        }
        int v = 0;
        String eventId = null;
        String orgId = null;
        String customerId = null;
        String channel = null;
        AppType appType = null;
        String eventCode = null;
        Map<String, Object> attributes = null;
        long eventTime = 0;
        long ingestTime = 0;
        IdType customerIdType = null;
        int seen = 0;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken vt = p.nextToken();
            switch (name) {
                case "v" -> {
                    seen = once(seen, 0);
                    v = intValue(p, vt);
                }
                case "eventId" -> {
                    seen = once(seen, 1);
                    eventId = text(p, vt);
                }
                case "orgId" -> {
                    seen = once(seen, 2);
                    orgId = text(p, vt);
                }
                case "customerId" -> {
                    seen = once(seen, 3);
                    customerId = text(p, vt);
                }
                case "channel" -> {
                    seen = once(seen, 4);
                    channel = text(p, vt);
                }
                case "appType" -> {
                    seen = once(seen, 5);
                    appType = vt == JsonToken.VALUE_NULL ? null : AppType.valueOf(text(p, vt));
                }
                case "eventCode" -> {
                    seen = once(seen, 6);
                    eventCode = text(p, vt);
                }
                case "attributes" -> {
                    seen = once(seen, 7);
                    attributes = attributes(p, vt);
                }
                case "eventTime" -> {
                    seen = once(seen, 8);
                    eventTime = longValue(p, vt);
                }
                case "ingestTime" -> {
                    seen = once(seen, 9);
                    ingestTime = longValue(p, vt);
                }
                case "customerIdType" -> {
                    seen = once(seen, 10);
                    customerIdType = vt == JsonToken.VALUE_NULL ? null : IdType.valueOf(text(p, vt));
                }
                default -> p.skipChildren();
            }
        }
        return new CanonicalEvent(v, eventId, orgId, customerId, channel, appType, eventCode, attributes, eventTime, ingestTime, customerIdType);
    }

    private static Map<IdType, List<String>> identifiers(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            throw Unusual.INSTANCE;
        }
        Map<IdType, List<String>> out = new LinkedHashMap<>();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            IdType type = IdType.valueOf(name);
            JsonToken vt = p.nextToken();
            if (vt == JsonToken.VALUE_NULL) {
                out.put(type, null);
                continue;
            }
            if (vt != JsonToken.START_ARRAY) {
                throw Unusual.INSTANCE;
            }
            List<String> values = new ArrayList<>(2);
            for (JsonToken et = p.nextToken(); et != JsonToken.END_ARRAY; et = p.nextToken()) {
                values.add(text(p, et));
            }
            out.put(type, values);
        }
        return out;
    }

    private static Map<String, Object> attributes(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            throw Unusual.INSTANCE;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken vt = p.nextToken();
            out.put(name, switch (vt) {
                case VALUE_STRING -> p.getText();
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                default -> Json.MAPPER.readValue(p, Object.class); // nested: what binding gives a Map<String, Object>'s values
            });
        }
        return out;
    }

    /** A member named twice: binding refuses that for a record's members, so the reader leaves it to binding. */
    private static int once(int seen, int member) {
        if ((seen & (1 << member)) != 0) {
            throw Unusual.INSTANCE;
        }
        return seen | (1 << member);
    }

    private static String text(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw Unusual.INSTANCE;
    }

    private static int intValue(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw Unusual.INSTANCE;
        }
        return p.getIntValue();
    }

    private static long longValue(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw Unusual.INSTANCE;
        }
        return p.getLongValue();
    }
}
