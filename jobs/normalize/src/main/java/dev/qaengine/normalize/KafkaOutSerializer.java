package dev.qaengine.normalize;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
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
public final class KafkaOutSerializer extends TypeSerializerSingleton<KafkaOut> {
    public static final KafkaOutSerializer INSTANCE = new KafkaOutSerializer();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public KafkaOut createInstance() {
        return new KafkaOut();
    }

    @Override
    public KafkaOut copy(KafkaOut from) {
        return from;
    }

    @Override
    public KafkaOut copy(KafkaOut from, KafkaOut reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(KafkaOut r, DataOutputView out) throws IOException {
        out.writeLong(r.timestamp);
        writeBytes(r.key, out);
        writeBytes(r.value, out);
    }

    @Override
    public KafkaOut deserialize(DataInputView in) throws IOException {
        long timestamp = in.readLong();
        return new KafkaOut(readBytes(in), readBytes(in), timestamp);
    }

    @Override
    public KafkaOut deserialize(KafkaOut reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    private static void writeBytes(byte[] b, DataOutputView out) throws IOException {
        if (b == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
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
            return new Info();
        }
    }

    /** Type information that hands Flink this serializer instead of the POJO serializer. */
    public static final class Info extends TypeInformation<KafkaOut> {
        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<KafkaOut> getTypeClass() {
            return KafkaOut.class;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<KafkaOut> createSerializer(SerializerConfig config) {
            return INSTANCE;
        }

        @Override
        public String toString() {
            return "KafkaOut";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Info;
        }

        @Override
        public int hashCode() {
            return Info.class.hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof Info;
        }
    }
}
