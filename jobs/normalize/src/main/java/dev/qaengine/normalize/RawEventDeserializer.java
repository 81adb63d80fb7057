package dev.qaengine.normalize;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses raw records inside the Kafka source, so that only parsed messages cross the network to the
 * keyed operator. It never throws: every record becomes at least one element, good or rejected.
 */
public final class RawEventDeserializer implements KafkaRecordDeserializationSchema<RawElement> {
    private final Limits limits;
    private transient EventParser parser;

    public RawEventDeserializer(Limits limits) {
        this.limits = limits;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        parser = new EventParser(limits);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawElement> out) {
        if (parser == null) {
            parser = new EventParser(limits);
        }
        EventParser.Source src = new EventParser.Source(record.topic(), record.partition(), record.offset(),
                record.timestamp(), record.key());
        for (RawElement e : parser.parseForShuffle(record.value(), src)) {
            out.collect(e);
        }
    }

    @Override
    public TypeInformation<RawElement> getProducedType() {
        return RawElementSerializer.TYPE;
    }
}
