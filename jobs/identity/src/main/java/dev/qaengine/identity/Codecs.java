package dev.qaengine.identity;

import dev.qaengine.common.BinaryType;
import dev.qaengine.model.IdType;
import dev.qaengine.model.Identifier;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary forms of the identity job's types: {@link Command} (the keyed stream, held and pending state, and
 * the feedback topic's values — one format for all three) and {@link Node} (per-identifier state).
 * Format version 1; the first byte of every value is the version.
 */
public final class Codecs {
    private static final byte V1 = 1;
    private static final IdType[] TYPES = IdType.values();

    private Codecs() {
    }

    /**
     * Many protocol steps in one feedback record: a marker byte ({@link #MARK}, which no single command's
     * version byte equals), then the commands one after another. Kafka's costs are per record (append,
     * index, fetch, the consumer's record objects); a step between keys costs far less in a batch. A
     * record that is one command (what earlier builds wrote) is read as before.
     */
    public static final class FeedbackBatch {
        static final byte MARK = (byte) 0xB7;

        private final DataOutputSerializer buffer = new DataOutputSerializer(8192);
        private int count;
        private long time;
        private byte[] key;

        /** Adds a step; its key names the record's partition when it is the batch's first. */
        public void add(Command c) {
            try {
                if (count == 0) {
                    buffer.clear();
                    buffer.writeByte(MARK);
                    time = c.time;
                    key = c.routingKey().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                CommandType.INSTANCE.serialize(c, buffer);
                count++;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public int count() {
            return count;
        }

        public int bytes() {
            return count == 0 ? 0 : buffer.length();
        }

        /** The batch as a feedback record, and a new empty batch; {@code null} when empty. */
        public dev.qaengine.common.TopicRecord take(String topic) {
            if (count == 0) {
                return null;
            }
            count = 0;
            return new dev.qaengine.common.TopicRecord(topic, key, buffer.getCopyOfBuffer(), time);
        }

        /** The commands of a feedback record: a batch, or one command. */
        public static void read(byte[] value, java.util.function.Consumer<Command> out) throws IOException {
            if (value.length > 0 && value[0] == MARK) {
                DataInputDeserializer in = new DataInputDeserializer(value, 1, value.length - 1);
                while (in.available() > 0) {
                    out.accept(CommandType.INSTANCE.deserialize(in));
                }
            } else {
                out.accept(CommandType.INSTANCE.fromBytes(value));
            }
        }
    }

    public static final class CommandType extends BinaryType<Command> {
        public static final CommandType INSTANCE = new CommandType();

        @Override
        protected void write(Command c, DataOutputView out) throws IOException {
            out.writeByte(V1);
            out.writeByte(c.kind);
            writeString(c.org, out);
            writeString(c.target, out);
            out.writeLong(c.time);
            out.writeLong(c.clock);
            writeString(c.linkA, out);
            writeString(c.linkB, out);
            writeRef(c.p1, out);
            writeRef(c.p2, out);
            writeIds(c.members, out);
            out.writeLong(c.version);
            writeBytes(c.payload, out);
        }

        @Override
        protected Command read(DataInputView in) throws IOException {
            version(in);
            Command c = new Command();
            c.kind = in.readByte();
            c.org = readString(in);
            c.target = readString(in);
            c.time = in.readLong();
            c.clock = in.readLong();
            c.linkA = readString(in);
            c.linkB = readString(in);
            c.p1 = readRef(in);
            c.p2 = readRef(in);
            c.members = readIds(in);
            c.version = in.readLong();
            c.payload = readBytes(in);
            return c;
        }

        @Override
        protected Class<Command> typeClass() {
            return Command.class;
        }

        @Override
        public TypeSerializerSnapshot<Command> snapshotConfiguration() {
            return new CommandSnapshot();
        }
    }

    public static final class CommandSnapshot extends SimpleTypeSerializerSnapshot<Command> {
        public CommandSnapshot() {
            super(() -> CommandType.INSTANCE);
        }
    }

    public static final class NodeType extends BinaryType<Node> {
        public static final NodeType INSTANCE = new NodeType();

        @Override
        protected void write(Node n, DataOutputView out) throws IOException {
            out.writeByte(V1);
            writeRef(n.person, out);
            out.writeLong(n.personVersion);
            writeIds(n.personIds, out);
            out.writeLong(n.clock);
            out.writeByte(n.status);
            out.writeBoolean(n.anonymous);
            if (n.anonymous) {
                out.writeInt(n.lastSeenDay);
            }
            if (n.status != Node.NONE) {
                out.writeLong(n.firstSeen);
                out.writeLong(n.version);
                // A founder's members are its person's identifiers, which personIds usually equals: write once.
                boolean same = n.members != null && n.members.equals(n.personIds);
                out.writeBoolean(same);
                if (!same) {
                    writeIds(n.members, out);
                }
                writeRef(n.successor, out);
                out.writeBoolean(n.queued);
            }
        }

        @Override
        protected Node read(DataInputView in) throws IOException {
            version(in);
            Node n = new Node();
            n.person = readRef(in);
            n.personVersion = in.readLong();
            n.personIds = readIds(in);
            n.clock = in.readLong();
            n.status = in.readByte();
            n.anonymous = in.readBoolean();
            if (n.anonymous) {
                n.lastSeenDay = in.readInt();
            }
            if (n.status != Node.NONE) {
                n.firstSeen = in.readLong();
                n.version = in.readLong();
                n.members = in.readBoolean() ? n.personIds : readIds(in);
                n.successor = readRef(in);
                n.queued = in.readBoolean();
            }
            return n;
        }

        @Override
        protected Class<Node> typeClass() {
            return Node.class;
        }

        @Override
        public TypeSerializerSnapshot<Node> snapshotConfiguration() {
            return new NodeSnapshot();
        }
    }

    public static final class NodeSnapshot extends SimpleTypeSerializerSnapshot<Node> {
        public NodeSnapshot() {
            super(() -> NodeType.INSTANCE);
        }
    }

    private static void version(DataInputView in) throws IOException {
        byte v = in.readByte();
        if (v != V1) {
            throw new IOException("unknown identity format version " + v);
        }
    }

    private static void writeRef(PersonRef r, DataOutputView out) throws IOException {
        out.writeBoolean(r != null);
        if (r != null) {
            BinaryType.writeString(r.id(), out);
            BinaryType.writeString(r.founder(), out);
            out.writeLong(r.firstSeen());
        }
    }

    private static PersonRef readRef(DataInputView in) throws IOException {
        return in.readBoolean() ? new PersonRef(BinaryType.readString(in), BinaryType.readString(in), in.readLong()) : null;
    }

    private static void writeIds(List<Identifier> ids, DataOutputView out) throws IOException {
        if (ids == null) {
            out.writeShort(-1);
            return;
        }
        out.writeShort(ids.size());
        for (Identifier i : ids) {
            out.writeByte(i.type().ordinal());
            BinaryType.writeString(i.value(), out);
        }
    }

    private static List<Identifier> readIds(DataInputView in) throws IOException {
        int n = in.readShort();
        if (n < 0) {
            return null;
        }
        List<Identifier> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(new Identifier(TYPES[in.readByte()], BinaryType.readString(in)));
        }
        return List.copyOf(ids);
    }
}
