package dev.qaengine.identity;

import dev.qaengine.common.BinaryType;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/** One write to the Redis person directory: set {@code key} to {@code value}, or delete it (value null). */
public record DirectoryWrite(String key, String value) {
    public static final Type TYPE = new Type();

    public static final class Type extends BinaryType<DirectoryWrite> {
        @Override
        protected void write(DirectoryWrite w, DataOutputView out) throws IOException {
            writeString(w.key, out);
            writeString(w.value, out);
        }

        @Override
        protected DirectoryWrite read(DataInputView in) throws IOException {
            return new DirectoryWrite(readString(in), readString(in));
        }

        @Override
        protected Class<DirectoryWrite> typeClass() {
            return DirectoryWrite.class;
        }

        @Override
        public TypeSerializerSnapshot<DirectoryWrite> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DirectoryWrite> {
        public Snapshot() {
            super(() -> TYPE);
        }
    }
}
