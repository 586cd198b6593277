package io.millrace.stack;

/** A service cannot start because its port is taken; the message names the flag that changes it. */
public final class PortInUseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PortInUseException(String service, int port, String flag) {
        super(service + " cannot listen on 127.0.0.1:" + port + ": the port is already in use. "
                + "Stop whatever uses it (a stack already running? try ./millrace status) or choose another port with "
                + flag + ".");
    }
}
