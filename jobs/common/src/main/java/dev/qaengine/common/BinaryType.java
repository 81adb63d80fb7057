package dev.qaengine.common;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A hand-written binary form for a type that crosses the network or lives in state on the hot path:
 * Flink's POJO serializer reads strings a byte at a time through reflection, and Kryo is slower still.
 * A subclass writes and reads the fields; this class supplies the Flink plumbing ({@link #type()} for
 * {@code returns(...)} and state descriptors) and helpers for strings and byte arrays.
 * A change to a subclass's format is a deliberate act: new snapshot version, migration.
 */
public abstract class BinaryType<T> extends TypeSerializerSingleton<T> {

    protected abstract void write(T value, DataOutputView out) throws IOException;

    protected abstract T read(DataInputView in) throws IOException;

    /** The type's name in Flink's plans and error messages. */
    protected abstract Class<T> typeClass();

    public TypeInformation<T> type() {
        return new Info<>(this);
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public T createInstance() {
        return null;
    }

    /**
     * A deep copy through the binary form: Flink copies only where records are reused, which our jobs avoid.
     * An immutable type ({@link #isImmutableType()} overridden to true) is handed on as it is.
     */
    @Override
    public T copy(T from) {
        if (from == null || isImmutableType()) {
            return from;
        }
        try {
            return read(new DataInputDeserializer(toBytes(from)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public void serialize(T value, DataOutputView out) throws IOException {
        write(value, out);
    }

    @Override
    public T deserialize(DataInputView in) throws IOException {
        return read(in);
    }

    @Override
    public T deserialize(T reuse, DataInputView in) throws IOException {
        return read(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        write(read(in), out);
    }

    public byte[] toBytes(T value) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(128);
            write(value, out);
            return out.getCopyOfBuffer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public T fromBytes(byte[] bytes) throws IOException {
        return read(new DataInputDeserializer(bytes));
    }

    /** A nullable string as a length (-1 = null) and UTF-8 bytes. */
    public static void writeString(String s, DataOutputView out) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    public static String readString(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    public static void writeBytes(byte[] b, DataOutputView out) throws IOException {
        if (b == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(b.length);
        out.write(b);
    }

    public static byte[] readBytes(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private static final class Info<T> extends TypeInformation<T> {
        private final BinaryType<T> serializer;

        Info(BinaryType<T> serializer) {
            this.serializer = serializer;
        }

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
        public Class<T> getTypeClass() {
            return serializer.typeClass();
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<T> createSerializer(SerializerConfig config) {
            return serializer;
        }

        @Override
        public String toString() {
            return serializer.typeClass().getSimpleName();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Info<?> other && other.serializer.getClass() == serializer.getClass();
        }

        @Override
        public int hashCode() {
            return serializer.getClass().hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof Info<?>;
        }
    }
}
