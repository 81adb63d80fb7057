package dev.qaengine.controlplane.event;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class EventCatalogApiTest extends ControlPlaneTest {

    @Nested
    class Channels {
        @Test
        void createReadUpdateDelete() {
            Api api = newOrg().admin();
            Api.Response created = api.post("/api/v1/event-channels", """
                    {"appKey":"shop.app","name":" Shop ","appType":"MINI_PROGRAM","globalAttributes":[{"id":"ver","type":"TEXT"}]}""");
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.text("/name")).isEqualTo("Shop");
            assertThat(created.text("/globalAttributes/0/name")).as("name defaults to the id").isEqualTo("ver");
            assertThat(created.text("/createdAt")).isNotEmpty();

            Api.Response read = api.get("/api/v1/event-channels/shop.app");
            assertThat(read.json()).isEqualTo(created.json());

            Api.Response updated = api.put("/api/v1/event-channels/shop.app", """
                    {"appKey":"shop.app","name":"Shop 2","appType":"APP","globalAttributes":[{"id":"ver","name":"Version","type":"TEXT"},
                     {"id":"os","type":"TEXT"}]}""");
            assertThat(updated.status()).isEqualTo(200);
            assertThat(updated.text("/appType")).isEqualTo("APP");
            assertThat(updated.json().get("globalAttributes")).hasSize(2);
            assertThat(updated.text("/createdAt")).isEqualTo(created.text("/createdAt"));

            assertThat(api.delete("/api/v1/event-channels/shop.app").status()).isEqualTo(204);
            assertThat(api.get("/api/v1/event-channels/shop.app").status()).isEqualTo(404);
        }

        @Test
        void appKeysAreUniqueAndCannotChange() {
            Api api = newOrg().admin();
            String body = "{\"appKey\":\"k\",\"name\":\"K\",\"appType\":\"APP\"}";
            assertThat(api.post("/api/v1/event-channels", body).status()).isEqualTo(201);
            Api.Response dup = api.post("/api/v1/event-channels", body);
            assertThat(dup.status()).isEqualTo(409);
            assertThat(dup.text("/code")).isEqualTo("duplicate");
            assertThat(dup.text("/field")).isEqualTo("appKey");

            Api.Response renamed = api.put("/api/v1/event-channels/k", "{\"appKey\":\"k2\",\"name\":\"K\",\"appType\":\"APP\"}");
            assertThat(renamed.status()).isEqualTo(422);
            assertThat(renamed.text("/field")).isEqualTo("appKey");
        }

        @Test
        void globalAttributesCanBeAddedAndRenamedButNotRemovedOrRetyped() {
            Api api = newOrg().admin();
            api.post("/api/v1/event-channels", """
                    {"appKey":"c","name":"C","appType":"WEB","globalAttributes":[{"id":"a","type":"TEXT"},{"id":"b","type":"NUMBER"}]}""");

            Api.Response removed = api.put("/api/v1/event-channels/c", """
                    {"name":"C","appType":"WEB","globalAttributes":[{"id":"a","type":"TEXT"}]}""");
            assertThat(removed.status()).isEqualTo(409);
            assertThat(removed.text("/code")).isEqualTo("attribute-removed");
            assertThat(removed.text("/type")).isEqualTo("https://qaengine.dev/problems/attribute-removed");
            assertThat(removed.text("/field")).isEqualTo("globalAttributes");
            assertThat(removed.text("/detail")).contains("'b'");

            Api.Response retyped = api.put("/api/v1/event-channels/c", """
                    {"name":"C","appType":"WEB","globalAttributes":[{"id":"b","type":"TEXT"},{"id":"a","type":"TEXT"}]}""");
            assertThat(retyped.status()).isEqualTo(409);
            assertThat(retyped.text("/code")).isEqualTo("attribute-retyped");
            assertThat(retyped.text("/field")).isEqualTo("globalAttributes[0].type");

            assertThat(api.put("/api/v1/event-channels/c", """
                    {"name":"C","appType":"WEB","globalAttributes":[{"id":"b","name":"Bee","type":"NUMBER"},{"id":"a","type":"TEXT"},
                     {"id":"z","type":"NUMBER"}]}""").status()).isEqualTo(200);
        }

        @Test
        void aChannelUsedByEventDefinitionsCannotBeDeleted() {
            Api api = newOrg().admin();
            api.post("/api/v1/event-channels", "{\"appKey\":\"c\",\"name\":\"C\",\"appType\":\"APP\"}");
            api.post("/api/v1/event-definitions", "{\"eventCode\":\"e\",\"name\":\"E\",\"channel\":\"c\"}");

            Api.Response r = api.delete("/api/v1/event-channels/c");
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.text("/code")).isEqualTo("in-use");
            assertThat(r.text("/detail")).contains("'e'");

            assertThat(api.put("/api/v1/event-definitions/e", "{\"name\":\"E\"}").status()).isEqualTo(200); // moved off the channel
            assertThat(api.delete("/api/v1/event-channels/c").status()).isEqualTo(204);
        }

        @Test
        void validationNamesEveryOffendingField() {
            Api api = newOrg().admin();
            Api.Response r = api.post("/api/v1/event-channels", """
                    {"appKey":"bad key!","name":"","appType":null,"globalAttributes":[{"id":"ok","type":"TEXT"},{"id":"","type":null},null]}""");
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.text("/code")).isEqualTo("validation");
            assertThat(r.json().get("errors")).extracting(e -> e.get("field").asString())
                    .contains("appKey", "name", "appType", "globalAttributes[1].id", "globalAttributes[1].type", "globalAttributes[2]");
            assertThat(r.text("/field")).isEqualTo(r.json().get("errors").get(0).get("field").asString());

            Api.Response dupAttr = api.post("/api/v1/event-channels", """
                    {"appKey":"k","name":"K","appType":"APP","globalAttributes":[{"id":"x","type":"TEXT"},{"id":"x","type":"NUMBER"}]}""");
            assertThat(dupAttr.status()).isEqualTo(422);
            assertThat(dupAttr.text("/field")).isEqualTo("globalAttributes[1].id");

            Api.Response badType = api.post("/api/v1/event-channels", """
                    {"appKey":"k","name":"K","appType":"APP","globalAttributes":[{"id":"x","type":"DATE"}]}""");
            assertThat(badType.status()).isEqualTo(422);
            assertThat(badType.text("/field")).isEqualTo("globalAttributes[0].type");
            assertThat(badType.text("/detail")).contains("[TEXT, NUMBER]");
        }
    }

    @Nested
    class CustomerIdType {
        @Test
        void isAnIdTypeInAnyCaseAndOneidWhenAbsent() {
            Api api = newOrg().admin();
            Api.Response app = api.post("/api/v1/event-channels", "{\"appKey\":\"app\",\"name\":\"App\",\"appType\":\"APP\"}");
            assertThat(app.status()).isEqualTo(201);
            assertThat(app.text("/customerIdType")).isEqualTo("ONEID");

            Api.Response mini = api.post("/api/v1/event-channels", """
                    {"appKey":"mini","name":"Mini","appType":"MINI_PROGRAM","customerIdType":"open_id"}""");
            assertThat(mini.status()).isEqualTo(201);
            assertThat(mini.text("/customerIdType")).isEqualTo("OPEN_ID");
            assertThat(api.get("/api/v1/event-channels/mini").json()).isEqualTo(mini.json());
            assertThat(api.get("/api/v1/event-channels").json().get("items")).extracting(n -> n.get("customerIdType").asString())
                    .containsExactly("ONEID", "OPEN_ID");

            for (String spelling : new String[]{"IDFA", "Idfa", " idfa "}) {
                Api.Response r = api.post("/api/v1/event-channels", "{\"appKey\":\"ios" + spelling.strip() + "\",\"name\":\"iOS\",\"appType\":\"APP\","
                        + "\"customerIdType\":\"" + spelling + "\"}");
                assertThat(r.status()).as(spelling + ": " + r).isEqualTo(201);
                assertThat(r.text("/customerIdType")).isEqualTo("IDFA");
            }
            Api.Response explicit = api.post("/api/v1/event-channels", """
                    {"appKey":"web","name":"Web","appType":"WEB","customerIdType":"oneid"}""");
            assertThat(explicit.text("/customerIdType")).isEqualTo("ONEID");
        }

        @Test
        void canChangeAndAnUpdateWithoutItSetsOneid() {
            Api api = newOrg().admin();
            api.post("/api/v1/event-channels", "{\"appKey\":\"mini\",\"name\":\"Mini\",\"appType\":\"MINI_PROGRAM\",\"customerIdType\":\"OPEN_ID\"}");
            Api.Response changed = api.put("/api/v1/event-channels/mini", """
                    {"name":"Mini","appType":"MINI_PROGRAM","customerIdType":"union_id"}""");
            assertThat(changed.status()).isEqualTo(200);
            assertThat(changed.text("/customerIdType")).isEqualTo("UNION_ID");
            assertThat(api.get("/api/v1/event-channels/mini").text("/customerIdType")).isEqualTo("UNION_ID");

            Api.Response replaced = api.put("/api/v1/event-channels/mini", "{\"name\":\"Mini\",\"appType\":\"MINI_PROGRAM\"}");
            assertThat(replaced.status()).isEqualTo(200);
            assertThat(replaced.text("/customerIdType")).as("a full replacement").isEqualTo("ONEID");
        }

        @Test
        void anythingButAnIdTypeIsRefusedNamingTheField() {
            Api api = newOrg().admin();
            api.post("/api/v1/event-channels", "{\"appKey\":\"app\",\"name\":\"App\",\"appType\":\"APP\"}");
            for (String value : new String[]{"\"phone\"", "\"ONE ID\"", "5", "\"" + "x".repeat(33) + "\"", "[\"MOBILE\"]"}) {
                Api.Response created = api.post("/api/v1/event-channels",
                        "{\"appKey\":\"c\",\"name\":\"C\",\"appType\":\"APP\",\"customerIdType\":" + value + "}");
                assertThat(created.status()).as(value + ": " + created).isEqualTo(422);
                assertThat(created.text("/code")).isEqualTo("validation");
                assertThat(created.text("/field")).isEqualTo("customerIdType");
                Api.Response updated = api.put("/api/v1/event-channels/app",
                        "{\"name\":\"App\",\"appType\":\"APP\",\"customerIdType\":" + value + "}");
                assertThat(updated.status()).as(value + ": " + updated).isEqualTo(422);
                assertThat(updated.text("/field")).isEqualTo("customerIdType");
            }
            Api.Response named = api.post("/api/v1/event-channels", "{\"appKey\":\"c\",\"name\":\"C\",\"appType\":\"APP\",\"customerIdType\":\"phone\"}");
            assertThat(named.text("/detail")).contains("'phone'", "open_id", "mobile");
            assertThat(api.get("/api/v1/event-channels/c").status()).as("nothing stored").isEqualTo(404);
            assertThat(api.get("/api/v1/event-channels/app").text("/customerIdType")).isEqualTo("ONEID");
        }
    }

    @Nested
    class EventDefinitions {
        @Test
        void createReadUpdateDelete() {
            Api api = newOrg().admin();
            api.post("/api/v1/event-channels", "{\"appKey\":\"app\",\"name\":\"App\",\"appType\":\"APP\"}");
            Api.Response created = api.post("/api/v1/event-definitions", """
                    {"eventCode":"add_to_cart","name":"Add to cart","channel":"app",
                     "attributes":[{"id":"sku","name":"SKU","type":"TEXT"},{"id":"price","name":"Price","type":"NUMBER"}]}""");
            assertThat(created.status()).isEqualTo(201);
            assertThat(api.get("/api/v1/event-definitions/add_to_cart").json()).isEqualTo(created.json());

            Api.Response updated = api.put("/api/v1/event-definitions/add_to_cart", """
                    {"name":"Cart add","channel":"app","attributes":[{"id":"price","name":"Unit price","type":"NUMBER"},
                     {"id":"sku","name":"SKU","type":"TEXT"},{"id":"qty","type":"NUMBER"}]}""");
            assertThat(updated.status()).isEqualTo(200);
            assertThat(updated.json().get("attributes")).extracting(a -> a.get("id").asString()).containsExactly("price", "sku", "qty");

            assertThat(api.delete("/api/v1/event-definitions/add_to_cart").status()).isEqualTo(204);
            assertThat(api.delete("/api/v1/event-definitions/add_to_cart").status()).isEqualTo(404);
        }

        @Test
        void attributesCanBeAddedAndRenamedButNotRemovedOrRetyped() {
            Api api = newOrg().admin();
            api.post("/api/v1/event-definitions", "{\"eventCode\":\"e\",\"name\":\"E\",\"attributes\":[{\"id\":\"p\",\"type\":\"NUMBER\"}]}");

            Api.Response removed = api.put("/api/v1/event-definitions/e", "{\"name\":\"E\",\"attributes\":[]}");
            assertThat(removed.status()).isEqualTo(409);
            assertThat(removed.text("/code")).isEqualTo("attribute-removed");
            assertThat(removed.text("/field")).isEqualTo("attributes");

            Api.Response retyped = api.put("/api/v1/event-definitions/e", "{\"name\":\"E\",\"attributes\":[{\"id\":\"p\",\"type\":\"TEXT\"}]}");
            assertThat(retyped.status()).isEqualTo(409);
            assertThat(retyped.text("/code")).isEqualTo("attribute-retyped");
            assertThat(retyped.text("/field")).isEqualTo("attributes[0].type");
            assertThat(retyped.text("/detail")).contains("'p'").contains("NUMBER").contains("TEXT");

            assertThat(api.get("/api/v1/event-definitions/e").text("/attributes/0/type")).isEqualTo("NUMBER");
        }

        @Test
        void theChannelMustExistAndItsGlobalAttributesKeepTheirType() {
            Api api = newOrg().admin();
            Api.Response unknown = api.post("/api/v1/event-definitions", "{\"eventCode\":\"e\",\"name\":\"E\",\"channel\":\"nope\"}");
            assertThat(unknown.status()).isEqualTo(422);
            assertThat(unknown.text("/field")).isEqualTo("channel");

            api.post("/api/v1/event-channels", """
                    {"appKey":"c","name":"C","appType":"APP","globalAttributes":[{"id":"ver","type":"TEXT"}]}""");
            Api.Response clash = api.post("/api/v1/event-definitions", """
                    {"eventCode":"e","name":"E","channel":"c","attributes":[{"id":"ver","type":"NUMBER"}]}""");
            assertThat(clash.status()).isEqualTo(409);
            assertThat(clash.text("/field")).isEqualTo("attributes[0].type");
            assertThat(api.post("/api/v1/event-definitions", """
                    {"eventCode":"e","name":"E","channel":"c","attributes":[{"id":"ver","type":"TEXT"}]}""").status()).isEqualTo(201);

            Api.Response channelClash = api.put("/api/v1/event-channels/c", """
                    {"name":"C","appType":"APP","globalAttributes":[{"id":"ver","type":"TEXT"},{"id":"n","type":"NUMBER"}]}""");
            assertThat(channelClash.status()).isEqualTo(200);
            api.put("/api/v1/event-definitions/e", """
                    {"name":"E","channel":"c","attributes":[{"id":"ver","type":"TEXT"},{"id":"m","type":"TEXT"}]}""");
            Api.Response globalClash = api.put("/api/v1/event-channels/c", """
                    {"name":"C","appType":"APP","globalAttributes":[{"id":"ver","type":"TEXT"},{"id":"n","type":"NUMBER"},{"id":"m","type":"NUMBER"}]}""");
            assertThat(globalClash.status()).isEqualTo(409);
            assertThat(globalClash.text("/field")).isEqualTo("globalAttributes[2].type");
        }

        @Test
        void eventCodesAreUniqueAndCannotChange() {
            Api api = newOrg().admin();
            assertThat(api.post("/api/v1/event-definitions", "{\"eventCode\":\"e\",\"name\":\"E\"}").status()).isEqualTo(201);
            Api.Response dup = api.post("/api/v1/event-definitions", "{\"eventCode\":\"e\",\"name\":\"E2\"}");
            assertThat(dup.status()).isEqualTo(409);
            assertThat(dup.text("/field")).isEqualTo("eventCode");
            Api.Response renamed = api.put("/api/v1/event-definitions/e", "{\"eventCode\":\"f\",\"name\":\"E\"}");
            assertThat(renamed.status()).isEqualTo(422);
            assertThat(renamed.text("/field")).isEqualTo("eventCode");
        }
    }

    @Nested
    class Lists {
        @Test
        void pagesAndFilters() {
            Api api = newOrg().admin();
            api.post("/api/v1/event-channels", "{\"appKey\":\"app\",\"name\":\"App\",\"appType\":\"APP\"}");
            api.post("/api/v1/event-channels", "{\"appKey\":\"web\",\"name\":\"Web site\",\"appType\":\"WEB\"}");
            for (int i = 0; i < 7; i++) {
                api.post("/api/v1/event-definitions", "{\"eventCode\":\"ev" + i + "\",\"name\":\"Event " + i + (i % 2 == 0 ? " 50%_off" : "")
                        + "\",\"channel\":\"" + (i < 3 ? "app" : "web") + "\"}");
            }

            JsonNode page1 = api.get("/api/v1/event-definitions?size=3&page=1").json();
            assertThat(page1.get("total").asLong()).isEqualTo(7);
            assertThat(page1.get("page").asInt()).isEqualTo(1);
            assertThat(page1.get("size").asInt()).isEqualTo(3);
            assertThat(page1.get("items")).extracting(n -> n.get("eventCode").asString()).containsExactly("ev3", "ev4", "ev5");
            assertThat(api.get("/api/v1/event-definitions?size=3&page=2").json().get("items")).hasSize(1);
            assertThat(api.get("/api/v1/event-definitions?size=3&page=9").json().get("items")).isEmpty();

            assertThat(api.get("/api/v1/event-definitions?appKey=app").json().get("total").asLong()).isEqualTo(3);
            assertThat(api.get("/api/v1/event-definitions?eventCode=ev4").json().get("items").get(0).get("channel").asString()).isEqualTo("web");
            // "name contains" is case-insensitive, and % and _ match literally
            assertThat(api.get("/api/v1/event-definitions?name=EVENT").json().get("total").asLong()).isEqualTo(7);
            assertThat(api.get("/api/v1/event-definitions?name=50%25_").json().get("total").asLong()).isEqualTo(4);
            assertThat(api.get("/api/v1/event-definitions?name=5_%25").json().get("total").asLong()).isZero();
            assertThat(api.get("/api/v1/event-definitions?name=web&appKey=web").json().get("total").asLong()).isZero();

            assertThat(api.get("/api/v1/event-channels?appType=WEB").json().get("items")).extracting(n -> n.get("appKey").asString())
                    .containsExactly("web");
            assertThat(api.get("/api/v1/event-channels?name=SITE").json().get("total").asLong()).isEqualTo(1);
            assertThat(api.get("/api/v1/event-channels").json().get("items")).extracting(n -> n.get("appKey").asString())
                    .containsExactly("app", "web");
        }

        @Test
        void badPagingParametersAreNamed() {
            Api api = newOrg().admin();
            for (String q : new String[]{"size=0", "size=201", "page=-1", "page=abc", "appType=TV"}) {
                Api.Response r = api.get("/api/v1/event-channels?" + q);
                assertThat(r.status()).as(q).isEqualTo(400);
                assertThat(r.text("/code")).isEqualTo("bad-parameter");
                assertThat(r.text("/field")).isEqualTo(q.substring(0, q.indexOf('=')));
            }
        }
    }
}
