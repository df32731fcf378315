package io.cairn.cli;

import io.cairn.common.CairnException;
import io.cairn.common.metrics.MetricsEndpoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import picocli.CommandLine.Option;

/** {@code --metrics-port PORT} of the server processes. */
final class MetricsOption {
    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve Prometheus metrics on http://HOST:PORT/metrics on every interface (default: off).")
    Integer port;

    /** Binds the endpoint before the server starts, so a bad or used port fails with nothing running; null if off. */
    MetricsEndpoint start(PrometheusRegistry registry) throws CairnException {
        return port == null ? null : MetricsEndpoint.start(port, registry);
    }
}
