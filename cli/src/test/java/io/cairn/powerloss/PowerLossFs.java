package io.cairn.powerloss;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jnr.ffi.Pointer;
import jnr.ffi.types.mode_t;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * A FUSE passthrough over a backing directory that loses, on {@link #dropUnsynced}, what a disk
 * loses in a power cut: every byte written and every truncation made to a file since that file's
 * last fsync or fdatasync ({@link UndoLog}, one per file, keyed by the backing inode). Namespace
 * changes (create, mkdir, rename, link, unlink, rmdir, symlink, chmod, times) reach the backing
 * directory at once and are never undone: the pessimistic model for data, where a rename of a
 * temp file written without fsync over a synced file is durable but the temp file's bytes are
 * not, so the target comes back empty. fsync of a directory is a no-op (its entries are durable
 * anyway).
 *
 * <p>jnr-fuse's high-level (path) API, run multithreaded by libfuse. File locks are left to the
 * kernel (no lock callbacks: the kernel then keeps POSIX locks and flocks locally), fallocate is
 * not offered (callers get EOPNOTSUPP), mmap reads work through the page cache (no direct_io), and
 * extended attributes are not supported. An unlinked open file becomes libfuse's
 * {@code .fuse_hidden*} until released.
 */
final class PowerLossFs extends FuseStubFS {
    private static final int O_ACCMODE = 3;
    private static final int O_EXCL = 0200;
    private static final long UTIME_NOW = (1L << 30) - 1;
    private static final long UTIME_OMIT = (1L << 30) - 2;

    private final Path backing;
    private final Map<Long, Open> open = new ConcurrentHashMap<>();
    private final Map<Long, UndoLog> logs = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(1);

    /** An open file: its channel, and the backing inode its undo log is kept under. */
    private record Open(FileChannel channel, RandomAccessFile file, long ino) {
    }

    PowerLossFs(Path backing) {
        this.backing = backing.toAbsolutePath();
    }

    /** The power cut: every file goes back to its state at its last fsync. Nothing may use the files meanwhile. */
    int dropUnsynced() throws IOException {
        int dropped = 0;
        for (UndoLog log : logs.values()) {
            if (log.dirty()) {
                dropped++;
            }
            log.undo();
            log.close();
        }
        logs.clear();
        return dropped;
    }

    private Path real(String path) {
        return path.equals("/") ? backing : backing.resolve(path.substring(1));
    }

    private interface Call {
        int run() throws IOException;
    }

    /** Runs a callback, turning Java's I/O exceptions into the errno the kernel expects (negated). */
    private static int errno(Call c) {
        try {
            return c.run();
        } catch (NoSuchFileException e) {
            return -ErrorCodes.ENOENT();
        } catch (FileAlreadyExistsException e) {
            return -ErrorCodes.EEXIST();
        } catch (DirectoryNotEmptyException e) {
            return -ErrorCodes.ENOTEMPTY();
        } catch (NotDirectoryException e) {
            return -ErrorCodes.ENOTDIR();
        } catch (AccessDeniedException e) {
            return -ErrorCodes.EACCES();
        } catch (FileSystemException e) {
            String reason = String.valueOf(e.getReason());
            if (reason.contains("Is a directory")) {
                return -ErrorCodes.EISDIR();
            }
            if (reason.contains("Not a directory")) {
                return -ErrorCodes.ENOTDIR();
            }
            if (reason.contains("Directory not empty")) {
                return -ErrorCodes.ENOTEMPTY();
            }
            if (reason.contains("Invalid cross-device") || reason.contains("Invalid argument")) {
                return -ErrorCodes.EINVAL();
            }
            return -ErrorCodes.EIO();
        } catch (IOException | RuntimeException e) {
            return -ErrorCodes.EIO();
        }
    }

    private static long ino(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
    }

    /** The undo log of the file at {@code p} (its inode {@code ino}), started from its current state. */
    private UndoLog log(long ino, Path p) throws IOException {
        UndoLog log = logs.get(ino);
        if (log == null) {
            UndoLog fresh = UndoLog.open(p);
            log = logs.putIfAbsent(ino, fresh);
            if (log == null) {
                log = fresh;
            } else {
                fresh.close();
            }
        }
        return log;
    }

    /** A name is about to go: when it is the file's last, its undo log goes too (nothing can see the file again). */
    private void forgetIfLastName(Path p) throws IOException {
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Map<String, Object> a = Files.readAttributes(p, "unix:ino,nlink", LinkOption.NOFOLLOW_LINKS);
        if (((Number) a.get("nlink")).intValue() <= 1) {
            UndoLog log = logs.remove(((Number) a.get("ino")).longValue());
            if (log != null) {
                log.close();
            }
        }
    }

    @Override
    public int getattr(String path, FileStat st) {
        return errno(() -> {
            Map<String, Object> a = Files.readAttributes(real(path), "unix:*", LinkOption.NOFOLLOW_LINKS);
            long size = ((Number) a.get("size")).longValue();
            st.st_mode.set(((Number) a.get("mode")).intValue());
            st.st_ino.set(((Number) a.get("ino")).longValue());
            st.st_nlink.set(((Number) a.get("nlink")).intValue());
            st.st_uid.set(((Number) a.get("uid")).intValue());
            st.st_gid.set(((Number) a.get("gid")).intValue());
            st.st_rdev.set(((Number) a.get("rdev")).longValue());
            st.st_size.set(size);
            st.st_blksize.set(4096);
            st.st_blocks.set((size + 511) / 512);
            time(st.st_atim, (FileTime) a.get("lastAccessTime"));
            time(st.st_mtim, (FileTime) a.get("lastModifiedTime"));
            time(st.st_ctim, (FileTime) a.get("ctime"));
            return 0;
        });
    }

    private static void time(Timespec t, FileTime ft) {
        long ns = ft.to(TimeUnit.NANOSECONDS);
        t.tv_sec.set(Math.floorDiv(ns, 1_000_000_000L));
        t.tv_nsec.set(Math.floorMod(ns, 1_000_000_000L));
    }

    @Override
    public int readlink(String path, Pointer buf, @size_t long size) {
        return errno(() -> {
            byte[] target = Files.readSymbolicLink(real(path)).toString().getBytes();
            int n = (int) Math.min(target.length, size - 1);
            buf.put(0, target, 0, n);
            buf.putByte(n, (byte) 0);
            return 0;
        });
    }

    @Override
    public int mkdir(String path, @mode_t long mode) {
        return errno(() -> {
            Files.createDirectory(real(path));
            Files.setAttribute(real(path), "unix:mode", (int) (mode & 07777), LinkOption.NOFOLLOW_LINKS);
            return 0;
        });
    }

    @Override
    public int unlink(String path) {
        return errno(() -> {
            forgetIfLastName(real(path));
            Files.delete(real(path));
            return 0;
        });
    }

    @Override
    public int rmdir(String path) {
        return errno(() -> {
            if (!Files.isDirectory(real(path), LinkOption.NOFOLLOW_LINKS)) {
                return -ErrorCodes.ENOTDIR();
            }
            Files.delete(real(path));
            return 0;
        });
    }

    @Override
    public int symlink(String target, String link) {
        return errno(() -> {
            Files.createSymbolicLink(real(link), Path.of(target));
            return 0;
        });
    }

    @Override
    public int rename(String from, String to) {
        return errno(() -> {
            if (!real(from).equals(real(to))) {
                forgetIfLastName(real(to));
            }
            Files.move(real(from), real(to), StandardCopyOption.ATOMIC_MOVE);  // rename(2): replaces the target
            return 0;
        });
    }

    @Override
    public int link(String from, String to) {
        return errno(() -> {
            Files.createLink(real(to), real(from));
            return 0;
        });
    }

    @Override
    public int chmod(String path, @mode_t long mode) {
        return errno(() -> {
            Files.setAttribute(real(path), "unix:mode", (int) (mode & 07777));
            return 0;
        });
    }

    @Override
    public int chown(String path, long uid, long gid) {
        return errno(() -> {
            if (uid != 0xFFFFFFFFL && uid != -1) {
                Files.setAttribute(real(path), "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
            }
            if (gid != 0xFFFFFFFFL && gid != -1) {
                Files.setAttribute(real(path), "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
            }
            return 0;
        });
    }

    @Override
    public int truncate(String path, @off_t long size) {
        return errno(() -> {
            Path p = real(path);
            log(ino(p), p).beforeTruncate(size);
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                f.setLength(size);
            }
            return 0;
        });
    }

    @Override
    public int ftruncate(String path, @off_t long size, FuseFileInfo fi) {
        return errno(() -> {
            Open o = handle(fi);
            log(o.ino(), real(path)).beforeTruncate(size);
            o.file().setLength(size);
            return 0;
        });
    }

    @Override
    public int utimens(String path, Timespec[] timespec) {
        return errno(() -> {
            Files.getFileAttributeView(real(path), BasicFileAttributeView.class)
                    .setTimes(fileTime(timespec[1]), fileTime(timespec[0]), null);
            return 0;
        });
    }

    /** A time to set, or null to leave it (UTIME_OMIT). */
    private static FileTime fileTime(Timespec t) {
        long nsec = t.tv_nsec.longValue();
        if (nsec == UTIME_OMIT) {
            return null;
        }
        if (nsec == UTIME_NOW) {
            return FileTime.fromMillis(System.currentTimeMillis());
        }
        return FileTime.from(t.tv_sec.get() * 1_000_000_000L + nsec, TimeUnit.NANOSECONDS);
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        return errno(() -> opened(real(path), fi));
    }

    @Override
    public int create(String path, @mode_t long mode, FuseFileInfo fi) {
        return errno(() -> {
            Path p = real(path);
            try {
                Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                if ((fi.flags.get() & O_EXCL) != 0) {
                    throw e;
                }
            }
            Files.setAttribute(p, "unix:mode", (int) (mode & 07777));
            return opened(p, fi);
        });
    }

    private int opened(Path p, FuseFileInfo fi) throws IOException {
        boolean readOnly = (fi.flags.get() & O_ACCMODE) == 0;
        RandomAccessFile f = new RandomAccessFile(p.toFile(), readOnly ? "r" : "rw");
        long ino = ino(p);
        if (!readOnly) {
            log(ino, p);  // the file as it is now: its state at its "last fsync" if it has no log yet
        }
        long h = nextHandle.getAndIncrement();
        open.put(h, new Open(f.getChannel(), f, ino));
        fi.fh.set(h);
        return 0;
    }

    private Open handle(FuseFileInfo fi) throws IOException {
        Open o = open.get(fi.fh.get());
        if (o == null) {
            throw new IOException("unknown file handle " + fi.fh.get());
        }
        return o;
    }

    @Override
    public int read(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        return errno(() -> {
            FileChannel ch = handle(fi).channel();
            ByteBuffer b = ByteBuffer.allocate((int) size);
            while (b.hasRemaining() && ch.read(b, offset + b.position()) > 0) {
                // a short read: go on until EOF or full
            }
            buf.put(0, b.array(), 0, b.position());
            return b.position();
        });
    }

    @Override
    public int write(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        return errno(() -> {
            Open o = handle(fi);
            byte[] data = new byte[(int) size];
            buf.get(0, data, 0, data.length);
            log(o.ino(), real(path)).beforeWrite(offset, size);
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                o.channel().write(b, offset + b.position());
            }
            return (int) size;
        });
    }

    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        return errno(() -> {
            UndoLog log = logs.get(handle(fi).ino());
            if (log != null) {
                log.synced();
            }
            return 0;
        });
    }

    @Override
    public int flush(String path, FuseFileInfo fi) {
        return 0;
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        return errno(() -> {
            Open o = open.remove(fi.fh.get());
            if (o != null) {
                o.file().close();
            }
            return 0;
        });
    }

    @Override
    public int opendir(String path, FuseFileInfo fi) {
        return errno(() -> Files.isDirectory(real(path)) ? 0 : -ErrorCodes.ENOTDIR());
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filter, @off_t long offset, FuseFileInfo fi) {
        return errno(() -> {
            filter.apply(buf, ".", null, 0);
            filter.apply(buf, "..", null, 0);
            try (DirectoryStream<Path> names = Files.newDirectoryStream(real(path))) {
                for (Path n : names) {
                    filter.apply(buf, n.getFileName().toString(), null, 0);
                }
            }
            return 0;
        });
    }

    @Override
    public int fsyncdir(String path, FuseFileInfo fi) {
        return 0;
    }

    @Override
    public int access(String path, int mask) {
        return errno(() -> Files.exists(real(path), LinkOption.NOFOLLOW_LINKS) ? 0 : -ErrorCodes.ENOENT());
    }

    @Override
    public int statfs(String path, Statvfs st) {
        return errno(() -> {
            FileStore store = Files.getFileStore(backing);
            st.f_bsize.set(4096);
            st.f_frsize.set(4096);
            st.f_blocks.set(store.getTotalSpace() / 4096);
            st.f_bfree.set(store.getUnallocatedSpace() / 4096);
            st.f_bavail.set(store.getUsableSpace() / 4096);
            st.f_files.set(1_000_000);
            st.f_ffree.set(1_000_000);
            st.f_favail.set(1_000_000);
            st.f_namemax.set(255);
            return 0;
        });
    }
}
