package io.cairn.fuse.kernel;

/**
 * A file system served over FUSE: it answers the kernel's requests, concurrently, on the
 * session's workers. The session itself answers INIT, INTERRUPT and DESTROY.
 */
public interface FuseHandler {
    /** Answers {@code req} exactly once through {@code reply}; an opcode it does not know gets ENOSYS. */
    void handle(FuseRequest req, FuseReply reply);

    /** The kernel dropped {@code nlookup} of its references to {@code nodeid} (no reply). */
    void forget(long nodeid, long nlookup);
}
