package io.millrace.codec;

/** A record that cannot become an event; its message is the reason written to the dead-letter topic. */
public final class InvalidRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidRecordException(String reason) {
        super(reason, null, false, false);
    }
}
