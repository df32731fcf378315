package io.cairn.common;

import io.grpc.Status;

/**
 * Mirror of the proto {@code ErrorCode}: each code knows its errno (what FUSE returns), its gRPC
 * status (what crosses the wire when an error is not carried in a reply body) and whether the
 * operation may be retried as it is.
 */
public enum ErrorCode {
    OK(0, Status.Code.OK, false),
    NOT_FOUND(Errno.ENOENT, Status.Code.NOT_FOUND, false),
    ALREADY_EXISTS(Errno.EEXIST, Status.Code.ALREADY_EXISTS, false),
    NOT_A_DIRECTORY(Errno.ENOTDIR, Status.Code.FAILED_PRECONDITION, false),
    IS_A_DIRECTORY(Errno.EISDIR, Status.Code.FAILED_PRECONDITION, false),
    DIRECTORY_NOT_EMPTY(Errno.ENOTEMPTY, Status.Code.FAILED_PRECONDITION, false),
    NAME_TOO_LONG(Errno.ENAMETOOLONG, Status.Code.INVALID_ARGUMENT, false),
    INVALID_ARGUMENT(Errno.EINVAL, Status.Code.INVALID_ARGUMENT, false),
    CROSS_VOLUME(Errno.EXDEV, Status.Code.INVALID_ARGUMENT, false),
    PERMISSION_DENIED(Errno.EACCES, Status.Code.PERMISSION_DENIED, false),
    NOT_PERMITTED(Errno.EPERM, Status.Code.PERMISSION_DENIED, false),
    NO_SUCH_ATTRIBUTE(Errno.ENODATA, Status.Code.NOT_FOUND, false),
    ATTRIBUTE_RANGE(Errno.ERANGE, Status.Code.OUT_OF_RANGE, false),
    ARGUMENT_TOO_BIG(Errno.E2BIG, Status.Code.INVALID_ARGUMENT, false),
    TOO_MANY_LINKS(Errno.EMLINK, Status.Code.FAILED_PRECONDITION, false),
    NO_SPACE(Errno.ENOSPC, Status.Code.RESOURCE_EXHAUSTED, false),
    FILE_TOO_BIG(Errno.EFBIG, Status.Code.OUT_OF_RANGE, false),
    NOT_SUPPORTED(Errno.EOPNOTSUPP, Status.Code.UNIMPLEMENTED, false),
    BUSY(Errno.EBUSY, Status.Code.FAILED_PRECONDITION, false),
    IO_ERROR(Errno.EIO, Status.Code.DATA_LOSS, false),
    LOCKED(Errno.EAGAIN, Status.Code.FAILED_PRECONDITION, false),
    INTERRUPTED(Errno.EINTR, Status.Code.CANCELLED, false),
    // The inline-data protocol's refusals: the client takes the chunk path (LAYOUT_CHANGED) or waits
    // for another client's spill (SPILL_IN_PROGRESS); a user sees EIO only if one escapes.
    LAYOUT_CHANGED(Errno.EIO, Status.Code.FAILED_PRECONDITION, false),
    SPILL_IN_PROGRESS(Errno.EIO, Status.Code.FAILED_PRECONDITION, false),
    NOT_LEADER(Errno.EAGAIN, Status.Code.UNAVAILABLE, true),
    UNAVAILABLE(Errno.EIO, Status.Code.UNAVAILABLE, true),
    TIMEOUT(Errno.ETIMEDOUT, Status.Code.DEADLINE_EXCEEDED, true),
    VOLUME_NOT_STARTED(Errno.ENODEV, Status.Code.FAILED_PRECONDITION, false),
    STALE_EPOCH(Errno.ESTALE, Status.Code.FAILED_PRECONDITION, true),
    QUORUM_NOT_MET(Errno.EIO, Status.Code.UNAVAILABLE, true),
    CHECKSUM_MISMATCH(Errno.EIO, Status.Code.DATA_LOSS, true),
    // Too few live storage nodes to place a chunk: nodes are down, not out of space. The client
    // waits for them up to its I/O timeout and then returns EIO, as a Ceph client does for an
    // inactive placement group; ENOSPC is only for bricks that are full (NO_SPACE).
    NO_PLACEMENT(Errno.EIO, Status.Code.UNAVAILABLE, false),
    INTERNAL(Errno.EIO, Status.Code.INTERNAL, false),
    LEASED(Errno.EAGAIN, Status.Code.UNAVAILABLE, true),
    NO_DATA_AFTER(Errno.ENXIO, Status.Code.OUT_OF_RANGE, false);

    private final int errno;
    private final Status.Code grpcCode;
    private final boolean retryable;

    ErrorCode(int errno, Status.Code grpcCode, boolean retryable) {
        this.errno = errno;
        this.grpcCode = grpcCode;
        this.retryable = retryable;
    }

    /** The positive Linux errno a file system call returns for this error. */
    public int errno() {
        return errno;
    }

    public Status.Code grpcCode() {
        return grpcCode;
    }

    public boolean retryable() {
        return retryable;
    }

    public io.cairn.proto.ErrorCode toProto() {
        return io.cairn.proto.ErrorCode.valueOf(name());
    }

    public static ErrorCode fromProto(io.cairn.proto.ErrorCode code) {
        if (code == io.cairn.proto.ErrorCode.UNRECOGNIZED) {
            return INTERNAL;
        }
        return valueOf(code.name());
    }
}
