package dev.qaengine.normalize;

import dev.qaengine.model.AppType;
import dev.qaengine.model.AttributeDefinition;
import dev.qaengine.model.AttributeType;
import dev.qaengine.model.ChannelDefinition;
import dev.qaengine.model.IdType;
import dev.qaengine.model.EventCatalog;
import dev.qaengine.model.EventDefinition;

import java.util.List;

/** The event catalog the normalize tests run against. */
final class Fixtures {
    static final String ORG = "56621289-820e-433a-9947-000000000000";

    private Fixtures() {
    }

    static EventCatalog catalog() {
        return catalog(ORG);
    }

    static EventCatalog catalog(String org) {
        return new EventCatalog(org,
                List.of(new ChannelDefinition("shop-app", "Shop app", AppType.APP,
                                List.of(new AttributeDefinition("city", "City", AttributeType.TEXT))),
                        // a mini program reports WeChat OPEN_IDs as its customer ids
                        new ChannelDefinition("mini", "Mini program", AppType.MINI_PROGRAM, List.of(), IdType.OPEN_ID)),
                List.of(new EventDefinition("add_to_cart", "Add to cart", "shop-app", List.of(
                                new AttributeDefinition("sku", "SKU", AttributeType.TEXT),
                                new AttributeDefinition("price", "Price", AttributeType.NUMBER))),
                        new EventDefinition("login", "Log in", null, List.of())));
    }

    /** The catalog with one more event: what a live definition update publishes. */
    static EventCatalog catalogWithPurchase() {
        return catalogWithPurchase(ORG);
    }

    static EventCatalog catalogWithPurchase(String org) {
        EventCatalog c = catalog(org);
        var events = new java.util.ArrayList<>(c.events());
        events.add(new EventDefinition("purchase", "Purchase", "shop-app", List.of(
                new AttributeDefinition("amount", "Amount", AttributeType.NUMBER))));
        return new EventCatalog(c.orgId(), c.channels(), events);
    }

    static String event(String customer, String code, long time, String attributesJson) {
        return event(ORG, customer, code, time, attributesJson);
    }

    static String event(String org, String customer, String code, long time, String attributesJson) {
        return "{\"orgnizationId\":\"" + org + "\",\"customerId\":\"" + customer + "\",\"eventSourceCode\":\"shop-app\","
                + "\"eventCode\":\"" + code + "\",\"eventTime\":" + time + ",\"extendAttributes\":" + attributesJson + ",\"v\":1}";
    }
}
