package io.cairn.meta.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.Credentials;
import io.cairn.proto.state.InodeRecord;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The mode-bit checks of a local Linux file system, as pure functions. */
class PermissionsTest {

    private static InodeRecord inode(String type, int mode, int uid, int gid) {
        int t = switch (type) {
            case "dir" -> FileMode.S_IFDIR;
            case "file" -> FileMode.S_IFREG;
            case "link" -> FileMode.S_IFLNK;
            case "fifo" -> FileMode.S_IFIFO;
            default -> throw new IllegalArgumentException(type);
        };
        return InodeRecord.newBuilder().setMode(t | mode).setUid(uid).setGid(gid).build();
    }

    private static Credentials cred(int uid, int gid, String groups) {
        Credentials.Builder b = Credentials.newBuilder().setUid(uid).setGid(gid);
        if (!groups.isBlank()) {
            Arrays.stream(groups.trim().split(" ")).mapToInt(Integer::parseInt).forEach(b::addGroups);
        }
        return b.build();
    }

    private static int mask(String rwx) {
        int m = 0;
        for (char ch : rwx.toCharArray()) {
            m |= switch (ch) {
                case 'r' -> Permissions.R;
                case 'w' -> Permissions.W;
                case 'x' -> Permissions.X;
                case '-' -> 0;
                default -> throw new IllegalArgumentException(rwx);
            };
        }
        return m;
    }

    // The inode is owned by 1000:100.
    @ParameterizedTest(name = "{0} 0{1} as {2}:{3} [{4}] asking {5} -> {6}")
    @CsvSource(delimiter = '|', textBlock = """
            # type | mode | uid  | gid  | groups       | mask | allowed
            file   | 700  | 1000 | 1000 |              | rwx  | true
            file   | 400  | 1000 | 1000 |              | r    | true
            file   | 400  | 1000 | 1000 |              | w    | false
            file   | 400  | 1000 | 1000 |              | rw   | false
            file   | 600  | 1000 | 1000 |              | rw   | true
            file   | 200  | 1000 | 1000 |              | w    | true
            file   | 100  | 1000 | 1000 |              | x    | true
            file   | 100  | 1000 | 1000 |              | r    | false
            # the owner class alone decides for the owner, even when group or others may do more
            file   | 077  | 1000 | 100  |              | r    | false
            file   | 077  | 1000 | 1000 | 100          | w    | false
            file   | 007  | 1000 | 1000 |              | x    | false
            file   | 470  | 1000 | 100  |              | w    | false
            # the group class for members by primary or supplementary group
            file   | 040  | 1001 | 100  |              | r    | true
            file   | 040  | 1001 | 1001 | 100          | r    | true
            file   | 040  | 1001 | 1001 | 5 100 7      | r    | true
            file   | 020  | 1001 | 1001 | 100          | w    | true
            file   | 020  | 1001 | 1001 | 100          | r    | false
            file   | 010  | 1001 | 100  |              | x    | true
            file   | 060  | 1001 | 100  |              | rw   | true
            # ... and it alone decides for members
            file   | 407  | 1001 | 100  |              | r    | false
            file   | 707  | 1001 | 1001 | 100          | x    | false
            # others
            file   | 004  | 1002 | 1002 |              | r    | true
            file   | 002  | 1002 | 1002 |              | w    | true
            file   | 001  | 1002 | 1002 |              | x    | true
            file   | 770  | 1002 | 1002 |              | r    | false
            file   | 774  | 1002 | 1002 | 5 6          | w    | false
            file   | 777  | 1002 | 1002 |              | rwx  | true
            file   | 000  | 1002 | 1002 |              | -    | true
            # root reads and writes anything
            file   | 000  | 0    | 0    |              | rw   | true
            dir    | 000  | 0    | 0    |              | rw   | true
            # root executes a file only if someone may
            file   | 000  | 0    | 0    |              | x    | false
            file   | 644  | 0    | 0    |              | x    | false
            file   | 001  | 0    | 0    |              | x    | true
            file   | 010  | 0    | 0    |              | x    | true
            file   | 100  | 0    | 0    |              | x    | true
            file   | 4000 | 0    | 0    |              | x    | false
            file   | 100  | 0    | 0    |              | rwx  | true
            # ... but always searches directories
            dir    | 000  | 0    | 0    |              | x    | true
            dir    | 000  | 0    | 0    |              | rwx  | true
            # directories use the same classes
            dir    | 755  | 1000 | 1000 |              | wx   | true
            dir    | 755  | 1001 | 100  |              | wx   | false
            dir    | 755  | 1001 | 100  |              | rx   | true
            dir    | 333  | 1002 | 1002 |              | r    | false
            dir    | 333  | 1002 | 1002 |              | wx   | true
            dir    | 1777 | 1002 | 1002 |              | rwx  | true
            dir    | 2070 | 1001 | 1001 | 100          | rwx  | true
            # a uid of 0 in the group list grants nothing
            file   | 000  | 1002 | 1002 | 0            | r    | false
            """)
    void allowed(String type, String mode, int uid, int gid, String groups, String mask, boolean allowed) {
        InodeRecord ino = inode(type, Integer.parseInt(mode, 8), 1000, 100);
        Credentials c = cred(uid, gid, groups == null ? "" : groups);
        assertThat(Permissions.allowed(ino, c, mask(mask))).isEqualTo(allowed);
        if (allowed) {
            assertThatCode(() -> Permissions.check(ino, c, mask(mask), "test")).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> Permissions.check(ino, c, mask(mask), "test"))
                    .isInstanceOf(CairnException.class)
                    .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(ErrorCode.PERMISSION_DENIED))
                    .hasMessageContaining("uid " + uid);
        }
    }

    @ParameterizedTest(name = "{0}:{1} [{2}] in group {3}: {4}")
    @CsvSource(delimiter = '|', textBlock = """
            1000 | 100  |         | 100  | true
            1000 | 1000 | 100     | 100  | true
            1000 | 1000 | 7 8 100 | 100  | true
            1000 | 1000 | 7 8     | 100  | false
            1000 | 1000 |         | 100  | false
            0    | 0    |         | 100  | false
            0    | 0    |         | 0    | true
            """)
    void inGroup(int uid, int gid, String groups, int group, boolean member) {
        assertThat(Permissions.inGroup(cred(uid, gid, groups == null ? "" : groups), group)).isEqualTo(member);
    }

    @ParameterizedTest(name = "owner {0}, caller {1}: owner or root {2}")
    @CsvSource({"1000, 1000, true", "1000, 0, true", "1000, 1001, false", "0, 1000, false", "0, 0, true"})
    void ownerOrRoot(int owner, int caller, boolean expected) {
        assertThat(Permissions.isOwnerOrRoot(inode("file", 0644, owner, 1), cred(caller, caller, ""))).isEqualTo(expected);
        assertThat(Permissions.isRoot(cred(caller, 5, ""))).isEqualTo(caller == 0);
    }

    // Directory owned by 1000, entry owned by 1001.
    @ParameterizedTest(name = "dir 0{0}, caller {1}: removal allowed {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # mode | caller | allowed
            1777   | 1002   | false
            1777   | 1001   | true
            1777   | 1000   | true
            1777   | 0      | true
            1770   | 1002   | false
            1000   | 1002   | false
            0777   | 1002   | true
            0777   | 1001   | true
            2777   | 1002   | true
            """)
    void sticky(String mode, int caller, boolean allowed) {
        InodeRecord dir = inode("dir", Integer.parseInt(mode, 8), 1000, 100);
        InodeRecord victim = inode("file", 0666, 1001, 100);
        Credentials c = cred(caller, 100, "");
        if (allowed) {
            assertThatCode(() -> Permissions.checkSticky(dir, victim, c)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> Permissions.checkSticky(dir, victim, c))
                    .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(ErrorCode.NOT_PERMITTED));
        }
    }
}
