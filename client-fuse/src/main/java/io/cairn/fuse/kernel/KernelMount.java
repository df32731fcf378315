package io.cairn.fuse.kernel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Mounts a FUSE file system on a directory and unmounts it. As root this is mount(2) itself on a
 * freshly opened /dev/fuse, so no package is needed; as any other user it is fuse3's set-uid
 * helper ({@link Fusermount}), as libfuse does it. Options are those of mount.fuse: the file
 * system's own (default_permissions, allow_other, allow_root, max_read), the generic mount flags
 * (ro, nosuid, nodev, noexec, noatime, sync, dirsync and their opposites), and fsname/subtype,
 * which name the source and the type {@code fuse.SUBTYPE} in the mount table.
 */
public final class KernelMount {
    private static final Map<String, Long> SET = Map.of("ro", Libc.MS_RDONLY, "nosuid", Libc.MS_NOSUID, "nodev", Libc.MS_NODEV,
            "noexec", Libc.MS_NOEXEC, "sync", Libc.MS_SYNCHRONOUS, "dirsync", Libc.MS_DIRSYNC, "noatime", Libc.MS_NOATIME,
            "nodiratime", Libc.MS_NODIRATIME);
    private static final Map<String, Long> CLEAR = Map.of("rw", Libc.MS_RDONLY, "suid", Libc.MS_NOSUID, "dev", Libc.MS_NODEV,
            "exec", Libc.MS_NOEXEC, "async", Libc.MS_SYNCHRONOUS, "atime", Libc.MS_NOATIME, "diratime", Libc.MS_NODIRATIME,
            "relatime", 0L);
    private static final List<String> FS_FLAGS = List.of("default_permissions", "allow_other");

    private KernelMount() {
    }

    /** Whether this process may call mount(2) (it runs as root). */
    public static boolean privileged() {
        return Libc.geteuid() == 0;
    }

    /**
     * Mounts on {@code dir} and returns the open /dev/fuse descriptor the kernel's requests arrive
     * on. Throws with one line naming what is missing or refused.
     */
    static int mount(Path dir, List<String> options) throws IOException {
        Parsed p = parse(options);
        if (!privileged()) {
            return Fusermount.mount(dir, String.join(",", options));
        }
        int fd = Libc.open("/dev/fuse", Libc.O_RDWR | Libc.O_CLOEXEC);
        if (fd < 0) {
            throw new IOException("cannot open /dev/fuse: " + Libc.strerror(-fd) + "; load the module with 'modprobe fuse'"
                    + " (in a container: run it with --device /dev/fuse)");
        }
        String data = "fd=" + fd + ",rootmode=40000,user_id=0,group_id=0" + p.data;
        int r = Libc.mount(p.source, dir.toString(), p.type, p.flags, data);
        if (r == 0) {
            return fd;
        }
        Libc.close(fd);
        if (r == -Libc.EPERM && Fusermount.installed()) {
            return Fusermount.mount(dir, String.join(",", options));  // root without CAP_SYS_ADMIN (a container)
        }
        throw new IOException("mount -t " + p.type + " " + p.source + " " + dir + " -o " + String.join(",", options) + " failed: "
                + Libc.strerror(-r));
    }

    /**
     * Unmounts {@code dir}: at once, or ({@code lazy}) detached now and let go when its last user
     * does. Returns whether the kernel accepted it.
     */
    public static boolean unmount(Path dir, boolean lazy) {
        if (!privileged()) {
            return Fusermount.unmount(dir, lazy);
        }
        return Libc.umount2(dir.toString(), lazy ? Libc.MNT_DETACH : 0) == 0;
    }

    record Parsed(long flags, String data, String source, String type) {
    }

    /** Checks every option and splits them as mount(2) wants them. */
    static Parsed parse(List<String> options) throws IOException {
        long flags = Libc.MS_NOSUID | Libc.MS_NODEV;
        StringBuilder data = new StringBuilder();
        String fsname = "fuse";
        String type = "fuse";
        for (String o : options) {
            if (SET.containsKey(o)) {
                flags |= SET.get(o);
            } else if (CLEAR.containsKey(o)) {
                flags &= ~CLEAR.get(o);
            } else if (FS_FLAGS.contains(o)) {
                data.append(',').append(o);
            } else if (o.equals("allow_root")) {
                continue;  // root owns the mount: allow_root adds nobody
            } else if (o.startsWith("max_read=") && o.substring(9).matches("[0-9]{1,10}")) {
                data.append(',').append(o);
            } else if (o.startsWith("fsname=") && o.length() > 7 && !o.contains(" ")) {
                fsname = o.substring(7);
            } else if (o.startsWith("subtype=") && o.substring(8).matches("[A-Za-z0-9_.-]+")) {
                type = "fuse." + o.substring(8);
            } else {
                throw new IOException("unknown FUSE mount option '" + o + "'; known: " + String.join(", ", known()));
            }
        }
        return new Parsed(flags, data.toString(), fsname, type);
    }

    private static List<String> known() {
        List<String> all = new ArrayList<>(new java.util.TreeSet<>(SET.keySet()));
        all.addAll(new java.util.TreeSet<>(CLEAR.keySet()));
        all.addAll(FS_FLAGS);
        all.addAll(List.of("allow_root", "max_read=N", "fsname=NAME", "subtype=TYPE"));
        return all;
    }
}
