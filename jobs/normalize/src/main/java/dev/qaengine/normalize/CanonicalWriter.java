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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Writes a validated message as a canonical event (state-schemas/canonical-event-v1.schema.json) and
 * computes its event id. Not thread-safe: one per operator instance.
 *
 * <p>The event id is the first 128 bits of SHA-256 over the message's content in a fixed form (org,
 * customer, channel, code, time, attributes sorted by id, numbers in canonical form), so a message
 * delivered twice, even re-serialized with other whitespace or attribute order, gets the same id.
 * Two genuinely separate events with identical content and the same millisecond are, by this definition,
 * one event.
 */
final class CanonicalWriter {
    private static final HexFormat HEX = HexFormat.of();
    private final JsonFactory json = new JsonFactory();
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(512);
    private final MessageDigest sha256;
    private final byte[] sep = {0};

    /** The result of {@link #write}: the id (hex), its first 64 bits for de-duplication, the JSON bytes. */
    record Written(String eventId, long idBits, byte[] json) {
    }

    CanonicalWriter() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    Written write(RawElement e, Validation.Outcome ok) {
        Integer[] order = sortedAttributeOrder(e.attrNames);
        byte[] digest = digest(e, ok, order);
        String eventId = HEX.formatHex(digest, 0, 16);
        long idBits = 0;
        for (int i = 0; i < 8; i++) {
            idBits = (idBits << 8) | (digest[i] & 0xFF);
        }
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

    private byte[] digest(RawElement e, Validation.Outcome ok, Integer[] order) {
        MessageDigest md = sha256;
        md.reset();
        put(md, e.orgId);
        put(md, e.customerId);
        put(md, e.channel == null ? "" : e.channel);
        put(md, e.eventCode);
        put(md, Long.toString(e.eventTime));
        for (Integer i : order) {
            put(md, e.attrNames[i]);
            put(md, ok.values()[i]);
        }
        return md.digest();
    }

    private void put(MessageDigest md, String s) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
        md.update(sep);
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
