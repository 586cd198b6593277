package io.millrace.searchnode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * A single-node OpenSearch 2.19 on 127.0.0.1, run as its own process by the local stack:
 * {@code SearchNode DATA_DIR HTTP_PORT}. It runs until SIGTERM, on which it closes the node (flushing its
 * translog), so the next start on the same directory sees every acknowledged write.
 */
public final class SearchNode {

    private SearchNode() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: SearchNode DATA_DIR HTTP_PORT");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        Files.createDirectories(dataDir);
        OpenSearchRunner runner = new OpenSearchRunner();
        // No port probing: the port is the one asked for, and binding it fails loudly if it is taken.
        runner.setMaxHttpPort(-1);
        runner.onBuild((number, settings) -> {
            // One node that elects itself: no initial cluster-manager list (the two cannot be combined).
            settings.put("discovery.type", "single-node");
            settings.put("network.host", "127.0.0.1");
            settings.put("http.host", "127.0.0.1");
            settings.put("http.port", Integer.toString(port));
            settings.put("transport.host", "127.0.0.1");
            // Transport is only this node talking to itself; a range so several stacks can coexist.
            settings.put("transport.port", "19300-19399");
            // A laptop's disk is often more than 90 % full; the default watermarks would make every index
            // read-only, which looks like a sink failure.
            settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
            settings.put("action.auto_create_index", "true");
        }).build(OpenSearchRunner.newConfigs()
                .basePath(dataDir.toString())
                .numOfNode(1)
                .baseHttpPort(port - 1)
                .clusterName("millrace")
                .disableESLogger()
                .printOnFailure());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (IOException e) {
                System.err.println("closing the search node failed: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "search-node-shutdown"));
        System.out.println("millrace search node: http://127.0.0.1:" + port + " (data in " + dataDir + ")");
        System.out.flush();
        stopped.await();
    }
}
