package io.millrace.pipeline.engagement;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.codec.InvalidRecordException;
import io.millrace.codec.RecordDecoder;
import io.millrace.codec.RecordOrigin;

/**
 * Decodes a captured change of the {@code content} table: a snapshot read, an insert or an update gives the
 * row as it now is (id, type and a length that is absent or not negative), a delete gives its id only.
 */
public final class ContentChangeDecoder implements RecordDecoder<ContentChange> {
    private static final long serialVersionUID = 1L;

    @Override
    public ContentChange decode(byte[] value, RecordOrigin origin) throws InvalidRecordException {
        ChangeEnvelope change = ChangeEnvelope.read(value);
        if (change.heartbeat()) {
            return ContentChange.heartbeat(change.commitTs());
        }
        switch (change.op()) {
            case "r", "c", "u" -> {
                JsonNode row = change.after();
                if (row == null) {
                    throw new InvalidRecordException("content change '" + change.op() + "' without 'after'");
                }
                return new ContentChange(ChangeEnvelope.text(row, "id"), ChangeEnvelope.optionalText(row, "slug"),
                        ChangeEnvelope.optionalText(row, "title"), ChangeEnvelope.text(row, "content_type"),
                        ChangeEnvelope.optionalCount(row, "length_seconds"), false, change.commitTs(), change.lsn(), false);
            }
            case "d" -> {
                JsonNode row = change.before();
                if (row == null) {
                    throw new InvalidRecordException("content delete without 'before'");
                }
                return new ContentChange(ChangeEnvelope.text(row, "id"), null, null, null, null, true, change.commitTs(),
                        change.lsn(), false);
            }
            default -> throw new InvalidRecordException("unknown change operation '" + change.op() + "'");
        }
    }
}
