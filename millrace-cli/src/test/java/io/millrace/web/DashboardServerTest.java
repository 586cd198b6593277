package io.millrace.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.stack.PortInUseException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The dashboard's server without a pipeline: loopback only, its files from the jar, clear errors. */
class DashboardServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageItsScriptAndTheChartLibraryFromTheJarOnLoopback() throws Exception {
        try (DashboardServer server = DashboardServer.start(0, "--dashboard-port")) {
            assertThat(server.url()).startsWith("http://127.0.0.1:");

            assertThat(get(server.url()).body()).contains("<title>Millrace dashboard</title>", "/uplot/uPlot.iife.min.js");
            assertThat(get(server.url("payments")).statusCode()).isEqualTo(200);
            assertThat(get(server.url() + "dashboard.js").body()).contains("millraceDashboard");
            assertThat(get(server.url() + "dashboard.css").statusCode()).isEqualTo(200);
            HttpResponse<String> uplot = get(server.url() + "uplot/uPlot.iife.min.js");
            assertThat(uplot.statusCode()).isEqualTo(200);
            assertThat(uplot.body()).contains("uPlot");
            assertThat(get(server.url() + "uplot/uPlot.min.css").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void apiListsNoPipelineUntilOneIsWatchedAndAnswers404ForAnUnknownOne() throws Exception {
        try (DashboardServer server = DashboardServer.start(0, "--dashboard-port")) {
            HttpResponse<String> list = get(server.url() + "api/pipelines");
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).isEqualTo("[]");

            HttpResponse<String> unknown = get(server.url() + "api/pipelines/nope");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("no such pipeline");
            assertThat(get(server.url() + "secrets.txt").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aTakenPortIsAnErrorNamingTheOptionThatChangesIt() throws Exception {
        try (DashboardServer first = DashboardServer.start(0, "--dashboard-port")) {
            int port = URI.create(first.url()).getPort();

            assertThatThrownBy(() -> DashboardServer.start(port, "--dashboard-port"))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("--dashboard-port");
        }
    }
}
