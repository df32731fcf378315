package io.cairn.meta.namespace;

import static io.cairn.meta.NamespaceFixture.ALICE;
import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.cairn.meta.FixtureTest;
import io.cairn.proto.DirEntry;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.ReadDirResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Directory link counts, mkdir/rmdir bookkeeping, and readdir: order, paging, attributes. */
class DirectoryTest extends FixtureTest {

    @Test
    void mkdirCreatesAnEmptyDirectoryWithNlinkTwo() throws Exception {
        long parent = fx.sandbox();
        long t = fx.nextNs();
        InodeAttr a = ok(fx.as(ALICE).mkdir(parent, "d", 0750)).getAttr();
        assertThat(a).isEqualTo(fx.attr(a.getInode()));
        assertThat(a.getMode()).isEqualTo(FileMode.S_IFDIR | 0750);
        assertThat(a.getNlink()).isEqualTo(2);
        assertThat(a.getUid()).isEqualTo(1000);
        assertThat(a.getGid()).isEqualTo(1000);
        assertThat(a.getSize()).isZero();
        assertThat(a.getAtimeNs()).isEqualTo(t);
        assertThat(a.getMtimeNs()).isEqualTo(t);
        assertThat(a.getCtimeNs()).isEqualTo(t);
        assertThat(fx.record(a.getInode()).getParent()).isEqualTo(parent);
        assertThat(fx.as(ALICE).readDir(a.getInode(), "", 0, false).getEntriesList()).isEmpty();
        assertThat(fx.attr(parent).getNlink()).isEqualTo(3);
        assertThat(fx.attr(parent).getMtimeNs()).isEqualTo(t);
        assertThat(fx.attr(parent).getCtimeNs()).isEqualTo(t);
    }

    @Test
    void theVolumeRootIsARootOwnedDirectoryOfItsOwn() {
        InodeAttr root = fx.attr(fx.root());
        assertThat(root.getMode()).isEqualTo(FileMode.S_IFDIR | 0755);
        assertThat(root.getUid()).isZero();
        assertThat(root.getGid()).isZero();
        assertThat(root.getNlink()).isEqualTo(2);
        assertThat(fx.record(fx.root()).getParent()).isEqualTo(fx.root());
        assertThat(fx.names(fx.root())).isEmpty();
    }

    @ParameterizedTest(name = "{0} subdirectories and {1} other entries, then rmdir {2}")
    @CsvSource({"0, 0, 0", "0, 3, 0", "1, 0, 1", "1, 5, 0", "3, 2, 1", "5, 5, 5", "10, 0, 4"})
    void directoryNlinkIsTwoPlusSubdirectories(int subdirs, int others, int removed) {
        long d = fx.sandbox();
        for (int i = 0; i < subdirs; i++) {
            fx.mkdir(d, "dir" + i, 0755);
        }
        for (int i = 0; i < others; i++) {
            switch (i % 3) {
                case 0 -> fx.create(d, "file" + i, 0644);
                case 1 -> fx.symlink(d, "link" + i, "dir0");
                default -> ok(fx.asRoot().mknod(d, "fifo" + i, FileMode.S_IFIFO | 0600, 0, false));
            }
        }
        assertThat(fx.attr(d).getNlink()).isEqualTo(2 + subdirs);
        for (int i = 0; i < removed; i++) {
            ok(fx.asRoot().rmdir(d, "dir" + i));
            long t = fx.lastNs();
            assertThat(fx.attr(d).getNlink()).isEqualTo(2 + subdirs - i - 1);
            assertThat(fx.attr(d).getMtimeNs()).isEqualTo(t);
            assertThat(fx.attr(d).getCtimeNs()).isEqualTo(t);
        }
        assertThat(fx.names(d)).hasSize(subdirs + others - removed);
    }

    @Test
    void rmdirDeletesTheInodeAndItsXattrs() {
        long sb = fx.sandbox();
        long d = fx.mkdir(sb, "d", 0755);
        ok(fx.asRoot().setXattr(d, "user.k", "v"));
        long inodes = fx.volumeInodes();
        ok(fx.asRoot().rmdir(sb, "d"));
        assertThat(fx.exists(d)).isFalse();
        assertThat(fx.hasXattrRows(d)).isFalse();
        assertThat(fx.volumeInodes()).isEqualTo(inodes - 1);
        assertThat(fx.garbage()).isEmpty();
    }

    @Test
    void rmdirOfANestedTreeBottomUp() {
        long sb = fx.sandbox();
        long a = fx.mkdir(sb, "a", 0755);
        long b = fx.mkdir(a, "b", 0755);
        fx.mkdir(b, "c", 0755);
        ok(fx.asRoot().rmdir(b, "c"));
        assertThat(fx.attr(b).getNlink()).isEqualTo(2);
        ok(fx.asRoot().rmdir(a, "b"));
        ok(fx.asRoot().rmdir(sb, "a"));
        assertThat(fx.attr(sb).getNlink()).isEqualTo(2);
        assertThat(fx.names(sb)).isEmpty();
    }

    private List<String> makeNames(long dir, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = String.format("n%03d", i);
            fx.create(dir, name, 0644);
            names.add(name);
        }
        return names;
    }

    @ParameterizedTest(name = "25 entries read {0} at a time")
    @ValueSource(ints = {1, 2, 3, 5, 7, 24, 25, 26, 1000})
    void pagingVisitsEveryEntryOnceInOrder(int limit) throws Exception {
        long d = fx.sandbox();
        List<String> names = makeNames(d, 25);
        List<String> seen = new ArrayList<>();
        String after = "";
        int pages = 0;
        while (true) {
            ReadDirResult r = fx.asRoot().readDir(d, after, limit, false);
            pages++;
            assertThat(pages).as("paging ends").isLessThanOrEqualTo(25);
            assertThat(r.getEntriesCount()).isLessThanOrEqualTo(limit);
            r.getEntriesList().forEach(e -> seen.add(e.getName()));
            if (!r.getMore()) {
                break;
            }
            assertThat(r.getEntriesCount()).as("a page with more after it is full").isEqualTo(limit);
            after = r.getEntries(r.getEntriesCount() - 1).getName();
        }
        assertThat(seen).containsExactlyElementsOf(names);
        assertThat(pages).isEqualTo(Math.max(1, (25 + limit - 1) / limit));
    }

    @ParameterizedTest(name = "after ''{0}'' -> first ''{1}'', {2} entries")
    @CsvSource({
            "'',     n000, 10",
            "n000,   n001, 9",
            "n004,   n005, 5",
            "n0045,  n005, 5",    // a cursor that is not a name starts at the next greater one
            "n,      n000, 10",
            "m,      n000, 10",
            "n008,   n009, 1",
            "n009,   '',   0",    // after the last: empty and no more
            "z,      '',   0",
    })
    void afterIsAnExclusiveCursor(String after, String first, int count) throws Exception {
        long d = fx.sandbox();
        makeNames(d, 10);
        ReadDirResult r = fx.asRoot().readDir(d, after, 0, false);
        assertThat(r.getEntriesCount()).isEqualTo(count);
        assertThat(r.getMore()).isFalse();
        if (count > 0) {
            assertThat(r.getEntries(0).getName()).isEqualTo(first);
        }
        assertThat(r.getEntriesList()).extracting(DirEntry::getName).doesNotContain(after);
    }

    @Test
    void moreIsFalseWhenAPageEndsExactlyAtTheLastEntry() throws Exception {
        long d = fx.sandbox();
        makeNames(d, 4);
        ReadDirResult r = fx.asRoot().readDir(d, "", 4, false);
        assertThat(r.getEntriesCount()).isEqualTo(4);
        assertThat(r.getMore()).isFalse();
        r = fx.asRoot().readDir(d, "", 3, false);
        assertThat(r.getMore()).isTrue();
        r = fx.asRoot().readDir(d, "n002", 1, false);
        assertThat(r.getEntriesList()).extracting(DirEntry::getName).containsExactly("n003");
        assertThat(r.getMore()).isFalse();
    }

    @Test
    void limitIsCappedByTheServer() throws Exception {
        long d = fx.sandbox();
        makeNames(d, NamespaceQueries.MAX_READDIR + 6);
        ReadDirResult r = fx.asRoot().readDir(d, "", 1_000_000, false);
        assertThat(r.getEntriesCount()).isEqualTo(NamespaceQueries.MAX_READDIR);
        assertThat(r.getMore()).isTrue();
        ReadDirResult rest = fx.asRoot().readDir(d, r.getEntries(r.getEntriesCount() - 1).getName(), 0, false);
        assertThat(rest.getEntriesCount()).isEqualTo(6);
        assertThat(rest.getMore()).isFalse();
    }

    @Test
    void namesAreSortedByTheirUtf8Bytes() {
        long d = fx.sandbox();
        List<String> names = List.of("b", "B", "a", "A", "_", "~", "0", "9", "a0", "a", "é", "e", "z",
                "\u00ff", "\u0100", "\uFFFD", "\uFF21", "\uD83D\uDE00", "\uD800\uDC00", "名", " ", "!", "ab", "aa", "a-");
        List<String> distinct = names.stream().distinct().toList();
        distinct.forEach(n -> fx.create(d, n, 0644));
        List<String> byBytes = new ArrayList<>(distinct);
        byBytes.sort(Comparator.comparing((String s) -> s.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        assertThat(fx.names(d)).containsExactlyElementsOf(byBytes);
        // UTF-16 order would put the supplementary characters before U+FFFD; byte order does not
        assertThat(fx.names(d).indexOf("\uFFFD")).isLessThan(fx.names(d).indexOf("\uD83D\uDE00"));
    }

    @Test
    void entriesCarryTypesAndOptionallyAttributes() throws Exception {
        long d = fx.sandbox();
        long f = fx.create(d, "f", 0644);
        long sub = fx.mkdir(d, "sub", 0755);
        long s = fx.symlink(d, "s", "f");
        long p = ok(fx.asRoot().mknod(d, "p", FileMode.S_IFIFO | 0600, 0, false)).getAttr().getInode();
        long sock = ok(fx.asRoot().mknod(d, "sock", FileMode.S_IFSOCK | 0600, 0, false)).getAttr().getInode();
        long chr = ok(fx.asRoot().mknod(d, "chr", FileMode.S_IFCHR | 0600, 0x0501, false)).getAttr().getInode();
        long blk = ok(fx.asRoot().mknod(d, "blk", FileMode.S_IFBLK | 0600, 0x0802, false)).getAttr().getInode();

        ReadDirResult bare = fx.asRoot().readDir(d, "", 0, false);
        assertThat(bare.getEntriesList()).extracting(DirEntry::getName, DirEntry::getInode, DirEntry::getType)
                .containsExactly(
                        tuple("blk", blk, FileMode.S_IFBLK),
                        tuple("chr", chr, FileMode.S_IFCHR),
                        tuple("f", f, FileMode.S_IFREG),
                        tuple("p", p, FileMode.S_IFIFO),
                        tuple("s", s, FileMode.S_IFLNK),
                        tuple("sock", sock, FileMode.S_IFSOCK),
                        tuple("sub", sub, FileMode.S_IFDIR));
        assertThat(bare.getEntriesList()).noneMatch(DirEntry::hasAttr);

        ReadDirResult full = fx.asRoot().readDir(d, "", 0, true);
        assertThat(full.getEntriesList()).allSatisfy(e -> assertThat(e.getAttr()).isEqualTo(fx.attr(e.getInode())));
        assertThat(fx.attr(chr).getRdev()).isEqualTo(0x0501);
        assertThat(fx.attr(blk).getRdev()).isEqualTo(0x0802);
        assertThat(fx.attr(p).getRdev()).isZero();
    }

    @Test
    void anEmptyDirectoryReadsEmpty() throws Exception {
        long d = fx.sandbox();
        ReadDirResult r = fx.asRoot().readDir(d, "", 0, true);
        assertThat(r.getEntriesList()).isEmpty();
        assertThat(r.getMore()).isFalse();
    }

    @Test
    void readdirShowsOnlyItsOwnDirectory() {
        long a = fx.mkdir(fx.root(), "a", 0755);
        long b = fx.mkdir(fx.root(), "b", 0755);
        IntStream.range(0, 3).forEach(i -> fx.create(a, "in-a-" + i, 0644));
        IntStream.range(0, 3).forEach(i -> fx.create(b, "in-b-" + i, 0644));
        assertThat(fx.names(a)).allMatch(n -> n.startsWith("in-a-")).hasSize(3);
        assertThat(fx.names(b)).allMatch(n -> n.startsWith("in-b-")).hasSize(3);
        assertThat(fx.names(fx.root())).containsExactly("a", "b");
    }

    @Test
    void readdirReflectsUnlinkAndRename() {
        long d = fx.sandbox();
        makeNames(d, 5);
        ok(fx.asRoot().unlink(d, "n001"));
        ok(fx.asRoot().rename(d, "n003", d, "a-first"));
        assertThat(fx.names(d)).containsExactly("a-first", "n000", "n002", "n004");
    }
}
