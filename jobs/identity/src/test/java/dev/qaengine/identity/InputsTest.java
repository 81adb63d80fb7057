package dev.qaengine.identity;

import dev.qaengine.model.Topics;
import dev.qaengine.common.TopicRecord;
import dev.qaengine.common.Json;
import dev.qaengine.model.IdentityAudit;
import dev.qaengine.model.IdentityRefusal;
import dev.qaengine.model.Identifier;
import dev.qaengine.model.IdType;
import dev.qaengine.model.PersonRecord;
import dev.qaengine.model.Schemas;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Identity messages and canonical events become commands; what cannot be used becomes a refusal with its reason. */
class InputsTest {

    static List<Command> identities(String json) {
        return Inputs.identities(json.getBytes(StandardCharsets.UTF_8), 1000);
    }

    static IdentityAudit audit(Command c) throws Exception {
        assertThat(c.kind).isEqualTo(Command.AUDIT);
        IdentityAudit a = Json.MAPPER.readValue(c.payload, IdentityAudit.class);
        assertThat(Schemas.violations("identity-audit-v1.schema.json", Json.MAPPER.readTree(c.payload))).isEmpty();
        return a;
    }

    @Test
    void theContractExampleLinksTheCustomerToEachNormalizedIdentifier() {
        List<Command> cs = identities("""
                {"orgnizationId":"o","customerId":"customer001","customerIdList":[
                  {"customerId":"+86 138 8888 8888","idMapping":"mobile"},{"customerId":" Li@X.com","idMapping":"EMAIL"},
                  {"customerId":"oUpF8","idMapping":"open_id"}],"v":1}""");
        assertThat(cs).allSatisfy(c -> {
            assertThat(c.kind).isEqualTo(Command.LINK);
            assertThat(c.org).isEqualTo("o");
            assertThat(c.target).isEqualTo("ONEID:customer001");
            assertThat(c.time).isEqualTo(1000);
        });
        assertThat(cs).extracting(c -> c.linkB).containsExactly("MOBILE:13888888888", "EMAIL:li@x.com", "OPEN_ID:oUpF8");
    }

    @Test
    void anArrayHoldsSeveralMessagesAndAnEmptyListMakesTheCustomerKnown() {
        List<Command> cs = identities("""
                [{"organizationId":"o","customerId":"a","customerIdList":[]},
                 {"orgnizationId":"o","customerId":"b","customerIdList":[{"customerId":"x","idMapping":"taobao_id"}]}]""");
        assertThat(cs).extracting(c -> c.linkA + "~" + c.linkB).containsExactly("ONEID:a~ONEID:a", "ONEID:b~TAOBAO_ID:x");
    }

    @Test
    void eachBadPartIsRefusedWithItsReasonAndTheRestStillApplies() throws Exception {
        List<Command> cs = identities("""
                {"orgnizationId":"o","customerId":"c","customerIdList":[
                  {"customerId":"1","idMapping":"fax"},{"customerId":"12345","idMapping":"mobile"},
                  {"customerId":"13800000000","idMapping":"mobile"}]}""");
        assertThat(cs).hasSize(3);
        IdentityAudit unknown = audit(cs.get(0));
        assertThat(unknown.reason()).isEqualTo(IdentityRefusal.UNKNOWN_ID_TYPE);
        assertThat(unknown.detail()).isEqualTo("idMapping fax is no ID type");
        assertThat(unknown.idType()).isEqualTo("fax");
        IdentityAudit invalid = audit(cs.get(1));
        assertThat(invalid.reason()).isEqualTo(IdentityRefusal.INVALID_IDENTIFIER);
        assertThat(invalid.detail()).isEqualTo("MOBILE: not a valid MOBILE value");
        assertThat(invalid.anchorValue()).isEqualTo("c");
        assertThat(cs.get(2).linkB).isEqualTo("MOBILE:13800000000");
    }

    @Test
    void messagesThatAreNotUsableAreRefusedWhole() throws Exception {
        assertThat(audit(identities("{nope").get(0)).reason()).isEqualTo(IdentityRefusal.MALFORMED_MESSAGE);
        assertThat(audit(identities("42").get(0)).detail()).contains("JSON object");
        assertThat(audit(identities("{\"customerId\":\"c\"}").get(0)).detail()).isEqualTo("orgnizationId is required");
        IdentityAudit noCustomer = audit(identities("{\"orgnizationId\":\"o\",\"customerIdList\":[]}").get(0));
        assertThat(noCustomer.reason()).isEqualTo(IdentityRefusal.INVALID_IDENTIFIER);
        assertThat(noCustomer.orgId()).isEqualTo("o");
        assertThat(audit(identities("{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"customerIdList\":{}}").get(0)).reason())
                .isEqualTo(IdentityRefusal.MALFORMED_MESSAGE);
    }

    @Test
    void eventsAreResolvedThroughTheirChannelsIdType() throws Exception {
        byte[] oneid = "{\"v\":1,\"eventId\":\"e\",\"orgId\":\"o\",\"customerId\":\" c1 \",\"ingestTime\":77}".getBytes(StandardCharsets.UTF_8);
        Command c = Inputs.event(oneid, 5);
        assertThat(c.kind).isEqualTo(Command.EVENT);
        assertThat(c.target).isEqualTo("ONEID:c1");
        assertThat(c.time).isEqualTo(77);
        assertThat(c.payload).isSameAs(oneid);

        Command device = Inputs.event("{\"orgId\":\"o\",\"customerId\":\"6d92078a-8246-4ba4-ae5b-76104861e7dc\",\"customerIdType\":\"IDFA\"}"
                .getBytes(StandardCharsets.UTF_8), 5);
        assertThat(device.target).isEqualTo("IDFA:6D92078A-8246-4BA4-AE5B-76104861E7DC");
        assertThat(device.time).isEqualTo(5);

        IdentityAudit bad = audit(Inputs.event("{\"orgId\":\"o\",\"eventId\":\"e9\",\"customerId\":\"x\",\"customerIdType\":\"MOBILE\"}"
                .getBytes(StandardCharsets.UTF_8), 5));
        assertThat(bad.reason()).isEqualTo(IdentityRefusal.INVALID_IDENTIFIER);
        assertThat(bad.detail()).isEqualTo("event e9: customerId MOBILE: not a valid MOBILE value");
        assertThat(audit(Inputs.event("[1]".getBytes(StandardCharsets.UTF_8), 5)).reason()).isEqualTo(IdentityRefusal.MALFORMED_MESSAGE);
    }

    @Test
    void commandsAndNodesSurviveTheirBinaryForm() throws Exception {
        Command c = Command.link("o", "ONEID:a", "EMAIL:a@x.com", 3);
        c.kind = Command.ABSORB;
        c.clock = 9;
        c.p1 = new PersonRef("p1", "ONEID:a", 1);
        c.p2 = new PersonRef("p2", "IDFA:X", 0);
        c.members = List.of(new Identifier(IdType.ONEID, "a"), new Identifier(IdType.EMAIL, "a@x.com"));
        c.version = 4;
        c.payload = new byte[]{1, 2};
        Command back = Codecs.CommandType.INSTANCE.fromBytes(Codecs.CommandType.INSTANCE.toBytes(c));
        assertThat(back).usingRecursiveComparison().isEqualTo(c);

        Node n = new Node();
        n.person = c.p1;
        n.personVersion = 2;
        n.personIds = c.members;
        n.clock = 5;
        n.status = Node.MERGED;
        n.firstSeen = 1;
        n.version = 2;
        n.members = c.members;
        n.successor = c.p2;
        assertThat(Codecs.NodeType.INSTANCE.fromBytes(Codecs.NodeType.INSTANCE.toBytes(n))).usingRecursiveComparison().isEqualTo(n);
        Node plain = new Node();
        plain.person = c.p2;
        plain.personIds = List.of(new Identifier(IdType.IDFA, "X"));
        assertThat(Codecs.NodeType.INSTANCE.fromBytes(Codecs.NodeType.INSTANCE.toBytes(plain))).usingRecursiveComparison().isEqualTo(plain);
    }

    @Test
    void feedbackRecordsCarryManyStepsAndOneStepRecordsStillRead() throws Exception {
        Codecs.FeedbackBatch batch = new Codecs.FeedbackBatch();
        assertThat(batch.take(Topics.IDENTITY_FEEDBACK)).isNull();
        List<Command> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Command c = Command.link("o", "ONEID:a" + i, "EMAIL:a@x.com", 10 + i);
            c.kind = Command.REPOINT;
            c.p1 = new PersonRef("p" + i, "ONEID:a", 1);
            c.members = List.of(new Identifier(IdType.ONEID, "a" + i));
            c.version = i;
            batch.add(c);
            sent.add(c);
        }
        assertThat(batch.count()).isEqualTo(3);
        TopicRecord r = batch.take(Topics.IDENTITY_FEEDBACK);
        assertThat(batch.count()).isZero();
        assertThat(r.topic()).isEqualTo(Topics.IDENTITY_FEEDBACK);
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("o|ONEID:a0");
        assertThat(r.timestamp()).isEqualTo(10);
        List<Command> read = new java.util.ArrayList<>();
        Codecs.FeedbackBatch.read(r.value(), read::add);
        assertThat(read).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(sent);
        // a record of one command, as earlier builds wrote them
        read.clear();
        Codecs.FeedbackBatch.read(Codecs.CommandType.INSTANCE.toBytes(sent.get(1)), read::add);
        assertThat(read).usingRecursiveFieldByFieldElementComparator().containsExactly(sent.get(1));
        // the batch after take starts afresh
        batch.add(sent.get(2));
        read.clear();
        Codecs.FeedbackBatch.read(batch.take(Topics.IDENTITY_FEEDBACK).value(), read::add);
        assertThat(read).hasSize(1);
    }

    @Test
    void resolvedEventsEmbedTheCanonicalBytesAndEscapeValues() throws Exception {
        byte[] canonical = ("{\"v\":1,\"eventId\":\"0123456789abcdef0123456789abcdef\",\"orgId\":\"o\",\"customerId\":\"c\","
                + "\"eventCode\":\"e\",\"attributes\":{},\"eventTime\":1,\"ingestTime\":2}").getBytes(StandardCharsets.UTF_8);
        byte[] json = ResolvedJson.write("p1", List.of(new Identifier(IdType.ONEID, "q\"uote\\ \u0001 中文 \uD83D\uDE00"),
                new Identifier(IdType.EMAIL, "a@x.com"), new Identifier(IdType.EMAIL, "b@x.com")).stream().sorted().toList(), canonical);
        var tree = Json.MAPPER.readTree(json);
        assertThat(Schemas.violations("resolved-event-v1.schema.json", tree)).isEmpty();
        assertThat(tree.get("identifiers").get("ONEID").get(0).asText()).isEqualTo("q\"uote\\ \u0001 中文 \uD83D\uDE00");
        assertThat(tree.get("identifiers").get("EMAIL")).hasSize(2);
        assertThat(tree.get("event").get("customerId").asText()).isEqualTo("c");
        assertThat(PersonRecord.identifierKey("o", new Identifier(IdType.EMAIL, "a@x.com"))).isEqualTo("qa:pid:o:EMAIL:a@x.com");

        // a node renders its person's part once, and again when the person or its identifiers change
        Node n = new Node();
        n.person = new PersonRef("p1", "ONEID:a", 1);
        n.personIds = List.of(new Identifier(IdType.ONEID, "a"));
        byte[] first = ResolvedJson.write(n, canonical);
        assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo(new String(ResolvedJson.write("p1", n.personIds, canonical), StandardCharsets.UTF_8))
                .startsWith("{\"v\":1,\"personId\":\"p1\",\"identifiers\":{\"ONEID\":[\"a\"]},\"event\":{").endsWith("\"ingestTime\":2}}");
        byte[] prefix = n.resolvedPrefix;
        ResolvedJson.write(n, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(n.resolvedPrefix).isSameAs(prefix);
        n.personIds = List.of(new Identifier(IdType.ONEID, "a"), new Identifier(IdType.EMAIL, "b@x.com"));
        assertThat(new String(ResolvedJson.write(n, "{}".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                .isEqualTo("{\"v\":1,\"personId\":\"p1\",\"identifiers\":{\"ONEID\":[\"a\"],\"EMAIL\":[\"b@x.com\"]},\"event\":{}}");
        n.person = new PersonRef("p0", "IDFA:X", 0);
        assertThat(new String(ResolvedJson.write(n, "{}".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8)).contains("\"personId\":\"p0\"");
    }
}
