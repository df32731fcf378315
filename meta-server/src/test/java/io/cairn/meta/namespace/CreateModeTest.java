package io.cairn.meta.namespace;

import static io.cairn.meta.NamespaceFixture.ALICE;
import static io.cairn.meta.NamespaceFixture.CAROL;
import static io.cairn.meta.NamespaceFixture.ROOT;
import static io.cairn.meta.NamespaceFixture.STAFF;
import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.meta.FixtureTest;
import io.cairn.proto.Credentials;
import io.cairn.proto.InodeAttr;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Modes and owners of new inodes: the mode is stored as the caller sent it (the umask is the
 * client's business), the owner is the caller, and a setgid directory hands down its group
 * (and, to subdirectories, the setgid bit) as on Linux.
 */
class CreateModeTest extends FixtureTest {

    private static Credentials who(String name) {
        return switch (name) {
            case "root" -> ROOT;
            case "alice" -> ALICE;
            case "carol" -> CAROL;
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "create with mode 0{0} stores 0{1}")
    @CsvSource({
            "644,     100644",
            "666,     100666",   // no umask applied
            "0,       100000",
            "777,     100777",
            "4755,    104755",
            "2755,    102755",
            "1755,    101755",
            "7777,    107777",
            "100600,  100600",   // explicit S_IFREG
            "10640,   10640",    // fifo
            "140755,  140755",   // socket
    })
    void createStoresTheModeAsGiven(String mode, String stored) {
        InodeAttr a = ok(fx.asRoot().create(fx.sandbox(), "f", Integer.parseInt(mode, 8))).getAttr();
        assertThat(Integer.toOctalString(a.getMode())).isEqualTo(stored);
        assertThat(a.getNlink()).isEqualTo(1);
        assertThat(a.getSize()).isZero();
    }

    @ParameterizedTest(name = "mkdir with mode 0{0} stores 0{1}")
    @CsvSource({
            "755,   40755",
            "777,   40777",     // no umask applied
            "0,     40000",
            "1777,  41777",     // the sticky bit is kept
            "2755,  40755",     // mkdir(2) on Linux ignores setgid outside a setgid parent...
            "4755,  40755",     // ... and always ignores setuid
            "7777,  41777",
            "40700, 40700",
    })
    void mkdirStoresPermissionsAndStickyBit(String mode, String stored) {
        InodeAttr a = ok(fx.asRoot().mkdir(fx.sandbox(), "d", Integer.parseInt(mode, 8))).getAttr();
        assertThat(Integer.toOctalString(a.getMode())).isEqualTo(stored);
    }

    @Test
    void symlinksAre0777WithTheTargetLengthAsSize() throws Exception {
        String target = "../dir/файл";
        InodeAttr a = ok(fx.as(ALICE).symlink(fx.sandbox(), "s", target)).getAttr();
        assertThat(a.getMode()).isEqualTo(FileMode.S_IFLNK | 0777);
        assertThat(a.getSize()).isEqualTo(target.getBytes(StandardCharsets.UTF_8).length);
        assertThat(a.getUid()).isEqualTo(1000);
        assertThat(a.getNlink()).isEqualTo(1);
        assertThat(fx.asRoot().readLink(a.getInode())).isEqualTo(target);
    }

    @ParameterizedTest(name = "{0} creates a {1} in a plain directory of group 100: owner {2}:{3}")
    @CsvSource({
            "root,  file, 0,    0",
            "alice, file, 1000, 1000",
            "carol, file, 1002, 1002",
            "alice, dir,  1000, 1000",
            "alice, link, 1000, 1000",
            "alice, fifo, 1000, 1000",
    })
    void ownerIsTheCallerAndGroupItsPrimaryGroup(String caller, String kind, int uid, int gid) {
        long d = fx.mkdir(fx.sandbox(), "d", 0777, 0, STAFF);
        InodeAttr a = make(who(caller), d, kind, 0755);
        assertThat(a.getUid()).isEqualTo(uid);
        assertThat(a.getGid()).isEqualTo(gid);
    }

    @ParameterizedTest(name = "{0} creates a {1} in a setgid directory of group 100: group 100, mode 0{2}")
    @CsvSource({
            "root,  file, 100755",
            "alice, file, 100755",
            "carol, file, 100755",
            "alice, dir,  42755",   // subdirectories inherit S_ISGID
            "carol, dir,  42755",
            "root,  dir,  42755",
            "alice, link, 120777",
            "carol, fifo, 10755",
    })
    void setgidDirectoryHandsDownItsGroup(String caller, String kind, String mode) {
        long d = fx.mkdir(fx.sandbox(), "shared", 02777, 0, STAFF);
        InodeAttr a = make(who(caller), d, kind, 0755);
        assertThat(a.getGid()).isEqualTo(STAFF);
        assertThat(a.getUid()).isEqualTo(who(caller).getUid());
        assertThat(Integer.toOctalString(a.getMode())).isEqualTo(mode);
    }

    @ParameterizedTest(name = "{0} creates a file with mode 0{1} in a setgid directory of group 100 -> 0{2}")
    @CsvSource({
            "alice, 2755, 102755",   // a member keeps setgid
            "root,  2755, 102755",   // so does root
            "carol, 2755, 100755",   // a non-member loses it: it would make the file run as group 100
            "carol, 2745, 102745",   // ... unless it is not group-executable (mandatory locking marker)
            "carol, 4755, 104755",   // setuid is her own to give
            "carol, 6755, 104755",
    })
    void setgidOfNewFilesInASetgidDirectory(String caller, String mode, String stored) {
        long d = fx.mkdir(fx.sandbox(), "shared", 02777, 0, STAFF);
        InodeAttr a = ok(fx.as(who(caller)).create(d, "f", Integer.parseInt(mode, 8))).getAttr();
        assertThat(Integer.toOctalString(a.getMode())).isEqualTo(stored);
    }

    @Test
    void setgidInheritanceReachesEveryLevel() {
        long top = fx.mkdir(fx.sandbox(), "top", 02777, 0, STAFF);
        long mid = ok(fx.as(CAROL).mkdir(top, "mid", 0700)).getAttr().getInode();
        ok(fx.asRoot().chmod(mid, 02777));
        long low = ok(fx.as(ALICE).mkdir(mid, "low", 0755)).getAttr().getInode();
        InodeAttr f = ok(fx.as(ALICE).create(low, "f", 0644)).getAttr();
        assertThat(fx.attr(mid).getGid()).isEqualTo(STAFF);
        assertThat(fx.attr(low).getGid()).isEqualTo(STAFF);
        assertThat(fx.attr(low).getMode() & FileMode.S_ISGID).isNotZero();
        assertThat(f.getGid()).isEqualTo(STAFF);
        assertThat(f.getMode() & FileMode.S_ISGID).isZero();
    }

    @Test
    void clearingSetgidOnTheParentStopsInheritance() {
        long d = fx.mkdir(fx.sandbox(), "d", 02777, 0, STAFF);
        ok(fx.asRoot().chmod(d, 0777));
        InodeAttr a = ok(fx.as(ALICE).mkdir(d, "sub", 0755)).getAttr();
        assertThat(a.getGid()).isEqualTo(1000);
        assertThat(a.getMode()).isEqualTo(FileMode.S_IFDIR | 0755);
    }

    @Test
    void deviceNumbersAreKeptOnlyForDevices() {
        long sb = fx.sandbox();
        assertThat(ok(fx.asRoot().mknod(sb, "c", FileMode.S_IFCHR | 0600, 0x0a0b, false)).getAttr().getRdev())
                .isEqualTo(0x0a0b);
        assertThat(ok(fx.asRoot().mknod(sb, "f", FileMode.S_IFREG | 0600, 0x0a0b, false)).getAttr().getRdev())
                .isZero();
        assertThat(ok(fx.asRoot().mknod(sb, "p", FileMode.S_IFIFO | 0600, 0x0a0b, false)).getAttr().getRdev())
                .isZero();
    }

    @Test
    void createOfAnExistingFileWithoutExclReturnsIt() {
        long sb = fx.sandbox();
        long f = fx.create(sb, "f", 0600);
        ok(fx.asRoot().setAttr(f, b -> b.setSetSize(true).setSize(10)));
        String before = fx.stateDigest();
        InodeAttr again = ok(fx.as(ALICE).create(sb, "f", 0777)).getAttr();
        assertThat(again).isEqualTo(fx.attr(f));
        assertThat(again.getMode()).as("the mode of an existing file is not changed").isEqualTo(FileMode.S_IFREG | 0600);
        assertThat(fx.stateDigest()).isEqualTo(before);
    }

    @Test
    void newEntriesTouchTheParentAndCountInTheVolume() {
        long sb = fx.sandbox();
        long inodes = fx.volumeInodes();
        fx.create(sb, "a", 0644);
        fx.symlink(sb, "b", "a");
        fx.mkdir(sb, "c", 0755);
        long t = fx.lastNs();
        assertThat(fx.volumeInodes()).isEqualTo(inodes + 3);
        assertThat(fx.attr(sb).getMtimeNs()).isEqualTo(t);
        assertThat(fx.attr(sb).getCtimeNs()).isEqualTo(t);
    }

    private InodeAttr make(Credentials c, long dir, String kind, int mode) {
        return switch (kind) {
            case "file" -> ok(fx.as(c).create(dir, "x", mode)).getAttr();
            case "dir" -> ok(fx.as(c).mkdir(dir, "x", mode)).getAttr();
            case "link" -> ok(fx.as(c).symlink(dir, "x", "t")).getAttr();
            case "fifo" -> ok(fx.as(c).mknod(dir, "x", FileMode.S_IFIFO | mode, 0, false)).getAttr();
            default -> throw new IllegalArgumentException(kind);
        };
    }
}
