package io.cairn.powerloss;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UndoLogTest {
    @TempDir
    Path tmp;

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static void write(Path p, UndoLog log, long at, byte[] data) throws Exception {
        log.beforeWrite(at, data.length);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(data), at);
        }
    }

    @Test
    void undoRestoresTheBytesAndLengthOfTheLastSync() throws Exception {
        Path p = tmp.resolve("f");
        byte[] synced = random(10_000, 1);
        Files.write(p, synced);
        try (UndoLog log = UndoLog.open(p)) {
            write(p, log, 5_000, random(9_000, 2));  // overwrites across blocks and extends
            write(p, log, 100, random(10, 3));
            log.undo();
        }
        assertThat(Files.readAllBytes(p)).isEqualTo(synced);
    }

    @Test
    void undoAfterATruncationBringsTheCutBytesBack() throws Exception {
        Path p = tmp.resolve("f");
        byte[] synced = random(20_000, 4);
        Files.write(p, synced);
        try (UndoLog log = UndoLog.open(p)) {
            log.beforeTruncate(1_234);
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                f.setLength(1_234);
            }
            write(p, log, 1_000, random(30_000, 5));
            assertThat(log.dirty()).isTrue();
            log.undo();
        }
        assertThat(Files.readAllBytes(p)).isEqualTo(synced);
    }

    @Test
    void aSyncMakesEverythingWrittenSoFarDurable() throws Exception {
        Path p = tmp.resolve("f");
        Files.write(p, new byte[0]);
        byte[] first = random(7_000, 6);
        try (UndoLog log = UndoLog.open(p)) {
            write(p, log, 0, first);
            log.synced();
            assertThat(log.dirty()).isFalse();
            write(p, log, 3_000, random(9_000, 7));
            log.undo();
        }
        assertThat(Files.readAllBytes(p)).isEqualTo(first);
    }

    @Test
    void aFileCreatedSinceTheLastSyncComesBackEmpty() throws Exception {
        Path p = tmp.resolve("f");
        Files.write(p, new byte[0]);
        try (UndoLog log = UndoLog.open(p)) {
            write(p, log, 0, random(100_000, 8));
            log.undo();
        }
        assertThat(Files.size(p)).isZero();
    }
}
