package io.cairn.client.fs;

import io.cairn.proto.ChunkList;
import io.cairn.proto.InlineExtent;
import java.util.Arrays;
import java.util.List;

/**
 * What this client knows of where one open file keeps its bytes: inline with its metadata (then
 * their copy, for reads), in chunks, or not known yet. Guarded by the file's lock.
 */
final class InlineState {
    /** The file's inline bytes as last seen or committed; null when it is not known to keep any. */
    private byte[] bytes;
    /** The file is known to keep no inline bytes: no inline commit, no spill needed. */
    private boolean chunked;
    /** An inline commit was refused since the last open: write to chunks (after a spill check). */
    private boolean refused;
    /** This client moved the file's inline bytes into chunk 0: its next commit ends the spill. */
    private boolean spilling;

    /** A file this client just created: empty, no chunk. */
    void created() {
        bytes = new byte[0];
        chunked = false;
        refused = false;
    }

    /** The file's whole inline bytes, known without asking meta (a small file this client made ahead). */
    void known(byte[] inline) {
        bytes = inline;
        chunked = false;
    }

    /** A chunk list from meta: the file's layout as of now. */
    void saw(ChunkList list) {
        if (list.getInline()) {
            bytes = list.getInlineData().toByteArray();
            chunked = false;
        } else {
            bytes = null;
            chunked = list.getChunksCount() > 0;
        }
    }

    /** Forgets what was learned (a new open: close-to-open). */
    void reset() {
        bytes = null;
        chunked = false;
        refused = false;
    }

    /** Reads are served from the inline bytes. */
    boolean inline() {
        return bytes != null;
    }

    /** Neither inline bytes nor chunks seen yet: the next read asks meta. */
    boolean unknown() {
        return bytes == null && !chunked;
    }

    /** Writes may go inline (meta has the last word). */
    boolean mayCommitInline() {
        return !chunked && !refused;
    }

    /** A write going to chunks must first check whether meta holds inline bytes to move. */
    boolean needsSpillCheck() {
        return !chunked;
    }

    void refused() {
        refused = true;
    }

    /** The file keeps no inline bytes now (spill done, or none were found). */
    void inChunks(boolean endsSpill) {
        bytes = null;
        chunked = true;
        spilling = endsSpill;
    }

    boolean spilling() {
        return spilling;
    }

    void spillEnded() {
        spilling = false;
    }

    /**
     * The spill's copy did not reach chunk 0: it must not be ended, and meta still holds the
     * inline bytes, so the next write to chunks checks again and copies them afresh.
     */
    void spillFailed() {
        spilling = false;
        chunked = false;
        refused = true;
    }

    /** The extents just committed inline, applied to the local copy (read-your-writes). */
    void committed(List<InlineExtent> extents) {
        if (bytes == null) {
            // The bytes already inline were never read here: the next read asks meta for all of them.
            chunked = false;
            return;
        }
        bytes = applied(bytes, extents);
        chunked = false;
    }

    /** {@code extents} written over {@code b}: b itself when they fit in it, else a longer copy. */
    static byte[] applied(byte[] b, List<InlineExtent> extents) {
        for (InlineExtent e : extents) {
            int end = (int) (e.getOffset() + e.getData().size());
            if (end > b.length) {
                b = Arrays.copyOf(b, end);
            }
            e.getData().copyTo(b, (int) e.getOffset());
        }
        return b;
    }

    /** A truncate to {@code size}: bytes past it are gone; at 0 the file is empty and has no chunk. */
    void truncated(long size) {
        if (size == 0) {
            created();
        } else if (bytes != null && bytes.length > size) {
            bytes = Arrays.copyOf(bytes, (int) size);
        }
    }

    /** Copies [offset, offset + n) of the file (size {@code size}) into dst; zeros past the inline bytes. */
    void read(long offset, byte[] dst, int n) {
        int have = (int) Math.max(0, Math.min(n, bytes.length - offset));
        if (have > 0) {
            System.arraycopy(bytes, (int) offset, dst, 0, have);
        }
        Arrays.fill(dst, Math.max(have, 0), n, (byte) 0);
    }
}
