package io.cairn.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.CairnException;
import io.cairn.common.Errno;
import io.cairn.common.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The FUSE adapter's pure parts: errno mapping, /proc parsing, the mount table. */
class PureFuseTest {
    @ParameterizedTest
    @CsvSource({
            "NOT_FOUND, 2", "ALREADY_EXISTS, 17", "PERMISSION_DENIED, 13", "NOT_PERMITTED, 1",
            "DIRECTORY_NOT_EMPTY, 39", "NO_SUCH_ATTRIBUTE, 61", "ATTRIBUTE_RANGE, 34", "NOT_SUPPORTED, 95",
            "TIMEOUT, 110", "IO_ERROR, 5", "CROSS_VOLUME, 18", "NAME_TOO_LONG, 36", "VOLUME_NOT_STARTED, 19",
            "NO_SPACE, 28", "NO_PLACEMENT, 5", "QUORUM_NOT_MET, 5"})
    void cairnErrorsBecomeTheirNegativeErrno(ErrorCode code, int errno) {
        assertThat(Errnos.of("op", "/p", new CairnException(code, "x"))).isEqualTo(-errno);
    }

    @Test
    void anythingElseIsEio() {
        assertThat(Errnos.of("op", "/p", new IllegalStateException("bug"))).isEqualTo(-Errno.EIO);
    }

    @Test
    void procStatusGivesGroupsAndTheEffectiveUid() {
        String status = "Name:\tbash\nUid:\t1000\t1001\t1000\t1000\nGid:\t100\t100\t100\t100\nGroups:\t4 24 27 \n";
        assertThat(ProcStatus.groups(status)).containsExactly(4, 24, 27);
        assertThat(ProcStatus.effectiveUid(status)).isEqualTo(1001);
        assertThat(ProcStatus.groups("Name:\tx\nGroups:\t\n")).isEmpty();
    }

    @Test
    void theMountTableUndoesOctalEscapes() {
        String info = "36 35 98:0 /mnt1 /mnt/with\\040space rw,noatime master:1 - ext3 /dev/root rw\n"
                + "40 35 0:50 / /tmp/m type rw - fuse.cairn cairn:vol rw\n";
        assertThat(MountTable.isMounted(info, "/mnt/with space")).isTrue();
        assertThat(MountTable.isMounted(info, "/tmp/m")).isTrue();
        assertThat(MountTable.isMounted(info, "/tmp")).isFalse();
        assertThat(MountTable.fsType(info, "/tmp/m")).isEqualTo("fuse.cairn");
        assertThat(MountTable.fsType(info, "/mnt/with space")).isEqualTo("ext3");
        assertThat(MountTable.fsType(info, "/tmp")).isNull();
        // a tmpfs mounted over the Cairn mount: the last line for a directory is what is seen there
        String over = info + "41 40 0:51 / /tmp/m rw - tmpfs tmpfs rw\n";
        assertThat(MountTable.fsType(over, "/tmp/m")).isEqualTo("tmpfs");
    }
}
