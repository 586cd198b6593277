package io.millrace.stack;

import io.millrace.pipeline.Service;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The local services of {@code ./millrace up}: an embedded Kafka broker, a PostgreSQL server, a Redis server
 * and an OpenSearch node, started together (in parallel) or one per process, then the change data capture of the pipelines
 * that read a database's changes; registered in {@code stack.json} while they run.
 */
public final class LocalStack implements AutoCloseable {

    /** Which services to start and on which ports. */
    public record Options(Set<Service> services, int kafkaPort, int kafkaControllerPort, int postgresPort, int redisPort,
            int searchPort) {

        public Options {
            services = services.isEmpty() ? EnumSet.noneOf(Service.class) : EnumSet.copyOf(services);
        }

        public static Options defaults() {
            return new Options(EnumSet.allOf(Service.class), 19092, 19093, 15432, 16379, LocalSearch.DEFAULT_PORT);
        }

        boolean has(Service service) {
            return services.contains(service);
        }
    }

    private final MillraceHome home;
    private final EmbeddedKafka kafka;
    private final LocalPostgres postgres;
    private final LocalRedis redis;
    private final LocalSearch search;
    private final PipelineCaptures captures;
    private final StackInfo info;

    private LocalStack(MillraceHome home, EmbeddedKafka kafka, LocalPostgres postgres, LocalRedis redis,
            LocalSearch search, PipelineCaptures captures, StackInfo info) {
        this.home = home;
        this.kafka = kafka;
        this.postgres = postgres;
        this.redis = redis;
        this.search = search;
        this.captures = captures;
        this.info = info;
    }

    public static LocalStack start(MillraceHome home, Options options) throws Exception {
        StackInfo running = StackInfo.read(home.stackFile()).live();
        for (Service service : options.services()) {
            if (running.has(service)) {
                throw new StackException(label(service) + " of this stack is already running; stop it with ./millrace down");
            }
        }
        if (options.has(Service.CAPTURE) && (!options.has(Service.KAFKA) && running.kafka() == null
                || !options.has(Service.POSTGRES) && running.postgres() == null)) {
            throw new StackException("the change data capture needs this stack's Kafka and PostgreSQL: start them first "
                    + "(./millrace up --only kafka,postgres) or together with it");
        }
        // Fail on a taken port before starting anything.
        if (options.has(Service.KAFKA)) {
            Ports.requireFree("Kafka", options.kafkaPort(), "--kafka-port");
            Ports.requireFree("Kafka's controller", options.kafkaControllerPort(), "--kafka-controller-port");
        }
        if (options.has(Service.POSTGRES)) {
            Ports.requireFree("PostgreSQL", options.postgresPort(), "--postgres-port");
        }
        if (options.has(Service.REDIS)) {
            Ports.requireFree("Redis", options.redisPort(), "--redis-port");
        }
        if (options.has(Service.SEARCH)) {
            Ports.requireFree("OpenSearch", options.searchPort(), "--search-port");
            LocalSearch.nodeLib(); // fails now, with directions, when the node is not built
        }
        CompletableFuture<LocalPostgres> pg = async(options.has(Service.POSTGRES),
                () -> LocalPostgres.start(home.postgresData(), options.postgresPort()));
        CompletableFuture<LocalRedis> rd = async(options.has(Service.REDIS),
                () -> LocalRedis.start(home.redisData(), options.redisPort()));
        // The slowest service (30–40 s): it starts in its own JVM while Kafka starts here.
        CompletableFuture<LocalSearch> sr = async(options.has(Service.SEARCH),
                () -> LocalSearch.start(home.searchData(), options.searchPort()));
        EmbeddedKafka broker = null;
        LocalPostgres database = null;
        LocalRedis redisServer = null;
        LocalSearch searchNode = null;
        PipelineCaptures captures = null;
        long pid = ProcessHandle.current().pid();
        String now = Instant.now().toString();
        try {
            if (options.has(Service.KAFKA)) {
                broker = EmbeddedKafka.start(home.kafkaData(), options.kafkaPort(), options.kafkaControllerPort());
            }
            database = joinUnwrapped(pg);
            redisServer = joinUnwrapped(rd);
            searchNode = joinUnwrapped(sr);
            if (options.has(Service.CAPTURE)) {
                String bootstrap = broker != null ? broker.bootstrapServers() : running.kafka().bootstrapServers();
                StackInfo.PostgresService server = database != null ? postgresService(pid, database, now) : running.postgres();
                captures = PipelineCaptures.start(home, bootstrap, server);
            }
        } catch (Exception e) {
            closeAll(broker, database != null ? database : done(pg), redisServer != null ? redisServer : done(rd),
                    searchNode != null ? searchNode : done(sr));
            throw e;
        }
        EmbeddedKafka startedKafka = broker;
        LocalPostgres startedPostgres = database;
        LocalRedis startedRedis = redisServer;
        LocalSearch startedSearch = searchNode;
        PipelineCaptures startedCaptures = captures;
        StackInfo info = StackInfo.update(home.stackFile(), current -> {
            StackInfo next = current.live();
            if (startedKafka != null) {
                next = next.withKafka(new StackInfo.KafkaService(pid, startedKafka.bootstrapServers(),
                        options.kafkaControllerPort(), now));
            }
            if (startedPostgres != null) {
                next = next.withPostgres(postgresService(pid, startedPostgres, now));
            }
            if (startedRedis != null) {
                next = next.withRedis(new StackInfo.RedisService(pid, startedRedis.serverPid().orElse(pid), "127.0.0.1",
                        startedRedis.port(), now));
            }
            if (startedSearch != null) {
                next = next.withSearch(new StackInfo.SearchService(pid, startedSearch.serverPid().orElse(pid),
                        startedSearch.url(), startedSearch.port(), now));
            }
            if (startedCaptures != null) {
                next = next.withCapture(new StackInfo.CaptureService(pid, startedCaptures.captured(), now));
            }
            return next;
        });
        return new LocalStack(home, broker, database, redisServer, searchNode, captures, info);
    }

    private static StackInfo.PostgresService postgresService(long pid, LocalPostgres database, String now) {
        return new StackInfo.PostgresService(pid, database.serverPid().orElse(pid), "127.0.0.1", database.port(),
                LocalPostgres.USER, LocalPostgres.DATABASE, database.jdbcUrl(), now);
    }

    static String label(Service service) {
        return switch (service) {
            case KAFKA -> "Kafka";
            case POSTGRES -> "PostgreSQL";
            case REDIS -> "Redis";
            case SEARCH -> "OpenSearch";
            case CAPTURE -> "The change data capture";
        };
    }

    private static <T> CompletableFuture<T> async(boolean wanted, Callable<T> start) {
        if (!wanted) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return start.call();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    /** What a start that was not waited for produced, once it is over, so it can be stopped. */
    private static <T> T done(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            return null;
        }
    }

    private static <T> T joinUnwrapped(CompletableFuture<T> future) throws Exception {
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

    /** The capture services' state, if this process runs them. */
    public List<ChangeDataCapture.Status> captureStatus() {
        return captures == null ? List.of() : captures.status();
    }

    @Override
    public void close() {
        long pid = ProcessHandle.current().pid();
        StackInfo.update(home.stackFile(), current -> current.without(pid));
        // The capture first: it writes to Kafka and reads PostgreSQL.
        closeAll(captures, kafka, redis, search, postgres);
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
