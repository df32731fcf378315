package io.cairn.fuse.kernel;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The INIT handshake and the mount options, without a kernel: a request laid out as the kernel
 * sends it, the reply written to a file through the same channel code a mount uses.
 */
class InitTest {
    @TempDir
    Path dir;

    private record Sent(MemorySegment bytes, Init.Negotiated agreed) {
        int i32(int at) {
            return bytes.get(JAVA_INT_UNALIGNED, at);
        }
    }

    private Sent init(int major, int minor, long offered) throws IOException {
        Path out = Files.createFile(dir.resolve("reply-" + major + "-" + minor));
        int fd = Libc.open(out.toString(), Libc.O_RDWR);
        assertThat(fd).isPositive();
        FuseChannel channel = new FuseChannel(fd);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment in = a.allocate(FuseRequest.HEADER + 64);
            in.set(JAVA_INT_UNALIGNED, 0, (int) in.byteSize());
            in.set(JAVA_INT_UNALIGNED, 4, Fuse.INIT);
            in.set(JAVA_LONG_UNALIGNED, 8, 7L);  // unique
            in.set(JAVA_INT_UNALIGNED, 40, major);
            in.set(JAVA_INT_UNALIGNED, 44, minor);
            in.set(JAVA_INT_UNALIGNED, 48, 128 * 1024);
            in.set(JAVA_INT_UNALIGNED, 52, (int) offered);
            in.set(JAVA_INT_UNALIGNED, 56, (int) (offered >>> 32));
            FuseRequest req = new FuseRequest(in);
            req.load((int) in.byteSize());
            FuseReply reply = new FuseReply(channel);
            reply.start(req.unique());
            Init.Negotiated agreed = Init.answer(req, reply, FuseSession.DEFAULT_WANT, FuseSession.MAX_WRITE);
            channel.close();
            return new Sent(MemorySegment.ofArray(Files.readAllBytes(out)), agreed);
        }
    }

    @Test
    void aCurrentKernelGetsOneMebibyteRequestsAndTheWantedCapabilitiesItOffers() throws IOException {
        long offered = -1L & ~Fuse.WRITEBACK_CACHE;  // everything but the writeback cache
        Sent s = init(7, 45, offered);
        assertThat(s.i32(0)).isEqualTo(16 + Init.OUT_SIZE);  // out header: length
        assertThat(s.i32(4)).isZero();  // error
        assertThat(s.bytes().get(JAVA_LONG_UNALIGNED, 8)).isEqualTo(7L);  // unique
        assertThat(s.i32(16)).isEqualTo(7);
        assertThat(s.i32(20)).isEqualTo(Fuse.MAX_MINOR);
        long flags = s.i32(28) & 0xFFFFFFFFL;
        assertThat(flags).isEqualTo(FuseSession.DEFAULT_WANT | Fuse.INIT_EXT);
        assertThat(s.i32(36)).isEqualTo(1 << 20);  // max_write
        assertThat(s.bytes().get(JAVA_SHORT_UNALIGNED, 44)).isEqualTo((short) 256);  // max_pages
        assertThat(s.agreed().has(Fuse.WRITEBACK_CACHE)).isFalse();
        assertThat(s.agreed().has(Fuse.PARALLEL_DIROPS)).isTrue();
    }

    @Test
    void anOlderKernelKeepsItsMinorVersionAndOnlyWhatItOffers() throws IOException {
        Sent s = init(7, 26, Fuse.ASYNC_READ | Fuse.POSIX_LOCKS);
        assertThat(s.i32(20)).isEqualTo(26);
        assertThat(s.i32(28) & 0xFFFFFFFFL).isEqualTo(Fuse.ASYNC_READ | Fuse.POSIX_LOCKS);
        assertThat(s.bytes().get(JAVA_SHORT_UNALIGNED, 44)).isZero();  // no MAX_PAGES offered
    }

    @Test
    void aNewerMajorVersionIsAnsweredWithOursAndNoAgreement() throws IOException {
        Sent s = init(8, 0, 0);
        assertThat(s.i32(16)).isEqualTo(7);
        assertThat(s.agreed()).isNull();
    }

    @Test
    void anOlderMajorVersionIsRefused() throws IOException {
        Sent s = init(6, 9, 0);
        assertThat(s.i32(4)).isEqualTo(-71);  // EPROTO
        assertThat(s.agreed()).isNull();
    }

    @Test
    void mountOptionsAreCheckedAndSplitIntoFlagsAndData() throws IOException {
        KernelMount.Parsed p = KernelMount.parse(List.of("ro", "default_permissions", "allow_other", "fsname=cairn:vol0",
                "subtype=cairn", "noatime", "dev"));
        assertThat(p.flags()).isEqualTo(Libc.MS_RDONLY | Libc.MS_NOSUID | Libc.MS_NOATIME);
        assertThat(p.data()).isEqualTo(",default_permissions,allow_other");
        assertThat(p.source()).isEqualTo("cairn:vol0");
        assertThat(p.type()).isEqualTo("fuse.cairn");
        assertThatThrownBy(() -> KernelMount.parse(List.of("big_writes")))
                .hasMessageStartingWith("unknown FUSE mount option 'big_writes'; known: ");
        assertThatThrownBy(() -> KernelMount.parse(List.of("fd=3"))).hasMessageContaining("'fd=3'");
    }
}
