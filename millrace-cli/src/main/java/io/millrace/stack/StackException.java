package io.millrace.stack;

/** The local stack cannot do what was asked, for a reason the user can act on (the message says how). */
public final class StackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StackException(String message) {
        super(message);
    }
}
