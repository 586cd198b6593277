package io.millrace.sink;

import java.io.IOException;

/**
 * A request to OpenSearch that failed: the HTTP status (0 when no answer came) and the server's reason. Whether
 * it is worth repeating follows from the status: no answer, 429 (too many requests) and 5xx are transient.
 */
public final class SearchException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public SearchException(String message, int status) {
        super(message);
        this.status = status;
    }

    public SearchException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status, or 0 when the node did not answer (refused, reset, timed out). */
    public int status() {
        return status;
    }

    public boolean retryable() {
        return SearchBulk.retryable(status);
    }
}
