package io.cairn.meta.namespace;

import static io.cairn.meta.NamespaceFixture.assertCode;
import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.meta.FixtureTest;
import io.cairn.meta.NamespaceFixture;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.MetaReply;
import io.cairn.proto.RenameResult;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** rename(2) and renameat2(2): atomic replacement, directory moves, NOREPLACE and EXCHANGE. */
class RenameTest extends FixtureTest {

    /** What sits at a name before the rename. */
    enum Kind {
        FILE, EMPTY_DIR, FULL_DIR, SYMLINK, FIFO, NONE;

        long make(NamespaceFixture fx, long parent, String name) {
            return switch (this) {
                case FILE -> fx.create(parent, name, 0644);
                case EMPTY_DIR -> fx.mkdir(parent, name, 0755);
                case FULL_DIR -> {
                    long d = fx.mkdir(parent, name, 0755);
                    fx.create(d, "inside", 0644);
                    yield d;
                }
                case SYMLINK -> fx.symlink(parent, name, "somewhere");
                case FIFO -> ok(fx.asRoot().mknod(parent, name, FileMode.S_IFIFO | 0644, 0, false)).getAttr().getInode();
                case NONE -> 0;
            };
        }

        boolean isDir() {
            return this == EMPTY_DIR || this == FULL_DIR;
        }
    }

    /** The errno Linux gives for rename(src kind, dst kind) without flags. */
    static ErrorCode plainOutcome(Kind src, Kind dst) {
        if (dst == Kind.NONE) {
            return ErrorCode.OK;
        }
        if (src.isDir()) {
            if (!dst.isDir()) {
                return ErrorCode.NOT_A_DIRECTORY;
            }
            return dst == Kind.FULL_DIR ? ErrorCode.DIRECTORY_NOT_EMPTY : ErrorCode.OK;
        }
        return dst.isDir() ? ErrorCode.IS_A_DIRECTORY : ErrorCode.OK;
    }

    static Stream<Arguments> grid() {
        List<Arguments> out = new ArrayList<>();
        Kind[] sources = {Kind.FILE, Kind.EMPTY_DIR, Kind.FULL_DIR, Kind.SYMLINK, Kind.FIFO};
        for (Kind src : sources) {
            for (Kind dst : Kind.values()) {
                for (boolean cross : new boolean[] {false, true}) {
                    out.add(Arguments.of(src, dst, cross, 0, plainOutcome(src, dst)));
                    out.add(Arguments.of(src, dst, cross, RenameOp.NOREPLACE,
                            dst == Kind.NONE ? ErrorCode.OK : ErrorCode.ALREADY_EXISTS));
                    out.add(Arguments.of(src, dst, cross, RenameOp.EXCHANGE,
                            dst == Kind.NONE ? ErrorCode.NOT_FOUND : ErrorCode.OK));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} onto {1}, across parents {2}, flags {3} -> {4}")
    @MethodSource("grid")
    void renameGrid(Kind srcKind, Kind dstKind, boolean crossParent, int flags, ErrorCode expected) {
        long a = fx.mkdir(fx.root(), "a", 0755);
        long b = crossParent ? fx.mkdir(fx.root(), "b", 0755) : a;
        long src = srcKind.make(fx, a, "src");
        long dst = dstKind.make(fx, b, "dst");
        InodeAttr srcBefore = fx.attr(src);
        long inodes = fx.volumeInodes();
        String before = fx.stateDigest();

        MetaReply r = fx.asRoot().rename(a, "src", b, "dst", flags);

        assertCode(r, expected);
        if (expected != ErrorCode.OK) {
            assertThat(fx.stateDigest()).isEqualTo(before);
            return;
        }
        long t = fx.lastNs();
        RenameResult result = r.getRename();
        assertThat(result.getMoved().getInode()).isEqualTo(src);
        assertThat(result.getMoved()).isEqualTo(fx.attr(src));
        assertThat(fx.lookup(b, "dst")).isEqualTo(src);
        InodeAttr moved = fx.attr(src);
        assertThat(moved.getCtimeNs()).as("rename changes the moved inode's ctime").isEqualTo(t);
        assertThat(moved.getMtimeNs()).isEqualTo(srcBefore.getMtimeNs());
        assertThat(moved.getNlink()).isEqualTo(srcBefore.getNlink());
        assertThat(fx.attr(a).getMtimeNs()).isEqualTo(t);
        assertThat(fx.attr(a).getCtimeNs()).isEqualTo(t);
        assertThat(fx.attr(b).getMtimeNs()).isEqualTo(t);
        assertThat(fx.attr(b).getCtimeNs()).isEqualTo(t);
        if (srcKind.isDir()) {
            assertThat(fx.record(src).getParent()).isEqualTo(b);
        }
        if (flags == RenameOp.EXCHANGE) {
            assertThat(fx.lookup(a, "src")).isEqualTo(dst);
            assertThat(fx.attr(dst).getCtimeNs()).isEqualTo(t);
            assertThat(result.getReplacedInode()).isZero();
            assertThat(fx.volumeInodes()).isEqualTo(inodes);
            if (dstKind.isDir()) {
                assertThat(fx.record(dst).getParent()).isEqualTo(a);
            }
        } else {
            assertThat(fx.has(a, "src")).isFalse();
            assertThat(result.getReplacedInode()).isEqualTo(dst);
            if (dstKind != Kind.NONE) {
                assertThat(fx.exists(dst)).as("the replaced inode had one name and is gone").isFalse();
                assertThat(fx.volumeInodes()).isEqualTo(inodes - 1);
            } else {
                assertThat(fx.volumeInodes()).isEqualTo(inodes);
            }
        }
    }

    @Test
    void replacingAFileFreesItsChunksAndXattrs() {
        long sb = fx.sandbox();
        long src = fx.create(sb, "new", 0644);
        long old = fx.create(sb, "old", 0644);
        fx.writeChunks(old, 2, 5);
        ok(fx.asRoot().setXattr(old, "user.k", "v"));
        List<Long> chunkIds = fx.chunks(old).stream().map(ChunkInfo::getChunkId).toList();
        RenameResult r = ok(fx.asRoot().rename(sb, "new", sb, "old")).getRename();
        assertThat(r.getReplacedInode()).isEqualTo(old);
        assertThat(fx.lookup(sb, "old")).isEqualTo(src);
        assertThat(fx.exists(old)).isFalse();
        assertThat(fx.garbage()).containsExactlyInAnyOrderElementsOf(chunkIds);
        assertThat(fx.hasXattrRows(old)).isFalse();
        assertThat(fx.names(sb)).containsExactly("old");
    }

    @Test
    void replacingAHardLinkedFileOnlyDropsOneLink() {
        long sb = fx.sandbox();
        long keep = fx.mkdir(sb, "keep", 0755);
        long src = fx.create(sb, "src", 0644);
        long target = fx.create(sb, "target", 0644);
        fx.writeChunks(target, 1, 10);
        ok(fx.asRoot().link(target, keep, "other-name"));
        RenameResult r = ok(fx.asRoot().rename(sb, "src", sb, "target")).getRename();
        long t = fx.lastNs();
        assertThat(r.getReplacedInode()).isEqualTo(target);
        assertThat(fx.lookup(sb, "target")).isEqualTo(src);
        InodeAttr survivor = fx.attr(target);
        assertThat(survivor.getNlink()).isEqualTo(1);
        assertThat(survivor.getCtimeNs()).isEqualTo(t);
        assertThat(fx.lookup(keep, "other-name")).isEqualTo(target);
        assertThat(fx.chunks(target)).hasSize(1);
        assertThat(fx.garbage()).isEmpty();
    }

    @ParameterizedTest(name = "rename between two names of one file, flags {0}, across parents {1}")
    @CsvSource({"0, false", "0, true", "2, false", "2, true"})
    void renameBetweenNamesOfTheSameFileDoesNothing(int flags, boolean cross) {
        long a = fx.mkdir(fx.root(), "a", 0755);
        long b = cross ? fx.mkdir(fx.root(), "b", 0755) : a;
        long f = fx.create(a, "one", 0644);
        ok(fx.asRoot().link(f, b, "two"));
        String before = fx.stateDigest();
        MetaReply r = ok(fx.asRoot().rename(a, "one", b, "two", flags));
        assertThat(r.getRename().getMoved().getInode()).isEqualTo(f);
        assertThat(r.getRename().getReplacedInode()).isZero();
        assertThat(fx.stateDigest()).as("POSIX: rename does nothing and succeeds").isEqualTo(before);
        assertThat(fx.lookup(a, "one")).isEqualTo(f);
        assertThat(fx.lookup(b, "two")).isEqualTo(f);
        assertThat(fx.attr(f).getNlink()).isEqualTo(2);
    }

    @ParameterizedTest(name = "rename a {0} onto its own name does nothing")
    @CsvSource({"FILE", "EMPTY_DIR", "FULL_DIR", "SYMLINK"})
    void renameOntoItselfDoesNothing(Kind kind) {
        long sb = fx.sandbox();
        long ino = kind.make(fx, sb, "x");
        String before = fx.stateDigest();
        ok(fx.asRoot().rename(sb, "x", sb, "x"));
        assertThat(fx.stateDigest()).isEqualTo(before);
        assertThat(fx.lookup(sb, "x")).isEqualTo(ino);
    }

    @Test
    void directoryMoveFixesBothParentsAndTheParentPointer() {
        long from = fx.mkdir(fx.root(), "from", 0755);
        long to = fx.mkdir(fx.root(), "to", 0755);
        long d = fx.mkdir(from, "d", 0755);
        fx.mkdir(d, "child", 0755);
        fx.create(d, "file", 0644);
        assertThat(fx.attr(from).getNlink()).isEqualTo(3);
        assertThat(fx.attr(to).getNlink()).isEqualTo(2);
        assertThat(fx.attr(d).getNlink()).isEqualTo(3);

        ok(fx.asRoot().rename(from, "d", to, "moved"));

        assertThat(fx.attr(from).getNlink()).isEqualTo(2);
        assertThat(fx.attr(to).getNlink()).isEqualTo(3);
        assertThat(fx.attr(d).getNlink()).as("its own subdirectories are unchanged").isEqualTo(3);
        assertThat(fx.record(d).getParent()).isEqualTo(to);
        assertThat(fx.names(d)).containsExactly("child", "file");
        // the loop check follows the new parent pointer
        long moved = fx.lookup(to, "moved");
        assertCode(fx.asRoot().rename(fx.root(), "to", fx.lookup(moved, "child"), "to"), ErrorCode.INVALID_ARGUMENT);
        // and the old parent is empty and removable
        ok(fx.asRoot().rmdir(fx.root(), "from"));
    }

    @Test
    void directoryMoveWithinItsParentKeepsNlinks() {
        long p = fx.mkdir(fx.root(), "p", 0755);
        long d = fx.mkdir(p, "d", 0755);
        ok(fx.asRoot().rename(p, "d", p, "e"));
        assertThat(fx.attr(p).getNlink()).isEqualTo(3);
        assertThat(fx.record(d).getParent()).isEqualTo(p);
    }

    @Test
    void directoryReplacingAnEmptyDirectoryElsewhere() {
        long from = fx.mkdir(fx.root(), "from", 0755);
        long to = fx.mkdir(fx.root(), "to", 0755);
        long d = fx.mkdir(from, "d", 0755);
        long victim = fx.mkdir(to, "victim", 0755);
        ok(fx.asRoot().setXattr(victim, "user.k", "v"));
        RenameResult r = ok(fx.asRoot().rename(from, "d", to, "victim")).getRename();
        assertThat(r.getReplacedInode()).isEqualTo(victim);
        assertThat(fx.exists(victim)).isFalse();
        assertThat(fx.hasXattrRows(victim)).isFalse();
        assertThat(fx.attr(from).getNlink()).isEqualTo(2);
        assertThat(fx.attr(to).getNlink()).as("one subdirectory replaced another").isEqualTo(3);
        assertThat(fx.lookup(to, "victim")).isEqualTo(d);
    }

    @Test
    void directoryMovesIntoACousinSubtree() {
        long a = fx.mkdir(fx.root(), "a", 0755);
        long b = fx.mkdir(a, "b", 0755);
        long c = fx.mkdir(fx.root(), "c", 0755);
        long e = fx.mkdir(fx.mkdir(c, "d", 0755), "e", 0755);
        ok(fx.asRoot().rename(fx.root(), "a", e, "a"));
        assertThat(fx.record(a).getParent()).isEqualTo(e);
        assertThat(fx.record(b).getParent()).isEqualTo(a);
        assertThat(fx.attr(fx.root()).getNlink()).isEqualTo(3);
        assertThat(fx.attr(e).getNlink()).isEqualTo(3);
        // and back up again
        ok(fx.asRoot().rename(e, "a", fx.root(), "a"));
        assertThat(fx.record(a).getParent()).isEqualTo(fx.root());
        assertThat(fx.attr(c).getNlink()).isEqualTo(3);
    }

    @Test
    void exchangeOfAFileAndADirectoryAcrossParents() throws Exception {
        long p = fx.mkdir(fx.root(), "p", 0755);
        long q = fx.mkdir(fx.root(), "q", 0755);
        long f = fx.create(p, "x", 0644);
        long d = fx.mkdir(q, "y", 0755);
        fx.create(d, "inside", 0644);
        assertThat(fx.attr(p).getNlink()).isEqualTo(2);
        assertThat(fx.attr(q).getNlink()).isEqualTo(3);

        ok(fx.asRoot().rename(p, "x", q, "y", RenameOp.EXCHANGE));
        long t = fx.lastNs();

        assertThat(fx.lookup(p, "x")).isEqualTo(d);
        assertThat(fx.lookup(q, "y")).isEqualTo(f);
        assertThat(fx.attr(p).getNlink()).as("p now holds the directory").isEqualTo(3);
        assertThat(fx.attr(q).getNlink()).isEqualTo(2);
        assertThat(fx.record(d).getParent()).isEqualTo(p);
        assertThat(fx.asRoot().readDir(p, "", 0, false).getEntries(0).getType()).isEqualTo(FileMode.S_IFDIR);
        assertThat(fx.asRoot().readDir(q, "", 0, false).getEntries(0).getType()).isEqualTo(FileMode.S_IFREG);
        assertThat(fx.attr(f).getCtimeNs()).isEqualTo(t);
        assertThat(fx.attr(d).getCtimeNs()).isEqualTo(t);
        for (long dir : new long[] {p, q}) {
            assertThat(fx.attr(dir).getMtimeNs()).isEqualTo(t);
            assertThat(fx.attr(dir).getCtimeNs()).isEqualTo(t);
        }
        assertThat(fx.names(d)).containsExactly("inside");
    }

    @Test
    void exchangeOfTwoDirectoriesAcrossParentsSwapsParentPointers() {
        long p = fx.mkdir(fx.root(), "p", 0755);
        long q = fx.mkdir(fx.root(), "q", 0755);
        long x = fx.mkdir(p, "x", 0755);
        long y = fx.mkdir(q, "y", 0755);
        fx.mkdir(y, "deep", 0755);
        ok(fx.asRoot().rename(p, "x", q, "y", RenameOp.EXCHANGE));
        assertThat(fx.lookup(p, "x")).isEqualTo(y);
        assertThat(fx.lookup(q, "y")).isEqualTo(x);
        assertThat(fx.record(x).getParent()).isEqualTo(q);
        assertThat(fx.record(y).getParent()).isEqualTo(p);
        assertThat(fx.attr(p).getNlink()).isEqualTo(3);
        assertThat(fx.attr(q).getNlink()).isEqualTo(3);
        assertThat(fx.attr(y).getNlink()).isEqualTo(3);
    }

    @Test
    void exchangeOfTwoFilesInOneDirectory() {
        long sb = fx.sandbox();
        long a = fx.create(sb, "a", 0644);
        long b = fx.create(sb, "b", 0600);
        ok(fx.asRoot().rename(sb, "a", sb, "b", RenameOp.EXCHANGE));
        assertThat(fx.lookup(sb, "a")).isEqualTo(b);
        assertThat(fx.lookup(sb, "b")).isEqualTo(a);
        assertThat(fx.attr(a).getNlink()).isEqualTo(1);
        assertThat(fx.attr(b).getNlink()).isEqualTo(1);
        // and back
        ok(fx.asRoot().rename(sb, "a", sb, "b", RenameOp.EXCHANGE));
        assertThat(fx.lookup(sb, "a")).isEqualTo(a);
    }

    @Test
    void renamedSymlinkKeepsItsTarget() throws Exception {
        long sb = fx.sandbox();
        long other = fx.mkdir(sb, "other", 0755);
        long s = fx.symlink(sb, "s", "../relative/target");
        ok(fx.asRoot().rename(sb, "s", other, "t"));
        assertThat(fx.asRoot().readLink(s)).isEqualTo("../relative/target");
    }

    @Test
    void renameKeepsOwnerModeTimesAndData() {
        long sb = fx.sandbox();
        long f = fx.create(sb, "f", 04755, 1000, 100);
        fx.writeChunks(f, 2, 3);
        InodeAttr before = fx.attr(f);
        List<ChunkInfo> chunks = fx.chunks(f);
        ok(fx.asRoot().rename(sb, "f", fx.root(), "g"));
        InodeAttr after = fx.attr(f);
        assertThat(after.toBuilder().setCtimeNs(before.getCtimeNs()).build()).isEqualTo(before);
        assertThat(fx.chunks(f)).isEqualTo(chunks);
    }

    @Test
    void renameToANewNameChangesNothingElse() {
        long sb = fx.sandbox();
        fx.create(sb, "a", 0644);
        fx.create(sb, "c", 0644);
        ok(fx.asRoot().rename(sb, "a", sb, "b"));
        assertThat(fx.names(sb)).containsExactly("b", "c");
    }

    @Test
    void chainOfRenamesKeepsEveryInode() {
        long sb = fx.sandbox();
        long[] inodes = new long[5];
        for (int i = 0; i < 5; i++) {
            inodes[i] = fx.create(sb, "f" + i, 0644);
        }
        // rotate f0 <- f1 <- ... by exchanges
        for (int i = 0; i < 4; i++) {
            ok(fx.asRoot().rename(sb, "f" + i, sb, "f" + (i + 1), RenameOp.EXCHANGE));
        }
        assertThat(fx.lookup(sb, "f4")).isEqualTo(inodes[0]);
        for (int i = 0; i < 4; i++) {
            assertThat(fx.lookup(sb, "f" + i)).isEqualTo(inodes[i + 1]);
        }
    }
}
