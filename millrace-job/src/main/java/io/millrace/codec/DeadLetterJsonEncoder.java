package io.millrace.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import io.millrace.model.DeadLetter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Encodes a dead letter as the JSON value of a {@code <pipeline>.dlq} record: origin, error, and the raw
 * bytes in base64 (exact) plus as text when they are valid UTF-8 (readable).
 */
public final class DeadLetterJsonEncoder {

    private DeadLetterJsonEncoder() {}

    public static byte[] encode(DeadLetter letter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (letter.value() == null ? 0 : letter.value().length * 2));
        try (JsonGenerator json = JsonFields.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("pipeline", letter.pipeline());
            json.writeStringField("source_topic", letter.sourceTopic());
            json.writeNumberField("partition", letter.partition());
            json.writeNumberField("offset", letter.offset());
            json.writeStringField("error", letter.error());
            json.writeStringField("detected_at", Instant.ofEpochMilli(letter.detectedAt()).toString());
            writeBytes(json, "key", letter.key());
            writeBytes(json, "value", letter.value());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeBytes(JsonGenerator json, String name, byte[] bytes) throws IOException {
        if (bytes == null) {
            json.writeNullField(name + "_base64");
            return;
        }
        json.writeStringField(name + "_base64", Base64.getEncoder().encodeToString(bytes));
        String text = utf8OrNull(bytes);
        if (text != null) {
            json.writeStringField(name + "_text", text);
        }
    }

    private static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
