package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.journey.JourneyBodies.Journey;
import dev.qaengine.controlplane.journey.JourneyBodies.JourneyStats;
import dev.qaengine.controlplane.journey.JourneyBodies.NodeStats;
import dev.qaengine.model.journey.JourneyDefinition;
import dev.qaengine.model.journey.JourneyDefinition.Edge;
import dev.qaengine.model.journey.JourneyDefinition.Node;
import dev.qaengine.model.journey.NodeType;
import dev.qaengine.model.journey.TriggerType;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A journey drawn as the product's canvas shows it while it runs (product docs L8797-8800): the start (its trigger)
 * and every node of the definition as a box with its counts, the edges between them green once someone went along,
 * grey until then, a progress bar under every action node. Plain SVG 1.1, no script, no external reference; every
 * text of the definition is XML-escaped. The same journey and counts always give the same bytes. Drawn from the
 * stored {@link JourneyDefinition} (the canvas's own model, names included) and not from the compiled
 * {@code JourneyPlan}, which exists only once started and carries no names; counts from {@link JourneyStats}.
 *
 * <p><b>Layout</b> (our own, no library): layered left to right. A box's column is the longest path to it from the
 * start (the start box in column 0, every node of the definition in column 1 or later), so every edge points right.
 * Within a column boxes go top to bottom by where their incoming edges leave the boxes before them (mean height,
 * then definition order), each as high as that allows: a chain stays on one row and the branches of a branch node fan
 * out below one another. An edge that spans several columns takes a thin lane in each column it crosses, placed like a
 * box, so it runs between the boxes, never behind one. Nodes no edge reaches yet (a draft) go to the bottom of their
 * column. A cycle — the validator refuses those, but a picture must not fail — is drawn with its closing edge curving
 * back below.
 *
 * <p><b>Which edges are green.</b> An edge leaving a branch node by branch B: the node's count for B is above 0. An
 * edge leaving a node with one way out: the node's {@code exited} is above 0 — the engine counts {@code exited} when
 * a person moves on by that node's only exit, so this is exact even when the target is also reached by other edges
 * (the target's {@code entered} would not be). The edge from the start box: the journey's {@code entered} is above 0.
 *
 * <p><b>The progress bar</b> under an action node is {@value #BOX_W} px wide for the persons who reached the node
 * ({@code max(entered, actions)}). The product paints its "executed normally" share blue and its "failed" share red;
 * the counts we have are the engine's: action requests written ({@code actions}) and, among them, those written with
 * a skip reason ({@code skipped}, e.g. {@code EMPTY_VARIABLE:<variable>}: not sent). So blue = actions − skipped (the
 * requests handed to the fan-out to send), red = skipped, grey the rest (persons not acted on yet). Delivery outcomes
 * (SUCCESS, FAILURE, no report in 72 h) are not in the journey stats; when they are, their failures belong to red.
 */
final class JourneyDiagram {
    static final String MEDIA_TYPE = "image/svg+xml";
    static final String TAKEN = "#2e7d32";
    static final String IDLE = "#9e9e9e";
    static final String OK = "#1e88e5";
    static final String FAILED = "#e53935";
    static final String TRACK = "#e0e0e0";
    /** Every box's width, and the progress bar's. */
    static final int BOX_W = 200;
    static final int BAR_H = 6;

    private static final int GAP_X = 90;
    private static final int GAP_Y = 28;
    private static final int MARGIN = 24;
    /** Room for the caption (the journey's name, status and time of the counts) above the boxes. */
    private static final int TOP = 64;
    private static final int PAD = 10;
    private static final int NAME_Y = 20;
    private static final int TYPE_Y = 36;
    private static final int FIRST_LINE_Y = 56;
    private static final int LINE = 16;
    private static final int BAR_GAP = 4;
    /** Where edges arrive at a box and where a one-exit box's edge leaves: beside its name. */
    private static final int PORT_Y = NAME_Y - 4;
    /** The room a long edge takes in a column it crosses, and the room kept below it. */
    private static final int LANE_H = 8;
    private static final int LANE_GAP = 8;

    private JourneyDiagram() {
    }

    /** One line of counts in a box; {@code branch} for a branch's line, whose edge leaves beside it. */
    private record Line(String metric, String branch, String text) {
    }

    private static final class Box {
        final int order;
        final Node node;
        final NodeStats stats;
        final String title;
        final String subtitle;
        final List<Line> lines = new ArrayList<>();
        final List<Link> in = new ArrayList<>();
        final List<Link> out = new ArrayList<>();
        int layer;
        double x;
        double y;

        Box(int order, Node node, NodeStats stats, String title, String subtitle) {
            this.order = order;
            this.node = node;
            this.stats = stats;
            this.title = title;
            this.subtitle = subtitle;
        }

        boolean action() {
            return node != null && node.type() != null && node.type().isAction();
        }

        double height() {
            return FIRST_LINE_Y + (lines.size() - 1) * LINE + PAD;
        }

        double footprint() {
            return height() + (action() ? BAR_GAP + BAR_H : 0);
        }

        /** Where {@code link} leaves this box, from its top: beside its branch's line, else beside the name. */
        double port(Link link) {
            if (link.branch != null) {
                for (int i = 0; i < lines.size(); i++) {
                    if (link.branch.equals(lines.get(i).branch())) {
                        return FIRST_LINE_Y + i * LINE - 4;
                    }
                }
            }
            return PORT_Y;
        }
    }

    private static final class Link {
        final Box from;
        final Box to;
        final String branch;
        final boolean taken;
        /** Closes a cycle: left out of the layering, drawn curving back. */
        boolean back;
        /** Where it crosses the columns between its ends (a long edge), one lane each. */
        final List<Lane> lanes = new ArrayList<>();

        /** The height at which it reaches the column of {@code to}: out of its last lane, or its source's port. */
        double arrival() {
            return lanes.isEmpty() ? from.y + from.port(this) : lanes.get(lanes.size() - 1).y;
        }

        Link(Box from, Box to, String branch, boolean taken) {
            this.from = from;
            this.to = to;
            this.branch = branch;
            this.taken = taken;
        }
    }

    /**
     * A long edge's way through a column between its ends: a thin slot the column's boxes keep clear of, so that the
     * edge runs beside them, never behind one.
     */
    private static final class Lane {
        final Link link;
        final int index;
        final int layer;
        /** The edge's height in the column. */
        double y;

        Lane(Link link, int index, int layer) {
            this.link = link;
            this.index = index;
            this.layer = layer;
        }

        double entry() {
            return index == 0 ? link.from.y + link.from.port(link) : link.lanes.get(index - 1).y;
        }
    }

    /** The picture of the journey with these counts (both of the same journey: {@link JourneyStatsService#diagram}). */
    static String svg(Journey journey, JourneyStats stats) {
        JourneyDefinition d = journey.definition();
        Map<String, NodeStats> statsById = new HashMap<>();
        for (NodeStats s : stats.nodes()) {
            if (s.id() != null) {
                statsById.putIfAbsent(s.id(), s);
            }
        }
        List<Box> boxes = new ArrayList<>();
        Box start = new Box(-1, null, null, "Start", trigger(d));
        start.lines.add(new Line("entered", null, "entered " + stats.entered()));
        start.lines.add(new Line("ended", null, "ended " + stats.ended()));
        boxes.add(start);
        Map<String, Box> byId = new LinkedHashMap<>();
        List<Node> nodes = d.nodesOrEmpty();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            NodeStats s = n.id() == null ? null : statsById.get(n.id());
            if (s == null) {
                s = new NodeStats(n.id(), n.type(), n.name(), 0, 0, 0, Map.of(), Map.of());
            }
            Box b = new Box(i, n, s, n.name() != null && !n.name().isBlank() ? n.name() : String.valueOf(n.id()),
                    n.type() == null ? "?" : n.type().name());
            b.lines.add(new Line("entered", null, "entered " + s.entered()));
            if (n.type() != null && n.type().isBranch()) {
                s.branches().forEach((branch, count) -> b.lines.add(new Line("branch", branch, clip(branch, 20) + " " + count)));
            }
            if (b.action()) {
                b.lines.add(new Line("actions", null, "actions " + s.actions() + " · skipped " + skipped(s)));
            }
            boxes.add(b);
            if (n.id() != null) {
                byId.putIfAbsent(n.id(), b);
            }
        }
        List<Link> links = new ArrayList<>();
        Box first = d.start() == null ? null : byId.get(d.start());
        if (first != null) {
            links.add(link(start, first, null, stats.entered() > 0));
        }
        for (Edge e : d.edgesOrEmpty()) {
            Box from = e.from() == null ? null : byId.get(e.from());
            Box to = e.to() == null ? null : byId.get(e.to());
            if (from == null || to == null) {
                continue; // the validator names it; nothing to draw it between
            }
            boolean byBranch = from.node.type() != null && from.node.type().isBranch() && e.branch() != null;
            boolean taken = byBranch ? from.stats.branches().getOrDefault(e.branch(), 0L) > 0 : from.stats.exited() > 0;
            links.add(link(from, to, e.branch(), taken));
        }
        layer(boxes);
        for (Link l : links) {
            for (int c = l.from.layer + 1; !l.back && c < l.to.layer; c++) {
                l.lanes.add(new Lane(l, l.lanes.size(), c));
            }
        }
        place(boxes, links);

        int columns = boxes.stream().mapToInt(b -> b.layer).max().orElse(0) + 1;
        double width = Math.max(2 * MARGIN + columns * BOX_W + (columns - 1) * GAP_X, 480);
        double height = Math.max(boxes.stream().mapToDouble(b -> b.y + b.footprint()).max().orElse(TOP),
                links.stream().flatMap(l -> l.lanes.stream()).mapToDouble(lane -> lane.y + LANE_H / 2.0).max().orElse(TOP)) + MARGIN;
        StringBuilder svg = new StringBuilder(8192);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(num(width)).append("\" height=\"")
                .append(num(height)).append("\" viewBox=\"0 0 ").append(num(width)).append(' ').append(num(height))
                .append("\" font-family=\"Helvetica, Arial, 'Noto Sans CJK SC', 'PingFang SC', sans-serif\" font-size=\"11\">\n")
                .append("<title>").append(esc(journey.name())).append("</title>\n")
                .append("<defs>\n").append(marker("arrow-taken", TAKEN)).append(marker("arrow-idle", IDLE)).append("</defs>\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n")
                .append("<text class=\"caption\" x=\"").append(MARGIN).append("\" y=\"30\" font-size=\"15\" font-weight=\"bold\" fill=\"#212121\">")
                .append(esc(clip(journey.name(), 60))).append("</text>\n")
                .append("<text class=\"status\" x=\"").append(MARGIN).append("\" y=\"48\" fill=\"#616161\">")
                .append(esc(journey.status() + " · " + (stats.updatedAt() == null ? "nothing counted yet" : "counts as of " + stats.updatedAt().toInstant())))
                .append("</text>\n");
        svg.append("<g class=\"edges\" fill=\"none\" stroke-width=\"2\">\n");
        for (Link l : links) {
            edge(svg, l);
        }
        svg.append("</g>\n<g class=\"boxes\">\n");
        for (Box b : boxes) {
            box(svg, b);
        }
        svg.append("</g>\n</svg>\n");
        return svg.toString();
    }

    private static Link link(Box from, Box to, String branch, boolean taken) {
        Link l = new Link(from, to, branch, taken);
        from.out.add(l);
        to.in.add(l);
        return l;
    }

    private static String trigger(JourneyDefinition d) {
        JourneyDefinition.Trigger t = d.trigger();
        if (t == null || t.type() == null) {
            return "no trigger yet";
        }
        String what = t.type() == TriggerType.EVENT
                ? (t.event() == null ? null : t.event().eventCode())
                : (t.audience() == null ? null : t.audience().audienceId());
        return t.type() + (what == null ? "" : " · " + what);
    }

    private static long skipped(NodeStats s) {
        return s.skipped().values().stream().mapToLong(Long::longValue).reduce(0L, JourneyDiagram::add);
    }

    private static long add(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s; // both ≥ 0: a negative sum overflowed
    }

    /**
     * Columns: the longest path from the start box (Kahn's order). When every box left has an edge into it from
     * another box left, they are on a cycle: the one first in definition order is taken next and the edges into it
     * from the boxes left become back edges.
     */
    private static void layer(List<Box> boxes) {
        Map<Box, Integer> waiting = new HashMap<>();
        Set<Box> done = new HashSet<>();
        Deque<Box> ready = new ArrayDeque<>();
        for (Box b : boxes) {
            waiting.put(b, b.in.size());
            if (b.in.isEmpty()) {
                ready.add(b);
            }
        }
        int firstLeft = 0;
        while (done.size() < boxes.size()) {
            if (ready.isEmpty()) {
                while (done.contains(boxes.get(firstLeft))) {
                    firstLeft++;
                }
                Box next = boxes.get(firstLeft); // boxes are in definition order
                for (Link l : next.in) {
                    if (!done.contains(l.from)) {
                        l.back = true;
                    }
                }
                ready.add(next);
            }
            Box b = ready.poll();
            done.add(b);
            int layer = b.node == null ? 0 : 1;
            for (Link l : b.in) {
                if (!l.back) {
                    layer = Math.max(layer, l.from.layer + 1);
                }
            }
            b.layer = layer;
            for (Link l : b.out) {
                if (!l.back && !done.contains(l.to) && waiting.merge(l.to, -1, Integer::sum) == 0) {
                    ready.add(l.to);
                }
            }
        }
    }

    /**
     * Rows: column by column, each box (and each lane of a long edge) as near the mean height of the edges coming into
     * it as the ones above it allow.
     */
    private static void place(List<Box> boxes, List<Link> links) {
        int columns = boxes.stream().mapToInt(b -> b.layer).max().orElse(0) + 1;
        for (int c = 0; c < columns; c++) {
            int column = c;
            // what goes in the column, each with the top it wants and a tie-break: boxes in definition order, then lanes
            record Slot(Box box, Lane lane, double wanted, int order) {
            }
            List<Slot> slots = new ArrayList<>();
            for (Box b : boxes) {
                if (b.layer == column) {
                    double sum = 0;
                    int n = 0;
                    for (Link l : b.in) {
                        if (!l.back && l.from.layer < column) {
                            sum += l.arrival();
                            n++;
                        }
                    }
                    slots.add(new Slot(b, null, n == 0 ? Double.MAX_VALUE : sum / n - PORT_Y, b.order));
                }
            }
            for (int i = 0; i < links.size(); i++) {
                for (Lane lane : links.get(i).lanes) {
                    if (lane.layer == column) {
                        slots.add(new Slot(null, lane, lane.entry() - LANE_H / 2.0, boxes.size() + i));
                    }
                }
            }
            slots.sort(Comparator.comparingDouble(Slot::wanted).thenComparingInt(Slot::order));
            double cursor = TOP;
            for (Slot slot : slots) {
                double top = slot.wanted() == Double.MAX_VALUE ? cursor : Math.max(cursor, Math.round(slot.wanted()));
                if (slot.box() != null) {
                    slot.box().y = top;
                    slot.box().x = columnX(column);
                    cursor = top + slot.box().footprint() + GAP_Y;
                } else {
                    slot.lane().y = top + LANE_H / 2.0;
                    cursor = top + LANE_H + LANE_GAP;
                }
            }
        }
    }

    private static double columnX(int layer) {
        return MARGIN + layer * (BOX_W + GAP_X);
    }

    private static String marker(String id, String colour) {
        return "<marker id=\"" + id + "\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
                + "markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"" + colour + "\"/></marker>\n";
    }

    private static void edge(StringBuilder svg, Link l) {
        String colour = l.taken ? TAKEN : IDLE;
        double x1 = l.from.x + BOX_W;
        double y1 = l.from.y + l.from.port(l);
        double x2 = l.to.x;
        double y2 = l.to.y + PORT_Y;
        String path;
        if (x2 > x1) {
            StringBuilder p = new StringBuilder("M").append(num(x1)).append(',').append(num(y1));
            double x = x1;
            double y = y1;
            for (Lane lane : l.lanes) { // through the columns between: into the lane, straight along it
                double left = columnX(lane.layer);
                curve(p, x, y, left, lane.y);
                p.append(" L").append(num(left + BOX_W)).append(',').append(num(lane.y));
                x = left + BOX_W;
                y = lane.y;
            }
            curve(p, x, y, x2, y2);
            path = p.toString();
        } else { // a back edge: round below both boxes
            double below = Math.max(l.from.y + l.from.footprint(), l.to.y + l.to.footprint()) + GAP_Y;
            path = "M" + num(x1) + "," + num(y1) + " C" + num(x1 + GAP_X) + "," + num(below) + " " + num(x2 - GAP_X) + "," + num(below) + " "
                    + num(x2) + "," + num(y2);
        }
        svg.append("<g class=\"").append(l.from.node == null ? "entry" : "edge").append(l.taken ? " taken" : " idle").append('"');
        if (l.from.node != null) {
            svg.append(" data-from=\"").append(esc(l.from.node.id())).append("\" data-to=\"").append(esc(l.to.node.id())).append('"');
            if (l.branch != null) {
                svg.append(" data-branch=\"").append(esc(l.branch)).append('"');
            }
        }
        svg.append(">");
        svg.append("<path d=\"").append(path).append("\" stroke=\"").append(colour).append("\" marker-end=\"url(#arrow-")
                .append(l.taken ? "taken" : "idle").append(")\"/>");
        if (l.branch != null) {
            svg.append("<text class=\"label\" x=\"").append(num(x1 + 6)).append("\" y=\"").append(num(y1 - 4))
                    .append("\" font-size=\"10\" fill=\"").append(colour).append("\" stroke=\"none\">").append(esc(clip(l.branch, 14))).append("</text>");
        }
        svg.append("</g>\n");
    }

    /** A smooth step from one height to another, leaving and arriving level. */
    private static void curve(StringBuilder p, double x1, double y1, double x2, double y2) {
        double dx = (x2 - x1) / 2;
        p.append(" C").append(num(x1 + dx)).append(',').append(num(y1)).append(' ').append(num(x2 - dx)).append(',').append(num(y2))
                .append(' ').append(num(x2)).append(',').append(num(y2));
    }

    private static void box(StringBuilder svg, Box b) {
        String fill;
        String stroke;
        if (b.node == null) {
            fill = "#ede7f6";
            stroke = "#7e57c2";
        } else if (b.node.type() == null || b.node.type().kind == NodeType.Kind.FLOW) {
            fill = "#f5f5f5";
            stroke = "#757575";
        } else if (b.action()) {
            fill = "#e3f2fd";
            stroke = "#1e88e5";
        } else {
            fill = "#fff8e1";
            stroke = "#f9a825";
        }
        if (b.node == null) {
            svg.append("<g class=\"start\">");
        } else {
            svg.append("<g class=\"node\" data-node=\"").append(esc(b.node.id())).append("\" data-type=\"").append(esc(b.subtitle)).append("\">");
        }
        svg.append("<title>").append(esc(tooltip(b))).append("</title>");
        double x = b.x;
        double y = b.y;
        svg.append("<rect class=\"box\" x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"").append(BOX_W)
                .append("\" height=\"").append(num(b.height())).append("\" rx=\"6\" fill=\"").append(fill).append("\" stroke=\"").append(stroke)
                .append("\" stroke-width=\"1.5\"/>");
        text(svg, "name", x + PAD, y + NAME_Y, " font-size=\"13\" font-weight=\"bold\" fill=\"#212121\"", clip(b.title, 24));
        text(svg, "type", x + PAD, y + TYPE_Y, " fill=\"#616161\"", clip(b.subtitle, 30));
        for (int i = 0; i < b.lines.size(); i++) {
            Line line = b.lines.get(i);
            StringBuilder attrs = new StringBuilder(" data-metric=\"").append(line.metric()).append('"');
            if (line.branch() != null) {
                attrs.append(" data-branch=\"").append(esc(line.branch())).append('"');
            }
            attrs.append(" fill=\"#212121\"");
            text(svg, "count", x + PAD, y + FIRST_LINE_Y + i * LINE, attrs.toString(), line.text());
        }
        if (b.action()) {
            progress(svg, b);
        }
        svg.append("</g>\n");
    }

    /** The bar under an action node (what it shows: the class comment). */
    private static void progress(StringBuilder svg, Box b) {
        NodeStats s = b.stats;
        long total = Math.max(s.entered(), s.actions());
        long failed = Math.min(skipped(s), s.actions());
        long ok = s.actions() - failed;
        double okWidth = total == 0 ? 0 : (double) BOX_W * ok / total;
        double failedWidth = total == 0 ? 0 : (double) BOX_W * failed / total;
        double y = b.y + b.height() + BAR_GAP;
        svg.append("<g class=\"progress\" data-total=\"").append(total).append("\" data-ok=\"").append(ok).append("\" data-failed=\"")
                .append(failed).append("\">");
        bar(svg, "track", b.x, y, BOX_W, TRACK);
        bar(svg, "ok", b.x, y, okWidth, OK);
        bar(svg, "failed", b.x + okWidth, y, failedWidth, FAILED);
        svg.append("</g>");
    }

    private static void bar(StringBuilder svg, String cls, double x, double y, double width, String colour) {
        svg.append("<rect class=\"").append(cls).append("\" x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"")
                .append(num(width)).append("\" height=\"").append(BAR_H).append("\" fill=\"").append(colour).append("\"/>");
    }

    private static void text(StringBuilder svg, String cls, double x, double y, String attrs, String content) {
        svg.append("<text class=\"").append(cls).append("\" x=\"").append(num(x)).append("\" y=\"").append(num(y)).append('"').append(attrs)
                .append('>').append(esc(content)).append("</text>");
    }

    /** What hovering shows (the product shows a node's settings or execution on hover): everything, unclipped. */
    private static String tooltip(Box b) {
        if (b.node == null) {
            return "Start: " + b.subtitle;
        }
        NodeStats s = b.stats;
        StringBuilder t = new StringBuilder(b.title).append(" (").append(b.subtitle).append(", id ").append(b.node.id()).append(")\n")
                .append("entered ").append(s.entered()).append(" · exited ").append(s.exited());
        if (b.action()) {
            t.append(" · actions ").append(s.actions());
        }
        s.branches().forEach((branch, n) -> t.append("\nbranch ").append(branch).append(": ").append(n));
        s.skipped().forEach((reason, n) -> t.append("\nskipped ").append(reason).append(": ").append(n));
        return t.toString();
    }

    /** At most {@code units} wide, wide (CJK) characters counting two: what fits its place in a box, with … when cut. */
    static String clip(String s, int units) {
        if (s == null) {
            return "";
        }
        if (s.codePoints().map(JourneyDiagram::width).sum() <= units) {
            return s;
        }
        StringBuilder cut = new StringBuilder();
        int used = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (used + width(cp) > units - 1) { // and one for the …
                break;
            }
            cut.appendCodePoint(cp);
            used += width(cp);
            i += Character.charCount(cp);
        }
        return cut.append('…').toString();
    }

    private static int width(int codePoint) {
        return codePoint >= 0x2E80 ? 2 : 1;
    }

    /** XML-escaped text or attribute value; characters XML 1.0 cannot hold (controls, lone surrogates) become U+FFFD. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    boolean allowed = cp == '\t' || cp == '\n' || cp == '\r' || (cp >= 0x20 && cp <= 0xD7FF)
                            || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
                    out.appendCodePoint(allowed ? cp : 0xFFFD);
                }
            }
        });
        return out.toString();
    }

    /** A coordinate: a whole number when it is one, else two decimals at most; never a locale's comma. */
    static String num(double v) {
        return BigDecimal.valueOf(Math.round(v * 100) / 100.0).stripTrailingZeros().toPlainString();
    }
}
