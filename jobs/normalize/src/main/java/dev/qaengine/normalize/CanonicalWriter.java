package dev.qaengine.normalize;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.qaengine.model.AttributeType;
import dev.qaengine.model.CanonicalEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Writes a validated message as a canonical event (state-schemas/canonical-event-v1.schema.json) and
 * computes its event id. Not thread-safe: one per operator instance.
 *
 * <p>The event id is the 128-bit MurmurHash3 of the message's content in a fixed form (org, customer,
 * channel, code, time, attributes sorted by id, numbers in canonical form, each followed by a 0 byte —
 * which no JSON-decoded id contains unescaped — so fields cannot run into each other), so a message
 * delivered twice, even re-serialized with other whitespace or attribute order, gets the same id.
 * Two genuinely separate events with identical content and the same millisecond are, by this definition,
 * one event.
 */
final class CanonicalWriter {
    private static final HexFormat HEX = HexFormat.of();
    private final JsonFactory json = new JsonFactory();
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(512);
    private byte[] content = new byte[512];
    private int contentLength;

    /** The result of {@link #write}: the id (hex), its first 64 bits for de-duplication, the JSON bytes. */
    record Written(String eventId, long idBits, byte[] json) {
    }

    CanonicalWriter() {
    }

    Written write(RawElement e, Validation.Outcome ok) {
        Integer[] order = sortedAttributeOrder(e.attrNames);
        long[] h = digest(e, ok, order);
        String eventId = HEX.toHexDigits(h[0]) + HEX.toHexDigits(h[1]);
        long idBits = h[0];
        buffer.reset();
        try (JsonGenerator g = json.createGenerator(buffer, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("v", CanonicalEvent.VERSION);
            g.writeStringField("eventId", eventId);
            g.writeStringField("orgId", e.orgId);
            g.writeStringField("customerId", e.customerId);
            if (e.channel != null) {
                g.writeStringField("channel", e.channel);
            }
            if (ok.appType() != null) {
                g.writeStringField("appType", ok.appType().name());
            }
            g.writeStringField("eventCode", e.eventCode);
            g.writeObjectFieldStart("attributes");
            for (Integer i : order) {
                g.writeFieldName(e.attrNames[i]);
                if (ok.types()[i] == AttributeType.NUMBER) {
                    g.writeNumber(ok.values()[i]);
                } else {
                    g.writeString(ok.values()[i]);
                }
            }
            g.writeEndObject();
            g.writeNumberField("eventTime", e.eventTime);
            g.writeNumberField("ingestTime", e.ingestTime);
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // writing to memory
        }
        return new Written(eventId, idBits, buffer.toByteArray());
    }

    private long[] digest(RawElement e, Validation.Outcome ok, Integer[] order) {
        contentLength = 0;
        put(e.orgId);
        put(e.customerId);
        put(e.channel == null ? "" : e.channel);
        put(e.eventCode);
        put(Long.toString(e.eventTime));
        for (Integer i : order) {
            put(e.attrNames[i]);
            put(ok.values()[i]);
        }
        return Murmur3.hash128(content, contentLength, 0x51A9E7L);
    }

    private void put(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int need = contentLength + b.length + 1;
        if (need > content.length) {
            content = java.util.Arrays.copyOf(content, Math.max(need, content.length * 2));
        }
        System.arraycopy(b, 0, content, contentLength, b.length);
        contentLength += b.length;
        content[contentLength++] = 0;
    }

    private static final Integer[] NONE = new Integer[0];

    private static Integer[] sortedAttributeOrder(String[] names) {
        if (names.length == 0) {
            return NONE;
        }
        Integer[] order = new Integer[names.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (order.length > 1) {
            Arrays.sort(order, (a, b) -> names[a].compareTo(names[b]));
        }
        return order;
    }
}
