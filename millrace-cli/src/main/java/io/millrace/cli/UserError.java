package io.millrace.cli;

/** A problem the user can fix; printed as one line without a stack trace. */
final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserError(String message) {
        super(message);
    }
}
