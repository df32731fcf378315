package io.cairn.client.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.Credentials;
import io.cairn.proto.InodeAttr;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AccessAndPathsTest {
    static final InodeAttr DIR = InodeAttr.newBuilder().setMode(0040750).setUid(1000).setGid(100).build();
    static final InodeAttr FILE = InodeAttr.newBuilder().setMode(0100640).setUid(1000).setGid(100).build();

    @ParameterizedTest(name = "uid {0} gid {1} groups {2} mask {3} on {4}: {5}")
    @CsvSource({
            "1000, 1, '',  1, dir, true",     // owner searches
            "1000, 1, '',  2, dir, true",
            "2000, 100, '', 1, dir, true",    // group member by gid
            "2000, 1, '100', 1, dir, true",   // group member by supplementary group
            "2000, 1, '100', 2, dir, false",  // group may not write
            "2000, 1, '',  1, dir, false",    // others nothing
            "0, 0, '',     7, dir, true",     // root: anything on a directory
            "0, 0, '',     1, file, false",   // root may not execute what nobody may
            "0, 0, '',     6, file, true",
            "1000, 1, '',  1, file, false",
            "2000, 100, '', 4, file, true"})
    void theLinuxPermissionRule(int uid, int gid, String groups, int mask, String what, boolean allowed) {
        Credentials.Builder c = Credentials.newBuilder().setUid(uid).setGid(gid);
        if (!groups.isEmpty()) {
            c.addGroups(Integer.parseInt(groups));
        }
        assertThat(Access.allows(what.equals("dir") ? DIR : FILE, c.build(), mask)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({
            "'/', ''",
            "'/a', 'a'",
            "'/a/b/c', 'a,b,c'",
            "'//a//b/', 'a,b'",
            "'/a/./b', 'a,b'",
            "'/a/../b', 'b'",
            "'/..', ''"})
    void pathsSplitIntoNames(String path, String names) throws CairnException {
        assertThat(FsPaths.names(path)).isEqualTo(names.isEmpty() ? List.of() : List.of(names.split(",")));
    }

    @Test
    void theParentOfAPathAndItsLastName() throws CairnException {
        FsPaths.Split s = FsPaths.split("/a/b/c");
        assertThat(s.parent()).containsExactly("a", "b");
        assertThat(s.name()).isEqualTo("c");
        assertThatThrownBy(() -> FsPaths.split("/"))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThatThrownBy(() -> FsPaths.names("relative/path")).hasMessageContaining("not absolute");
    }
}
