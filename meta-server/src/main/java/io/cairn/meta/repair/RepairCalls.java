package io.cairn.meta.repair;

import io.cairn.proto.RepairRequest;
import io.cairn.proto.StorageReply;
import java.time.Duration;

/** The leader's call to a chunk's primary storage node: copy the chunk and change its placement. */
public interface RepairCalls extends AutoCloseable {
    /** The node's reply; a transport failure or timeout comes back as a reply with an error code. */
    StorageReply repair(String address, RepairRequest request, Duration deadline);

    @Override
    void close();
}
