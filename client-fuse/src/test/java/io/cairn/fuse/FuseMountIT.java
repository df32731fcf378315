package io.cairn.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A size 3 volume on 3 storage nodes, mounted for real, used with java.nio and shell tools. */
class FuseMountIT {
    static MountFixture fx;
    static Path root;
    static Path other;

    @BeforeAll
    static void mount() throws Exception {
        fx = MountFixture.start(3, 3);
        root = fx.root();
        other = fx.mountAnother();
    }

    @AfterAll
    static void unmount() {
        if (fx != null) {
            fx.close();
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static String sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + " said: " + out).isZero();
        return out;
    }

    /**
     * A process still works in the mount (its working directory is there): close cannot unmount
     * at once, returns anyway with the mount detached, and the process keeps its directory.
     */
    @Test
    void closingABusyMountDetachesIt() throws Exception {
        Path dir = Files.createTempDirectory("cairn-busy-");
        io.cairn.client.fs.CairnFs fs = io.cairn.client.fs.CairnFs.connect(fx.cluster().metaAddresses(), MountFixture.VOLUME,
                io.cairn.client.fs.FsOptions.DEFAULTS);
        CairnMount m = CairnMount.mount(fs, dir, List.of());
        Process busy = new ProcessBuilder("sleep", "120").directory(dir.toFile()).start();
        try {
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(90), m::close);
            assertThat(m.isMounted()).isFalse();
            assertThat(busy.isAlive()).isTrue();
        } finally {
            busy.destroyForcibly().waitFor();
            fs.close();
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void largeAndSmallFilesReadBackIdenticalThroughShellTools() throws Exception {
        Path dir = Files.createDirectory(root.resolve("data"));
        byte[] big = random((int) (2.5 * MountFixture.CHUNK_SIZE) + 12345, 1);  // crosses chunk boundaries
        Path src = Files.createTempFile("cairn-src", ".bin");
        try {
            Files.write(src, big);
            sh("cp", src.toString(), dir.resolve("big.bin").toString());
            assertThat(sh("sha256sum", dir.resolve("big.bin").toString())).startsWith(sha256(big));
            assertThat(Files.size(dir.resolve("big.bin"))).isEqualTo(big.length);
            assertThat(Files.readAllBytes(dir.resolve("big.bin"))).isEqualTo(big);
        } finally {
            Files.deleteIfExists(src);
        }
        Files.writeString(dir.resolve("small.txt"), "hello cairn\n");
        assertThat(sh("cat", dir.resolve("small.txt").toString())).isEqualTo("hello cairn\n");
        assertThat(sh("ls", "-l", dir.toString())).contains("big.bin").contains("small.txt");
        // An empty file, and a file written with a hole in the middle.
        Files.write(dir.resolve("empty"), new byte[0]);
        assertThat(Files.size(dir.resolve("empty"))).isZero();
        try (FileChannel ch = FileChannel.open(dir.resolve("sparse"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("end".getBytes(StandardCharsets.UTF_8)), 9L << 20);
        }
        byte[] sparse = Files.readAllBytes(dir.resolve("sparse"));
        assertThat(sparse).hasSize((9 << 20) + 3);
        assertThat(sparse[5 << 20]).isZero();
        assertThat(new String(sparse, 9 << 20, 3, StandardCharsets.UTF_8)).isEqualTo("end");
    }

    @Test
    void namespaceOperations() throws Exception {
        Path d = Files.createDirectories(root.resolve("ns/sub"));
        Path f = Files.writeString(d.resolve("a.txt"), "abc");
        assertThat(Files.isDirectory(d)).isTrue();
        try (var s = Files.list(d)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("a.txt");
        }
        Files.move(f, d.resolve("b.txt"));
        assertThat(Files.exists(f)).isFalse();
        assertThat(Files.readString(d.resolve("b.txt"))).isEqualTo("abc");

        Path hard = Files.createLink(d.resolve("hard"), d.resolve("b.txt"));
        assertThat(Files.getAttribute(hard, "unix:nlink")).isEqualTo(2);
        assertThat(Files.getAttribute(hard, "unix:ino")).isEqualTo(Files.getAttribute(d.resolve("b.txt"), "unix:ino"));

        Path sym = Files.createSymbolicLink(d.resolve("sym"), Path.of("b.txt"));
        assertThat(Files.readSymbolicLink(sym)).isEqualTo(Path.of("b.txt"));
        assertThat(Files.readString(sym)).isEqualTo("abc");

        Files.setPosixFilePermissions(d.resolve("b.txt"), PosixFilePermissions.fromString("rw-r-----"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d.resolve("b.txt")))).isEqualTo("rw-r-----");

        UserDefinedFileAttributeView x = Files.getFileAttributeView(d.resolve("b.txt"), UserDefinedFileAttributeView.class);
        x.write("color", ByteBuffer.wrap("blue".getBytes(StandardCharsets.UTF_8)));
        assertThat(x.list()).contains("color");
        ByteBuffer v = ByteBuffer.allocate(x.size("color"));
        x.read("color", v);
        assertThat(new String(v.array(), StandardCharsets.UTF_8)).isEqualTo("blue");
        x.delete("color");
        assertThat(x.list()).doesNotContain("color");

        assertThatThrownBy(() -> Files.delete(root.resolve("ns"))).isInstanceOf(DirectoryNotEmptyException.class);
        Files.delete(d.resolve("hard"));
        assertThat(Files.getAttribute(d.resolve("b.txt"), "unix:nlink")).isEqualTo(1);
        Files.delete(sym);
        Files.delete(d.resolve("b.txt"));
        Files.delete(d);
        assertThatThrownBy(() -> Files.size(d)).isInstanceOf(NoSuchFileException.class);

        FileStore store = Files.getFileStore(root);
        assertThat(store.getTotalSpace()).isPositive();
        assertThat(sh("df", root.toString())).contains("cairn");
    }

    @Test
    void truncateShrinksAndGrowsWithZeros() throws Exception {
        Path f = root.resolve("trunc.bin");
        byte[] data = random(6 << 20, 2);
        Files.write(f, data);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(1000);
        }
        assertThat(Files.size(f)).isEqualTo(1000);
        sh("truncate", "-s", "3000", f.toString());
        byte[] back = Files.readAllBytes(f);
        assertThat(back).hasSize(3000);
        assertThat(java.util.Arrays.copyOf(back, 1000)).isEqualTo(java.util.Arrays.copyOf(data, 1000));
        for (int i = 1000; i < 3000; i++) {
            assertThat(back[i]).as("byte %d after a shrink and a grow", i).isZero();
        }
        // O_TRUNC and O_APPEND through the shell.
        sh("sh", "-c", "echo one > " + f + " && echo two >> " + f);
        assertThat(Files.readString(f)).isEqualTo("one\ntwo\n");
    }

    @Test
    void writtenAndClosedOnOneMountReadsBackIdenticalOnAnother() throws Exception {
        byte[] data = random(5 << 20, 3);
        Files.write(root.resolve("shared.bin"), data);
        assertThat(Files.readAllBytes(other.resolve("shared.bin"))).isEqualTo(data);
        // And back: overwrite part of it on the other mount, then read it on the first.
        try (FileChannel ch = FileChannel.open(other.resolve("shared.bin"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 100);
        }
        data[100] = 1;
        data[101] = 2;
        data[102] = 3;
        assertThat(Files.readAllBytes(root.resolve("shared.bin"))).isEqualTo(data);
    }

    @Test
    void anOpenSeesAFileReplacedByRenameOnAnotherMountAtOnce() throws Exception {
        Files.writeString(root.resolve("config"), "old");
        assertThat(Files.readString(root.resolve("config"))).isEqualTo("old");  // cached on this mount now
        Files.writeString(other.resolve("config.tmp"), "new");
        Files.move(other.resolve("config.tmp"), other.resolve("config"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertThat(Files.readString(root.resolve("config"))).isEqualTo("new");
    }

    @Test
    void aHardLinkShowsAChangeThroughTheOtherNameAtOnce() throws Exception {
        Path a = Files.writeString(root.resolve("hl-a"), "x");
        Path b = Files.createLink(root.resolve("hl-b"), a);
        Files.setPosixFilePermissions(a, PosixFilePermissions.fromString("rwx------"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(b))).isEqualTo("rwx------");
        Files.writeString(b, "longer content");
        assertThat(Files.size(a)).isEqualTo("longer content".length());
        assertThat(Files.readString(a)).isEqualTo("longer content");
    }

    @Test
    void anUnlinkedFileStaysReadableWhileOpen() throws Exception {
        Path f = Files.writeString(root.resolve("doomed"), "still here");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            Files.delete(f);
            assertThat(Files.exists(f)).isFalse();
            try (var s = Files.list(root)) {
                assertThat(s.map(p -> p.getFileName().toString()).toList()).doesNotContain("doomed")
                        .noneMatch(n -> n.startsWith(".cairn-unlinked-"));
            }
            ByteBuffer b = ByteBuffer.allocate(64);
            ch.read(b, 0);
            assertThat(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8)).isEqualTo("still here");
        }
        assertThat(fx.fs().readdir(io.cairn.proto.Credentials.getDefaultInstance(), fx.fs().root()).stream()
                .map(e -> e.getName()).toList()).doesNotContain("doomed");
    }

    @Test
    void manySmallFiles() throws Exception {
        Path d = Files.createDirectory(root.resolve("many"));
        for (int i = 0; i < 200; i++) {
            Files.writeString(d.resolve("f" + i), "file " + i);
        }
        try (var s = Files.list(other.resolve("many"))) {
            assertThat(s.count()).isEqualTo(200);
        }
        for (int i = 0; i < 200; i += 37) {
            assertThat(Files.readString(other.resolve("many/f" + i))).isEqualTo("file " + i);
        }
        assertThat(List.of(sh("ls", d.toString()).split("\n"))).hasSize(200);
    }

    /** Every replica file on every brick of the cluster. */
    static java.util.Set<Path> replicaFiles() throws IOException {
        try (var files = Files.walk(fx.cluster().baseDir().resolve("bricks"))) {
            return files.filter(Files::isRegularFile).collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void smallFilesLiveInlineWithNoStorageNodeInvolved() throws Exception {
        Path d = Files.createDirectory(root.resolve("inline"));
        java.util.Set<Path> before = replicaFiles();
        for (int i = 0; i < 100; i++) {
            Files.write(d.resolve("f" + i), random(4096 + i, i));
        }
        for (int i = 0; i < 100; i++) {
            assertThat(Files.readAllBytes(other.resolve("inline/f" + i))).isEqualTo(random(4096 + i, i));
        }
        java.util.Set<Path> made = replicaFiles();
        made.removeAll(before);
        assertThat(made).as("no brick holds a replica of a small file").isEmpty();
        assertThat(sh("du", "-k", d.resolve("f0").toString())).startsWith("4\t");
    }

    @Test
    void aSmallFileGrownPastTheInlineSizeMovesToChunksIntact() throws Exception {
        Path f = root.resolve("grows.bin");
        byte[] data = random(5 << 20, 11);
        Files.write(f, java.util.Arrays.copyOf(data, 4096));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            for (int at = 4096; at < data.length; at += 100_000) {
                ch.write(ByteBuffer.wrap(data, at, Math.min(100_000, data.length - at)));
            }
        }
        assertThat(sha256(Files.readAllBytes(other.resolve("grows.bin")))).isEqualTo(sha256(data));
        assertThat(sha256(Files.readAllBytes(f))).isEqualTo(sha256(data));
    }

    @Test
    void smallFilesAreCloseToOpenAcrossMountsAndTruncate() throws Exception {
        Path f = root.resolve("small-c2o");
        Files.writeString(f, "from the first mount");
        assertThat(Files.readString(other.resolve("small-c2o"))).isEqualTo("from the first mount");
        try (FileChannel ch = FileChannel.open(other.resolve("small-c2o"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("FROM".getBytes(StandardCharsets.UTF_8)), 0);
        }
        assertThat(Files.readString(f)).isEqualTo("FROM the first mount");
        sh("truncate", "-s", "4", f.toString());
        sh("truncate", "-s", "10", f.toString());
        assertThat(Files.readAllBytes(other.resolve("small-c2o")))
                .isEqualTo(new byte[] {'F', 'R', 'O', 'M', 0, 0, 0, 0, 0, 0});
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'!'}), 20);  // a hole below it reads as zeros
        }
        byte[] back = Files.readAllBytes(other.resolve("small-c2o"));
        assertThat(back).hasSize(21);
        assertThat(back[20]).isEqualTo((byte) '!');
        assertThat(back[15]).isZero();
    }

    @Test
    void fsyncMakesDataVisibleToAnotherMountWhileStillOpen() throws Exception {
        try (FileChannel ch = FileChannel.open(root.resolve("synced"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("durable".getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
            assertThat(Files.readString(other.resolve("synced"))).isEqualTo("durable");
        }
    }

    @Test
    void errorsCarryTheRightErrno() throws IOException {
        assertThatThrownBy(() -> Files.readString(root.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
        Files.createDirectory(root.resolve("exists"));
        assertThatThrownBy(() -> Files.createDirectory(root.resolve("exists")))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    }

    static int shStatus(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void permissionsAreCheckedForTheCallingUser() throws Exception {
        Path open = Files.createDirectory(root.resolve("perm-open"));
        Path closed = Files.createDirectory(root.resolve("perm-closed"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwxr-xr-x"));
        String[] nobody = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-c"};
        assertThat(shStatus(concat(nobody, "echo x > " + closed.resolve("f")))).isNotZero();
        assertThat(Files.exists(closed.resolve("f"))).isFalse();
        sh(concat(nobody, "echo mine > " + open.resolve("f")));
        assertThat(Files.getAttribute(open.resolve("f"), "unix:uid")).isEqualTo(65534);
        assertThat(Files.getAttribute(open.resolve("f"), "unix:gid")).isEqualTo(65534);
        Files.writeString(closed.resolve("secret"), "root only");
        Files.setPosixFilePermissions(closed.resolve("secret"), PosixFilePermissions.fromString("rw-------"));
        assertThat(shStatus(concat(nobody, "cat " + closed.resolve("secret")))).isNotZero();
        assertThat(shStatus(concat(nobody, "rm -f " + closed.resolve("secret")))).isNotZero();
        Files.setOwner(closed.resolve("secret"), closed.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName("nobody"));
        assertThat(sh(concat(nobody, "cat " + closed.resolve("secret")))).isEqualTo("root only");
    }

    static String[] concat(String[] a, String b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    @Test
    void fifosTimesAndOwnership() throws Exception {
        Path fifo = root.resolve("fifo");
        sh("mkfifo", fifo.toString());
        assertThat(sh("stat", "-c", "%F", fifo.toString())).isEqualTo("fifo\n");
        Path f = Files.writeString(root.resolve("timed"), "t");
        sh("touch", "-m", "-d", "2001-02-03 04:05:06 UTC", f.toString());
        assertThat(sh("stat", "-c", "%Y", f.toString()).trim()).isEqualTo("981173106");
        sh("touch", "-a", "-d", "2002-02-03 04:05:06 UTC", f.toString());  // mtime untouched (UTIME_OMIT)
        assertThat(sh("stat", "-c", "%X %Y", f.toString()).trim()).isEqualTo("1012709106 981173106");
        sh("chown", "123:456", f.toString());
        assertThat(sh("stat", "-c", "%u:%g", f.toString()).trim()).isEqualTo("123:456");
    }

    @Test
    void timesSetWhileAFileIsOpenAfterWritingSurviveTheClose() throws Exception {
        Path f = root.resolve("kept-time");
        java.nio.file.attribute.FileTime then = java.nio.file.attribute.FileTime.fromMillis(981173106000L);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("as tar does".getBytes(StandardCharsets.UTF_8)));
            Files.setLastModifiedTime(f, then);
        }
        assertThat(Files.getLastModifiedTime(f)).isEqualTo(then);
        assertThat(Files.getLastModifiedTime(other.resolve("kept-time"))).isEqualTo(then);
        assertThat(Files.readString(other.resolve("kept-time"))).isEqualTo("as tar does");
    }

    @Test
    void aFileReadsItsOwnWritesBeforeClose() throws Exception {
        Path f = root.resolve("rw");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            byte[] data = random(3 << 20, 9);
            ch.write(ByteBuffer.wrap(data), 0);
            assertThat(Files.size(f)).isEqualTo(data.length);
            ByteBuffer back = ByteBuffer.allocate(data.length);
            while (back.hasRemaining() && ch.read(back, back.position()) > 0) {
                // read until full
            }
            assertThat(back.array()).isEqualTo(data);
        }
    }

    @Test
    void concurrentWritersToDifferentFiles() throws Exception {
        Path d = Files.createDirectory(root.resolve("par"));
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (int t = 0; t < 4; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    Files.write(d.resolve("p" + id), random((1 << 20) + id * 4099, 100 + id));
                    return null;
                }));
            }
            for (var x : done) {
                x.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int t = 0; t < 4; t++) {
            assertThat(Files.readAllBytes(other.resolve("par/p" + t))).isEqualTo(random((1 << 20) + t * 4099, 100 + t));
        }
    }
}
