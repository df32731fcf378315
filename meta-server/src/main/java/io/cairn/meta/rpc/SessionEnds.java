package io.cairn.meta.rpc;

import com.google.protobuf.ByteString;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.namespace.ChunkOps;
import io.cairn.meta.namespace.FileLeases;
import io.cairn.meta.repair.ReplicaLengths;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkLength;
import io.cairn.proto.CommitWriteRequest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaReply;
import io.cairn.proto.Replica;
import io.cairn.proto.state.InodeRecord;
import io.cairn.proto.state.VolumeRecord;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the leader, the end of a client's session (its {@code ReleaseLocks}, proposed when the client
 * went silent or did not answer a recall): first the files whose length it held
 * ({@link FileLeases}) get the lengths their replicas hold committed, so that nothing it made
 * durable with fdatasync is lost with it; then its leases, locks and reserved inode numbers go.
 *
 * <p>A chunk's length is the shortest its answering replicas of the current epoch hold: each
 * of them has every write that was acknowledged. A file none of whose replicas answer keeps its
 * lease (and the client stays a holder), so the next round tries again.
 */
public final class SessionEnds {
    private static final Logger log = LoggerFactory.getLogger(SessionEnds.class);

    private final String id;
    private final Supplier<ReadView> committed;
    private final ReplicaLengths lengths;
    private final Function<MetaMutation, CompletableFuture<MetaReply>> propose;

    public SessionEnds(String id, Supplier<ReadView> committed, ReplicaLengths lengths,
                       Function<MetaMutation, CompletableFuture<MetaReply>> propose) {
        this.id = id;
        this.committed = committed;
        this.lengths = lengths;
        this.propose = propose;
    }

    /** Proposes {@code m}; a session's end (ReleaseLocks) only after its held file lengths are committed. */
    public CompletableFuture<MetaReply> propose(MetaMutation m) {
        if (!m.hasReleaseLocks()) {
            return propose.apply(m);
        }
        ByteString client = m.getReleaseLocks().getClientId();
        return settleAll(client).handle((ok, e) -> {
            if (e != null) {
                log.warn("{} the held file lengths of client {} are not all committed yet (tried again next round): {}",
                        id, HexFormat.of().formatHex(client.toByteArray()), (e.getCause() != null ? e.getCause() : e).getMessage());
            }
            return propose.apply(m);
        }).thenCompose(f -> f);
    }

    /** Commits, from their replicas, the lengths of every file the client holds. */
    CompletableFuture<Void> settleAll(ByteString client) {
        ReadView v = committed.get();
        List<CompletableFuture<MetaReply>> settles = new ArrayList<>();
        for (long inode : FileLeases.heldBy(v, client)) {
            settles.add(settle(v, client, inode).thenCompose(propose).thenApply(SessionEnds::ok));
        }
        return CompletableFuture.allOf(settles.toArray(CompletableFuture[]::new));
    }

    private static MetaReply ok(MetaReply r) {
        if (r.getCode() != io.cairn.proto.ErrorCode.OK) {
            throw new CompletionException(new CairnException(ErrorCode.fromProto(r.getCode()), r.getMessage()));
        }
        return r;
    }

    /** The commit of one held file's lengths as its replicas hold them. */
    private CompletableFuture<MetaMutation> settle(ReadView v, ByteString client, long inode) {
        InodeRecord ino = Records.inode(v, inode);
        VolumeRecord vol = ino == null ? null : Records.volume(v, ino.getVolumeId());
        if (vol == null) {
            return CompletableFuture.failedFuture(new CairnException(ErrorCode.NOT_FOUND, "inode " + inode + " is gone"));
        }
        List<ChunkInfo> chunks;
        try {
            chunks = allChunks(v, ino.getVolumeId(), inode);
        } catch (CairnException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<CompletableFuture<Long>> held = new ArrayList<>();
        for (ChunkInfo chunk : chunks) {
            held.add(shortest(chunk, vol.getChunkSize(), ino.getVolumeId(), inode));
        }
        return CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).thenApply(done -> {
            CommitWriteRequest.Builder c = CommitWriteRequest.newBuilder().setVolumeId(ino.getVolumeId()).setInode(inode)
                    .setSettles(client);
            long size = ino.getSize();
            for (int i = 0; i < chunks.size(); i++) {
                ChunkInfo chunk = chunks.get(i);
                long length = held.get(i).join();
                if (length > chunk.getLength()) {
                    c.addChunks(ChunkLength.newBuilder().setIndex(chunk.getIndex()).setLength(length));
                }
                size = Math.max(size, chunk.getIndex() * vol.getChunkSize() + Math.max(length, chunk.getLength()));
            }
            log.info("{} client {} ended holding the length of inode {}: committed {} bytes from its replicas", id,
                    HexFormat.of().formatHex(client.toByteArray()), inode, size);
            return MetaMutation.newBuilder().setCommitWrite(c.setSize(size)).build();
        });
    }

    private static List<ChunkInfo> allChunks(ReadView v, int volumeId, long inode) throws CairnException {
        List<ChunkInfo> out = new ArrayList<>();
        long next = 0;
        while (true) {
            List<ChunkInfo> page = ChunkOps.getChunks(v, volumeId, inode, next, 0);
            out.addAll(page);
            if (page.isEmpty() || page.size() < ChunkOps.MAX_CHUNKS_PER_QUERY) {
                return out;
            }
            next = page.get(page.size() - 1).getIndex() + 1;
        }
    }

    /** The shortest length the chunk's answering replicas hold; fails when none answers. */
    private CompletableFuture<Long> shortest(ChunkInfo chunk, long chunkSize, int volumeId, long inode) {
        List<CompletableFuture<Long>> asked = new ArrayList<>();
        for (Replica replica : chunk.getPlacementList()) {
            asked.add(lengths.length(chunk, chunkSize, volumeId, inode, replica).handle((n, e) -> {
                if (e == null) {
                    return n;
                }
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                return cause instanceof CairnException ce && ce.code() == ErrorCode.NOT_FOUND ? 0L : -1L;
            }));
        }
        return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(done -> {
            long min = Long.MAX_VALUE;
            for (CompletableFuture<Long> a : asked) {
                long n = a.join();
                if (n >= 0) {
                    min = Math.min(min, n);
                }
            }
            if (min == Long.MAX_VALUE) {
                throw new CompletionException(new CairnException(ErrorCode.UNAVAILABLE, "no replica of chunk "
                        + chunk.getIndex() + " of inode " + inode + " told its length"));
            }
            return min;
        });
    }
}
