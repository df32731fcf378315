package io.cairn.meta.namespace;

import static io.cairn.meta.ErrnoCase.row;
import static io.cairn.meta.NamespaceFixture.CHUNK_SIZE;
import static io.cairn.meta.NamespaceFixture.ROOT;
import static io.cairn.meta.NamespaceFixture.ok;

import io.cairn.meta.ErrnoCase;
import io.cairn.meta.FixtureTest;
import io.cairn.meta.NamespaceFixture;
import io.cairn.proto.ChunkLength;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.MetaMutation;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The errno of every way a namespace mutation can fail on the shape of the tree, as Linux
 * returns it; each failed call must leave the namespace unchanged.
 */
class EntryErrnoTest extends FixtureTest {
    static final long MISSING = 987_654_321L;
    static final int REG = FileMode.S_IFREG;
    static final int FIFO = FileMode.S_IFIFO;

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource({"notFound", "alreadyExists", "notADirectory", "isADirectory", "notEmpty", "invalid",
            "tooManyLinks", "fileTooBig"})
    void fails(ErrnoCase c, ErrorCode expected) {
        ErrnoCase.check(fx, c, expected);
    }

    static Stream<Arguments> notFound() {
        ErrorCode e = ErrorCode.NOT_FOUND;
        return Stream.of(
                row("create in a missing parent", e, fx -> () -> fx.asRoot().create(MISSING, "f", 0644)),
                row("mknod fifo in a missing parent", e, fx -> () -> fx.asRoot().mknod(MISSING, "p", FIFO | 0644, 0, false)),
                row("mkdir in a missing parent", e, fx -> () -> fx.asRoot().mkdir(MISSING, "d", 0755)),
                row("symlink in a missing parent", e, fx -> () -> fx.asRoot().symlink(MISSING, "s", "t")),
                row("link of a missing inode", e, fx -> () -> fx.asRoot().link(MISSING, fx.root(), "l")),
                row("link into a missing parent", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().link(f, MISSING, "l");
                }),
                row("unlink of a missing name", e, fx -> () -> fx.asRoot().unlink(fx.root(), "nope")),
                row("unlink in a missing parent", e, fx -> () -> fx.asRoot().unlink(MISSING, "f")),
                row("rmdir of a missing name", e, fx -> () -> fx.asRoot().rmdir(fx.root(), "nope")),
                row("rename of a missing source", e, fx -> () -> fx.asRoot().rename(fx.root(), "nope", fx.root(), "x")),
                row("rename from a missing parent", e, fx -> () -> fx.asRoot().rename(MISSING, "a", fx.root(), "x")),
                row("rename into a missing parent", e, fx -> {
                    fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().rename(fx.root(), "f", MISSING, "g");
                }),
                row("RENAME_EXCHANGE with a missing target", e, fx -> {
                    fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().rename(fx.root(), "f", fx.root(), "g", RenameOp.EXCHANGE);
                }),
                row("RENAME_EXCHANGE with a missing source", e, fx -> {
                    fx.create(fx.root(), "g", 0644);
                    return () -> fx.asRoot().rename(fx.root(), "f", fx.root(), "g", RenameOp.EXCHANGE);
                }),
                row("rename by an old name after a rename", e, fx -> {
                    fx.create(fx.root(), "a", 0644);
                    ok(fx.asRoot().rename(fx.root(), "a", fx.root(), "b"));
                    return () -> fx.asRoot().rename(fx.root(), "a", fx.root(), "c");
                }),
                row("create in a removed directory", e, fx -> {
                    long d = fx.mkdir(fx.root(), "d", 0755);
                    ok(fx.asRoot().rmdir(fx.root(), "d"));
                    return () -> fx.asRoot().create(d, "f", 0644);
                }),
                row("mkdir in a removed directory", e, fx -> {
                    long d = fx.mkdir(fx.root(), "d", 0755);
                    ok(fx.asRoot().rmdir(fx.root(), "d"));
                    return () -> fx.asRoot().mkdir(d, "sub", 0755);
                }),
                row("link of an unlinked file", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    ok(fx.asRoot().unlink(fx.root(), "f"));
                    return () -> fx.asRoot().link(f, fx.root(), "again");
                }),
                row("setattr of a missing inode", e, fx -> () -> fx.asRoot().chmod(MISSING, 0644)),
                row("setattr of an unlinked file", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    ok(fx.asRoot().unlink(fx.root(), "f"));
                    return () -> fx.asRoot().truncate(f, 0);
                }),
                row("setxattr of a missing inode", e, fx -> () -> fx.asRoot().setXattr(MISSING, "user.a", "v")),
                row("removexattr of a missing inode", e, fx -> () -> fx.asRoot().removeXattr(MISSING, "user.a")),
                row("allocate a chunk of a missing inode", e, fx -> () -> fx.asRoot().allocate(MISSING, 0, fx.bricks().get(0))),
                row("commit a write to a missing inode", e, fx -> () -> fx.asRoot().commitWrite(MISSING, 1, 0)),
                row("commit a write to a chunk never allocated", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().commitWrite(f, 10, 0, ChunkLength.newBuilder().setIndex(0).setLength(10).build());
                }),
                row("symlink with an empty target", e, fx -> () -> fx.asRoot().symlink(fx.root(), "s", "")),
                row("unlink with the name in another case", e, fx -> {
                    fx.create(fx.root(), "File", 0644);
                    return () -> fx.asRoot().unlink(fx.root(), "file");
                }),
                row("unlink with the name in another Unicode normal form", e, fx -> {
                    fx.create(fx.root(), "caf\u00e9", 0644);
                    return () -> fx.asRoot().unlink(fx.root(), "cafe\u0301");
                }),
                row("rmdir of a name removed in the same directory", e, fx -> {
                    fx.mkdir(fx.root(), "d", 0755);
                    ok(fx.asRoot().rmdir(fx.root(), "d"));
                    return () -> fx.asRoot().rmdir(fx.root(), "d");
                }));
    }

    static Stream<Arguments> alreadyExists() {
        ErrorCode e = ErrorCode.ALREADY_EXISTS;
        return Stream.of(
                row("O_EXCL create over a file", e, fx -> {
                    fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().createExclusive(fx.root(), "f", 0644);
                }),
                row("O_EXCL create over a directory", e, fx -> {
                    fx.mkdir(fx.root(), "d", 0755);
                    return () -> fx.asRoot().createExclusive(fx.root(), "d", 0644);
                }),
                row("O_EXCL create over a dangling symlink", e, fx -> {
                    fx.symlink(fx.root(), "s", "nowhere");
                    return () -> fx.asRoot().createExclusive(fx.root(), "s", 0644);
                }),
                row("mknod fifo over a file", e, fx -> {
                    fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().mknod(fx.root(), "f", FIFO | 0644, 0, false);
                }),
                row("mknod fifo over a fifo", e, fx -> {
                    ok(fx.asRoot().mknod(fx.root(), "p", FIFO | 0644, 0, false));
                    return () -> fx.asRoot().mknod(fx.root(), "p", FIFO | 0644, 0, false);
                }),
                row("mknod socket over a directory", e, fx -> {
                    fx.mkdir(fx.root(), "d", 0755);
                    return () -> fx.asRoot().mknod(fx.root(), "d", FileMode.S_IFSOCK | 0644, 0, false);
                }),
                row("mkdir over a file", e, fx -> {
                    fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().mkdir(fx.root(), "f", 0755);
                }),
                row("mkdir over a directory", e, fx -> {
                    fx.mkdir(fx.root(), "d", 0755);
                    return () -> fx.asRoot().mkdir(fx.root(), "d", 0755);
                }),
                row("mkdir over a symlink", e, fx -> {
                    fx.symlink(fx.root(), "s", "d");
                    return () -> fx.asRoot().mkdir(fx.root(), "s", 0755);
                }),
                row("symlink over a file", e, fx -> {
                    fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().symlink(fx.root(), "f", "t");
                }),
                row("symlink over a symlink", e, fx -> {
                    fx.symlink(fx.root(), "s", "t");
                    return () -> fx.asRoot().symlink(fx.root(), "s", "t");
                }),
                row("symlink over a directory", e, fx -> {
                    fx.mkdir(fx.root(), "d", 0755);
                    return () -> fx.asRoot().symlink(fx.root(), "d", "t");
                }),
                row("link over a file", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    fx.create(fx.root(), "g", 0644);
                    return () -> fx.asRoot().link(f, fx.root(), "g");
                }),
                row("link onto its own name", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().link(f, fx.root(), "f");
                }),
                row("link over a directory", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    fx.mkdir(fx.root(), "d", 0755);
                    return () -> fx.asRoot().link(f, fx.root(), "d");
                }),
                row("RENAME_NOREPLACE over a file", e, fx -> {
                    fx.create(fx.root(), "a", 0644);
                    fx.create(fx.root(), "b", 0644);
                    return () -> fx.asRoot().rename(fx.root(), "a", fx.root(), "b", RenameOp.NOREPLACE);
                }),
                row("RENAME_NOREPLACE of a directory over an empty directory", e, fx -> {
                    fx.mkdir(fx.root(), "a", 0755);
                    fx.mkdir(fx.root(), "b", 0755);
                    return () -> fx.asRoot().rename(fx.root(), "a", fx.root(), "b", RenameOp.NOREPLACE);
                }),
                row("RENAME_NOREPLACE over a file in another directory", e, fx -> {
                    long d = fx.mkdir(fx.root(), "d", 0755);
                    fx.create(fx.root(), "a", 0644);
                    fx.create(d, "a", 0644);
                    return () -> fx.asRoot().rename(fx.root(), "a", d, "a", RenameOp.NOREPLACE);
                }),
                row("RENAME_NOREPLACE onto another name of the same file", e, fx -> {
                    long f = fx.create(fx.root(), "a", 0644);
                    ok(fx.asRoot().link(f, fx.root(), "b"));
                    return () -> fx.asRoot().rename(fx.root(), "a", fx.root(), "b", RenameOp.NOREPLACE);
                }),
                row("RENAME_NOREPLACE onto its own name", e, fx -> {
                    fx.create(fx.root(), "a", 0644);
                    return () -> fx.asRoot().rename(fx.root(), "a", fx.root(), "a", RenameOp.NOREPLACE);
                }));
    }

    static Stream<Arguments> notADirectory() {
        ErrorCode e = ErrorCode.NOT_A_DIRECTORY;
        return Stream.of(
                row("create with a file as parent", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().create(f, "x", 0644);
                }),
                row("mknod with a file as parent", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().mknod(f, "x", FIFO | 0600, 0, false);
                }),
                row("mkdir with a file as parent", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().mkdir(f, "x", 0755);
                }),
                row("mkdir with a symlink as parent", e, fx -> {
                    fx.mkdir(fx.root(), "d", 0755);
                    long s = fx.symlink(fx.root(), "s", "d");
                    return () -> fx.asRoot().mkdir(s, "x", 0755);
                }),
                row("symlink with a fifo as parent", e, fx -> {
                    long p = ok(fx.asRoot().mknod(fx.root(), "p", FIFO | 0644, 0, false)).getAttr().getInode();
                    return () -> fx.asRoot().symlink(p, "x", "t");
                }),
                row("link with a file as new parent", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    long g = fx.create(fx.root(), "g", 0644);
                    return () -> fx.asRoot().link(f, g, "x");
                }),
                row("unlink with a file as parent", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().unlink(f, "x");
                }),
                row("rmdir with a file as parent", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().rmdir(f, "x");
                }),
                row("rmdir of a file", e, fx -> {
                    fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().rmdir(fx.root(), "f");
                }),
                row("rmdir of a symlink to a directory", e, fx -> {
                    fx.mkdir(fx.root(), "d", 0755);
                    fx.symlink(fx.root(), "s", "d");
                    return () -> fx.asRoot().rmdir(fx.root(), "s");
                }),
                row("rmdir of a fifo", e, fx -> {
                    ok(fx.asRoot().mknod(fx.root(), "p", FIFO | 0644, 0, false));
                    return () -> fx.asRoot().rmdir(fx.root(), "p");
                }),
                row("rename a directory over a file", e, fx -> {
                    fx.mkdir(fx.root(), "d", 0755);
                    fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().rename(fx.root(), "d", fx.root(), "f");
                }),
                row("rename a directory over a symlink", e, fx -> {
                    fx.mkdir(fx.root(), "d", 0755);
                    fx.symlink(fx.root(), "s", "d");
                    return () -> fx.asRoot().rename(fx.root(), "d", fx.root(), "s");
                }),
                row("rename a directory over a file in another directory", e, fx -> {
                    long a = fx.mkdir(fx.root(), "a", 0755);
                    fx.mkdir(a, "d", 0755);
                    fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().rename(a, "d", fx.root(), "f");
                }),
                row("rename with a file as source parent", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().rename(f, "x", fx.root(), "y");
                }),
                row("rename with a file as target parent", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    fx.create(fx.root(), "g", 0644);
                    return () -> fx.asRoot().rename(fx.root(), "g", f, "y");
                }));
    }

    static Stream<Arguments> isADirectory() {
        ErrorCode e = ErrorCode.IS_A_DIRECTORY;
        return Stream.of(
                row("unlink of an empty directory", e, fx -> {
                    fx.mkdir(fx.root(), "d", 0755);
                    return () -> fx.asRoot().unlink(fx.root(), "d");
                }),
                row("unlink of a directory with entries", e, fx -> {
                    long d = fx.mkdir(fx.root(), "d", 0755);
                    fx.create(d, "f", 0644);
                    return () -> fx.asRoot().unlink(fx.root(), "d");
                }),
                row("rename a file over an empty directory", e, fx -> {
                    fx.create(fx.root(), "f", 0644);
                    fx.mkdir(fx.root(), "d", 0755);
                    return () -> fx.asRoot().rename(fx.root(), "f", fx.root(), "d");
                }),
                row("rename a symlink over an empty directory", e, fx -> {
                    fx.symlink(fx.root(), "s", "x");
                    fx.mkdir(fx.root(), "d", 0755);
                    return () -> fx.asRoot().rename(fx.root(), "s", fx.root(), "d");
                }),
                row("rename a fifo over a directory in another parent", e, fx -> {
                    long a = fx.mkdir(fx.root(), "a", 0755);
                    ok(fx.asRoot().mknod(fx.root(), "p", FIFO | 0644, 0, false));
                    fx.mkdir(a, "d", 0755);
                    return () -> fx.asRoot().rename(fx.root(), "p", a, "d");
                }),
                row("truncate a directory", e, fx -> {
                    long d = fx.mkdir(fx.root(), "d", 0755);
                    return () -> fx.asRoot().truncate(d, 0);
                }),
                row("allocate a chunk of a directory", e, fx -> {
                    long d = fx.mkdir(fx.root(), "d", 0755);
                    return () -> fx.asRoot().allocate(d, 0, fx.bricks().get(0));
                }),
                row("commit a write to a directory", e, fx -> {
                    long d = fx.mkdir(fx.root(), "d", 0755);
                    return () -> fx.asRoot().commitWrite(d, 10, 0);
                }));
    }

    static Stream<Arguments> notEmpty() {
        ErrorCode e = ErrorCode.DIRECTORY_NOT_EMPTY;
        return Stream.of(
                row("rmdir of a directory holding a file", e, fx -> {
                    long d = fx.mkdir(fx.root(), "d", 0755);
                    fx.create(d, "f", 0644);
                    return () -> fx.asRoot().rmdir(fx.root(), "d");
                }),
                row("rmdir of a directory holding only a subdirectory", e, fx -> {
                    long d = fx.mkdir(fx.root(), "d", 0755);
                    fx.mkdir(d, "sub", 0755);
                    return () -> fx.asRoot().rmdir(fx.root(), "d");
                }),
                row("rmdir of a directory holding a dangling symlink", e, fx -> {
                    long d = fx.mkdir(fx.root(), "d", 0755);
                    fx.symlink(d, "s", "nowhere");
                    return () -> fx.asRoot().rmdir(fx.root(), "d");
                }),
                row("rmdir of a directory holding a hidden file", e, fx -> {
                    long d = fx.mkdir(fx.root(), "d", 0755);
                    fx.create(d, ".hidden", 0644);
                    return () -> fx.asRoot().rmdir(fx.root(), "d");
                }),
                row("rmdir of a directory a file was renamed into", e, fx -> {
                    long d = fx.mkdir(fx.root(), "d", 0755);
                    fx.create(fx.root(), "f", 0644);
                    ok(fx.asRoot().rename(fx.root(), "f", d, "f"));
                    return () -> fx.asRoot().rmdir(fx.root(), "d");
                }),
                row("rmdir of a directory a file was linked into", e, fx -> {
                    long d = fx.mkdir(fx.root(), "d", 0755);
                    long f = fx.create(fx.root(), "f", 0644);
                    ok(fx.asRoot().link(f, d, "l"));
                    ok(fx.asRoot().unlink(fx.root(), "f"));
                    return () -> fx.asRoot().rmdir(fx.root(), "d");
                }),
                row("rename a directory over a non-empty directory", e, fx -> {
                    fx.mkdir(fx.root(), "a", 0755);
                    long b = fx.mkdir(fx.root(), "b", 0755);
                    fx.create(b, "f", 0644);
                    return () -> fx.asRoot().rename(fx.root(), "a", fx.root(), "b");
                }),
                row("rename a directory over a non-empty directory elsewhere", e, fx -> {
                    long x = fx.mkdir(fx.root(), "x", 0755);
                    fx.mkdir(x, "a", 0755);
                    long b = fx.mkdir(fx.root(), "b", 0755);
                    fx.mkdir(b, "sub", 0755);
                    return () -> fx.asRoot().rename(x, "a", fx.root(), "b");
                }),
                row("rename a directory over its own ancestor", e, fx -> {
                    long a = fx.mkdir(fx.root(), "a", 0755);
                    fx.mkdir(a, "b", 0755);
                    return () -> fx.asRoot().rename(a, "b", fx.root(), "a");
                }));
    }

    static Stream<Arguments> invalid() {
        ErrorCode e = ErrorCode.INVALID_ARGUMENT;
        return Stream.of(
                row("rename a directory into its own child", e, fx -> {
                    long a = fx.mkdir(fx.root(), "a", 0755);
                    fx.mkdir(a, "b", 0755);
                    long b = fx.lookup(a, "b");
                    return () -> fx.asRoot().rename(fx.root(), "a", b, "a");
                }),
                row("rename a directory into itself", e, fx -> {
                    long a = fx.mkdir(fx.root(), "a", 0755);
                    return () -> fx.asRoot().rename(fx.root(), "a", a, "a");
                }),
                row("rename a directory six levels into its own subtree", e, fx -> {
                    long d = fx.mkdir(fx.root(), "top", 0755);
                    for (int i = 0; i < 6; i++) {
                        d = fx.mkdir(d, "l" + i, 0755);
                    }
                    long deepest = d;
                    return () -> fx.asRoot().rename(fx.root(), "top", deepest, "top");
                }),
                row("rename a middle directory under its grandchild", e, fx -> {
                    long a = fx.mkdir(fx.root(), "a", 0755);
                    long b = fx.mkdir(a, "b", 0755);
                    long c = fx.mkdir(b, "c", 0755);
                    long d = fx.mkdir(c, "d", 0755);
                    return () -> fx.asRoot().rename(a, "b", d, "moved");
                }),
                row("RENAME_NOREPLACE of a directory into its own subtree", e, fx -> {
                    long a = fx.mkdir(fx.root(), "a", 0755);
                    long b = fx.mkdir(a, "b", 0755);
                    return () -> fx.asRoot().rename(fx.root(), "a", b, "a", RenameOp.NOREPLACE);
                }),
                row("RENAME_EXCHANGE of a directory with a file in its subtree", e, fx -> {
                    long a = fx.mkdir(fx.root(), "a", 0755);
                    long b = fx.mkdir(a, "b", 0755);
                    fx.create(b, "f", 0644);
                    return () -> fx.asRoot().rename(fx.root(), "a", b, "f", RenameOp.EXCHANGE);
                }),
                row("RENAME_EXCHANGE of a directory with its own parent", e, fx -> {
                    long a = fx.mkdir(fx.root(), "a", 0755);
                    fx.mkdir(a, "b", 0755);
                    return () -> fx.asRoot().rename(a, "b", fx.root(), "a", RenameOp.EXCHANGE);
                }),
                row("rename flags NOREPLACE|EXCHANGE", e, fx -> {
                    fx.create(fx.root(), "a", 0644);
                    fx.create(fx.root(), "b", 0644);
                    return () -> fx.asRoot().rename(fx.root(), "a", fx.root(), "b", 3);
                }),
                row("rename flag RENAME_WHITEOUT", e, fx -> {
                    fx.create(fx.root(), "a", 0644);
                    return () -> fx.asRoot().rename(fx.root(), "a", fx.root(), "b", 4);
                }),
                row("rename flag 8", e, fx -> {
                    fx.create(fx.root(), "a", 0644);
                    return () -> fx.asRoot().rename(fx.root(), "a", fx.root(), "b", 8);
                }),
                row("rename flag 1<<31", e, fx -> {
                    fx.create(fx.root(), "a", 0644);
                    return () -> fx.asRoot().rename(fx.root(), "a", fx.root(), "b", 1 << 31);
                }),
                row("rename flags NOREPLACE|4", e, fx -> {
                    fx.create(fx.root(), "a", 0644);
                    return () -> fx.asRoot().rename(fx.root(), "a", fx.root(), "b", 5);
                }),
                row("create with type bits 0170000", e, fx -> () -> fx.asRoot().create(fx.root(), "x", 0170644)),
                row("create with type bits 0030000", e, fx -> () -> fx.asRoot().create(fx.root(), "x", 0030644)),
                row("create with type bits 0050000", e, fx -> () -> fx.asRoot().create(fx.root(), "x", 0050644)),
                row("create with type bits 0110000", e, fx -> () -> fx.asRoot().create(fx.root(), "x", 0110644)),
                row("create a symlink through mknod", e, fx -> () -> fx.asRoot().create(fx.root(), "x", FileMode.S_IFLNK | 0777)),
                row("allocate on a brick of no volume", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().allocate(f, 0, 424242L);
                }),
                row("allocate with one brick twice", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    long b = fx.bricks().get(0);
                    return () -> fx.asRoot().allocate(f, 0, b, b);
                }),
                row("allocate a chunk of a symlink", e, fx -> {
                    long s = fx.symlink(fx.root(), "s", "t");
                    return () -> fx.asRoot().allocate(s, 0, fx.bricks().get(0));
                }),
                row("allocate a chunk of a fifo", e, fx -> {
                    long p = ok(fx.asRoot().mknod(fx.root(), "p", FIFO | 0644, 0, false)).getAttr().getInode();
                    return () -> fx.asRoot().allocate(p, 0, fx.bricks().get(0));
                }),
                row("commit a chunk length over the chunk size", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    ok(fx.asRoot().allocate(f, 0, fx.bricks().get(0)));
                    return () -> fx.asRoot().commitWrite(f, 10, 0, ChunkLength.newBuilder()
                            .setIndex(0).setLength(CHUNK_SIZE + 1).build());
                }),
                row("truncate a fifo", e, fx -> {
                    long p = ok(fx.asRoot().mknod(fx.root(), "p", FIFO | 0644, 0, false)).getAttr().getInode();
                    return () -> fx.asRoot().truncate(p, 0);
                }),
                row("truncate a symlink", e, fx -> {
                    long s = fx.symlink(fx.root(), "s", "target");
                    return () -> fx.asRoot().truncate(s, 1);
                }),
                row("a mutation naming no operation", e, fx -> () -> fx.apply(ROOT, MetaMutation.getDefaultInstance())));
    }

    static Stream<Arguments> tooManyLinks() {
        ErrorCode e = ErrorCode.TOO_MANY_LINKS;
        return Stream.of(
                row("link to a file with LINK_MAX links", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    poke(fx, f, Inodes.LINK_MAX);
                    return () -> fx.asRoot().link(f, fx.root(), "one-more");
                }),
                row("mkdir in a directory with LINK_MAX links", e, fx -> {
                    long d = fx.mkdir(fx.root(), "d", 0755);
                    poke(fx, d, Inodes.LINK_MAX);
                    return () -> fx.asRoot().mkdir(d, "sub", 0755);
                }),
                row("rename a directory into a directory with LINK_MAX links", e, fx -> {
                    long d = fx.mkdir(fx.root(), "d", 0755);
                    fx.mkdir(fx.root(), "sub", 0755);
                    poke(fx, d, Inodes.LINK_MAX);
                    return () -> fx.asRoot().rename(fx.root(), "sub", d, "sub");
                }),
                row("rename a directory over an empty one in a directory with LINK_MAX links", ErrorCode.OK, fx -> {
                    long d = fx.mkdir(fx.root(), "d", 0755);
                    fx.mkdir(d, "sub", 0755);
                    fx.mkdir(fx.root(), "sub", 0755);
                    poke(fx, d, Inodes.LINK_MAX);
                    return () -> fx.asRoot().rename(fx.root(), "sub", d, "sub");
                }),
                row("rename a directory within a directory with LINK_MAX links", ErrorCode.OK, fx -> {
                    long d = fx.mkdir(fx.root(), "d", 0755);
                    fx.mkdir(d, "sub", 0755);
                    poke(fx, d, Inodes.LINK_MAX);
                    return () -> fx.asRoot().rename(d, "sub", d, "renamed");
                }));
    }

    static Stream<Arguments> fileTooBig() {
        ErrorCode e = ErrorCode.FILE_TOO_BIG;
        return Stream.of(
                row("truncate past the size limit", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().truncate(f, ChunkOps.MAX_FILE_SIZE + 1);
                }),
                row("allocate a chunk past the size limit", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().allocate(f, ChunkOps.MAX_FILE_SIZE / CHUNK_SIZE, fx.bricks().get(0));
                }),
                row("commit a size past the limit", e, fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    return () -> fx.asRoot().commitWrite(f, ChunkOps.MAX_FILE_SIZE + 1, 0);
                }));
    }

    private static void poke(NamespaceFixture fx, long inode, int nlink) {
        try {
            fx.poke(inode, b -> b.setNlink(nlink));
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }
}
