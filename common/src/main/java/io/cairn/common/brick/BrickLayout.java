package io.cairn.common.brick;

import java.nio.file.Path;

/**
 * The on-disk layout of a brick. Everything a storage node keeps for a brick is below its
 * directory:
 *
 * <pre>
 * BRICK/.cairn-brick                 BrickIdentity (state.proto): volume uuid, brick id, node uuid;
 *                                    written once when the brick is created, checked at every open
 * BRICK/chunks/HH/CHUNKID.data       the replica's bytes, at their offsets within the chunk
 * BRICK/chunks/HH/CHUNKID.meta       the replica's header and block checksums ({@link ReplicaHeader})
 * BRICK/chunks/HH/CHUNKID.zeroing    while a range of the replica is being zeroed (fallocate): the
 *                                    range as "OFFSET END", redone after a crash
 * BRICK/tmp/                         scratch space on the same file system, emptied at open
 * </pre>
 *
 * CHUNKID is the chunk id as 16 hex digits and HH its lowest byte in hex, which spreads the
 * replicas over 256 directories.
 */
public final class BrickLayout {
    public static final String IDENTITY_FILE = ".cairn-brick";

    private final Path root;

    public BrickLayout(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path identityFile() {
        return root.resolve(IDENTITY_FILE);
    }

    public Path chunksDir() {
        return root.resolve("chunks");
    }

    public Path tmpDir() {
        return root.resolve("tmp");
    }

    public Path dataFile(long chunkId) {
        return shard(chunkId).resolve(name(chunkId) + ".data");
    }

    public Path metaFile(long chunkId) {
        return shard(chunkId).resolve(name(chunkId) + ".meta");
    }

    public Path zeroingFile(long chunkId) {
        return shard(chunkId).resolve(name(chunkId) + ".zeroing");
    }

    public Path shard(long chunkId) {
        return chunksDir().resolve(String.format("%02x", chunkId & 0xff));
    }

    /** The chunk id a replica file is named after, or -1 if the name is not a replica file's. */
    public static long chunkIdOf(String fileName) {
        if (!fileName.endsWith(".meta") || fileName.length() != 16 + 5) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(fileName.substring(0, 16), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String name(long chunkId) {
        return String.format("%016x", chunkId);
    }
}
