package io.cairn.meta.locks;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.proto.FileLock;
import io.cairn.proto.LockKind;
import io.cairn.proto.LockType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The lock rules as tables. A lock is written HOLDER:TYPE:START-END, HOLDER being a client letter
 * and an owner digit (a1 and a2 are two owners of client a), TYPE r, w or u (unlock), END '*' for
 * "to the end of the file"; a state is such locks separated by spaces, sorted for comparison.
 */
class LockTableTest {
    private static final long EOF = LockTable.TO_EOF;

    @ParameterizedTest(name = "held [{0}], {1} asked: conflict {2}")
    @CsvSource(delimiter = '|', value = {
        "                 | a1:w:0-9   | ",
        "b1:r:0-9         | a1:r:5-20  | ",
        "b1:r:0-9         | a1:w:9-20  | b1:r:0-9",
        "b1:w:0-9         | a1:r:10-20 | ",
        "b1:w:10-*        | a1:r:0-9   | ",
        "b1:w:10-*        | a1:r:500-500 | b1:w:10-*",
        "a1:w:0-*         | a1:w:3-4   | ",
        "a1:w:0-*         | a2:r:3-4   | a1:w:0-*",
        "b1:r:0-9 c1:w:5-6 | a1:w:0-100 | b1:r:0-9",
        "b1:r:0-9 c1:w:5-6 | a1:r:0-100 | c1:w:5-6",
    })
    void conflicts(String held, String want, String expected) {
        assertThat(LockTable.conflict(locks(held), lock(want)).map(LockTableTest::text).orElse(null))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "held [{0}], {1} applied: [{2}]")
    @CsvSource(delimiter = '|', value = {
        // taking a lock
        "                      | a1:w:0-9    | a1:w:0-9",
        "a1:w:0-9              | a1:w:10-19  | a1:w:0-19",
        "a1:w:0-9              | a1:w:20-29  | a1:w:0-9 a1:w:20-29",
        "a1:w:0-9 a1:w:20-29   | a1:w:5-24   | a1:w:0-29",
        "a1:r:0-9              | a1:w:10-19  | a1:r:0-9 a1:w:10-19",
        "a1:r:0-99             | a1:w:10-19  | a1:r:0-9 a1:r:20-99 a1:w:10-19",
        "a1:w:0-99             | a1:r:0-99   | a1:r:0-99",
        "a1:w:10-*             | a1:w:0-9    | a1:w:0-*",
        "a1:w:0-*              | a1:r:100-*  | a1:r:100-* a1:w:0-99",
        "b1:r:0-9              | a1:r:0-9    | a1:r:0-9 b1:r:0-9",
        "a2:r:0-9              | a1:r:5-14   | a1:r:5-14 a2:r:0-9",
        // unlocking
        "a1:w:0-99             | a1:u:0-*    | ",
        "a1:w:0-99             | a1:u:10-19  | a1:w:0-9 a1:w:20-99",
        "a1:w:0-99             | a1:u:0-49   | a1:w:50-99",
        "a1:w:0-*              | a1:u:50-*   | a1:w:0-49",
        "a1:w:0-*              | a1:u:0-0    | a1:w:1-*",
        "a1:w:0-9 b1:w:20-29   | a1:u:0-*    | b1:w:20-29",
        "a1:w:0-9              | a2:u:0-*    | a1:w:0-9",
        "a1:w:0-9              | a1:u:50-60  | a1:w:0-9",
    })
    void applies(String held, String want, String expected) {
        assertThat(sorted(LockTable.apply(locks(held), lock(want)))).isEqualTo(expected == null ? "" : expected);
    }

    @ParameterizedTest(name = "flock: held [{0}], {1}: conflict {2}")
    @CsvSource(delimiter = '|', value = {
        "b1:r:0-*  | a1:r:0-* | ",
        "b1:r:0-*  | a1:w:0-* | b1:r:0-*",
        "b1:w:0-*  | a1:r:0-* | b1:w:0-*",
        "a1:w:0-*  | a1:r:0-* | ",
    })
    void flocksConflictLikeRecordLocksOverTheWholeFile(String held, String want, String expected) {
        List<FileLock> h = locks(held).stream().map(l -> l.toBuilder().setKind(LockKind.LOCK_FLOCK).build()).toList();
        FileLock w = lock(want).toBuilder().setKind(LockKind.LOCK_FLOCK).build();
        assertThat(LockTable.conflict(h, w).map(LockTableTest::text).orElse(null)).isEqualTo(expected);
        assertThat(LockTable.conflict(locks(held), w)).as("a flock never conflicts with a record lock").isEmpty();
    }

    @ParameterizedTest(name = "without client a: [{0}] -> [{1}]")
    @CsvSource(delimiter = '|', value = {
        "a1:w:0-9 a2:r:20-29 b1:r:20-29 | b1:r:20-29",
        "b1:w:0-9                       | b1:w:0-9",
    })
    void aClientsLocksGoTogether(String held, String expected) {
        assertThat(sorted(LockTable.withoutClient(locks(held), client('a')))).isEqualTo(expected);
    }

    static ByteString client(char c) {
        byte[] id = new byte[16];
        id[0] = (byte) c;
        return ByteString.copyFrom(id);
    }

    static FileLock lock(String s) {
        String[] p = s.trim().split(":");
        String[] range = p[2].split("-");
        LockType type = switch (p[1]) {
            case "r" -> LockType.LOCK_READ;
            case "w" -> LockType.LOCK_WRITE;
            default -> LockType.LOCK_UNLOCK;
        };
        return FileLock.newBuilder().setClientId(client(p[0].charAt(0))).setOwner(p[0].charAt(1) - '0')
                .setKind(LockKind.LOCK_POSIX).setType(type).setStart(Long.parseLong(range[0]))
                .setEnd(range[1].equals("*") ? EOF : Long.parseLong(range[1])).build();
    }

    static List<FileLock> locks(String s) {
        List<FileLock> out = new ArrayList<>();
        if (s != null) {
            for (String l : s.trim().split("\\s+")) {
                out.add(lock(l));
            }
        }
        return out;
    }

    static String text(FileLock l) {
        return (char) l.getClientId().byteAt(0) + "" + l.getOwner() + ":"
                + (l.getType() == LockType.LOCK_READ ? "r" : "w") + ":" + l.getStart() + "-"
                + (l.getEnd() == EOF ? "*" : Long.toString(l.getEnd()));
    }

    static String sorted(List<FileLock> locks) {
        return String.join(" ", locks.stream().map(LockTableTest::text).sorted().toList());
    }
}
