package io.cairn.meta.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileModeTest {

    /** chown and writes drop setuid always, and setgid only where it means group-executable. */
    @ParameterizedTest(name = "kill privileges of 0{0} -> 0{1}")
    @CsvSource({
            "100755, 100755",
            "104755, 100755",
            "102755, 100755",
            "106755, 100755",
            "102745, 102745",   // setgid without group x marks mandatory locking: kept
            "106745, 102745",
            "104700, 100700",
            "101777, 101777",   // sticky stays
            "107777, 101777",
            "040755, 040755",
            "000000, 000000",
    })
    void killPrivileges(String before, String after) {
        assertThat(Integer.toOctalString(FileMode.killPrivileges(Integer.parseInt(before, 8))))
                .isEqualTo(Integer.toOctalString(Integer.parseInt(after, 8)));
    }

    @ParameterizedTest(name = "0{0}: type 0{1}, dir {2}, regular {3}, symlink {4}")
    @CsvSource({
            "040755, 040000, true, false, false",
            "100644, 100000, false, true, false",
            "120777, 120000, false, false, true",
            "010644, 010000, false, false, false",
            "140755, 140000, false, false, false",
            "020600, 020000, false, false, false",
            "060600, 060000, false, false, false",
            "107777, 100000, false, true, false",
            "000644, 000000, false, false, false",
    })
    void types(String mode, String type, boolean dir, boolean regular, boolean symlink) {
        int m = Integer.parseInt(mode, 8);
        assertThat(FileMode.type(m)).isEqualTo(Integer.parseInt(type, 8));
        assertThat(FileMode.isDir(m)).isEqualTo(dir);
        assertThat(FileMode.isRegular(m)).isEqualTo(regular);
        assertThat(FileMode.isSymlink(m)).isEqualTo(symlink);
    }
}
