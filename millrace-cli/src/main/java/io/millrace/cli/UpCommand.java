package io.millrace.cli;

import io.millrace.pipeline.Service;
import io.millrace.stack.LocalStack;
import io.millrace.stack.MillraceHome;
import io.millrace.stack.StackInfo;
import io.millrace.stack.StackLauncher;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code millrace up}: the local stack in the foreground (or in the background with --detach). */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the local stack on 127.0.0.1, data under .millrace/ (MILLRACE_HOME): an embedded Kafka "
                + "broker (KRaft), PostgreSQL, Redis, an OpenSearch node (its own JVM; 30-40 s to start), and the change "
                + "data capture (Debezium) of the pipelines that read a database's changes. Runs until Ctrl-C, or in the "
                + "background with --detach.")
final class UpCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--kafka-port", defaultValue = "19092", description = "Kafka listener port (default: ${DEFAULT-VALUE})")
    int kafkaPort;

    @Option(names = "--kafka-controller-port", defaultValue = "19093",
            description = "Kafka KRaft controller port (default: ${DEFAULT-VALUE})")
    int kafkaControllerPort;

    @Option(names = "--postgres-port", defaultValue = "15432", description = "PostgreSQL port (default: ${DEFAULT-VALUE})")
    int postgresPort;

    @Option(names = "--redis-port", defaultValue = "16379", description = "Redis port (default: ${DEFAULT-VALUE})")
    int redisPort;

    @Option(names = "--search-port", defaultValue = "19200", description = "OpenSearch HTTP port (default: ${DEFAULT-VALUE})")
    int searchPort;

    @Option(names = "--only", paramLabel = "SERVICES", split = ",",
            description = "start only these services (comma-separated): kafka, postgres, redis, search, capture; the capture "
                    + "needs Kafka and PostgreSQL, started here or already running")
    List<String> only;

    @Option(names = "--detach", description = "start in the background and return once the services are up; "
            + "stop with ./millrace down")
    boolean detach;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        MillraceHome home = MillraceHome.resolve();
        Set<Service> services = services(only);
        if (detach) {
            List<String> args = new ArrayList<>(List.of("--kafka-port", Integer.toString(kafkaPort),
                    "--kafka-controller-port", Integer.toString(kafkaControllerPort),
                    "--postgres-port", Integer.toString(postgresPort), "--redis-port", Integer.toString(redisPort),
                    "--search-port", Integer.toString(searchPort)));
            if (only != null) {
                args.addAll(List.of("--only", String.join(",", only)));
            }
            out.println("Starting the local stack in the background...");
            out.flush();
            StackInfo info = StackLauncher.startDetached(home, args, services, Duration.ofSeconds(180));
            printEndpoints(out, home, info);
            out.println("It runs in the background (log: " + home.logs().resolve("stack.out") + "). Stop it with ./millrace down.");
            return 0;
        }
        LocalStack stack = LocalStack.start(home, new LocalStack.Options(services, kafkaPort, kafkaControllerPort,
                postgresPort, redisPort, searchPort));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping the local stack...");
            out.flush();
            try {
                stack.close();
            } finally {
                out.println("Stopped.");
                out.flush();
                stopped.countDown();
            }
        }, "millrace-stack-shutdown"));
        printEndpoints(out, home, stack.info());
        out.println("Press Ctrl-C to stop (or run ./millrace down).");
        out.flush();
        stopped.await();
        return 0;
    }

    /** The services {@code --only} names (all without it). */
    static Set<Service> services(List<String> only) {
        if (only == null || only.isEmpty()) {
            return EnumSet.allOf(Service.class);
        }
        Set<Service> services = EnumSet.noneOf(Service.class);
        for (String name : only) {
            try {
                services.add(Service.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new UserError("--only takes kafka, postgres, redis, search or capture (comma-separated), got '" + name + "'");
            }
        }
        return services;
    }

    static void printEndpoints(PrintWriter out, MillraceHome home, StackInfo info) {
        out.println("Millrace local stack is up (data in " + home.root() + ")");
        info.kafkaService().ifPresent(k -> out.printf("  Kafka       %s%n", k.bootstrapServers()));
        info.postgresService().ifPresent(p -> out.printf("  PostgreSQL  %s  (user %s; %s)%n", p.jdbcUrl(), p.user(),
                p.psqlCommand()));
        info.redisService().ifPresent(r -> out.printf("  Redis       %s:%d%n", r.host(), r.port()));
        info.searchService().ifPresent(s -> out.printf("  OpenSearch  %s  (log: %s)%n", s.url(),
                home.searchData().resolve("search.log")));
        info.captureService().ifPresent(c -> c.pipelines().forEach(p -> out.printf(
                "  Capture     %s: %s -> %s  (slot %s)%n", p.pipeline(), p.jdbcUrl(), String.join(", ", p.topics()), p.slot())));
        out.println("Endpoints written to " + home.stackFile());
        out.flush();
    }
}
