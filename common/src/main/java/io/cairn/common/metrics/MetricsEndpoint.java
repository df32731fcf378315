package io.cairn.common.metrics;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The {@code /metrics} endpoint of one process: the series of its registry in the Prometheus
 * text format, served on all interfaces (Prometheus scrapes from another host). Bound before
 * the server it measures starts, so a bad or used port fails the start with nothing running.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final HTTPServer server;

    private MetricsEndpoint(HTTPServer server) {
        this.server = server;
    }

    /** Serves {@code registry} on {@code port}; the message of a failure names the port and the fix. */
    public static MetricsEndpoint start(int port, PrometheusRegistry registry) throws CairnException {
        if (port < 1 || port > 65535) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "invalid metrics port " + port
                    + ": use a free port from 1 to 65535");
        }
        try {
            return new MetricsEndpoint(HTTPServer.builder().port(port).registry(registry).buildAndStart());
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "cannot serve metrics on port " + port + ": "
                    + e.getMessage() + " (is the port in use? pick another --metrics-port)", e);
        }
    }

    /** The registry's series as /metrics serves them (for tests and diagnostics). */
    public static String text(PrometheusRegistry registry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
