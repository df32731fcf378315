package io.cairn.bench.fuse;

import io.cairn.fuse.kernel.Fuse;
import io.cairn.fuse.kernel.FuseAttr;
import io.cairn.fuse.kernel.FuseHandler;
import io.cairn.fuse.kernel.FuseReply;
import io.cairn.fuse.kernel.FuseRequest;
import io.cairn.fuse.kernel.FuseSession;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file system that keeps names and sizes in memory and no data (writes are taken and dropped,
 * reads return zeros), served by Cairn's FUSE binding: what the binding alone costs, to set
 * beside bindfs over tmpfs (bench/fuse-layer). Directories nest; no links, no xattrs, no locks.
 * Usage: NullVolume MOUNTPOINT (serves until unmounted).
 */
public final class NullVolume implements FuseHandler {
    private static final long TTL = 1_000_000_000L;  // bindfs's (libfuse's) default entry and attribute timeout: 1 s
    private static final int ENOENT = 2;
    private static final int EEXIST = 17;
    private static final int ENOTEMPTY = 39;

    private final Map<Long, Node> nodes = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(2);

    private static final class Node {
        final long id;
        final int mode;
        volatile long size;
        final Map<String, Long> children;

        Node(long id, int mode) {
            this.id = id;
            this.mode = mode;
            this.children = (mode & 0170000) == 0040000 ? new ConcurrentHashMap<>() : null;
        }

        FuseAttr attr() {
            return new FuseAttr(id, size, (size + 511) / 512, 0, 0, 0, mode, children != null ? 2 : 1, 0, 0, 0, 4096);
        }
    }

    NullVolume() {
        nodes.put(Fuse.ROOT_ID, new Node(Fuse.ROOT_ID, 0040755));
    }

    public static void main(String[] args) throws Exception {
        List<String> options = new java.util.ArrayList<>(List.of("fsname=null", "subtype=null", "default_permissions"));
        if (io.cairn.fuse.kernel.KernelMount.privileged()) {
            options.add("allow_other");  // others need /etc/fuse.conf's user_allow_other for it
        }
        FuseSession s = FuseSession.mount(Path.of(args[0]).toAbsolutePath(), options, new NullVolume(), 0);
        Runtime.getRuntime().addShutdownHook(new Thread(s::unmount));
        s.awaitEnd();
    }

    @Override
    public void forget(long nodeid, long nlookup) {
    }

    @Override
    public void handle(FuseRequest req, FuseReply reply) {
        Node n = nodes.get(req.nodeid());
        if (n == null) {
            reply.err(ENOENT);
            return;
        }
        switch (req.opcode()) {
            case Fuse.LOOKUP -> {
                Long id = n.children.get(name(req, 0));
                if (id == null) {
                    reply.err(ENOENT);
                } else {
                    reply.entry(id, nodes.get(id).attr(), TTL, TTL);
                }
            }
            case Fuse.GETATTR -> reply.attr(n.attr(), TTL);
            case Fuse.SETATTR -> {
                if ((req.i32(0) & Fuse.FATTR_SIZE) != 0) {
                    n.size = req.i64(16);
                }
                reply.attr(n.attr(), TTL);
            }
            case Fuse.CREATE -> make(n, name(req, 16), 0100000 | (req.i32(4) & 07777), reply, true);
            case Fuse.MKNOD -> make(n, name(req, 16), req.i32(0), reply, false);
            case Fuse.MKDIR -> make(n, name(req, 8), 0040000 | (req.i32(0) & 07777), reply, false);
            case Fuse.UNLINK, Fuse.RMDIR -> {
                String name = name(req, 0);
                Long id = n.children.get(name);
                Node child = id == null ? null : nodes.get(id);
                if (child == null) {
                    reply.err(ENOENT);
                } else if (child.children != null && !child.children.isEmpty()) {
                    reply.err(ENOTEMPTY);
                } else {
                    n.children.remove(name);
                    nodes.remove(id);
                    reply.ok();
                }
            }
            case Fuse.OPEN, Fuse.OPENDIR -> reply.open(0, 0);
            case Fuse.READ -> {
                long offset = req.i64(8);
                int len = (int) Math.max(0, Math.min(req.i32(16), n.size - offset));
                MemorySegment out = reply.payload(len);
                out.fill((byte) 0);
                reply.sendPayload(len);
            }
            case Fuse.WRITE -> {
                int len = req.i32(16);
                long end = req.i64(8) + len;
                synchronized (n) {
                    n.size = Math.max(n.size, end);
                }
                reply.written(len);
            }
            case Fuse.READDIR -> readdir(n, req, reply);
            case Fuse.STATFS -> reply.statfs(1L << 30, 1L << 29, 1L << 29, 1L << 20, 1L << 19, 4096, 255);
            case Fuse.FLUSH, Fuse.RELEASE, Fuse.FSYNC, Fuse.RELEASEDIR, Fuse.FSYNCDIR, Fuse.ACCESS -> reply.ok();
            default -> reply.err(Fuse.ENOSYS);
        }
    }

    private void make(Node dir, String name, int mode, FuseReply reply, boolean open) {
        Node child = new Node(nextId.getAndIncrement(), mode);
        if (dir.children.putIfAbsent(name, child.id) != null) {
            reply.err(EEXIST);
            return;
        }
        nodes.put(child.id, child);
        if (open) {
            reply.create(child.id, child.attr(), TTL, TTL, 0, 0);
        } else {
            reply.entry(child.id, child.attr(), TTL, TTL);
        }
    }

    private void readdir(Node dir, FuseRequest req, FuseReply reply) {
        long offset = req.i64(8);
        FuseReply.Dirents out = reply.dirents(req.i32(16));
        int i = 0;
        for (Map.Entry<String, Long> e : dir.children.entrySet()) {
            if (i++ < offset) {
                continue;
            }
            Node c = nodes.get(e.getValue());
            if (c == null || !out.add(c.id, i, c.mode, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                break;
            }
        }
        out.send();
    }

    private static String name(FuseRequest req, int offset) {
        return new String(req.cstring(offset), StandardCharsets.UTF_8);
    }
}
