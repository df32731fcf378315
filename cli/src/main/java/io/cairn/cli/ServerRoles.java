package io.cairn.cli;

import io.cairn.common.CairnException;
import io.cairn.common.metrics.MetricsEndpoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the server roles of one process ({@code cairn meta}, {@code node} or {@code server}) in the
 * foreground: one metrics registry and endpoint for all of them, the roles started in order, and
 * stopped in the reverse order on SIGTERM or Ctrl-C. If a role cannot start, the ones started
 * before it are stopped and its error is thrown (the process exits 1 with its one-line message).
 * The roles' gRPC servers and channels share gRPC's default Netty event loops and executor, one
 * set per process.
 */
final class ServerRoles {
    private static final Logger log = LoggerFactory.getLogger(ServerRoles.class);

    /** One role: starts with the process's metrics registry, and is stopped by closing what it returns. */
    @FunctionalInterface
    interface Role {
        AutoCloseable start(PrometheusRegistry registry) throws CairnException;
    }

    private ServerRoles() {
    }

    /** Starts the roles and waits until the process is asked to stop; {@code who} starts the log lines. */
    static int run(String who, MetricsOption metrics, List<Role> roles) throws CairnException, InterruptedException {
        PrometheusRegistry registry = new PrometheusRegistry();
        MetricsEndpoint endpoint = metrics.start(registry);
        List<AutoCloseable> started = new ArrayList<>();
        if (endpoint != null) {
            started.add(endpoint::close);
        }
        try {
            for (Role role : roles) {
                started.add(role.start(registry));
            }
        } catch (CairnException | RuntimeException e) {
            stop(who, started);
            throw e;
        }
        if (endpoint != null) {
            log.info("{} metrics on port {} at /metrics", who, endpoint.port());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop(who, started);
            stopped.countDown();
        }, "cairn-shutdown"));
        stopped.await();
        return 0;
    }

    /** Closes what was started, last first, each even if one before it failed. */
    private static void stop(String who, List<AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                log.warn("{} error while stopping", who, e);
            }
        }
    }
}
