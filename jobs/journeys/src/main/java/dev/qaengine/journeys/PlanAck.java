package dev.qaengine.journeys;

import dev.qaengine.common.BinaryType;
import dev.qaengine.model.journey.JourneyStatus;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * One engine instance's answer to a plan version: applied (RUNNING) or refused (FAILED with the reason).
 * {@link PlanAcks} turns the answers of all {@code instances} into the journey's status.
 */
public record PlanAck(String orgId, String journeyId, long version, int instance, int instances, JourneyStatus status, String reason) {
    public static final Type TYPE = new Type();

    public String subject() {
        return orgId + '/' + journeyId;
    }

    public static final class Type extends BinaryType<PlanAck> {
        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        protected void write(PlanAck a, DataOutputView out) throws IOException {
            writeString(a.orgId, out);
            writeString(a.journeyId, out);
            out.writeLong(a.version);
            out.writeInt(a.instance);
            out.writeInt(a.instances);
            writeString(a.status.name(), out);
            writeString(a.reason, out);
        }

        @Override
        protected PlanAck read(DataInputView in) throws IOException {
            return new PlanAck(readString(in), readString(in), in.readLong(), in.readInt(), in.readInt(),
                    JourneyStatus.valueOf(readString(in)), readString(in));
        }

        @Override
        protected Class<PlanAck> typeClass() {
            return PlanAck.class;
        }

        @Override
        public TypeSerializerSnapshot<PlanAck> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<PlanAck> {
        public Snapshot() {
            super(() -> TYPE);
        }
    }
}
