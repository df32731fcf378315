package io.cairn.storage.replication;

import io.cairn.proto.ChunkRequest;
import io.cairn.proto.ReadReply;
import io.cairn.proto.ReadRequest;
import io.cairn.proto.Replica;
import io.cairn.proto.StorageReply;
import io.cairn.proto.TruncateRequest;
import io.cairn.proto.WriteRequest;
import io.cairn.proto.ZeroRequest;
import java.util.concurrent.Future;

/**
 * The calls a chunk's primary makes to the other replicas' nodes, each the StorageService call
 * of the same name on the node serving {@code to}'s brick.
 *
 * <p>Contract: every method starts the call and returns at once, without waiting for the answer
 * (the primary starts its forwards under the chunk's lock). The future completes with the node's
 * reply, whose code says whether the node took the call, or fails when no reply came (the node is
 * unreachable, the call's deadline passed); the caller treats both as a failed replica. Calls
 * started one after another may arrive in any order and run concurrently: ordering is the
 * stream's sequence numbers' job ({@link ChunkStreams}), not the transport's. An implementation
 * bounds each call's time itself (a deadline), so a future never stays pending forever.
 *
 * <p>Threading: safe for concurrent use by any number of callers.
 */
public interface Peers {
    Future<StorageReply> replicate(Replica to, WriteRequest r);

    Future<StorageReply> setEpoch(Replica to, ChunkRequest r);

    Future<StorageReply> sync(Replica to, ChunkRequest r);

    Future<StorageReply> truncate(Replica to, TruncateRequest r);

    Future<StorageReply> zero(Replica to, ZeroRequest r);

    Future<ReadReply> read(Replica from, ReadRequest r);
}
