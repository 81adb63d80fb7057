package dev.qaengine.journeys;

import dev.qaengine.common.BinaryType;
import dev.qaengine.common.Json;
import dev.qaengine.model.ResolvedEvent;
import dev.qaengine.model.journey.ActionRequest;
import dev.qaengine.model.journey.JourneyPlan;
import dev.qaengine.model.journey.TraceStep;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.qaengine.journeys.Fixtures.MIN;
import static dev.qaengine.journeys.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** State format 2 reads what format 1 wrote: a run waiting in an EVENT_BRANCH still meets its event and goes on. */
class PersonStateFormatTest {

    /** A person as format 1 wrote it: one run of journey j1 waiting at EVENT_BRANCH "b" since T0 (its own timer then). */
    private static byte[] format1(String runId) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeByte(1);
        out.writeLong(3); // seq
        out.writeLong(T0 + Fixtures.DAY); // gcAt
        BinaryType.writeString(null, out); // mergedInto
        out.writeShort(0); // tags
        out.writeShort(0); // ids
        out.writeShort(1); // gates
        BinaryType.writeString("j1", out);
        out.writeInt(0);
        out.writeShort(1);
        out.writeLong(T0);
        out.writeShort(1);
        out.writeLong(Hashes.id64("e1"));
        out.writeShort(1); // runs
        BinaryType.writeString(runId, out);
        BinaryType.writeString("j1", out);
        out.writeLong(1); // plan version
        BinaryType.writeString("e1", out);
        out.writeLong(T0); // entry time
        BinaryType.writeString("b", out);
        out.writeLong(T0); // since
        out.writeLong(3); // since seq
        out.writeLong(T0 + 30 * MIN - 1); // its timer
        out.writeInt(0);
        out.writeShort(0); // counted
        out.writeShort(0); // vars
        BinaryType.writeString(null, out); // branch
        out.writeShort(0); // results
        out.writeShort(0); // history
        return out.getCopyOfBuffer();
    }

    @Test
    void aRunWrittenByFormat1StillMeetsTheEventItWaitsFor() throws Exception {
        String runId = Hashes.runId("org1", "j1", "p1", "e1");
        PersonState p = PersonState.Type.INSTANCE.fromBytes(format1(runId));
        assertThat(p.timerAt).as("format 1 had no person timer: the next write registers it").isEqualTo(PersonState.NONE);
        PersonState.Run run = p.runs.get(0);
        assertThat(run.runId).isEqualTo(runId);
        assertThat(run.waitCode).isSameAs(PersonState.UNKNOWN);
        assertThat(JourneyEngine.earliest(p)).isEqualTo(T0 + 30 * MIN - 1);

        // written again and read back: still unknown (not the text of the marker), and the run id in 16 bytes
        byte[] again = PersonState.Type.INSTANCE.toBytes(p);
        assertThat(PersonState.Type.INSTANCE.fromBytes(again).runs.get(0).waitCode).isSameAs(PersonState.UNKNOWN);
        assertThat(again.length).isLessThan(format1(runId).length);

        PlanBook book = new PlanBook();
        book.putCurrent(PlanRuntime.of(Fixtures.cartAbandonment("j1"), 1).plan(), Long.MIN_VALUE);
        List<TraceStep> steps = new ArrayList<>();
        List<ActionRequest> actions = new ArrayList<>();
        JourneyEngine engine = new JourneyEngine(book, new JourneyStats(JourneyStats.Meters.NONE), new JourneyEngine.Host() {
            @Override
            public void action(ActionRequest request) {
                actions.add(request);
            }

            @Override
            public void trace(TraceStep step) {
                steps.add(step);
            }
        }, MIN, 64, JourneyEngine.Tracing.RUNS);
        engine.person("org1", "p1");
        engine.event(p, Json.MAPPER.readValue(Fixtures.event("p1", "e2", "purchase", T0 + 5 * MIN).value(), ResolvedEvent.class));
        assertThat(steps).extracting(s -> s.step() + " " + s.nodeId() + " " + s.exit())
                .containsExactly("PASSED b DONE", "ENDED e null");
        assertThat(p.runs).isEmpty();
        assertThat(actions).isEmpty();
    }
}
