package io.millrace.stack;

import io.millrace.pipeline.Service;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Starts {@code millrace up} as a background process in its own session (so a Ctrl-C aimed at the
 * terminal does not reach it) and waits until its services are registered and alive.
 */
public final class StackLauncher {

    private StackLauncher() {}

    public static StackInfo startDetached(MillraceHome home, List<String> upArguments, Set<Service> services,
            Duration timeout) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("up"));
        args.addAll(upArguments);
        Process process = MillraceProcess.start(home, "stack", args);
        return awaitServices(home, process, "stack", services, timeout);
    }

    /** Waits until the services are registered in {@code stack.json} and alive, or the process dies. */
    public static StackInfo awaitServices(MillraceHome home, Process process, String logName, Set<Service> services,
            Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            StackInfo info = StackInfo.read(home.stackFile()).live();
            if (services.stream().allMatch(info::has)) {
                return info;
            }
            if (!process.isAlive()) {
                throw new StackException("the stack process exited with code " + process.exitValue() + ":\n"
                        + MillraceProcess.tail(home, logName, 15));
            }
            Thread.sleep(200);
        }
        process.destroy();
        throw new StackException("the stack did not come up within " + timeout.toSeconds() + " s; see "
                + home.logs().resolve(logName + ".out") + ":\n" + MillraceProcess.tail(home, logName, 15));
    }
}
