package io.cairn.bench.suite;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.SplittableRandom;

/** Whole-buffer reads and writes: a channel may move fewer bytes than asked, a FUSE mount often does. */
final class Io {
    private Io() {
    }

    static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }

    /** Reads until {@code buf} is full; EOFException if the file ends first. */
    static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new EOFException("file ended at " + pos + " of a read at " + position);
            }
            pos += n;
        }
    }

    /** A direct buffer of {@code size} bytes from {@code random}, ready to write. */
    static ByteBuffer randomBuffer(int size, SplittableRandom random) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return ByteBuffer.allocateDirect(size).put(bytes).flip();
    }

    /** Writes {@code bytes} of {@code piece} repeated, without timing: setup for a read phase. */
    static void fill(FileChannel ch, ByteBuffer piece, long bytes, WorkloadContext ctx) throws IOException {
        for (long done = 0; done < bytes; ) {
            ByteBuffer b = piece.duplicate().clear();
            b.limit((int) Math.min(b.capacity(), bytes - done));
            done += b.remaining();
            writeFully(ch, b);
            ctx.advance(done, bytes);
        }
        ch.force(true);
    }
}
