package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn meta} and {@code cairn node} as real processes started from config files with
 * {@code --metrics-port}: /metrics answers in the Prometheus text format with the named series,
 * and they follow what the pool does (a probed node is up, mutations are counted, bricks appear).
 */
class MetricsIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path tmp;

    @BeforeAll
    static void jarIsCurrent() throws Exception {
        Cli.markJarCurrent();
    }

    static String scrape(int port) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (Exception e) {
            return "";
        }
    }

    /** The value of one sample ({@code name} with its labels as written, e.g. {@code x{a="b"}}), if present. */
    static OptionalDouble sample(String text, String series) {
        return text.lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).findFirst();
    }

    static double awaitSample(int port, String series, java.util.function.DoublePredicate ok) {
        double[] seen = {Double.NaN};
        Awaitility.await(series + " on port " + port).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    OptionalDouble v = sample(scrape(port), series);
                    if (v.isPresent()) {
                        seen[0] = v.getAsDouble();
                    }
                    return v.isPresent() && ok.test(v.getAsDouble());
                });
        return seen[0];
    }

    /** Waits for a line the process logs once it serves (its servers listen, then the metrics line). */
    static void awaitLog(Process p, String text) throws Exception {
        Awaitility.await("the process serving").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.readString(Cli.errFile(p)).contains(text) || !p.isAlive());
        assertThat(p.isAlive()).as(Files.readString(Cli.errFile(p))).isTrue();
    }

    @Test
    void metaAndNodeServeTheirSeriesAndAUsedPortIsRefused() throws Exception {
        int metaPort = FreePorts.pair();
        int metaMetrics = FreePorts.pair();
        String metaAddress = "127.0.0.1:" + metaPort;
        Path metaConf = Files.write(tmp.resolve("meta.conf"), List.of("# one meta server", "id = m1",
                "peers = m1=" + metaAddress, "data = " + tmp.resolve("meta"), "node-down-timeout = 20s"));
        Process meta = Cli.start("meta", "--config", metaConf.toString(), "--metrics-port", String.valueOf(metaMetrics));
        Process node = null;
        try {
            awaitLog(meta, "metrics on port");
            assertThat(awaitSample(metaMetrics, "cairn_meta_raft_leader", v -> v == 1)).isEqualTo(1);
            assertThat(Files.readString(Cli.errFile(meta))).contains("m1 effective configuration: ",
                    "node-down-timeout=20s (" + metaConf + ":5)", "metrics-port=" + metaMetrics + " (flag)", "node-out-timeout=10m");

            int nodePort = FreePorts.pair();
            int nodeMetrics = FreePorts.pair();
            String nodeAddress = "127.0.0.1:" + nodePort;
            Path nodeConf = Files.write(tmp.resolve("node.conf"), List.of("listen = " + nodeAddress, "meta = " + metaAddress,
                    "metrics-port = " + nodeMetrics, "heartbeat-interval = 1s"));
            node = Cli.start("node", "--config", nodeConf.toString(), "--data", tmp.resolve("node").toString());
            awaitLog(node, "metrics on port");
            assertThat(sample(scrape(nodeMetrics), "cairn_node_replica_report_pending")).isPresent();

            Cli admin = Cli.withMeta(metaAddress);
            Cli.Result probe = admin.run("peer", "probe", nodeAddress);
            assertThat(probe.code()).as(probe.toString()).isZero();
            Path brick = Files.createDirectories(tmp.resolve("brick"));
            Cli.Result create = admin.run("volume", "create", "v1", "replica", "1", nodeAddress + ":" + brick, "force");
            assertThat(create.code()).as(create.toString()).isZero();

            assertThat(awaitSample(metaMetrics, "cairn_meta_nodes{state=\"up\"}", v -> v == 1)).isEqualTo(1);
            String m = scrape(metaMetrics);
            assertThat(sample(m, "cairn_meta_nodes{state=\"out\"}")).hasValue(0);
            assertThat(sample(m, "cairn_meta_mutations_total").orElseThrow()).as(m).isGreaterThanOrEqualTo(2);
            assertThat(sample(m, "cairn_meta_raft_applied_index").orElseThrow()).as(m).isGreaterThanOrEqualTo(2);
            assertThat(sample(m, "cairn_meta_proposer_batch_mutations_count").orElseThrow()).as(m).isPositive();
            assertThat(sample(m, "cairn_meta_queries_total").orElseThrow()).as(m).isPositive();
            assertThat(sample(m, "cairn_meta_repair_pending_chunks{volume=\"v1\"}")).as(m).hasValue(0);
            assertThat(sample(m, "cairn_meta_repair_failed_chunks_total{volume=\"v1\"}")).as(m).hasValue(0);
            assertThat(m).contains("# HELP cairn_meta_raft_leader ", "# TYPE cairn_meta_mutations_total counter");

            String brickLabel = "{brick=\"" + brick + "\"}";
            assertThat(awaitSample(nodeMetrics, "cairn_node_brick_capacity_bytes" + brickLabel, v -> v > 0)).isPositive();
            String n = scrape(nodeMetrics);
            assertThat(sample(n, "cairn_node_brick_free_bytes" + brickLabel).orElseThrow()).as(n).isPositive();
            assertThat(sample(n, "cairn_node_written_bytes_total")).as(n).hasValue(0);
            assertThat(sample(n, "cairn_node_scrubbed_replicas_total")).as(n).hasValue(0);
            assertThat(sample(n, "cairn_node_corrupt_replicas_total")).as(n).hasValue(0);

            Cli.Result taken = Cli.launch(60, "node", "--config", nodeConf.toString(), "--data", tmp.resolve("n2").toString(),
                    "--listen", "127.0.0.1:" + FreePorts.pair());
            assertThat(taken.code()).as(taken.toString()).isEqualTo(1);
            assertThat(taken.err().lines().filter(l -> l.startsWith("cairn: ")).toList()).as(taken.toString())
                    .containsExactly("cairn: cannot serve metrics on port " + nodeMetrics
                            + ": Address already in use (is the port in use? pick another --metrics-port)");
        } finally {
            if (node != null) {
                node.destroy();
                node.waitFor(30, TimeUnit.SECONDS);
                node.destroyForcibly();
            }
            meta.destroy();
            meta.waitFor(30, TimeUnit.SECONDS);
            meta.destroyForcibly();
        }
    }
}
