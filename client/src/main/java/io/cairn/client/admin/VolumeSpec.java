package io.cairn.client.admin;

import java.util.List;

/**
 * A volume to create, as {@code cairn volume create} takes it.
 *
 * @param name      the volume's name
 * @param replica   replicas per chunk (size)
 * @param minSize   replicas a chunk needs to accept I/O; 0 for the default, replica - replica/2
 * @param chunkSize bytes per chunk; 0 for the default, 64 MiB
 * @param bricks    the bricks, on probed storage nodes
 * @param force     allow several bricks of the volume on one node
 */
public record VolumeSpec(String name, int replica, int minSize, long chunkSize, List<BrickRef> bricks, boolean force) {
    public VolumeSpec {
        bricks = List.copyOf(bricks);
    }
}
