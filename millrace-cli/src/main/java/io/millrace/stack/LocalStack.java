package io.millrace.stack;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The local services of {@code ./millrace up}: an embedded Kafka broker and a PostgreSQL server, started
 * together (in parallel) or one per process, registered in {@code stack.json} while they run.
 */
public final class LocalStack implements AutoCloseable {

    /** Which services to start and on which ports. */
    public record Options(boolean kafka, boolean postgres, int kafkaPort, int kafkaControllerPort, int postgresPort) {

        public static Options defaults() {
            return new Options(true, true, 19092, 19093, 15432);
        }
    }

    private final MillraceHome home;
    private final EmbeddedKafka kafka;
    private final LocalPostgres postgres;
    private final StackInfo info;

    private LocalStack(MillraceHome home, EmbeddedKafka kafka, LocalPostgres postgres, StackInfo info) {
        this.home = home;
        this.kafka = kafka;
        this.postgres = postgres;
        this.info = info;
    }

    public static LocalStack start(MillraceHome home, Options options) throws Exception {
        StackInfo running = StackInfo.read(home.stackFile()).live();
        if (options.kafka() && running.kafka() != null) {
            throw new StackException("Kafka of this stack is already running (pid " + running.kafka().pid()
                    + ", " + running.kafka().bootstrapServers() + "); stop it with ./millrace down");
        }
        if (options.postgres() && running.postgres() != null) {
            throw new StackException("PostgreSQL of this stack is already running (pid " + running.postgres().pid()
                    + ", port " + running.postgres().port() + "); stop it with ./millrace down");
        }
        // Fail on a taken port before starting anything.
        if (options.kafka()) {
            Ports.requireFree("Kafka", options.kafkaPort(), "--kafka-port");
            Ports.requireFree("Kafka's controller", options.kafkaControllerPort(), "--kafka-controller-port");
        }
        if (options.postgres()) {
            Ports.requireFree("PostgreSQL", options.postgresPort(), "--postgres-port");
        }
        CompletableFuture<LocalPostgres> pg = options.postgres()
                ? CompletableFuture.supplyAsync(() -> {
                    try {
                        return LocalPostgres.start(home.postgresData(), options.postgresPort());
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                })
                : CompletableFuture.completedFuture(null);
        EmbeddedKafka broker = null;
        LocalPostgres database;
        try {
            if (options.kafka()) {
                broker = EmbeddedKafka.start(home.kafkaData(), options.kafkaPort(), options.kafkaControllerPort());
            }
            database = joinUnwrapped(pg);
        } catch (Exception e) {
            closeAll(broker, pg.isDone() && !pg.isCompletedExceptionally() ? pg.join() : null);
            throw e;
        }
        long pid = ProcessHandle.current().pid();
        String now = Instant.now().toString();
        EmbeddedKafka startedKafka = broker;
        StackInfo info = StackInfo.update(home.stackFile(), current -> {
            StackInfo next = current.live();
            if (startedKafka != null) {
                next = next.withKafka(new StackInfo.KafkaService(pid, startedKafka.bootstrapServers(),
                        options.kafkaControllerPort(), now));
            }
            if (database != null) {
                next = next.withPostgres(new StackInfo.PostgresService(pid, database.serverPid().orElse(pid), "127.0.0.1",
                        database.port(), LocalPostgres.USER, LocalPostgres.DATABASE, database.jdbcUrl(), now));
            }
            return next;
        });
        return new LocalStack(home, broker, database, info);
    }

    private static LocalPostgres joinUnwrapped(CompletableFuture<LocalPostgres> future) throws Exception {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    public StackInfo info() {
        return info;
    }

    @Override
    public void close() {
        long pid = ProcessHandle.current().pid();
        StackInfo.update(home.stackFile(), current -> new StackInfo(
                current.kafka() != null && current.kafka().pid() == pid ? null : current.kafka(),
                current.postgres() != null && current.postgres().pid() == pid ? null : current.postgres()));
        closeAll(kafka, postgres);
    }

    private static void closeAll(AutoCloseable... services) {
        List<Exception> failures = new ArrayList<>();
        for (AutoCloseable service : services) {
            if (service != null) {
                try {
                    service.close();
                } catch (Exception e) {
                    failures.add(e);
                }
            }
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("stopping the stack failed: " + failures.get(0).getMessage());
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }
}
