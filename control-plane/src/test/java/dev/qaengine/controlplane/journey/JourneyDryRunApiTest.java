package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlRecords;
import dev.qaengine.model.journey.ActionRequest;
import dev.qaengine.model.journey.TraceStep;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * POST /api/v1/journeys/{id}/dry-run on the shared context: the cart abandonment journey (a draft) over a recorded event
 * file — who enters, the path of each run, the SMS it would ask for, the lines that are not events — in every accepted
 * body form; nothing published; the same refusals as a start; and the engine's logic running here without Flink.
 */
class JourneyDryRunApiTest extends JourneyFixture {
    /** 2026-11-28T00:00:00Z. */
    static final long T = 1_795_824_000_000L;
    static final long MIN = 60_000L;

    /** A resolved event (qa.events.resolved) as the identity job writes it. */
    static String resolved(String orgId, String person, String mobile, String eventId, String code, long time, String attributes) {
        return """
                {"v":1,"personId":"%s","identifiers":{"MOBILE":["%s"]},"event":{"v":1,"eventId":"%s","orgId":"%s","customerId":"c-%s",\
                "channel":"shop-app","appType":"APP","eventCode":"%s","attributes":{%s},"eventTime":%d,"ingestTime":%d}}"""
                .formatted(person, mobile, eventId, orgId, person, code, attributes, time, time);
    }

    /** Three persons, one bad line, one event of another organization. */
    String file() {
        return String.join("\n",
                resolved(org.id(), "p1", "13800000001", "e1", "add_to_cart", T, "\"sku\":\"2\",\"price\":150"),
                resolved(org.id(), "p2", "13800000002", "e2", "add_to_cart", T + 1_000, "\"sku\":\"1\",\"price\":200"),
                "{not json",
                resolved(org.id(), "p3", "13800000003", "e4", "add_to_cart", T + 2 * MIN, "\"sku\":\"5\",\"price\":50"),
                resolved(org.id(), "p3", "13800000003", "e5", "add_to_cart", T + 3 * MIN, "\"price\":120"),
                resolved(org.id(), "p2", "13800000002", "e3", "purchase", T + 10 * MIN, ""),
                resolved(UUID.randomUUID().toString(), "p1", "13800000001", "x1", "add_to_cart", T, "\"sku\":\"9\",\"price\":999")) + "\n";
    }

    Api.Response dryRun(String journeyId, String contentType, String body) {
        return api.send("POST", "/api/v1/journeys/" + journeyId + "/dry-run", contentType, HttpRequest.BodyPublishers.ofString(body));
    }

    static String multipart(String boundary, String part, String content) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part + "\"; filename=\"events.ndjson\"\r\n"
                + "Content-Type: application/x-ndjson\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n";
    }

    /** The members of a JSON array read into the wire type with Jackson 2 (the jobs' JSON) and written back by it. */
    static JsonNode throughJackson2(JsonNode array, Class<?> type) throws Exception {
        List<Object> values = new ArrayList<>();
        for (JsonNode n : array) {
            values.add(ControlRecords.JOBS_JSON.readValue(n.toString(), type));
        }
        return Api.json().readTree(ControlRecords.JOBS_JSON.writeValueAsString(values));
    }

    @Test
    void reportsWhoWouldEnterTheirPathsAndTheMessagesWithNothingSent() throws Exception {
        String j = created(api.post("/api/v1/journeys", cart("Dry", ONCE, DONE_EDGE)));
        Api.Response r = dryRun(j, JourneyInsightController.NDJSON, file());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode report = r.json();

        assertThat(report.get("lines").asLong()).isEqualTo(7);
        assertThat(report.get("events").asLong()).as("the other organization's event is not the journey's").isEqualTo(5);
        assertThat(report.get("persons").asLong()).isEqualTo(3);
        assertThat(report.get("entered").asLong()).isEqualTo(3);
        assertThat(report.get("notEntered").asLong()).as("p3's first cart: price 50").isEqualTo(1);
        assertThat(report.get("actions").asLong()).isEqualTo(2);
        assertThat(report.get("skipped").asLong()).isEqualTo(1);
        assertThat(report.get("rejectedLines").asLong()).isEqualTo(1);
        assertThat(report.get("rejected").size()).isEqualTo(1);
        assertThat(report.at("/rejected/0/line").asLong()).isEqualTo(3);
        assertThat(report.at("/rejected/0/reason").asString()).startsWith("not JSON: ");
        assertThat(report.get("firstEventTime").asLong()).isEqualTo(T);
        assertThat(report.get("lastEventTime").asLong()).isEqualTo(T + 10 * MIN);
        assertThat(report.get("endTime").asLong()).as("p3's window closes after the file").isEqualTo(T + 33 * MIN - 1);

        List<String> runs = new ArrayList<>();
        report.get("runs").forEach(run -> runs.add(run.get("personId").asString() + " " + run.get("triggerEventId").asString() + " "
                + run.get("path") + " ended=" + run.get("ended").asBoolean()));
        assertThat(runs).containsExactly(
                "p1 e1 [\"check:NOT_DONE\",\"sms\"] ended=true",
                "p2 e2 [\"check:DONE\",\"done\"] ended=true",
                "p3 e5 [\"check:NOT_DONE\",\"sms:SKIPPED\"] ended=true");

        JsonNode actions = report.get("actionRequests");
        assertThat(actions.size()).isEqualTo(2);
        for (JsonNode a : actions) {
            assertThat(a.get("v").asInt()).isEqualTo(1);
            assertThat(a.get("orgId").asString()).isEqualTo(org.id());
            assertThat(a.get("journeyId").asString()).isEqualTo(j);
            assertThat(a.get("planVersion").asLong()).isEqualTo(1);
            assertThat(a.get("nodeId").asString()).isEqualTo("sms");
            assertThat(a.get("nodeType").asString()).isEqualTo("SMS");
            assertThat(a.get("interfaceId").asString()).isEqualTo(sms);
            assertThat(a.get("templateId").asString()).isEqualTo(template);
            assertThat(a.get("idType").asString()).isEqualTo("MOBILE");
            assertThat(a.get("key").asString()).isEqualTo(a.get("runId").asString() + ":sms");
        }
        JsonNode p1 = actions.get(0);
        assertThat(p1.get("personId").asString()).isEqualTo("p1");
        assertThat(p1.get("triggerEventId").asString()).isEqualTo("e1");
        assertThat(p1.get("idValue").asString()).isEqualTo("13800000001");
        assertThat(p1.get("variables")).isEqualTo(Api.json().readTree("{\"count\":\"2\"}"));
        assertThat(p1.get("time").asLong()).as("when the window closed").isEqualTo(T + 30 * MIN);
        assertThat(p1.has("skip")).as("absent members are left out, as the engine writes them").isFalse();
        JsonNode p3 = actions.get(1);
        assertThat(p3.get("personId").asString()).isEqualTo("p3");
        assertThat(p3.get("skip").asString()).isEqualTo("EMPTY_VARIABLE:count");
        assertThat(p3.has("variables")).isFalse();
        assertThat(p3.get("time").asLong()).isEqualTo(T + 33 * MIN);
        // the wire types read as the jobs read them, members named as the jobs name them
        assertThat(throughJackson2(actions, ActionRequest.class)).isEqualTo(actions);
        assertThat(throughJackson2(report.get("steps"), TraceStep.class)).isEqualTo(report.get("steps"));

        JsonNode refusal = null;
        for (JsonNode s : report.get("steps")) {
            if (s.get("step").asString().equals("NOT_ENTERED")) {
                refusal = s;
            }
        }
        assertThat(refusal).isNotNull();
        assertThat(refusal.get("personId").asString()).isEqualTo("p3");
        assertThat(refusal.get("eventId").asString()).isEqualTo("e4");
        assertThat(refusal.has("runId")).isFalse();
        assertThat(report.at("/nodes/check/branches")).isEqualTo(Api.json().readTree("{\"DONE\":1,\"NOT_DONE\":2}"));
        assertThat(report.at("/nodes/sms/actions").asLong()).isEqualTo(2);
        assertThat(report.at("/nodes/sms/skipped")).isEqualTo(Api.json().readTree("{\"EMPTY_VARIABLE:count\":1}"));
        assertThat(report.at("/nodes/done/entered").asLong()).isEqualTo(1);

        // a dry run publishes nothing and changes nothing
        assertThat(published(j)).isEmpty();
        assertThat(api.get("/api/v1/journeys/" + j).text("/status")).isEqualTo("NOT_STARTED");
    }

    @Test
    void theFileMayComeAsTextAsAMultipartPartAndLargerThanTheApisBodyLimit() {
        String j = created(api.post("/api/v1/journeys", cart("Forms", ONCE, DONE_EDGE)));
        JsonNode ndjson = dryRun(j, JourneyInsightController.NDJSON, file()).json();
        Api.Response text = dryRun(j, "text/plain; charset=UTF-8", file());
        assertThat(text.status()).as(text.toString()).isEqualTo(200);
        assertThat(text.json().get("runs")).isEqualTo(ndjson.get("runs"));
        assertThat(text.json().get("entered")).isEqualTo(ndjson.get("entered"));

        String boundary = "qa-" + UUID.randomUUID();
        Api.Response part = dryRun(j, "multipart/form-data; boundary=" + boundary, multipart(boundary, "file", file()));
        assertThat(part.status()).as(part.toString()).isEqualTo(200);
        assertThat(part.json().get("runs")).isEqualTo(ndjson.get("runs"));
        assertThat(part.json().get("rejected")).isEqualTo(ndjson.get("rejected"));
        Api.Response noFile = dryRun(j, "multipart/form-data; boundary=" + boundary, multipart(boundary, "events", file()));
        assertThat(noFile.status()).as(noFile.toString()).isEqualTo(400);
        assertThat(noFile.text("/code")).isEqualTo("bad-parameter");
        assertThat(noFile.text("/field")).isEqualTo("file");

        Api.Response json = dryRun(j, "application/json", file());
        assertThat(json.status()).as(json.toString()).isEqualTo(415);
        assertThat(json.text("/code")).isEqualTo("unsupported-media-type");

        // 1.5 MB of events (above the 1 MB every other /api body is held to), streamed without a length
        String line = resolved(org.id(), "p9", "13800000009", "e", "add_to_cart", T, "\"sku\":\"" + "s".repeat(200) + "\",\"price\":1");
        int n = 1_500_000 / line.length() + 1;
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < n; i++) {
            big.append(line.replace("\"eventId\":\"e\"", "\"eventId\":\"e" + i + "\"")).append('\n');
        }
        byte[] bytes = big.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(bytes.length).isGreaterThan(1_500_000);
        Api.Response large = api.send("POST", "/api/v1/journeys/" + j + "/dry-run", JourneyInsightController.NDJSON,
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
        assertThat(large.status()).as(large.toString()).isEqualTo(200);
        assertThat(large.json().get("lines").asLong()).isEqualTo(n);
        assertThat(large.json().get("events").asLong()).isEqualTo(n);
        assertThat(large.json().get("notEntered").asLong()).as("price 1 never lets anyone in").isEqualTo(n);
    }

    @Test
    void whatCannotStartIsRefusedAsAStartRefusesItAndAnAudienceJourneyAsTheEngineWould() {
        // a draft with an open branch: the start's 409, findings and all
        String open = created(api.post("/api/v1/journeys", cart("Open", ONCE, "")));
        Api.Response dry = dryRun(open, JourneyInsightController.NDJSON, file());
        assertThat(dry.status()).as(dry.toString()).isEqualTo(409);
        assertThat(dry.text("/code")).isEqualTo("conflict");
        Api.Response start = api.post("/api/v1/journeys/" + open + "/start", "");
        assertThat(start.status()).isEqualTo(409);
        assertThat(dry.json().get("errors")).isNotEmpty().isEqualTo(start.json().get("errors"));
        assertThat(dry.json().get("violations")).isEqualTo(start.json().get("violations"));
        assertThat(dry.text("/field")).isEqualTo(start.text("/field"));

        String audience = created(api.post("/api/v1/journeys", audience("Audience")));
        Api.Response refused = dryRun(audience, JourneyInsightController.NDJSON, file());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.text("/code")).isEqualTo("validation");
        assertThat(refused.text("/detail")).isEqualTo(
                "the journeys engine would not run this journey: audience-triggered journeys are not run by this engine version (issue #9)");

        for (Api.Response nf : List.of(dryRun("nope", JourneyInsightController.NDJSON, file()),
                newOrg().admin().send("POST", "/api/v1/journeys/" + open + "/dry-run", JourneyInsightController.NDJSON,
                        HttpRequest.BodyPublishers.ofString(file())))) {
            assertThat(nf.status()).as(nf.toString()).isEqualTo(404);
            assertThat(nf.text("/code")).isEqualTo("not-found");
        }
        Api.Response analyst = key(org, "ANALYST").send("POST", "/api/v1/journeys/" + open + "/dry-run", JourneyInsightController.NDJSON,
                HttpRequest.BodyPublishers.ofString(file()));
        assertThat(analyst.status()).as("a dry run is a developer's tool").isEqualTo(403);
        assertThat(anonymous().send("POST", "/api/v1/journeys/" + open + "/dry-run", JourneyInsightController.NDJSON,
                HttpRequest.BodyPublishers.ofString(file())).status()).isEqualTo(401);
    }

    @Test
    void bothEndpointsAreDocumented() {
        JsonNode doc = anonymous().get("/v3/api-docs").json();
        JsonNode dry = doc.at("/paths/~1api~1v1~1journeys~1{id}~1dry-run/post");
        List<String> types = new ArrayList<>();
        dry.at("/requestBody/content").propertyNames().forEach(types::add);
        assertThat(types).containsExactlyInAnyOrder(JourneyInsightController.NDJSON, "text/plain", "multipart/form-data");
        JsonNode ndjson = dry.at("/requestBody/content/application~1x-ndjson");
        assertThat(ndjson.has("example") || ndjson.has("examples")).as(dry.toString()).isTrue();
        assertThat(dry.at("/responses").propertyNames()).contains("200", "401", "403", "404", "409", "413", "415", "422");
        assertThat(doc.at("/components/schemas/Report/properties").propertyNames()).contains("runs", "actionRequests", "steps", "rejected");
        JsonNode trace = doc.at("/paths/~1api~1v1~1journeys~1{id}~1persons~1{personId}~1trace/get");
        assertThat(trace.get("summary").asString()).isNotBlank();
        assertThat(trace.get("parameters").findValuesAsString("name")).containsExactly("id", "personId", "limit");
        assertThat(trace.at("/responses").propertyNames()).contains("200", "400", "401", "404");
    }

    /** qa-journeys is on this classpath without Flink (control-plane/pom.xml excludes it), and its dry run works all the same. */
    @Test
    void theDryRunRunsWithoutFlink() {
        for (String flink : List.of("org.apache.flink.api.common.functions.Function",
                "org.apache.flink.streaming.api.environment.StreamExecutionEnvironment", "org.apache.flink.configuration.Configuration")) {
            assertThatThrownBy(() -> Class.forName(flink)).as(flink).isInstanceOf(ClassNotFoundException.class);
        }
        String j = created(api.post("/api/v1/journeys", cart("Flinkless", ONCE, DONE_EDGE)));
        Api.Response r = dryRun(j, JourneyInsightController.NDJSON,
                resolved(org.id(), "p1", "13800000001", "e1", "add_to_cart", T, "\"sku\":\"2\",\"price\":150"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("entered").asLong()).isEqualTo(1);
        assertThat(r.json().get("actions").asLong()).isEqualTo(1);
    }
}
