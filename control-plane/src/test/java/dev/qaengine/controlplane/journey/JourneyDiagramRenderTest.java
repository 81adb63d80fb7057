package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.journey.JourneyBodies.Journey;
import dev.qaengine.controlplane.journey.JourneyBodies.JourneyStats;
import dev.qaengine.model.journey.JourneyDefinition;
import dev.qaengine.model.journey.JourneyDefinition.Edge;
import dev.qaengine.model.journey.JourneyDefinition.Node;
import dev.qaengine.model.journey.JourneyStatus;
import dev.qaengine.model.journey.NodeType;
import dev.qaengine.model.journey.TriggerType;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the service's tests cannot make: definitions the validator refuses or leaves open, and text XML cannot hold. */
class JourneyDiagramRenderTest {
    private static final String SVG = "http://www.w3.org/2000/svg";

    private static Journey journey(String name, List<Node> nodes, List<Edge> edges) {
        JourneyDefinition d = new JourneyDefinition(1, "org", name, new JourneyDefinition.Trigger(TriggerType.AUDIENCE, null, null,
                new JourneyDefinition.Audience("vip")), nodes.isEmpty() ? null : nodes.get(0).id(), nodes, edges);
        return new Journey("j", name, JourneyStatus.INCOMPLETE, TriggerType.AUDIENCE, false, null, d, null, 1, null, null);
    }

    private static JourneyStats none() {
        return new JourneyStats("j", JourneyStatus.INCOMPLETE, 0, 0, null, List.of());
    }

    @Test
    void aCycleANodeNoEdgeReachesAndEdgesToNowhereStillDraw() throws Exception {
        Journey j = journey("Loops", List.of(
                new Node("a", NodeType.WAIT, null, Map.of()),
                new Node("b", NodeType.WAIT, null, Map.of()),
                new Node("c", NodeType.SMS, null, Map.of()),
                new Node("lonely", NodeType.END, null, Map.of()),
                new Node("untyped", null, null, null)),
                List.of(new Edge("a", "b", null), new Edge("b", "c", null), new Edge("c", "a", null), new Edge("c", "ghost", null),
                        new Edge(null, "a", null)));
        String svg = JourneyDiagram.svg(j, none());
        Document doc = JourneyDiagramTest.parse(svg);
        List<Element> nodes = elements(doc, "g", "node");
        assertThat(nodes).extracting(e -> e.getAttribute("data-node")).containsExactly("a", "b", "c", "lonely", "untyped");
        assertThat(nodes.get(4).getAttribute("data-type")).isEqualTo("?");
        assertThat(elements(doc, "g", "edge")).extracting(e -> e.getAttribute("data-from") + "→" + e.getAttribute("data-to"))
                .as("the edges between nodes that exist").containsExactly("a→b", "b→c", "c→a");
        assertThat(JourneyDiagram.svg(j, none())).as("deterministic").isEqualTo(svg);
    }

    @Test
    void textIsEscapedAndWhatXmlCannotHoldIsReplaced() throws Exception {
        String name = "x\u0001y\uD800z <a href='&'>";
        Journey j = journey(name, List.of(new Node("n\"1", NodeType.END, name, Map.of())), List.of());
        Document doc = JourneyDiagramTest.parse(JourneyDiagram.svg(j, none()));
        assertThat(doc.getElementsByTagNameNS(SVG, "title").item(0).getTextContent()).isEqualTo("x\uFFFDy\uFFFDz <a href='&'>");
        assertThat(elements(doc, "g", "node").get(0).getAttribute("data-node")).isEqualTo("n\"1");
    }

    @Test
    void longNamesAreClippedWideCharactersCountingTwice() {
        assertThat(JourneyDiagram.clip("short", 24)).isEqualTo("short");
        assertThat(JourneyDiagram.clip("abcdefghij", 5)).isEqualTo("abcd…");
        assertThat(JourneyDiagram.clip("购物车提醒", 6)).isEqualTo("购物…");
        assertThat(JourneyDiagram.clip("😀😀😀", 3)).as("never half a surrogate pair").isEqualTo("😀…");
        assertThat(JourneyDiagram.num(53.3333)).isEqualTo("53.33");
        assertThat(JourneyDiagram.num(120.0)).isEqualTo("120");
    }

    private static List<Element> elements(Document d, String tag, String cls) {
        NodeList all = d.getElementsByTagNameNS(SVG, tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (List.of(e.getAttribute("class").split(" ")).contains(cls)) {
                out.add(e);
            }
        }
        return out;
    }
}
