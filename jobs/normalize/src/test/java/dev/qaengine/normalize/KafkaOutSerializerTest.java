package dev.qaengine.normalize;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaOutSerializerTest {
    @Test
    void flinkTypesKafkaOutAsImmutableAndRoundTripsIt() throws Exception {
        TypeInformation<KafkaOut> type = TypeInformation.of(KafkaOut.class);
        assertThat(type.createSerializer(null)).isSameAs(KafkaOutSerializer.INSTANCE);
        var serializer = type.createSerializer(null);
        assertThat(serializer.isImmutableType()).isTrue();
        KafkaOut r = new KafkaOut("o|c".getBytes(), "{}".getBytes(), 42);
        assertThat(serializer.copy(r)).isSameAs(r);
        for (KafkaOut x : new KafkaOut[] {r, new KafkaOut(null, new byte[0], -1)}) {
            DataOutputSerializer out = new DataOutputSerializer(16);
            serializer.serialize(x, out);
            assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()))).usingRecursiveComparison().isEqualTo(x);
        }
        assertThat(serializer.snapshotConfiguration().restoreSerializer()).isSameAs(KafkaOutSerializer.INSTANCE);
    }
}
