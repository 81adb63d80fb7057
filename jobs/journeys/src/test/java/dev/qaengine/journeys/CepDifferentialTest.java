package dev.qaengine.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.Operator;
import dev.qaengine.testkit.FlinkTestCluster;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static dev.qaengine.journeys.Fixtures.MIN;
import static dev.qaengine.journeys.Fixtures.T0;
import static dev.qaengine.journeys.Fixtures.eventBranch;
import static dev.qaengine.journeys.Fixtures.match;
import static dev.qaengine.journeys.Fixtures.numberRule;
import static dev.qaengine.journeys.Fixtures.plan;
import static dev.qaengine.journeys.Fixtures.sms;
import static dev.qaengine.journeys.Fixtures.trigger;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's EVENT_BRANCH against flink-cep on the same random streams: many persons, each with
 * triggers (A), watched events (B, with an amount) and noise (C), times with ties, arriving out of order
 * within a bound, watermarks bounded by it (so neither side sees a late event).
 *
 * <ul>
 *   <li>"did B (amount > 100) within W" — {@code A followedBy B within W} — DONE for exactly the A's that
 *   have a CEP match;</li>
 *   <li>"did B at least 3 times within W" — {@code A followedBy B{3} within W} — likewise;</li>
 *   <li>"did B fewer than 3 times" — DONE for exactly the A's without such a match (a count decided
 *   early the other way);</li>
 *   <li>"did not do B within W" — {@code A notFollowedBy B within W}, CEP's not-followed-by with timeout —
 *   NOT_DONE for exactly the A's it reports.</li>
 * </ul>
 */
class CepDifferentialTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

    static final long WINDOW = 30 * MIN;
    static final long DISORDER = 2 * MIN;

    /** A CEP-side event: a POJO Flink serializes. */
    public static final class Ev {
        public String person;
        public String id;
        public String code;
        public long time;
        public double amount;

        public Ev() {
        }

        Ev(String person, String id, String code, long time, double amount) {
            this.person = person;
            this.id = id;
            this.code = code;
            this.time = time;
            this.amount = amount;
        }

        static boolean isB(Ev e) {
            return "B".equals(e.code) && e.amount > 100;
        }
    }

    /** Random streams in arrival order: per person up to 8 A's over ~4 hours, times on a coarse grid (ties), bounded disorder. */
    static List<Ev> streams(long seed, int persons) {
        Random r = new Random(seed);
        List<Ev> all = new ArrayList<>();
        List<Long> arrival = new ArrayList<>();
        for (int p = 0; p < persons; p++) {
            long t = T0 + r.nextInt(60) * MIN;
            int as = 0;
            for (int i = 0; i < 40; i++) {
                t += r.nextInt(4) * 2 * MIN; // steps of 0, 2, 4 or 6 minutes: equal times happen
                int kind = r.nextInt(10);
                String code = kind < 2 && as < 8 ? "A" : kind < 7 ? "B" : "C";
                if (code.equals("A")) {
                    as++;
                }
                all.add(new Ev("p" + p, "p" + p + "-" + i, code, t, r.nextInt(200)));
                arrival.add(t + (long) (r.nextDouble() * DISORDER));
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong(arrival::get));
        return order.stream().map(all::get).toList();
    }

    record Outcomes(Set<String> followedBy, Set<String> threeTimes, Set<String> notFollowedBy) {
    }

    static Outcomes cep(List<Ev> events) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.getConfig().setAutoWatermarkInterval(1);
        KeyedStream<Ev, String> keyed = env.fromData(Ev.class, events.toArray(Ev[]::new))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Ev>forBoundedOutOfOrderness(Duration.ofMillis(DISORDER))
                        .withTimestampAssigner((e, ts) -> e.time))
                .keyBy(e -> e.person);
        SimpleCondition<Ev> isA = SimpleCondition.of(e -> "A".equals(e.code));
        SimpleCondition<Ev> isB = SimpleCondition.of(Ev::isB);
        Duration w = Duration.ofMillis(WINDOW);
        DataStream<String> once = CEP.pattern(keyed, Pattern.<Ev>begin("a").where(isA).followedBy("b").where(isB).within(w))
                .process(new Firsts("followedBy"));
        DataStream<String> three = CEP.pattern(keyed, Pattern.<Ev>begin("a").where(isA).followedBy("b").where(isB).times(3).within(w))
                .process(new Firsts("threeTimes"));
        DataStream<String> not = CEP.pattern(keyed, Pattern.<Ev>begin("a").where(isA).notFollowedBy("b").where(isB).within(w))
                .process(new Firsts("notFollowedBy"));
        Outcomes out = new Outcomes(new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
        try (CloseableIterator<String> it = once.union(three, not).executeAndCollect("cep")) {
            while (it.hasNext()) {
                String[] s = it.next().split(" ");
                (s[0].equals("followedBy") ? out.followedBy : s[0].equals("threeTimes") ? out.threeTimes : out.notFollowedBy).add(s[1]);
            }
        }
        return out;
    }

    /** The id of the A of each match. */
    static final class Firsts extends PatternProcessFunction<Ev, String> {
        private final String name;

        Firsts(String name) {
            this.name = name;
        }

        @Override
        public void processMatch(Map<String, List<Ev>> match, Context ctx, Collector<String> out) {
            out.collect(name + " " + match.get("a").get(0).id);
        }
    }

    static Map<String, Set<String>> engine(List<Ev> events) throws Exception {
        var b = match("B", numberRule("amount", Operator.GT, 100));
        List<JourneyPlan> plans = List.of(
                plan("ge1", trigger(match("A"), 10), "b", eventBranch("b", b, WINDOW, Operator.GE, 1, "done", "not"),
                        sms("done", "t", null), sms("not", "t", null)),
                plan("ge3", trigger(match("A"), 10), "b", eventBranch("b", b, WINDOW, Operator.GE, 3, "done", "not"),
                        sms("done", "t", null), sms("not", "t", null)),
                plan("lt3", trigger(match("A"), 10), "b", eventBranch("b", b, WINDOW, Operator.LT, 3, "done", "not"),
                        sms("done", "t", null), sms("not", "t", null)));
        Map<String, Set<String>> out = new java.util.HashMap<>();
        try (Engine e = new Engine(new ManualClock("differential", Long.MIN_VALUE), null, null)) {
            for (JourneyPlan p : plans) {
                e.plan(p, 1);
            }
            long maxTs = Long.MIN_VALUE;
            for (Ev ev : events) {
                e.event(Fixtures.event(ev.person, ev.id, ev.code, ev.time, "amount", ev.amount));
                maxTs = Math.max(maxTs, ev.time);
                e.watermark(maxTs - DISORDER - 1);
            }
            e.watermark(Long.MAX_VALUE);
            for (JsonNode a : e.actions()) {
                out.computeIfAbsent(a.get("journeyId").asText() + ":" + a.get("nodeId").asText(), k -> new TreeSet<>())
                        .add(a.get("triggerEventId").asText());
            }
            assertThat(e.timers()).as("every window closed, every person collected").isZero();
            assertThat(e.stateEntries()).isZero();
        }
        return out;
    }

    @Test
    void eventBranchOutcomesEqualFlinkCepOnRandomStreams() throws Exception {
        for (long seed : new long[] {7, 2026}) {
            List<Ev> events = streams(seed, 150);
            Set<String> triggers = new TreeSet<>(events.stream().filter(e -> e.code.equals("A")).map(e -> e.id).toList());
            Outcomes cep = cep(events);
            Map<String, Set<String>> engine = engine(events);
            Set<String> ge1Done = engine.getOrDefault("ge1:done", Set.of());
            Set<String> ge1Not = engine.getOrDefault("ge1:not", Set.of());
            Set<String> ge3Done = engine.getOrDefault("ge3:done", Set.of());
            Set<String> lt3Done = engine.getOrDefault("lt3:done", Set.of());
            Set<String> lt3Not = engine.getOrDefault("lt3:not", Set.of());

            assertThat(triggers).as("seed %d: a varied stream", seed).hasSizeGreaterThan(500);
            assertThat(cep.followedBy()).as("seed %d: both outcomes occur", seed).isNotEmpty().isNotEqualTo(triggers);
            assertThat(cep.threeTimes()).isNotEmpty().isNotEqualTo(cep.followedBy());
            assertThat(ge1Done).as("seed %d: DONE = A followedBy B within W", seed).isEqualTo(cep.followedBy());
            assertThat(ge1Not).as("seed %d: NOT_DONE = A notFollowedBy B within W", seed).isEqualTo(cep.notFollowedBy());
            assertThat(ge3Done).as("seed %d: DONE = A followedBy B{3} within W", seed).isEqualTo(cep.threeTimes());
            assertThat(lt3Not).as("seed %d: fewer than 3 is NOT_DONE exactly where B{3} matched", seed).isEqualTo(cep.threeTimes());
            Set<String> rest = new TreeSet<>(triggers);
            rest.removeAll(cep.threeTimes());
            assertThat(lt3Done).isEqualTo(rest);
        }
    }
}
