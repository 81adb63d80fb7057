package dev.qaengine.normalize;

import dev.qaengine.common.BinaryType;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;

/**
 * {@link KafkaOut} is never changed once emitted, so it is an immutable type to Flink: the normalize
 * operator hands each record to the chained Kafka writer as it is, where Flink's POJO serializer made a
 * reflective deep copy of it (key and JSON bytes) for every event. It is only serialized if a record ever
 * has to cross the network or go into state, which in this job it does not.
 */
public final class KafkaOutSerializer extends BinaryType<KafkaOut> {
    public static final KafkaOutSerializer INSTANCE = new KafkaOutSerializer();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    protected void write(KafkaOut r, DataOutputView out) throws IOException {
        out.writeLong(r.timestamp);
        writeBytes(r.key, out);
        writeBytes(r.value, out);
    }

    @Override
    protected KafkaOut read(DataInputView in) throws IOException {
        long timestamp = in.readLong();
        return new KafkaOut(readBytes(in), readBytes(in), timestamp);
    }

    @Override
    protected Class<KafkaOut> typeClass() {
        return KafkaOut.class;
    }

    @Override
    public TypeSerializerSnapshot<KafkaOut> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores this serializer (format version 1). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<KafkaOut> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Picked up by Flink's type extraction through {@code @TypeInfo} on {@link KafkaOut}. */
    public static final class Factory extends TypeInfoFactory<KafkaOut> {
        @Override
        public TypeInformation<KafkaOut> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE.type();
        }
    }
}
