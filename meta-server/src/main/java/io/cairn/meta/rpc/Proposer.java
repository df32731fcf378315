package io.cairn.meta.rpc;

import io.cairn.common.Replies;
import io.cairn.common.DaemonThreads;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.ratis.RaftGateway;
import io.cairn.proto.MetaReply;
import io.cairn.proto.state.LogEntry;
import io.cairn.proto.state.LogReply;
import io.cairn.proto.state.LoggedMutation;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Group commit: mutations that arrive while earlier log entries are in flight are put into one
 * log entry together, so many clients cost one Raft round instead of one each. At most
 * {@code maxInFlight} entries are proposed at a time; each carries the leader's clock.
 *
 * <p>Ratis completes a write on its state machine updater thread. Replies and the next proposal
 * run on this proposer's own thread instead: calling back into Ratis, or into gRPC, from the
 * thread that applies the log would hold up every apply behind them.
 */
public final class Proposer {
    private record Pending(LoggedMutation mutation, CompletableFuture<MetaReply> reply) {
    }

    private final RaftGateway raft;
    private final Clock clock;
    private final int maxBatch;
    private final int maxInFlight;
    /** Told the size of every batch proposed (metrics). */
    private final IntConsumer onBatch;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final ExecutorService completions;
    private int inFlight;

    public Proposer(RaftGateway raft, Clock clock, int maxBatch, int maxInFlight) {
        this(raft, clock, maxBatch, maxInFlight, size -> { });
    }

    public Proposer(RaftGateway raft, Clock clock, int maxBatch, int maxInFlight, IntConsumer onBatch) {
        this.onBatch = onBatch;
        this.raft = raft;
        this.clock = clock;
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.completions = Executors.newSingleThreadExecutor(DaemonThreads.named("meta-proposer"));
    }

    /** Stops the completion thread; replies still pending are not sent. */
    public void close() {
        completions.shutdownNow();
    }

    public CompletableFuture<MetaReply> submit(LoggedMutation mutation) {
        CompletableFuture<MetaReply> reply = new CompletableFuture<>();
        synchronized (this) {
            queue.add(new Pending(mutation, reply));
        }
        drain();
        return reply;
    }

    private void drain() {
        while (true) {
            List<Pending> batch;
            synchronized (this) {
                if (inFlight >= maxInFlight || queue.isEmpty()) {
                    return;
                }
                batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
                while (batch.size() < maxBatch && !queue.isEmpty()) {
                    batch.add(queue.poll());
                }
                inFlight++;
            }
            propose(batch);
        }
    }

    private void propose(List<Pending> batch) {
        onBatch.accept(batch.size());
        LogEntry.Builder entry = LogEntry.newBuilder().setTimeNs(nowNs());
        for (Pending p : batch) {
            entry.addMutations(p.mutation());
        }
        raft.write(entry.build().toByteArray()).whenCompleteAsync((bytes, error) -> {
            synchronized (this) {
                inFlight--;
            }
            if (error != null) {
                MetaReply failed = failure(error);
                batch.forEach(p -> p.reply().complete(failed));
            } else {
                complete(batch, bytes);
            }
            drain();
        }, completions);
    }

    private static void complete(List<Pending> batch, byte[] bytes) {
        try {
            LogReply replies = LogReply.parseFrom(bytes);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).reply().complete(i < replies.getRepliesCount() ? replies.getReplies(i)
                        : failure(new CairnException(ErrorCode.INTERNAL, "log reply has too few results")));
            }
        } catch (Exception e) {
            MetaReply failed = failure(e);
            batch.forEach(p -> p.reply().complete(failed));
        }
    }

    private long nowNs() {
        var instant = clock.instant();
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    static MetaReply failure(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof CairnException ce) {
            return Replies.meta(ce);
        }
        return Replies.meta(new CairnException(ErrorCode.UNAVAILABLE, "metadata group unavailable: " + e));
    }
}
