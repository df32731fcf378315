package io.cairn.meta.namespace;

import static io.cairn.meta.NamespaceFixture.ALICE;
import static io.cairn.meta.NamespaceFixture.BOB;
import static io.cairn.meta.NamespaceFixture.CAROL;
import static io.cairn.meta.NamespaceFixture.CHUNK_SIZE;
import static io.cairn.meta.NamespaceFixture.ROOT;
import static io.cairn.meta.NamespaceFixture.STAFF;
import static io.cairn.meta.NamespaceFixture.assertCode;
import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.cairn.meta.FixtureTest;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkLength;
import io.cairn.proto.Credentials;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.MetaReply;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** setattr: chmod, chown, truncate and utimens with Linux's rules for privileges and times. */
class SetAttrTest extends FixtureTest {

    private static Credentials who(String name) {
        return switch (name) {
            case "root" -> ROOT;
            case "alice" -> ALICE;
            case "bob" -> BOB;
            case "carol" -> CAROL;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static int oct(String s) {
        return Integer.parseInt(s, 8);
    }

    // ---- chmod ----

    @ParameterizedTest(name = "chmod {0} 0{1} to 0{2} -> 0{3}")
    @CsvSource({
            "file, 644,  600,    100600",
            "file, 644,  4755,   104755",
            "file, 644,  1644,   101644",    // Linux lets anyone set the sticky bit on their files
            "file, 644,  0,      100000",
            "file, 644,  170777, 100777",    // type bits in the request are ignored
            "file, 644,  40755,  100755",
            "dir,  755,  700,    40700",
            "dir,  755,  3777,   43777",
            "dir,  755,  100644, 40644",
            "fifo, 644,  600,    10600",
    })
    void chmodKeepsTheTypeBits(String kind, String from, String to, String expected) {
        long sb = fx.sandbox();
        long ino = switch (kind) {
            case "file" -> fx.create(sb, "x", oct(from), 1000, 1000);
            case "dir" -> fx.mkdir(sb, "x", oct(from), 1000, 1000);
            default -> {
                long p = ok(fx.asRoot().mknod(sb, "x", FileMode.S_IFIFO | oct(from), 0, false)).getAttr().getInode();
                ok(fx.asRoot().chown(p, 1000, 1000));
                yield p;
            }
        };
        InodeAttr before = fx.attr(ino);
        InodeAttr after = ok(fx.as(ALICE).chmod(ino, oct(to))).getAttr();
        assertThat(Integer.toOctalString(after.getMode())).isEqualTo(expected);
        assertThat(after).isEqualTo(fx.attr(ino));
        assertThat(after.getCtimeNs()).isEqualTo(fx.lastNs());
        assertThat(after.getMtimeNs()).isEqualTo(before.getMtimeNs());
        assertThat(after.getAtimeNs()).isEqualTo(before.getAtimeNs());
    }

    @ParameterizedTest(name = "{0} chmods a {1} of group {2} to 0{3} -> 0{4}")
    @CsvSource({
            "alice, file, 1000, 2755, 2755",   // primary group
            "alice, file, 100,  2755, 2755",   // supplementary group
            "alice, file, 1002, 2755, 755",    // not a member: setgid is silently dropped
            "alice, file, 1002, 6755, 4755",
            "alice, file, 1002, 2745, 745",
            "alice, dir,  1002, 2775, 775",
            "alice, dir,  100,  2775, 2775",
            "root,  file, 1002, 2755, 2755",   // root keeps it
            "root,  dir,  4242, 2755, 2755",
    })
    void chmodDropsSetgidForNonMembers(String caller, String kind, int gid, String mode, String expected) {
        long sb = fx.sandbox();
        long ino = kind.equals("dir") ? fx.mkdir(sb, "x", 0755, 1000, gid) : fx.create(sb, "x", 0644, 1000, gid);
        InodeAttr a = ok(fx.as(who(caller)).chmod(ino, oct(mode))).getAttr();
        assertThat(Integer.toOctalString(a.getMode() & 07777)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} chmods bob''s 0{1} file of group {2} to 0{3} -> {4}")
    @CsvSource({
            // what the kernel sends before a write or truncate by a non-owner: setuid/setgid dropped
            "alice, 6777, 1001, 777,  777",
            "alice, 4777, 1001, 777,  777",
            "alice, 6777, 1001, 4777, 4777",   // setgid alone
            "alice, 6770, 100,  770,  770",    // write access through the group
            "carol, 6777, 1001, 777,  777",
            // anything else is still chmod(2) by a non-owner
            "alice, 6775, 1001, 775,  NOT_PERMITTED",   // no write access
            "carol, 6770, 100,  770,  NOT_PERMITTED",
            "alice, 6777, 1001, 776,  NOT_PERMITTED",   // drops more than the privileges
            "alice, 1777, 1001, 777,  NOT_PERMITTED",   // the sticky bit is not a privilege
            "alice, 4777, 1001, 6777, NOT_PERMITTED",   // adds a bit
            "alice, 777,  1001, 777,  NOT_PERMITTED",   // changes nothing
    })
    void aNonOwnerWithWriteAccessMayOnlyDropSetuidAndSetgid(String caller, String mode, int gid, String to,
                                                           String expected) {
        long f = fx.create(fx.sandbox(), "f", oct(mode), 1001, gid);
        MetaReply r = fx.as(who(caller)).chmod(f, oct(to));
        if (Character.isDigit(expected.charAt(0))) {
            assertThat(Integer.toOctalString(ok(r).getAttr().getMode() & 07777)).isEqualTo(expected);
            assertThat(r.getAttr().getCtimeNs()).isEqualTo(fx.lastNs());
        } else {
            assertCode(r, ErrorCode.valueOf(expected));
            assertThat(Integer.toOctalString(fx.attr(f).getMode() & 07777)).isEqualTo(mode);
        }
    }

    // ---- chown ----

    @ParameterizedTest(name = "{0} chowns a {1} 0{2} of 1000:1000 to {3}:{4} -> 0{5}")
    @CsvSource({
            // root: any owner and group; non-directories lose setuid, and setgid where group-executable
            "root,  file, 4755, 2000, 2000, 755",
            "root,  file, 2755, 2000, 2000, 755",
            "root,  file, 2745, 2000, 2000, 2745",
            "root,  file, 6755, 2000, 2000, 755",
            "root,  file, 1755, 2000, 2000, 1755",
            "root,  file, 4755, 1000, 1000, 755",    // even to the same owner
            "root,  dir,  6755, 2000, 2000, 6755",   // directories keep theirs
            "root,  dir,  3777, 0,    0,    3777",
            // the owner may only change the group, to one it is in
            "alice, file, 4755, 1000, 100,  755",
            "alice, file, 2755, 1000, 100,  755",
            "alice, file, 2745, 1000, 100,  2745",
            "alice, file, 644,  1000, 1000, 644",
            "alice, dir,  2755, 1000, 100,  2755",
    })
    void chownRules(String caller, String kind, String mode, int uid, int gid, String expected) {
        long sb = fx.sandbox();
        long ino = kind.equals("dir") ? fx.mkdir(sb, "x", oct(mode), 1000, 1000) : fx.create(sb, "x", oct(mode), 1000, 1000);
        InodeAttr before = fx.attr(ino);
        InodeAttr a = ok(fx.as(who(caller)).chown(ino, uid, gid)).getAttr();
        assertThat(a.getUid()).isEqualTo(uid);
        assertThat(a.getGid()).isEqualTo(gid);
        assertThat(Integer.toOctalString(a.getMode() & 07777)).isEqualTo(expected);
        assertThat(FileMode.type(a.getMode())).isEqualTo(FileMode.type(before.getMode()));
        assertThat(a.getCtimeNs()).isEqualTo(fx.lastNs());
        assertThat(a.getMtimeNs()).isEqualTo(before.getMtimeNs());
    }

    @Test
    void chownOfOnlyTheOwnerOrOnlyTheGroupLeavesTheOther() {
        long f = fx.create(fx.sandbox(), "f", 0644, 1000, 1000);
        InodeAttr a = ok(fx.asRoot().setAttr(f, b -> b.setSetUid(true).setUid(7))).getAttr();
        assertThat(a.getUid()).isEqualTo(7);
        assertThat(a.getGid()).isEqualTo(1000);
        a = ok(fx.asRoot().chgrp(f, 8)).getAttr();
        assertThat(a.getUid()).isEqualTo(7);
        assertThat(a.getGid()).isEqualTo(8);
    }

    @Test
    void chmodAndChownInOneCallAreCheckedAgainstTheNewGroup() {
        // chgrp to a member group then chmod g+s: the setgid check sees the new group
        long f = fx.create(fx.sandbox(), "f", 0644, 1000, 1002);
        InodeAttr a = ok(fx.as(ALICE).setAttr(f, b -> b.setSetGid(true).setGid(STAFF).setSetMode(true).setMode(02755)))
                .getAttr();
        assertThat(a.getGid()).isEqualTo(STAFF);
        assertThat(a.getMode()).isEqualTo(FileMode.S_IFREG | 02755);
    }

    // ---- truncate ----

    /** A file of 3 chunks: two full and one of 100 bytes. */
    @ParameterizedTest(name = "truncate 2C+100 -> {0}: chunk lengths [{1}], {2} freed")
    @CsvSource(delimiter = '|', textBlock = """
            2C+100 | C C 100 | 0
            2C+50  | C C 50  | 0
            2C+1   | C C 1   | 0
            2C     | C C     | 1
            2C-1   | C C-1   | 1
            C+1    | C 1     | 1
            C      | C       | 2
            C-1    | C-1     | 2
            1      | 1       | 2
            0      |         | 3
            3C     | C C 100 | 0
            100C   | C C 100 | 0
            """)
    void truncateFreesChunksPastTheEndAndShortensTheLastOne(String size, String lengths, int freed) {
        long f = fx.create(fx.sandbox(), "f", 0644);
        fx.writeChunks(f, 3, 100);
        List<ChunkInfo> before = fx.chunks(f);
        long newSize = bytes(size);
        InodeAttr a = ok(fx.asRoot().truncate(f, newSize)).getAttr();
        assertThat(a.getSize()).isEqualTo(newSize);
        assertThat(a.getBlocks()).isEqualTo((newSize + 511) / 512);
        List<Long> expected = lengths == null ? List.of()
                : Arrays.stream(lengths.trim().split(" ")).map(SetAttrTest::bytes).toList();
        List<ChunkInfo> after = fx.chunks(f);
        assertThat(after).extracting(ChunkInfo::getLength).containsExactlyElementsOf(expected);
        assertThat(after).extracting(ChunkInfo::getIndex)
                .containsExactlyElementsOf(LongStream.range(0, expected.size()).boxed().toList());
        for (ChunkInfo c : after) {
            ChunkInfo old = before.get((int) c.getIndex());
            assertThat(c.getChunkId()).isEqualTo(old.getChunkId());
            assertThat(c.getPlacementList()).isEqualTo(old.getPlacementList());
        }
        assertThat(fx.garbage()).hasSize(freed)
                .containsExactlyInAnyOrderElementsOf(before.subList(expected.size(), 3).stream().map(ChunkInfo::getChunkId).toList());
    }

    static long bytes(String expr) {
        String e = expr.trim();
        long sign = 1;
        long total = 0;
        for (String part : e.replace("-", "+-").split("\\+")) {
            if (part.isEmpty()) {
                continue;
            }
            sign = part.startsWith("-") ? -1 : 1;
            String p = part.replace("-", "");
            long v = p.endsWith("C") ? (p.length() == 1 ? 1 : Long.parseLong(p.substring(0, p.length() - 1))) * CHUNK_SIZE
                    : Long.parseLong(p);
            total += sign * v;
        }
        return total;
    }

    @Test
    void truncateOfASparseFileFreesOnlyExistingChunksPastTheEnd() {
        long f = fx.create(fx.sandbox(), "f", 0644);
        ok(fx.asRoot().allocate(f, 0, fx.bricks().get(0)));
        ok(fx.asRoot().allocate(f, 5, fx.bricks().get(1)));
        ok(fx.asRoot().allocate(f, 9, fx.bricks().get(2)));
        ok(fx.asRoot().commitWrite(f, 9 * CHUNK_SIZE + 10, 0,
                ChunkLength.newBuilder().setIndex(0).setLength(CHUNK_SIZE).build(),
                ChunkLength.newBuilder().setIndex(5).setLength(500).build(),
                ChunkLength.newBuilder().setIndex(9).setLength(10).build()));
        ok(fx.asRoot().truncate(f, 5 * CHUNK_SIZE + 200));
        assertThat(fx.chunks(f)).extracting(ChunkInfo::getIndex, ChunkInfo::getLength)
                .containsExactly(tuple(0L, CHUNK_SIZE),
                        tuple(5L, 200L));
        assertThat(fx.garbage()).hasSize(1);
        ok(fx.asRoot().truncate(f, 3 * CHUNK_SIZE));
        assertThat(fx.chunks(f)).extracting(ChunkInfo::getIndex).containsExactly(0L);
        assertThat(fx.garbage()).hasSize(2);
    }

    @Test
    void shrinkThenGrowKeepsTheShortenedChunk() {
        long f = fx.create(fx.sandbox(), "f", 0644);
        fx.writeChunks(f, 1, 1000);
        ok(fx.asRoot().truncate(f, 10));
        ok(fx.asRoot().truncate(f, 5000));
        assertThat(fx.attr(f).getSize()).isEqualTo(5000);
        assertThat(fx.chunks(f)).singleElement().satisfies(c -> assertThat(c.getLength()).isEqualTo(10));
    }

    @ParameterizedTest(name = "truncate from {0} to {1}: times change {2}")
    @CsvSource({"100, 50, true", "100, 200, true", "0, 1, true", "1, 0, true", "100, 100, false", "0, 0, false"})
    void truncateTouchesMtimeAndCtimeOnlyWhenTheSizeChanges(long from, long to, boolean changes) {
        long f = fx.create(fx.sandbox(), "f", 0644);
        if (from > 0) {
            ok(fx.asRoot().truncate(f, from));
        }
        InodeAttr before = fx.attr(f);
        fx.advance(1_000_000);
        InodeAttr after = ok(fx.asRoot().truncate(f, to)).getAttr();
        assertThat(after.getSize()).isEqualTo(to);
        if (changes) {
            assertThat(after.getMtimeNs()).isEqualTo(fx.lastNs());
            assertThat(after.getCtimeNs()).isEqualTo(fx.lastNs());
        } else {
            assertThat(after.getMtimeNs()).isEqualTo(before.getMtimeNs());
            assertThat(after.getCtimeNs()).isEqualTo(before.getCtimeNs());
        }
        assertThat(after.getAtimeNs()).isEqualTo(before.getAtimeNs());
    }

    @Test
    void ftruncateSemanticsComeFromAskingForMtimeNowToo() {
        long f = fx.create(fx.sandbox(), "f", 0644, 1000, 1000);
        ok(fx.asRoot().truncate(f, 10));
        fx.advance(1_000_000);
        InodeAttr a = ok(fx.as(ALICE).setAttr(f, b -> b.setSetSize(true).setSize(10).setViaOpenFile(true)
                .setSetMtime(true).setMtimeNow(true))).getAttr();
        assertThat(a.getMtimeNs()).isEqualTo(fx.lastNs());
        assertThat(a.getCtimeNs()).isEqualTo(fx.lastNs());
    }

    @Test
    void aWriterThroughAnOpenFileMayMarkMtimeNowAloneOthersMayNot() {
        long f = fx.create(fx.sandbox(), "f", 0666, 1000, 1000);
        fx.advance(1_000_000);
        InodeAttr a = ok(fx.as(BOB).setAttr(f, b -> b.setViaOpenFile(true).setSetMtime(true).setMtimeNow(true))).getAttr();
        assertThat(a.getMtimeNs()).isEqualTo(fx.lastNs());
        assertThat(a.getCtimeNs()).isEqualTo(fx.lastNs());
        assertCode(fx.as(BOB).setAttr(f, b -> b.setSetMtime(true).setMtimeNow(true)), ErrorCode.NOT_PERMITTED);
        assertCode(fx.as(BOB).setAttr(f, b -> b.setViaOpenFile(true).setSetMtime(true).setMtimeNs(5)),
                ErrorCode.NOT_PERMITTED);
    }

    @ParameterizedTest(name = "{0} truncates a 0{1} file -> 0{2}")
    @CsvSource({
            "alice, 4777, 777",
            "alice, 6777, 777",
            "alice, 2767, 2767",   // setgid without group x is not a privilege
            "alice, 1777, 1777",
            "root,  6777, 6777",   // root keeps privileges
    })
    void truncateByNonRootClearsSetuid(String caller, String mode, String expected) {
        long f = fx.create(fx.sandbox(), "f", oct(mode), 1001, 1001);
        ok(fx.asRoot().truncate(f, 100));
        InodeAttr a = ok(fx.as(who(caller)).truncate(f, 10)).getAttr();
        assertThat(Integer.toOctalString(a.getMode() & 07777)).isEqualTo(expected);
    }

    // ---- utimens ----

    @ParameterizedTest(name = "atime {0}, mtime {1} by the owner")
    @CsvSource({
            "omit, omit",
            "now,  omit",
            "omit, now",
            "now,  now",
            "5,    omit",
            "omit, 6",
            "5,    6",
            "now,  6",
            "5,    now",
            "-1000000000, 0",       // before the epoch
            "9223372036854775807, 1",
    })
    void utimensSetsWhatIsAskedAndCtimeOnAnyChange(String atime, String mtime) {
        long f = fx.create(fx.sandbox(), "f", 0644, 1000, 1000);
        InodeAttr before = fx.attr(f);
        fx.advance(1_000_000);
        InodeAttr a = ok(fx.as(ALICE).setAttr(f, b -> {
            if (!atime.equals("omit")) {
                b.setSetAtime(true).setAtimeNow(atime.equals("now")).setAtimeNs(atime.equals("now") ? 0 : Long.parseLong(atime));
            }
            if (!mtime.equals("omit")) {
                b.setSetMtime(true).setMtimeNow(mtime.equals("now")).setMtimeNs(mtime.equals("now") ? 0 : Long.parseLong(mtime));
            }
            return b;
        })).getAttr();
        long now = fx.lastNs();
        assertThat(a.getAtimeNs()).isEqualTo(expectedTime(atime, before.getAtimeNs(), now));
        assertThat(a.getMtimeNs()).isEqualTo(expectedTime(mtime, before.getMtimeNs(), now));
        boolean anything = !atime.equals("omit") || !mtime.equals("omit");
        assertThat(a.getCtimeNs()).isEqualTo(anything ? now : before.getCtimeNs());
        assertThat(a).isEqualTo(fx.attr(f));
    }

    private static long expectedTime(String spec, long before, long now) {
        return switch (spec) {
            case "omit" -> before;
            case "now" -> now;
            default -> Long.parseLong(spec);
        };
    }

    @Test
    void nonOwnerWithWriteAccessMayTouch() {
        long f = fx.create(fx.sandbox(), "f", 0666, 1001, 1001);
        fx.advance(1_000_000);
        InodeAttr a = ok(fx.as(ALICE).setAttr(f, b -> b.setSetAtime(true).setAtimeNow(true)
                .setSetMtime(true).setMtimeNow(true))).getAttr();
        assertThat(a.getAtimeNs()).isEqualTo(fx.lastNs());
        assertThat(a.getMtimeNs()).isEqualTo(fx.lastNs());
        assertThat(a.getCtimeNs()).isEqualTo(fx.lastNs());
    }

    @Test
    void anEmptySetattrChangesNothing() {
        long f = fx.create(fx.sandbox(), "f", 0644, 1000, 1000);
        String before = fx.stateDigest();
        InodeAttr a = ok(fx.as(CAROL).setAttr(f, b -> b)).getAttr();
        assertThat(a).isEqualTo(fx.attr(f));
        assertThat(fx.stateDigest()).isEqualTo(before);
    }

    @Test
    void setattrOnDirectoriesSymlinksAndFifos() {
        long sb = fx.sandbox();
        long d = fx.mkdir(sb, "d", 0755);
        long s = fx.symlink(sb, "s", "d");
        ok(fx.asRoot().chown(d, 5, 6));
        ok(fx.asRoot().setAttr(s, b -> b.setSetUid(true).setUid(5).setSetMtime(true).setMtimeNs(77)));
        assertThat(fx.attr(d).getUid()).isEqualTo(5);
        assertThat(fx.attr(s).getUid()).isEqualTo(5);
        assertThat(fx.attr(s).getMtimeNs()).isEqualTo(77);
        assertThat(fx.attr(s).getMode()).isEqualTo(FileMode.S_IFLNK | 0777);
    }
}
