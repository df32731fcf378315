package io.cairn.client.fs;

import io.cairn.client.MetaClient;
import io.cairn.common.CairnException;
import io.cairn.common.DaemonThreads;
import io.cairn.proto.Credentials;
import io.cairn.proto.KeepAliveRequest;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.Recall;
import io.cairn.proto.SessionEvent;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This client's session with the meta leader: keep-alives that renew its client lease, and the
 * stream on which the leader recalls the directory leases it holds, opened again after a leader
 * change or a broken connection. A lease is used only while the session is surely alive at the
 * leader: less than half a client lease since the last keep-alive the leader answered.
 */
final class ClientSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
    private static final Credentials ROOT = Credentials.getDefaultInstance();

    private final MetaClient meta;
    private final Consumer<Recall> onRecall;
    private final LongSupplier nanoClock;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("cairn-session"));
    private volatile long renewedNanos = Long.MIN_VALUE;
    private volatile long leaseNanos = Duration.ofSeconds(10).toNanos();
    private volatile boolean streamOpen;
    private volatile boolean closed;

    ClientSession(MetaClient meta, Consumer<Recall> onRecall, LongSupplier nanoClock) {
        this.meta = meta;
        this.onRecall = onRecall;
        this.nanoClock = nanoClock;
    }

    void start() {
        timer.execute(this::tick);
    }

    /** Whether leases may be used now: the leader heard from this client well inside its lease, and can recall them. */
    boolean alive() {
        return streamOpen && nanoClock.getAsLong() - renewedNanos < leaseNanos / 2;
    }

    private void tick() {
        if (closed) {
            return;
        }
        long sent = nanoClock.getAsLong();
        try {
            long ms = meta.queryUnordered(ROOT, MetaQuery.newBuilder().setKeepAlive(KeepAliveRequest.newBuilder()
                    .setClientId(meta.clientId())).build()).getLease().getLeaseMs();
            leaseNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(ms, 1_000));
            renewedNanos = sent;
            if (!streamOpen) {
                open();
            }
        } catch (CairnException | RuntimeException e) {
            log.debug("session keep-alive failed: {}", e.toString());
        }
        if (!closed) {
            timer.schedule(this::tick, Math.max(100, TimeUnit.NANOSECONDS.toMillis(leaseNanos) / 5), TimeUnit.MILLISECONDS);
        }
    }

    private void open() {
        streamOpen = true;
        meta.openSession(new StreamObserver<>() {
            @Override
            public void onNext(SessionEvent e) {
                if (e.hasRecall()) {
                    onRecall.accept(e.getRecall());
                }
            }

            @Override
            public void onError(Throwable t) {
                ended("failed: " + t);
            }

            @Override
            public void onCompleted() {
                ended("ended by the server");
            }
        });
    }

    private void ended(String why) {
        streamOpen = false;
        log.debug("session stream {}; opening it again", why);
        if (!closed) {
            timer.schedule(this::tick, 50, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
    }
}
