package io.cairn.powerloss;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The power-loss layer alone, mounted for real: what survives {@link PowerLossMount#drop} and what does not. */
class PowerLossFsIT {
    @TempDir
    Path tmp;
    PowerLossMount mount;
    Path mnt;

    @BeforeEach
    void mount() throws Exception {
        mount = PowerLossMount.mount(Files.createDirectories(tmp.resolve("backing")), tmp.resolve("mnt"));
        mnt = mount.mountPoint();
    }

    @AfterEach
    void unmount() {
        if (mount != null) {
            mount.close();
        }
    }

    static void write(Path p, byte[] data, boolean fsync, StandardOpenOption... extra) throws Exception {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (StandardOpenOption o : extra) {
                if (o == StandardOpenOption.APPEND) {
                    ch.position(ch.size());
                }
            }
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            if (fsync) {
                ch.force(true);
            }
        }
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aFileWrittenAndFsyncedSurvivesTheDrop() throws Exception {
        byte[] data = bytes(300_000, 1);
        write(mnt.resolve("synced"), data, true);
        assertThat(mount.drop()).isZero();
        assertThat(Files.readAllBytes(mnt.resolve("synced"))).isEqualTo(data);
    }

    @Test
    void aFileWrittenWithoutFsyncComesBackAsItWasAtItsLastFsync() throws Exception {
        byte[] old = bytes(100_000, 2);
        write(mnt.resolve("old"), old, true);
        write(mnt.resolve("old"), bytes(50_000, 3), false);                       // overwrite in place
        write(mnt.resolve("old"), bytes(70_000, 4), false, StandardOpenOption.APPEND);  // and grow
        write(mnt.resolve("new"), bytes(200_000, 5), false);
        try (FileChannel ch = FileChannel.open(mnt.resolve("old"), StandardOpenOption.WRITE)) {
            ch.truncate(10);
        }
        assertThat(Files.size(mnt.resolve("old"))).isEqualTo(10);
        assertThat(mount.drop()).isEqualTo(2);
        assertThat(Files.readAllBytes(mnt.resolve("old"))).isEqualTo(old);
        assertThat(Files.exists(mnt.resolve("new"))).as("a create is a namespace change: it stays").isTrue();
        assertThat(Files.size(mnt.resolve("new"))).isZero();
    }

    @Test
    void aRenameOfAnUnsyncedTempFileOverASyncedFileLeavesAnEmptyTarget() throws Exception {
        write(mnt.resolve("node.id"), "old-uuid\n".getBytes(), true);
        Files.createDirectories(mnt.resolve("dir"));
        write(mnt.resolve("node.id.new"), "new-uuid\n".getBytes(), false);
        Files.move(mnt.resolve("node.id.new"), mnt.resolve("node.id"), StandardCopyOption.ATOMIC_MOVE);
        assertThat(Files.readString(mnt.resolve("node.id"))).isEqualTo("new-uuid\n");
        mount.drop();
        assertThat(Files.exists(mnt.resolve("node.id.new"))).isFalse();
        assertThat(Files.isDirectory(mnt.resolve("dir"))).isTrue();
        assertThat(Files.size(mnt.resolve("node.id"))).isZero();
    }
}
