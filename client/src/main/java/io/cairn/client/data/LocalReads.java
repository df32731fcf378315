package io.cairn.client.data;

import static java.nio.file.StandardOpenOption.READ;

import com.google.protobuf.TextFormat;
import com.google.protobuf.UnsafeByteOperations;
import io.cairn.common.Crc32c;
import io.cairn.common.brick.BrickLayout;
import io.cairn.common.brick.ReplicaHeader;
import io.cairn.proto.IdentifyReply;
import io.cairn.proto.NodeBrick;
import io.cairn.proto.ReadReply;
import io.cairn.proto.ReadRequest;
import io.cairn.proto.Replica;
import io.cairn.proto.state.BrickIdentity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Short-circuit reads, as HDFS does them: a replica on a brick of this host is read from its
 * files by the client itself, with every block checked against its CRC32C, instead of through
 * its storage node. A brick counts as this host's when its node names its directory (Identify)
 * and the directory's identity file names the same brick and node; each node is asked once (again
 * after a minute when a brick it did not name turns up).
 *
 * <p>The node stays the authority: anything but a clean read (another epoch, a suspect replica,
 * a checksum that does not match, perhaps a write in progress, a file that cannot be read) gives
 * null, and the caller asks the node, which reports and repairs what is wrong.
 */
final class LocalReads {
    private static final long ASK_AGAIN_NANOS = 60_000_000_000L;

    private final Function<String, IdentifyReply> identify;
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();

    /** The bricks of one node found on this host, and when the node was asked. */
    private record Node(Map<Long, BrickLayout> local, long askedAt) {
    }

    LocalReads(Function<String, IdentifyReply> identify) {
        this.identify = identify;
    }

    /** Whether the replica lies on a brick of this host. */
    boolean isLocal(Replica r) {
        return layout(r) != null;
    }

    /** What the replica's node would answer to {@code q}, read here; null when it must be asked. */
    ReadReply read(Replica r, ReadRequest q) {
        BrickLayout layout = layout(r);
        if (layout == null) {
            return null;
        }
        long id = q.getTarget().getChunkId();
        try (FileChannel meta = FileChannel.open(layout.metaFile(id), READ);
             FileChannel data = FileChannel.open(layout.dataFile(id), READ)) {
            ReplicaHeader h = ReplicaHeader.decode(read(meta, 0, ReplicaHeader.HEADER_BYTES));
            if (h == null || h.suspect() || h.chunkId() != id || h.epoch() != q.getTarget().getEpoch()) {
                return null;
            }
            long offset = q.getOffset();
            long end = Math.min(offset + q.getLength(), h.length());
            ReadReply.Builder reply = ReadReply.newBuilder().setReplicaLength(h.length());
            if (offset >= end) {
                return reply.build();
            }
            long first = offset / Crc32c.BLOCK_SIZE;
            long last = (end - 1) / Crc32c.BLOCK_SIZE;
            ByteBuffer crcs = read(meta, ReplicaHeader.crcOffset((int) first), (int) (last - first + 1) * 4)
                    .order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer out = ByteBuffer.allocate((int) (end - offset));
            for (long b = first; b <= last; b++) {
                long start = b * Crc32c.BLOCK_SIZE;
                int len = (int) (Math.min(start + Crc32c.BLOCK_SIZE, h.length()) - start);
                ByteBuffer block = read(data, start, len);
                if (Crc32c.of(block) != crcs.getInt((int) (b - first) * 4)) {
                    return null;  // corrupt, or a write in progress: the node decides
                }
                block.position((int) (Math.max(start, offset) - start)).limit((int) (Math.min(start + len, end) - start));
                out.put(block);
            }
            return reply.setData(UnsafeByteOperations.unsafeWrap(out.flip())).build();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private BrickLayout layout(Replica r) {
        Node n = nodes.get(r.getAddress());
        if (n == null || !n.local().containsKey(r.getBrickId()) && System.nanoTime() - n.askedAt() > ASK_AGAIN_NANOS) {
            n = ask(r.getAddress());
        }
        return n.local().get(r.getBrickId());
    }

    private Node ask(String address) {
        Map<Long, BrickLayout> local = new HashMap<>();
        try {
            IdentifyReply reply = identify.apply(address);
            for (NodeBrick b : reply.getBricksList()) {
                BrickLayout layout = new BrickLayout(Path.of(b.getPath()));
                if (sameBrick(layout, b.getBrickId(), reply.getNodeUuid())) {
                    local.put(b.getBrickId(), layout);
                }
            }
        } catch (RuntimeException e) {
            // the node is unreachable: nothing of it is known to be here until it is asked again
        }
        Node n = new Node(Map.copyOf(local), System.nanoTime());
        nodes.put(address, n);
        return n;
    }

    /** Whether this host's directory is that brick of that node, and readable here. */
    private static boolean sameBrick(BrickLayout layout, long brickId, String nodeUuid) {
        try {
            BrickIdentity id = TextFormat.parse(Files.readString(layout.identityFile()), BrickIdentity.class);
            return id.getBrickId() == brickId && id.getNodeUuid().equals(nodeUuid) && Files.isReadable(layout.chunksDir());
        } catch (IOException | RuntimeException e) {
            return false;  // not on this host, or not readable by this process
        }
    }

    private static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                break;  // past the end: zeros, which the checksums judge
            }
        }
        return buf.clear();
    }
}
