package dev.qaengine.identity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.Json;
import dev.qaengine.model.IdType;
import dev.qaengine.model.Identifier;
import dev.qaengine.model.IdentifierRules;
import dev.qaengine.model.IdentityAudit;
import dev.qaengine.model.IdentityLink;
import dev.qaengine.model.IdentityMessageV1;
import dev.qaengine.model.IdentityRefusal;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The identity job's three inputs, each turned into {@link Command}s in its Kafka source: canonical
 * events, identity messages v1 and the job's own feedback topic. What cannot be used becomes an
 * {@link Command#AUDIT} command carrying the refusal, so nothing is dropped silently.
 */
public final class Inputs {
    private static final JsonFactory JSON = new JsonFactory();

    private Inputs() {
    }

    /** Canonical events (qa.events.normalized): the person is found through the customer id. */
    public static final class Events implements KafkaRecordDeserializationSchema<Command> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Command> out) {
            Command c = event(record.value(), record.timestamp());
            if (c != null) {
                out.collect(c);
            }
        }

        @Override
        public TypeInformation<Command> getProducedType() {
            return Codecs.CommandType.INSTANCE.type();
        }
    }

    /**
     * Reads the fields identity needs from a canonical event written by the normalize job; the event's
     * bytes travel on unchanged. {@code customerIdType} (absent = ONEID) says what the customer id is.
     */
    public static Command event(byte[] value, long recordTime) {
        String org = null;
        String customer = null;
        String type = null;
        String eventId = null;
        long ingest = recordTime;
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return refusal(null, IdentityRefusal.MALFORMED_MESSAGE, "canonical event is not a JSON object", null, null, recordTime);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                switch (f) {
                    case "orgId" -> org = p.getValueAsString();
                    case "customerId" -> customer = p.getValueAsString();
                    case "customerIdType" -> type = p.getValueAsString();
                    case "eventId" -> eventId = p.getValueAsString();
                    case "ingestTime" -> ingest = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : recordTime;
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            return refusal(null, IdentityRefusal.MALFORMED_MESSAGE, "canonical event is not valid JSON: " + firstLine(e.getMessage()), null, null, recordTime);
        }
        if (org == null || customer == null) {
            return refusal(org, IdentityRefusal.MALFORMED_MESSAGE, "canonical event " + eventId + " lacks orgId or customerId", null, null, recordTime);
        }
        IdType idType = type == null ? IdType.ONEID : IdType.parse(type).orElse(null);
        if (idType == null) {
            return refusal(org, IdentityRefusal.UNKNOWN_ID_TYPE, "event " + eventId + ": customerIdType " + type + " is no ID type", null, null, recordTime);
        }
        IdentifierRules.Result id = IdentifierRules.normalize(idType, customer);
        if (!id.valid()) {
            return refusal(org, IdentityRefusal.INVALID_IDENTIFIER, "event " + eventId + ": customerId " + id.problem(), idType.name(), customer, recordTime);
        }
        return Command.event(org, id.identifier().key(), ingest, value);
    }

    /** Identity messages v1 (qa.identities.raw): one object or an array per record. */
    public static final class Identities implements KafkaRecordDeserializationSchema<Command> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Command> out) {
            identities(record.value(), record.timestamp()).forEach(out::collect);
        }

        @Override
        public TypeInformation<Command> getProducedType() {
            return Codecs.CommandType.INSTANCE.type();
        }
    }

    /**
     * "The identifiers in customerIdList belong to customerId": one LINK per listed identifier, from the
     * customer (a ONEID); a message with an empty list makes the customer known. A listed identifier of
     * an unknown type or with an invalid value is refused alone; an unusable customer refuses the message.
     */
    public static List<Command> identities(byte[] value, long time) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(value);
        } catch (IOException e) {
            return List.of(refusal(null, IdentityRefusal.MALFORMED_MESSAGE, "not valid JSON: " + firstLine(e.getMessage()), null, null, time));
        }
        if (root == null || !(root.isObject() || root.isArray())) {
            return List.of(refusal(null, IdentityRefusal.MALFORMED_MESSAGE, "an identity message is a JSON object (or an array of them)", null, null, time));
        }
        List<Command> out = new ArrayList<>();
        for (JsonNode m : root.isArray() ? root : List.of(root)) {
            message(m, time, out);
        }
        return out;
    }

    private static void message(JsonNode m, long time, List<Command> out) {
        IdentityMessageV1 msg;
        try {
            msg = Json.MAPPER.treeToValue(m, IdentityMessageV1.class);
        } catch (IOException | IllegalArgumentException e) {
            out.add(refusal(null, IdentityRefusal.MALFORMED_MESSAGE, "not an identity message v1: " + firstLine(e.getMessage()), null, null, time));
            return;
        }
        String org = msg.orgId();
        if (org == null || org.isBlank()) {
            out.add(refusal(null, IdentityRefusal.MALFORMED_MESSAGE, "orgnizationId is required", null, null, time));
            return;
        }
        IdentifierRules.Result anchor = IdentifierRules.normalize(IdType.ONEID, msg.customerId());
        if (!anchor.valid()) {
            out.add(refusal(org, IdentityRefusal.INVALID_IDENTIFIER, "customerId " + anchor.problem(), IdType.ONEID.name(), null, time));
            return;
        }
        Identifier a = anchor.identifier();
        List<IdentityLink> links = msg.customerIdListOrEmpty();
        if (links.isEmpty()) {
            out.add(Command.link(org, a.key(), a.key(), time));
            return;
        }
        for (IdentityLink l : links) {
            IdType type = l == null ? null : l.idType().orElse(null);
            if (type == null) {
                out.add(refusal(org, IdentityRefusal.UNKNOWN_ID_TYPE, "idMapping " + (l == null ? null : l.idMapping()) + " is no ID type",
                        IdType.ONEID.name(), a.value(), l == null ? null : l.idMapping(), l == null ? null : l.customerId(), time));
                continue;
            }
            IdentifierRules.Result id = IdentifierRules.normalize(type, l.customerId());
            if (!id.valid()) {
                out.add(refusal(org, IdentityRefusal.INVALID_IDENTIFIER, id.problem(), IdType.ONEID.name(), a.value(),
                        type.name(), l.customerId(), time));
                continue;
            }
            out.add(Command.link(org, a.key(), id.identifier().key(), time));
        }
    }

    /** The job's feedback topic: commands it sent to its own keys. */
    public static final class Feedback implements KafkaRecordDeserializationSchema<Command> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Command> out) throws IOException {
            Codecs.FeedbackBatch.read(record.value(), out::collect);
        }

        @Override
        public TypeInformation<Command> getProducedType() {
            return Codecs.CommandType.INSTANCE.type();
        }
    }

    static Command refusal(String org, IdentityRefusal reason, String detail, String anchorType, String anchorValue, long time) {
        return refusal(org, reason, detail, anchorType, anchorValue, null, null, time);
    }

    static Command refusal(String org, IdentityRefusal reason, String detail, String anchorType, String anchorValue,
                           String idType, String idValue, long time) {
        IdentityAudit audit = new IdentityAudit(IdentityAudit.VERSION, org, reason, detail, anchorType, anchorValue, idType, idValue,
                List.of(), time, 0);
        Command c = new Command();
        c.kind = Command.AUDIT;
        c.org = org == null ? "" : org;
        c.target = "!audit";
        c.time = time;
        try {
            c.payload = Json.MAPPER.writeValueAsBytes(audit);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return c;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
