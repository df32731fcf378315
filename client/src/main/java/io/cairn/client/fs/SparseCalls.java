package io.cairn.client.fs;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.Credentials;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.SetAttrRequest;

/**
 * fallocate(2), lseek(2)'s SEEK_DATA and SEEK_HOLE, and copy_file_range(2) of open files: the
 * modes and arguments checked, the data part done by {@link FileData}, the attributes (a size
 * grown, mtime marked) through the file system's own getattr and setattr, so its caches and the
 * meta leader's leases see them.
 */
final class SparseCalls {
    /** fallocate(2)'s modes: the file grows (0) or not (KEEP_SIZE); PUNCH_HOLE and ZERO_RANGE make a range read as zeros. */
    static final int KEEP_SIZE = 1;
    static final int PUNCH_HOLE = 2;
    static final int ZERO_RANGE = 0x10;

    /** The file system's attribute calls. */
    interface GetAttr {
        InodeAttr get(Credentials cred, long inode) throws CairnException;
    }

    interface SetAttr {
        InodeAttr set(Credentials cred, SetAttrRequest change) throws CairnException;
    }

    private final FileData data;
    private final GetAttr getattr;
    private final SetAttr setattr;

    SparseCalls(FileData data, GetAttr getattr, SetAttr setattr) {
        this.data = data;
        this.getattr = getattr;
        this.setattr = setattr;
    }

    /**
     * Mode 0 makes the file at least offset + length long; KEEP_SIZE alone changes nothing visible
     * (no space is reserved ahead); PUNCH_HOLE (with KEEP_SIZE, as Linux requires) and ZERO_RANGE
     * make the range inside the file read as zeros, the replicas free its blocks, and mtime moves;
     * ZERO_RANGE without KEEP_SIZE also grows the file to the range's end.
     */
    void fallocate(OpenFiles.Handle h, int mode, long offset, long length) throws CairnException {
        if (offset < 0 || length <= 0 || offset + length < 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "fallocate needs offset >= 0 and length > 0");
        }
        if ((mode & ~(KEEP_SIZE | PUNCH_HOLE | ZERO_RANGE)) != 0) {
            throw new CairnException(ErrorCode.NOT_SUPPORTED, "fallocate mode 0x" + Integer.toHexString(mode)
                    + " is not supported (only 0, KEEP_SIZE, PUNCH_HOLE|KEEP_SIZE and ZERO_RANGE)");
        }
        boolean punch = (mode & PUNCH_HOLE) != 0;
        boolean zero = (mode & ZERO_RANGE) != 0;
        if (punch && (zero || (mode & KEEP_SIZE) == 0)) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "PUNCH_HOLE goes with KEEP_SIZE and without ZERO_RANGE");
        }
        if (!h.writable()) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "the file was not opened for writing");
        }
        long end = offset + length;
        InodeAttr attr = getattr.get(h.cred(), h.file().inode);
        SetAttrRequest.Builder change = SetAttrRequest.newBuilder().setInode(h.file().inode).setViaOpenFile(true);
        if (punch || zero) {
            data.zero(h, offset, end, attr.getSize());
            change.setSetMtime(true).setMtimeNow(true);  // the bytes changed: as on Linux, so rsync and make see it
        }
        if ((mode & KEEP_SIZE) == 0 && end > attr.getSize()) {
            change.setSetSize(true).setSize(end);
        }
        if (change.getSetMtime() || change.getSetSize()) {
            setattr.set(h.cred(), change.build());
        }
    }

    /** SEEK_DATA ({@code data}) or SEEK_HOLE from {@code offset}: see {@link SparseIo#seek}. */
    long seek(OpenFiles.Handle h, long offset, boolean data) throws CairnException {
        return this.data.seek(h, offset, data, getattr.get(h.cred(), h.file().inode).getSize());
    }

    /** copy_file_range: at most 1 GiB a call; see {@link FileData#copy}. */
    long copy(OpenFiles.Handle in, long inOffset, OpenFiles.Handle out, long outOffset, long len) throws CairnException {
        if (inOffset < 0 || outOffset < 0 || len < 0 || outOffset + len < 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "copy_file_range needs offsets >= 0 and a length >= 0");
        }
        return data.copy(in, inOffset, out, outOffset, Math.min(len, 1L << 30));
    }
}
