package io.cairn.meta.rpc;

import com.google.protobuf.ByteString;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.namespace.DirLeases;
import io.cairn.meta.namespace.InodeReservations;
import io.cairn.meta.store.Records;
import io.cairn.meta.store.ReadView;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaReply;
import io.cairn.proto.Recall;
import io.cairn.proto.ReleaseLocksRequest;
import io.cairn.proto.SessionEvent;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the leader, the calls that wait for another client's lease on a directory or a file (any
 * lease for a change, an exclusive one for a read): each holder is told over its session stream
 * to send what it queued (a file's holder: to commit the length) and release; the call goes on once no other
 * client holds a lease it needs. A holder that has not released within the patience (the client
 * lease) has lost its session: its leases, locks and reserved inodes are released through the
 * log, and what it had not sent is lost, as a local file system loses what it had not written
 * back when the machine stops.
 */
public final class LeaseRecalls {
    private static final Logger log = LoggerFactory.getLogger(LeaseRecalls.class);

    private static final long RESEND_MS = 1_000;

    private final String id;
    private final Supplier<ReadView> committed;
    private final Function<MetaMutation, CompletableFuture<MetaReply>> propose;
    private final Clock clock;
    private final Duration patience;
    private final Map<ByteString, ServerCallStreamObserver<SessionEvent>> streams = new ConcurrentHashMap<>();
    private final List<Waiter> waiters = new ArrayList<>();

    private static final class Waiter {
        final ByteString requester;
        final Set<Long> inodes;
        final Set<Long> reads;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final long sinceMs;
        long recalledMs;  // 0: not yet

        Waiter(ByteString requester, Set<Long> inodes, Set<Long> reads, long sinceMs) {
            this.requester = requester;
            this.inodes = inodes;
            this.reads = reads;
            this.sinceMs = sinceMs;
        }
    }

    public LeaseRecalls(String id, Supplier<ReadView> committed, Function<MetaMutation, CompletableFuture<MetaReply>> propose,
                        Clock clock, Duration patience) {
        this.id = id;
        this.committed = committed;
        this.propose = propose;
        this.clock = clock;
        this.patience = patience;
    }

    /** The client's session stream: recalls of its leases go there (a newer stream replaces an older one). */
    public void open(ByteString client, ServerCallStreamObserver<SessionEvent> out) {
        ServerCallStreamObserver<SessionEvent> old = streams.put(client, out);
        out.setOnCancelHandler(() -> streams.remove(client, out));
        if (old != null) {
            synchronized (old) {
                old.onCompleted();
            }
        }
        recheck();  // recalls the client missed while it had no stream
    }

    /**
     * Done when no client other than {@code requester} holds a lease on one of {@code changed}
     * (exclusive or shared) nor an exclusive lease on one of {@code read}.
     */
    public CompletableFuture<Void> clear(ByteString requester, Set<Long> changed, Set<Long> read) {
        if ((changed.isEmpty() && read.isEmpty()) || conflicts(committed.get(), requester, changed, read).isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Waiter w = new Waiter(requester, changed, read, clock.millis());
        synchronized (waiters) {
            waiters.add(w);
        }
        recheck();
        return w.done;
    }

    public boolean waiting() {
        synchronized (waiters) {
            return !waiters.isEmpty();
        }
    }

    /** Goes over the waiting calls: releases those whose leases are gone, recalls the rest. */
    public void recheck() {
        List<Waiter> now;
        synchronized (waiters) {
            if (waiters.isEmpty()) {
                return;
            }
            now = new ArrayList<>(waiters);
        }
        ReadView v = committed.get();
        long nowMs = clock.millis();
        Set<ByteString> overdue = new HashSet<>();
        for (Waiter w : now) {
            Map<Long, Set<ByteString>> held = conflicts(v, w.requester, w.inodes, w.reads);
            if (held.isEmpty()) {
                finish(w, null);
                continue;
            }
            if (nowMs - w.sinceMs > 2 * patience.toMillis()) {
                finish(w, new CairnException(ErrorCode.LEASED, "an inode this call needs is still leased to another "
                        + "client after " + patience.multipliedBy(2) + "; retry"));
                continue;
            }
            boolean resend = nowMs - w.recalledMs >= RESEND_MS;  // a recall the holder missed (a new stream) is sent again
            if (resend) {
                w.recalledMs = nowMs;
            }
            for (Map.Entry<Long, Set<ByteString>> e : held.entrySet()) {
                for (ByteString holder : e.getValue()) {
                    if (resend) {
                        send(holder, e.getKey());
                    }
                    if (nowMs - w.sinceMs > patience.toMillis()) {
                        overdue.add(holder);
                    }
                }
            }
        }
        for (ByteString holder : overdue) {
            forceRelease(holder);
        }
    }

    private final Set<ByteString> forcing = ConcurrentHashMap.newKeySet();

    private void forceRelease(ByteString holder) {
        if (!forcing.add(holder)) {
            return;
        }
        log.warn("{} client {} did not answer a lease recall within {}: ending its session (its leases, locks and "
                + "unsent changes go)", id, HexFormat.of().formatHex(holder.toByteArray()), patience);
        propose.apply(MetaMutation.newBuilder().setReleaseLocks(ReleaseLocksRequest.newBuilder().setClientId(holder)).build())
                .whenComplete((r, e) -> {
                    forcing.remove(holder);
                    recheck();
                });
    }

    private void send(ByteString holder, long inode) {
        ServerCallStreamObserver<SessionEvent> out = streams.get(holder);
        if (out == null) {
            return;  // not connected: it cannot be told, and loses its session after the patience
        }
        int volume = DirLeases.volumeOf(committed.get(), inode);
        try {
            synchronized (out) {
                out.onNext(SessionEvent.newBuilder().setRecall(Recall.newBuilder().setVolumeId(volume).setInode(inode)).build());
            }
        } catch (RuntimeException e) {
            streams.remove(holder, out);
            log.debug("{} recall to a closed session stream failed: {}", id, e.toString());
        }
    }

    private void finish(Waiter w, CairnException failure) {
        synchronized (waiters) {
            waiters.remove(w);
        }
        if (failure == null) {
            w.done.complete(null);
        } else {
            w.done.completeExceptionally(failure);
        }
    }

    private static Map<Long, Set<ByteString>> conflicts(ReadView v, ByteString requester, Set<Long> changed,
                                                        Set<Long> read) {
        Map<Long, Set<ByteString>> out = new java.util.LinkedHashMap<>();
        for (long inode : changed) {
            Set<ByteString> h = DirLeases.conflicts(v, requester, inode, false);
            if (!h.isEmpty()) {
                out.put(inode, h);
            }
        }
        for (long inode : read) {
            Set<ByteString> h = DirLeases.conflicts(v, requester, inode, true);
            if (!h.isEmpty()) {
                out.computeIfAbsent(inode, k -> new java.util.LinkedHashSet<>()).addAll(h);
            }
        }
        // A number another client reserved and has not used yet names what that client made
        // ahead and not sent (a caller learned it from that client): its exclusive leases are
        // recalled, which sends its queue, before the call goes on.
        Set<Long> all = new java.util.LinkedHashSet<>(changed);
        all.addAll(read);
        for (long inode : all) {
            if (Records.inode(v, inode) != null) {
                continue;
            }
            Optional<ByteString> maker = InodeReservations.reserver(v, inode);
            if (maker.isPresent() && !maker.get().equals(requester)) {
                for (long dir : DirLeases.exclusiveOf(v, maker.get())) {
                    out.computeIfAbsent(dir, k -> new java.util.LinkedHashSet<>()).add(maker.get());
                }
            }
        }
        return out;
    }

    /** Ends every session stream: this server is no longer the leader, or stops. */
    public void closeAll() {
        for (ServerCallStreamObserver<SessionEvent> out : streams.values()) {
            try {
                synchronized (out) {
                    out.onCompleted();
                }
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
        streams.clear();
    }
}
