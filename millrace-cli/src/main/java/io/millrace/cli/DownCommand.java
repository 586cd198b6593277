package io.millrace.cli;

import io.millrace.stack.LocalPostgres;
import io.millrace.stack.LocalRedis;
import io.millrace.stack.LocalSearch;
import io.millrace.stack.MillraceHome;
import io.millrace.stack.StackInfo;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code millrace down}: stops the processes that run the local stack. */
@Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the local stack started by ./millrace up.")
final class DownCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        MillraceHome home = MillraceHome.resolve();
        StackInfo info = StackInfo.read(home.stackFile());
        Set<Long> owners = new LinkedHashSet<>(info.owners());
        owners.removeIf(pid -> !StackInfo.isAlive(pid));
        for (long pid : owners) {
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isEmpty()) {
                continue;
            }
            out.println("Stopping the stack process " + pid + "...");
            out.flush();
            handle.get().destroy();
            try {
                handle.get().onExit().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                out.println("Process " + pid + " did not stop within 60 s; killing it.");
                handle.get().destroyForcibly();
            }
        }
        boolean orphan = LocalPostgres.stopOrphan(home.postgresData());
        if (orphan) {
            out.println("Stopped a PostgreSQL server left behind by a killed stack process.");
        }
        if (LocalRedis.stopOrphan(home.redisData())) {
            orphan = true;
            out.println("Stopped a Redis server left behind by a killed stack process.");
        }
        if (LocalSearch.stopOrphan(home.searchData())) {
            orphan = true;
            out.println("Stopped an OpenSearch node left behind by a killed stack process.");
        }
        StackInfo.update(home.stackFile(), StackInfo::live);
        if (owners.isEmpty() && !orphan) {
            out.println("The local stack is not running.");
        } else {
            out.println("The local stack is stopped (data kept in " + home.root() + ").");
        }
        return 0;
    }
}
