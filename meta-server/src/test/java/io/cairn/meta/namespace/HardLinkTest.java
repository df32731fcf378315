package io.cairn.meta.namespace;

import static io.cairn.meta.NamespaceFixture.CHUNK_SIZE;
import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.meta.FixtureTest;
import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.Records;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.state.GarbageRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** link(2) and unlink(2): nlink and ctime through every name, and the inode going with its last name. */
class HardLinkTest extends FixtureTest {

    @Test
    void linkCountsUpAndTouchesCtimeAndTheNewParentOnly() {
        long src = fx.mkdir(fx.root(), "src", 0755);
        long dst = fx.mkdir(fx.root(), "dst", 0755);
        long f = fx.create(src, "f", 0644);
        InodeAttr created = fx.attr(f);
        InodeAttr srcBefore = fx.attr(src);
        assertThat(created.getNlink()).isEqualTo(1);

        InodeAttr linked = ok(fx.asRoot().link(f, dst, "g")).getAttr();
        long t = fx.lastNs();
        assertThat(linked).isEqualTo(fx.attr(f));
        assertThat(linked.getInode()).isEqualTo(f);
        assertThat(linked.getNlink()).isEqualTo(2);
        assertThat(linked.getCtimeNs()).isEqualTo(t);
        assertThat(linked.getMtimeNs()).as("link does not modify the data").isEqualTo(created.getMtimeNs());
        assertThat(linked.getAtimeNs()).isEqualTo(created.getAtimeNs());
        assertThat(fx.attr(dst).getMtimeNs()).isEqualTo(t);
        assertThat(fx.attr(dst).getCtimeNs()).isEqualTo(t);
        assertThat(fx.attr(src)).as("the old parent is untouched").isEqualTo(srcBefore);
        assertThat(fx.attr(dst).getNlink()).as("a file link adds no subdirectory").isEqualTo(2);
        assertThat(fx.lookup(dst, "g")).isEqualTo(f);

        ok(fx.asRoot().link(f, dst, "h"));
        assertThat(fx.attr(f).getNlink()).isEqualTo(3);
        ok(fx.asRoot().link(f, src, "f2"));
        assertThat(fx.attr(f).getNlink()).isEqualTo(4);
    }

    static Stream<Arguments> unlinkOrders() {
        List<Arguments> out = new ArrayList<>();
        String[] names = {"d1/a", "d1/b", "d2/c"};
        permute(names, 0, out);
        return out.stream();
    }

    private static void permute(String[] a, int k, List<Arguments> out) {
        if (k == a.length) {
            out.add(Arguments.of((Object) a.clone()));
            return;
        }
        for (int i = k; i < a.length; i++) {
            String t = a[k];
            a[k] = a[i];
            a[i] = t;
            permute(a, k + 1, out);
            a[i] = a[k];
            a[k] = t;
        }
    }

    @ParameterizedTest(name = "unlink in order {0}")
    @MethodSource("unlinkOrders")
    void unlinkThroughEveryNameInAnyOrder(String[] order) {
        long d1 = fx.mkdir(fx.root(), "d1", 0755);
        long d2 = fx.mkdir(fx.root(), "d2", 0755);
        long f = fx.create(d1, "a", 0644);
        ok(fx.asRoot().link(f, d1, "b"));
        ok(fx.asRoot().link(f, d2, "c"));
        fx.writeChunks(f, 2, 100);
        ok(fx.asRoot().setXattr(f, "user.k", "v"));
        List<Long> chunkIds = fx.chunks(f).stream().map(ChunkInfo::getChunkId).toList();
        long inodes = fx.volumeInodes();
        assertThat(fx.attr(f).getNlink()).isEqualTo(3);

        for (int i = 0; i < order.length; i++) {
            long dir = order[i].startsWith("d1") ? d1 : d2;
            String name = order[i].substring(3);
            ok(fx.asRoot().unlink(dir, name));
            long t = fx.lastNs();
            assertThat(fx.has(dir, name)).isFalse();
            assertThat(fx.attr(dir).getMtimeNs()).isEqualTo(t);
            assertThat(fx.attr(dir).getCtimeNs()).isEqualTo(t);
            int left = order.length - 1 - i;
            if (left > 0) {
                InodeAttr a = fx.attr(f);
                assertThat(a.getNlink()).isEqualTo(left);
                assertThat(a.getCtimeNs()).isEqualTo(t);
                assertThat(a.getSize()).isEqualTo(CHUNK_SIZE + 100);
                assertThat(fx.chunks(f)).hasSize(2);
                assertThat(fx.garbage()).isEmpty();
                assertThat(fx.volumeInodes()).isEqualTo(inodes);
                for (int j = i + 1; j < order.length; j++) {
                    long other = order[j].startsWith("d1") ? d1 : d2;
                    assertThat(fx.lookup(other, order[j].substring(3))).isEqualTo(f);
                }
            }
        }
        assertThat(fx.exists(f)).as("the inode goes with its last name").isFalse();
        assertThat(fx.garbage()).containsExactlyInAnyOrderElementsOf(chunkIds);
        assertThat(fx.store().get(Table.CHUNKS,
                MetaSchema.chunkKey(f, 0))).isNull();
        assertThat(fx.hasXattrRows(f)).isFalse();
        assertThat(fx.volumeInodes()).isEqualTo(inodes - 1);
    }

    @ParameterizedTest(name = "hard link to a {0}")
    @CsvSource({"regular file, 0100644", "fifo, 0010600", "socket, 0140755", "symlink, 0120777"})
    void nonDirectoriesOfEveryTypeCanBeLinked(String what, String mode) {
        long sb = fx.sandbox();
        long ino = what.equals("symlink") ? fx.symlink(sb, "x", "target")
                : ok(fx.asRoot().mknod(sb, "x", Integer.parseInt(mode, 8), 0, false)).getAttr().getInode();
        InodeAttr linked = ok(fx.asRoot().link(ino, sb, "y")).getAttr();
        assertThat(linked.getMode()).isEqualTo(Integer.parseInt(mode, 8));
        assertThat(linked.getNlink()).isEqualTo(2);
        assertThat(fx.lookup(sb, "y")).isEqualTo(ino);
        assertThat(fx.entries(sb).stream().filter(e -> e.getInode() == ino))
                .hasSize(2).allSatisfy(e -> assertThat(e.getType()).isEqualTo(Integer.parseInt(mode, 8) & FileMode.S_IFMT));
        ok(fx.asRoot().unlink(sb, "x"));
        assertThat(fx.attr(ino).getNlink()).isEqualTo(1);
        ok(fx.asRoot().unlink(sb, "y"));
        assertThat(fx.exists(ino)).isFalse();
    }

    @Test
    void everyNameShowsTheSameAttributes() throws Exception {
        long sb = fx.sandbox();
        long f = fx.create(sb, "a", 0640);
        ok(fx.asRoot().link(f, sb, "b"));
        var entries = fx.asRoot().readDir(sb, "", 0, true).getEntriesList();
        assertThat(entries).extracting(e -> e.getName()).containsExactly("a", "b");
        assertThat(entries.get(0).getAttr()).isEqualTo(entries.get(1).getAttr()).isEqualTo(fx.attr(f));
        assertThat(fx.asRoot().lookup(sb, "a")).isEqualTo(fx.asRoot().lookup(sb, "b"));
        // a change through one name is seen through the other
        ok(fx.asRoot().chmod(f, 0600));
        assertThat(fx.asRoot().lookup(sb, "b").getMode()).isEqualTo(FileMode.S_IFREG | 0600);
    }

    @Test
    void unlinkKeepsDataReachableThroughAnotherName() {
        long sb = fx.sandbox();
        long f = fx.create(sb, "a", 0644);
        fx.writeChunks(f, 3, 7);
        List<ChunkInfo> chunks = fx.chunks(f);
        ok(fx.asRoot().link(f, sb, "b"));
        ok(fx.asRoot().unlink(sb, "a"));
        assertThat(fx.chunks(f)).isEqualTo(chunks);
        assertThat(fx.garbage()).isEmpty();
        assertThat(fx.attr(f).getMtimeNs()).as("unlink changes ctime, not mtime").isNotEqualTo(fx.lastNs());
    }

    @Test
    void unlinkOfTheLastNameMovesEveryChunkWithItsPlacementToGarbage() {
        long sb = fx.sandbox();
        long f = fx.create(sb, "f", 0644);
        fx.writeChunks(f, 4, 1);
        List<ChunkInfo> chunks = fx.chunks(f);
        ok(fx.asRoot().unlink(sb, "f"));
        List<GarbageRecord> garbage = new ArrayList<>();
        fx.store().scan(Table.GARBAGE, new byte[0], null, (k, v) -> {
            garbage.add(Records.parse(v, GarbageRecord.parser()));
            return true;
        });
        assertThat(garbage).hasSize(4);
        for (ChunkInfo c : chunks) {
            assertThat(garbage).filteredOn(g -> g.getChunkId() == c.getChunkId()).singleElement()
                    .satisfies(g -> assertThat(g.getPlacementList())
                            .containsExactlyElementsOf(c.getPlacementList().stream().map(r -> r.getBrickId()).toList()));
        }
        assertThat(fx.chunks(fx.create(sb, "new", 0644))).isEmpty();
    }

    @Test
    void fileWithoutChunksLeavesNoGarbage() {
        long sb = fx.sandbox();
        long f = fx.create(sb, "f", 0644);
        long before = fx.volumeInodes();
        ok(fx.asRoot().unlink(sb, "f"));
        assertThat(fx.exists(f)).isFalse();
        assertThat(fx.garbage()).isEmpty();
        assertThat(fx.volumeInodes()).isEqualTo(before - 1);
    }

    @Test
    void newInodeNumbersAreNotReused() {
        long sb = fx.sandbox();
        long f = fx.create(sb, "f", 0644);
        ok(fx.asRoot().unlink(sb, "f"));
        long g = fx.create(sb, "f", 0644);
        assertThat(g).isGreaterThan(f);
    }
}
