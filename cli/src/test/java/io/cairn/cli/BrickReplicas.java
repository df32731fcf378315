package io.cairn.cli;

import io.cairn.common.Crc32c;
import io.cairn.common.brick.BrickLayout;
import io.cairn.common.brick.ReplicaHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The replicas on a brick as the disk holds them, read without the storage node: each replica's
 * header ({@link ReplicaHeader}) and whether its data matches its block checksums.
 */
final class BrickReplicas {
    /** One replica file pair; {@code header} is null when the meta file is torn or not a replica's. */
    record Replica(Path brick, long chunkId, ReplicaHeader header, boolean good, String problem) {
        long epoch() {
            return header == null ? -1 : header.epoch();
        }
    }

    private BrickReplicas() {
    }

    static List<Replica> scan(Path brick) throws IOException {
        BrickLayout layout = new BrickLayout(brick);
        List<Replica> out = new ArrayList<>();
        if (!Files.isDirectory(layout.chunksDir())) {
            return out;
        }
        try (Stream<Path> files = Files.walk(layout.chunksDir())) {
            for (Path meta : files.filter(p -> BrickLayout.chunkIdOf(p.getFileName().toString()) >= 0).toList()) {
                long id = BrickLayout.chunkIdOf(meta.getFileName().toString());
                out.add(check(brick, id, meta, layout.dataFile(id)));
            }
        }
        return out;
    }

    private static Replica check(Path brick, long id, Path metaFile, Path dataFile) throws IOException {
        byte[] meta;
        try {
            meta = Files.readAllBytes(metaFile);
        } catch (NoSuchFileException e) {
            return new Replica(brick, id, null, false, "meta file gone while scanning");
        }
        ReplicaHeader h = ReplicaHeader.decode(ByteBuffer.wrap(meta));
        if (h == null) {
            return new Replica(brick, id, null, false, "torn or corrupt header (" + meta.length + " bytes)");
        }
        if (h.suspect()) {
            return new Replica(brick, id, h, false, "marked suspect");
        }
        long blocks = (h.length() + Crc32c.BLOCK_SIZE - 1) / Crc32c.BLOCK_SIZE;
        if (meta.length < ReplicaHeader.crcOffset((int) blocks)) {
            return new Replica(brick, id, h, false, "checksum table cut at " + meta.length + " bytes");
        }
        ByteBuffer sums = ByteBuffer.wrap(meta).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel data = FileChannel.open(dataFile)) {
            if (data.size() < h.length()) {
                return new Replica(brick, id, h, false, "data file " + data.size() + " bytes, header says " + h.length());
            }
            for (int b = 0; b < blocks; b++) {
                long start = (long) b * Crc32c.BLOCK_SIZE;
                ByteBuffer block = ByteBuffer.allocate((int) (Math.min(start + Crc32c.BLOCK_SIZE, h.length()) - start));
                while (block.hasRemaining() && data.read(block, start + block.position()) > 0) {
                    // short read: go on
                }
                block.flip();
                if (Crc32c.of(block) != sums.getInt((int) ReplicaHeader.crcOffset(b))) {
                    return new Replica(brick, id, h, false, "block " + b + " does not match its checksum");
                }
            }
        } catch (NoSuchFileException e) {
            return new Replica(brick, id, h, false, "no data file");
        }
        return new Replica(brick, id, h, true, "");
    }
}
