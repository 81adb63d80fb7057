package dev.qaengine.controlplane.outbox;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import dev.qaengine.controlplane.support.TestKafka;
import dev.qaengine.model.AppType;
import dev.qaengine.model.AttributeDefinition;
import dev.qaengine.model.AttributeType;
import dev.qaengine.model.ChannelDefinition;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.ControlRecord;
import dev.qaengine.model.EventCatalog;
import dev.qaengine.model.EventDefinition;
import dev.qaengine.model.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.qaengine.controlplane.support.ControlRecords.awaitCatalog;
import static dev.qaengine.controlplane.support.ControlRecords.awaitTombstone;
import static dev.qaengine.controlplane.support.ControlRecords.catalog;
import static dev.qaengine.controlplane.support.ControlRecords.read;
import static org.assertj.core.api.Assertions.assertThat;

/** Changes made through the API reach qa.control as whole-catalog control records, read back as the jobs read them. */
class ControlTopicIT extends ControlPlaneTest {

    @Test
    void everyChangePublishesTheWholeCatalogWithAGrowingVersion() {
        Org org = newOrg();
        Api dev = key(org, "DEVELOPER");
        assertThat(dev.post("/api/v1/event-channels", """
                {"appKey":"shop","name":"Shop","appType":"APP","globalAttributes":[{"id":"ver","name":"Version","type":"TEXT"}]}""").status())
                .isEqualTo(201);
        assertThat(dev.post("/api/v1/event-definitions", """
                {"eventCode":"buy","name":"Buy","channel":"shop","attributes":[{"id":"price","name":"Price","type":"NUMBER"}]}""").status())
                .isEqualTo(201);
        assertThat(dev.put("/api/v1/event-definitions/buy", """
                {"name":"Purchase","channel":"shop","attributes":[{"id":"price","name":"Unit price","type":"NUMBER"},
                 {"id":"sku","name":"SKU","type":"TEXT"}]}""").status()).isEqualTo(200);

        List<ConsumerRecord<byte[], byte[]>> records = awaitCatalog(org.id(),
                c -> !c.eventsOrEmpty().isEmpty() && c.eventsOrEmpty().get(0).attributesOrEmpty().size() == 2);

        assertThat(records).hasSize(4); // organization created (empty catalog), channel, event, update
        List<ControlRecord> values = records.stream().map(r -> read(r)).toList();
        assertThat(values).allSatisfy(v -> {
            assertThat(v.v()).isEqualTo(1);
            assertThat(v.kind()).isEqualTo(ControlKind.EVENT_CATALOG);
            assertThat(v.subject()).isEqualTo(org.id());
        });
        assertThat(values.stream().mapToLong(ControlRecord::version).toArray()).isSorted().doesNotHaveDuplicates();
        assertThat(catalog(values.get(0))).isEqualTo(new EventCatalog(org.id(), List.of(), List.of()));
        assertThat(catalog(values.get(3))).isEqualTo(new EventCatalog(org.id(),
                List.of(new ChannelDefinition("shop", "Shop", AppType.APP, List.of(new AttributeDefinition("ver", "Version", AttributeType.TEXT)))),
                List.of(new EventDefinition("buy", "Purchase", "shop", List.of(
                        new AttributeDefinition("price", "Unit price", AttributeType.NUMBER),
                        new AttributeDefinition("sku", "SKU", AttributeType.TEXT))))));
        assertThat(new String(records.get(3).key(), StandardCharsets.UTF_8)).isEqualTo("EVENT_CATALOG:" + org.id());
    }

    @Test
    void theCatalogEndpointShowsWhatWasPublished() throws Exception {
        Org org = newOrg();
        org.admin().post("/api/v1/event-channels", "{\"appKey\":\"web\",\"name\":\"Web\",\"appType\":\"WEB\"}");
        org.admin().post("/api/v1/event-definitions", "{\"eventCode\":\"view\",\"name\":\"View\"}");
        var records = awaitCatalog(org.id(), c -> c.eventsOrEmpty().size() == 1);
        EventCatalog published = catalog(read(records.get(records.size() - 1)));
        EventCatalog shown = dev.qaengine.controlplane.support.ControlRecords.JOBS_JSON.readValue(
                org.admin().get("/api/v1/event-catalog").body(), EventCatalog.class);
        assertThat(shown).isEqualTo(published);
        assertThat(published.eventsOrEmpty().get(0).channel()).isNull();
    }

    @Test
    void aChannelsCustomerIdTypeIsPublishedUnlessItIsOneid() throws Exception {
        Org org = newOrg();
        org.admin().post("/api/v1/event-channels", "{\"appKey\":\"app\",\"name\":\"App\",\"appType\":\"APP\",\"customerIdType\":\"oneid\"}");
        org.admin().post("/api/v1/event-channels", "{\"appKey\":\"mini\",\"name\":\"Mini\",\"appType\":\"MINI_PROGRAM\",\"customerIdType\":\"open_id\"}");
        var records = awaitCatalog(org.id(), c -> c.channelsOrEmpty().size() == 2);
        EventCatalog published = catalog(read(records.get(records.size() - 1)));
        assertThat(published.channelsOrEmpty()).containsExactly(
                new ChannelDefinition("app", "App", AppType.APP, List.of(), null),
                new ChannelDefinition("mini", "Mini", AppType.MINI_PROGRAM, List.of(), dev.qaengine.model.IdType.OPEN_ID));
        assertThat(published.channelsOrEmpty()).extracting(ChannelDefinition::customerIdTypeOrDefault)
                .containsExactly(dev.qaengine.model.IdType.ONEID, dev.qaengine.model.IdType.OPEN_ID);
        // ONEID, the default, is left out: a catalog of ONEID channels reads as it did before the field existed
        String json = new String(records.get(records.size() - 1).value(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"appKey\":\"mini\",\"name\":\"Mini\",\"appType\":\"MINI_PROGRAM\",\"globalAttributes\":[],\"customerIdType\":\"OPEN_ID\"")
                .contains("\"appKey\":\"app\",\"name\":\"App\",\"appType\":\"APP\",\"globalAttributes\":[]}");

        assertThat(org.admin().put("/api/v1/event-channels/mini", """
                {"name":"Mini","appType":"MINI_PROGRAM","customerIdType":"UNION_ID"}""").status()).isEqualTo(200);
        records = awaitCatalog(org.id(), c -> c.channelsOrEmpty().get(1).customerIdType() == dev.qaengine.model.IdType.UNION_ID);
        EventCatalog shown = dev.qaengine.controlplane.support.ControlRecords.JOBS_JSON.readValue(
                org.admin().get("/api/v1/event-catalog").body(), EventCatalog.class);
        assertThat(shown).isEqualTo(catalog(read(records.get(records.size() - 1))));
    }

    @Test
    void deletingAChannelPublishesTheCatalogWithoutIt() {
        Org org = newOrg();
        org.admin().post("/api/v1/event-channels", "{\"appKey\":\"a\",\"name\":\"A\",\"appType\":\"APP\"}");
        org.admin().post("/api/v1/event-channels", "{\"appKey\":\"b\",\"name\":\"B\",\"appType\":\"MINI_PROGRAM\"}");
        awaitCatalog(org.id(), c -> c.channelsOrEmpty().size() == 2);

        assertThat(org.admin().delete("/api/v1/event-channels/a").status()).isEqualTo(204);

        var records = awaitCatalog(org.id(), c -> c.channelsOrEmpty().size() == 1);
        assertThat(catalog(read(records.get(records.size() - 1))).channelsOrEmpty())
                .extracting(ChannelDefinition::appKey).containsExactly("b");
    }

    @Test
    void deletingAnOrganizationPublishesATombstone() {
        Org org = newOrg();
        awaitCatalog(org.id(), c -> true);

        assertThat(platform().delete("/api/v1/organizations/" + org.id()).status()).isEqualTo(204);

        var records = awaitTombstone(org.id());
        assertThat(records.get(records.size() - 1).value()).isNull();
        assertThat(org.admin().get("/api/v1/me").status()).isEqualTo(401); // its keys went with it
    }

    @Test
    void theControlTopicIsCreatedCompacted() throws Exception {
        newOrg();
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CONTROL);
        try (Admin admin = TestKafka.admin()) {
            awaitCatalog("platform-org", c -> true);
            var config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }
}
