package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.model.journey.JourneyStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * GET /api/v1/journeys/{id}/diagram.svg over the real service: a journey with branches made through the API, its counts
 * fed on qa.journeys.stats as the engine writes them, and the picture read back as XML — a box per node with its
 * counts, exactly the edges someone went along green, bars as wide as their shares, every text of the definition
 * escaped.
 */
class JourneyDiagramTest extends JourneyFixture {
    private static final String SVG = "http://www.w3.org/2000/svg";
    /** 2026-11-28T00:00:00Z: the engine's clock in the delta. */
    private static final long T = 1_795_824_000_000L;
    private static final String NASTY = "<&\">";
    private static final String B2 = "B " + NASTY;

    @Autowired
    JourneyStatsConsumer consumer;

    /**
     * Event-triggered, three kinds of branch: EVENT_BRANCH check (DONE → done, NOT_DONE → wait), WAIT, COPY_BRANCH copy
     * (first → sms, "B <&\">" → sms2), SMS sms → RESULT_BRANCH result (SUCCESS and OTHER → done, FAILURE → sms2),
     * SMS sms2 → END done. Two edges lead into sms2 and four into done.
     */
    private String branched(String name) {
        String sms = """
                "config":{"channel":"%s","template":"%s","idType":"MOBILE","variables":[{"name":"count","from":"sku","ifEmpty":"SKIP"}]}"""
                .formatted(this.sms, template);
        return """
                {"v":1,"name":"%s",
                 "trigger":{"type":"EVENT","event":{"eventCode":"add_to_cart","channel":"shop-app"},"participation":{"mode":"ONCE"}},
                 "start":"check",
                 "nodes":[{"id":"check","type":"EVENT_BRANCH","name":"Bought <&\\"> soon?",
                           "config":{"event":{"eventCode":"purchase"},"window":{"amount":30,"unit":"MINUTES"}}},
                          {"id":"wait","type":"WAIT","name":"An hour","config":{"duration":{"amount":1,"unit":"HOURS"}}},
                          {"id":"copy","type":"COPY_BRANCH","config":{"branches":[{"name":"first"},{"name":"B <&\\">"}]}},
                          {"id":"sms","type":"SMS","name":"Reminder",%s},
                          {"id":"result","type":"RESULT_BRANCH","config":{"action":"sms","actionType":"SMS","wait":{"amount":1,"unit":"DAYS"}}},
                          {"id":"sms2","type":"SMS","name":"购物车提醒 second",%s},
                          {"id":"done","type":"END"}],
                 "edges":[{"from":"check","to":"done","branch":"DONE"},{"from":"check","to":"wait","branch":"NOT_DONE"},
                          {"from":"wait","to":"copy"},
                          {"from":"copy","to":"sms","branch":"first"},{"from":"copy","to":"sms2","branch":"B <&\\">"},
                          {"from":"sms","to":"result"},
                          {"from":"result","to":"done","branch":"SUCCESS"},{"from":"result","to":"sms2","branch":"FAILURE"},
                          {"from":"result","to":"done","branch":"OTHER"},
                          {"from":"sms2","to":"done"}]}""".formatted(name.replace("\"", "\\\""), sms, sms);
    }

    /** What the engine counted: 10 entered, 4 bought, 6 waited, 5 of them copied on both ways, one result still pending… */
    private static final String COUNTS = """
            "journey":{"entered":10,"ended":7},
            "nodes":{"check":{"entered":10,"exited":10,"branches":{"DONE":4,"NOT_DONE":6}},
                     "wait":{"entered":6,"exited":5},
                     "copy":{"entered":5,"exited":10,"branches":{"first":5,"B <&\\">":5}},
                     "sms":{"entered":5,"exited":5,"actions":5,"skipped":{"EMPTY_VARIABLE:count":2}},
                     "result":{"entered":5,"exited":3,"branches":{"SUCCESS":3}},
                     "sms2":{"entered":5,"exited":5,"actions":5,"skipped":{"EMPTY_VARIABLE:count":1}},
                     "done":{"entered":12,"exited":12}}""";

    private static final List<String> EDGES = List.of("check→done:DONE", "check→wait:NOT_DONE", "wait→copy", "copy→sms:first",
            "copy→sms2:" + B2, "sms→result", "result→done:SUCCESS", "result→sms2:FAILURE", "result→done:OTHER", "sms2→done");

    @Test
    void aRunningJourneyIsDrawnWithItsCountsAndTheEdgesTakenGreen() throws Exception {
        ensureTopic(consumer.topic());
        String name = "Diagram " + NASTY;
        String j = created(api.post("/api/v1/journeys", branched(name)));
        operate(j, "start");
        engineAnswers(j, JourneyStatus.RUNNING, null);
        send(consumer.topic(), org.id() + "/" + j, delta(org.id(), j, 0, 1, T, COUNTS).getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(30)).until(() -> !api.get("/api/v1/journeys/" + j + "/stats").json().get("updatedAt").isNull());

        Api.Response r = key(org, "ANALYST").get("/api/v1/journeys/" + j + "/diagram.svg");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("image/svg+xml");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        // to look at: target/journey-diagram.svg
        Files.writeString(Path.of("target", "journey-diagram.svg"), r.body());
        Document svg = parse(r.body());

        // the journey's name, escaped, parses back as it was
        assertThat(text(svg.getElementsByTagNameNS(SVG, "title").item(0))).isEqualTo(name);
        assertThat(text(byClass(svg, "text", "caption").get(0))).isEqualTo(name);
        assertThat(text(byClass(svg, "text", "status").get(0))).isEqualTo("RUNNING · counts as of 2026-11-28T00:00:00Z");

        // one box per node, in definition order, with exactly its counts
        Map<String, List<String>> counts = new LinkedHashMap<>();
        for (Element box : byClass(svg, "g", "node")) {
            counts.put(box.getAttribute("data-node"), byClass(box, "text", "count").stream().map(JourneyDiagramTest::text).toList());
        }
        assertThat(counts).containsExactly(
                Map.entry("check", List.of("entered 10", "DONE 4", "NOT_DONE 6")),
                Map.entry("wait", List.of("entered 6")),
                Map.entry("copy", List.of("entered 5", "first 5", B2 + " 5")),
                Map.entry("sms", List.of("entered 5", "actions 5 · skipped 2")),
                Map.entry("result", List.of("entered 5", "SUCCESS 3", "FAILURE 0", "OTHER 0")),
                Map.entry("sms2", List.of("entered 5", "actions 5 · skipped 1")),
                Map.entry("done", List.of("entered 12")));
        Element check = node(svg, "check");
        assertThat(text(byClass(check, "text", "name").get(0))).as("the escaped name reads back as given").isEqualTo("Bought " + NASTY + " soon?");
        assertThat(text(byClass(check, "text", "type").get(0))).isEqualTo("EVENT_BRANCH");
        assertThat(check.getAttribute("data-type")).isEqualTo("EVENT_BRANCH");
        assertThat(text(byClass(node(svg, "sms2"), "text", "name").get(0))).isEqualTo("购物车提醒 second");
        assertThat(text(byClass(node(svg, "done"), "text", "name").get(0))).as("no name: the id").isEqualTo("done");
        assertThat(byClass(byClass(svg, "g", "start").get(0), "text", "count").stream().map(JourneyDiagramTest::text))
                .containsExactly("entered 10", "ended 7");

        // green exactly where someone went: not FAILURE and OTHER, though sms2 and done were entered by other edges
        assertThat(edges(svg, "taken")).containsExactlyInAnyOrder("check→done:DONE", "check→wait:NOT_DONE", "wait→copy",
                "copy→sms:first", "copy→sms2:" + B2, "sms→result", "result→done:SUCCESS", "sms2→done");
        assertThat(edges(svg, "idle")).containsExactlyInAnyOrder("result→sms2:FAILURE", "result→done:OTHER");
        for (Element e : byClass(svg, "g", "edge")) {
            Element path = (Element) e.getElementsByTagNameNS(SVG, "path").item(0);
            assertThat(path.getAttribute("stroke")).isEqualTo(classes(e).contains("taken") ? JourneyDiagram.TAKEN : JourneyDiagram.IDLE);
            List<Element> label = byClass(e, "text", "label");
            if (e.hasAttribute("data-branch")) {
                assertThat(text(label.get(0))).as("branch edges carry the branch's name").isEqualTo(e.getAttribute("data-branch"));
            } else {
                assertThat(label).isEmpty();
            }
        }
        assertThat(classes(byClass(svg, "g", "entry").get(0))).contains("taken");

        // bars: blue for the requests sent on, red for the skipped ones, of the persons who reached the node
        assertBar(svg, "sms", 5, 3, 2);
        assertBar(svg, "sms2", 5, 4, 1);
        assertThat(byClass(node(svg, "check"), "g", "progress")).as("actions only").isEmpty();

        // laid out left to right, every edge pointing right, no two boxes overlapping
        Map<String, double[]> at = boxes(svg);
        for (String edge : EDGES) {
            String from = edge.substring(0, edge.indexOf('→'));
            String to = edge.substring(edge.indexOf('→') + 1).split(":")[0];
            assertThat(at.get(to)[0]).as(edge).isGreaterThan(at.get(from)[0] + at.get(from)[2]);
        }
        List<double[]> all = new ArrayList<>(at.values());
        for (int a = 0; a < all.size(); a++) {
            for (int b = a + 1; b < all.size(); b++) {
                assertThat(overlap(all.get(a), all.get(b))).as("boxes %d and %d overlap", a, b).isFalse();
            }
        }
        assertThat(api.get("/api/v1/journeys/" + j + "/diagram.svg").body()).as("the same counts, the same picture").isEqualTo(r.body());
    }

    @Test
    void aJourneyNeverStartedIsDrawnWithZerosAndEveryEdgeGrey() throws Exception {
        String j = created(api.post("/api/v1/journeys", branched("Draft")));
        Api.Response r = api.get("/api/v1/journeys/" + j + "/diagram.svg");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Document svg = parse(r.body());
        assertThat(text(byClass(svg, "text", "status").get(0))).isEqualTo("NOT_STARTED · nothing counted yet");
        assertThat(byClass(svg, "g", "node").stream().map(e -> e.getAttribute("data-node")))
                .containsExactly("check", "wait", "copy", "sms", "result", "sms2", "done");
        for (Element box : byClass(svg, "g", "node")) {
            assertThat(byClass(box, "text", "count").stream().map(JourneyDiagramTest::text))
                    .as(box.getAttribute("data-node")).isNotEmpty().allMatch(t -> t.endsWith(" 0"));
        }
        assertThat(edges(svg, "taken")).isEmpty();
        assertThat(edges(svg, "idle")).containsExactlyInAnyOrderElementsOf(EDGES);
        assertThat(classes(byClass(svg, "g", "entry").get(0))).contains("idle");
        assertBar(svg, "sms", 0, 0, 0);
    }

    @Test
    void aJourneyThatIsNotThereIsA404ProblemAsEverywhere() {
        String j = created(api.post("/api/v1/journeys", branched("Mine")));
        Org other = newOrg();
        Api.Response unknown = api.send(api.builder("/api/v1/journeys/nope/diagram.svg").header("Accept", "image/svg+xml").GET());
        for (Api.Response r : List.of(unknown, api.get("/api/v1/journeys/nope/diagram.svg"), other.admin().get("/api/v1/journeys/" + j + "/diagram.svg"))) {
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
            assertThat(r.contentType()).isEqualTo("application/problem+json");
            assertThat(r.text("/code")).isEqualTo("not-found");
        }
        assertThat(anonymous().get("/api/v1/journeys/" + j + "/diagram.svg").status()).isEqualTo(401);
    }

    private static void assertBar(Document svg, String nodeId, long total, long ok, long failed) {
        Element bar = byClass(node(svg, nodeId), "g", "progress").get(0);
        assertThat(bar.getAttribute("data-total")).isEqualTo(String.valueOf(total));
        assertThat(bar.getAttribute("data-ok")).isEqualTo(String.valueOf(ok));
        assertThat(bar.getAttribute("data-failed")).isEqualTo(String.valueOf(failed));
        Element track = byClass(bar, "rect", "track").get(0);
        Element blue = byClass(bar, "rect", "ok").get(0);
        Element red = byClass(bar, "rect", "failed").get(0);
        double width = number(track, "width");
        assertThat(width).isEqualTo(JourneyDiagram.BOX_W);
        assertThat(blue.getAttribute("fill")).isEqualTo(JourneyDiagram.OK);
        assertThat(red.getAttribute("fill")).isEqualTo(JourneyDiagram.FAILED);
        assertThat(number(blue, "width")).isCloseTo(total == 0 ? 0 : width * ok / total, within(0.01));
        assertThat(number(red, "width")).isCloseTo(total == 0 ? 0 : width * failed / total, within(0.01));
        assertThat(number(red, "x")).as("red follows blue").isCloseTo(number(blue, "x") + number(blue, "width"), within(0.01));
        // under its box
        Element box = byClass(node(svg, nodeId), "rect", "box").get(0);
        assertThat(number(track, "y")).isGreaterThan(number(box, "y") + number(box, "height"));
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    private static Element node(Document svg, String id) {
        return byClass(svg, "g", "node").stream().filter(e -> e.getAttribute("data-node").equals(id)).findFirst().orElseThrow();
    }

    /** "from→to[:branch]" of the edges with this class. */
    private static Set<String> edges(Document svg, String cls) {
        Set<String> out = new TreeSet<>();
        for (Element e : byClass(svg, "g", "edge")) {
            if (classes(e).contains(cls)) {
                out.add(e.getAttribute("data-from") + "→" + e.getAttribute("data-to")
                        + (e.hasAttribute("data-branch") ? ":" + e.getAttribute("data-branch") : ""));
            }
        }
        return out;
    }

    /** Each node's box: x, y, width, height (its progress bar included). */
    private static Map<String, double[]> boxes(Document svg) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Element g : byClass(svg, "g", "node")) {
            Element r = byClass(g, "rect", "box").get(0);
            double bottom = number(r, "y") + number(r, "height");
            for (Element bar : byClass(g, "rect", "track")) {
                bottom = number(bar, "y") + number(bar, "height");
            }
            out.put(g.getAttribute("data-node"), new double[]{number(r, "x"), number(r, "y"), number(r, "width"), bottom - number(r, "y")});
        }
        return out;
    }

    private static boolean overlap(double[] a, double[] b) {
        return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
    }

    private static List<Element> byClass(Document d, String tag, String cls) {
        return byClass(d.getElementsByTagNameNS(SVG, tag), cls);
    }

    private static List<Element> byClass(Element e, String tag, String cls) {
        return byClass(e.getElementsByTagNameNS(SVG, tag), cls);
    }

    private static List<Element> byClass(NodeList list, String cls) {
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            Element e = (Element) list.item(i);
            if (classes(e).contains(cls)) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<String> classes(Element e) {
        return List.of(e.getAttribute("class").split(" "));
    }

    private static String text(org.w3c.dom.Node n) {
        return n.getTextContent();
    }

    private static double number(Element e, String attribute) {
        return Double.parseDouble(e.getAttribute(attribute));
    }
}
