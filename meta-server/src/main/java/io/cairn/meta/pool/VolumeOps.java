package io.cairn.meta.pool;

import io.cairn.common.CairnException;
import io.cairn.common.Crc32c;
import io.cairn.common.ErrorCode;
import io.cairn.meta.namespace.FileMode;
import io.cairn.meta.namespace.Inodes;
import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.meta.store.Txn;
import io.cairn.proto.BrickInfo;
import io.cairn.proto.BrickSpec;
import io.cairn.proto.BrickUsage;
import io.cairn.proto.CreateVolumeRequest;
import io.cairn.proto.DeleteVolumeRequest;
import io.cairn.proto.SetVolumeOptionRequest;
import io.cairn.proto.SetVolumeStateRequest;
import io.cairn.proto.StatFsResult;
import io.cairn.proto.VolumeInfo;
import io.cairn.proto.VolumeState;
import io.cairn.proto.state.BrickRecord;
import io.cairn.proto.state.Counters;
import io.cairn.proto.state.InodeRecord;
import io.cairn.proto.state.NodeRecord;
import io.cairn.proto.state.VolumeRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Volume lifecycle: create, start, stop, delete, options. A failed call changes nothing. */
public final class VolumeOps {
    public static final long DEFAULT_CHUNK_SIZE = 64L << 20;
    public static final long MIN_CHUNK_SIZE = Crc32c.BLOCK_SIZE;
    public static final long MAX_CHUNK_SIZE = 1L << 30;
    public static final int MAX_REPLICAS = 16;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private VolumeOps() {
    }

    public static int minSizeDefault(int size) {
        return size - size / 2;
    }

    public static VolumeInfo create(Txn t, long nowNs, CreateVolumeRequest r) throws CairnException {
        if (!NAME.matcher(r.getName()).matches()) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "invalid volume name '" + r.getName()
                    + "': use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (find(t, r.getName()) != 0) {
            throw new CairnException(ErrorCode.ALREADY_EXISTS, "volume " + r.getName() + " already exists");
        }
        int size = r.getSize();
        if (size < 1 || size > MAX_REPLICAS) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "invalid replica count " + size + ": use 1 to " + MAX_REPLICAS);
        }
        int minSize = r.getMinSize() == 0 ? minSizeDefault(size) : r.getMinSize();
        if (minSize < 1 || minSize > size) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "invalid min-size " + minSize + ": it must be between 1 and the replica count " + size);
        }
        long chunkSize = r.getChunkSize() == 0 ? DEFAULT_CHUNK_SIZE : r.getChunkSize();
        if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE || chunkSize % Crc32c.BLOCK_SIZE != 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "invalid chunk-size " + chunkSize
                    + ": use a multiple of 64 KiB between 64 KiB and 1 GiB");
        }
        if (r.getBricksCount() < size) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "replica " + size + " needs at least " + size
                    + " bricks, got " + r.getBricksCount() + "; name more bricks or a lower replica count");
        }
        for (Map.Entry<String, String> o : r.getOptionsMap().entrySet()) {
            VolumeOptions.check(o.getKey(), o.getValue());
        }
        Set<Long> nodes = checkBricks(t, r.getBricksList());
        if (nodes.size() < size && !r.getForce()) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "replica " + size + " needs bricks on " + size
                    + " distinct nodes, got " + nodes.size() + "; replicas on one node do not survive its loss."
                    + " Use bricks on more nodes, or add 'force' to accept it");
        }

        Counters c = Records.counters(t);
        int volumeId = c.getNextVolume();
        long rootInode = c.getNextInode();
        long firstBrick = c.getNextBrick();
        Records.putCounters(t, c.toBuilder()
                .setNextVolume(volumeId + 1)
                .setNextInode(rootInode + 1)
                .setNextBrick(firstBrick + r.getBricksCount())
                .build());
        VolumeRecord.Builder vol = VolumeRecord.newBuilder()
                .setName(r.getName())
                .setState(VolumeState.VOLUME_CREATED)
                .setSize(size)
                .setMinSize(minSize)
                .setChunkSize(chunkSize)
                .putAllOptions(r.getOptionsMap())
                .setRootInode(rootInode)
                .setUuid(r.getUuid())
                .setInodes(1);
        if (r.getForce()) {
            vol.putOptions(VolumeOptions.ALLOW_SAME_NODE, "on");
        }
        for (int i = 0; i < r.getBricksCount(); i++) {
            BrickSpec spec = r.getBricks(i);
            long brickId = firstBrick + i;
            t.put(Table.BRICKS, MetaSchema.u64(brickId), BrickRecord.newBuilder()
                    .setNodeId(spec.getNodeId()).setPath(normalize(spec.getPath())).setVolumeId(volumeId)
                    .build().toByteArray());
            vol.addBricks(brickId);
        }
        Records.putVolume(t, volumeId, vol.build());
        Records.putInode(t, rootInode, InodeRecord.newBuilder()
                .setVolumeId(volumeId)
                .setMode(FileMode.S_IFDIR | 0755)
                .setNlink(2)
                .setAtimeNs(nowNs).setMtimeNs(nowNs).setCtimeNs(nowNs)
                .setParent(rootInode)
                .build());
        return info(t, volumeId, vol.build(), null);
    }

    /** Bricks must be on pool nodes, absolute, distinct, and not inside or around another volume's brick. */
    static Set<Long> checkBricks(ReadView v, List<BrickSpec> bricks) throws CairnException {
        Set<Long> nodes = new HashSet<>();
        List<BrickSpec> seen = new ArrayList<>();
        List<BrickRecord> existing = new ArrayList<>();
        v.scan(Table.BRICKS, new byte[0], null, (k, val) -> {
            existing.add(Records.parse(val, BrickRecord.parser()));
            return true;
        });
        for (BrickSpec b : bricks) {
            NodeRecord node = Records.node(v, b.getNodeId());
            if (node == null) {
                throw new CairnException(ErrorCode.NOT_FOUND, "node " + b.getNodeId()
                        + " of brick " + b.getPath() + " is not in the pool; probe it with 'cairn peer probe HOST'");
            }
            String where = node.getAddress() + ":" + b.getPath();
            if (!b.getPath().startsWith("/") || b.getPath().length() > 4096 || b.getPath().contains("\0")
                    || !normalize(b.getPath()).equals(stripSlash(b.getPath())) || b.getPath().equals("/")) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "invalid brick path in " + where
                        + ": use an absolute directory path without '.', '..' or '//', e.g. /data/brick1");
            }
            for (BrickSpec other : seen) {
                if (other.getNodeId() == b.getNodeId() && nested(other.getPath(), b.getPath())) {
                    throw new CairnException(ErrorCode.INVALID_ARGUMENT, "brick " + where
                            + " is named twice or nested in another brick of this volume");
                }
            }
            for (BrickRecord other : existing) {
                if (other.getNodeId() == b.getNodeId() && nested(other.getPath(), b.getPath())) {
                    VolumeRecord vol = Records.volume(v, other.getVolumeId());
                    throw new CairnException(ErrorCode.ALREADY_EXISTS, "brick " + where + " is or overlaps brick "
                            + other.getPath() + " of volume " + (vol == null ? "?" : vol.getName())
                            + "; use another directory");
                }
            }
            seen.add(b);
            nodes.add(b.getNodeId());
        }
        return nodes;
    }

    public static VolumeInfo setState(Txn t, SetVolumeStateRequest r) throws CairnException {
        int id = existing(t, r.getName());
        VolumeRecord vol = Records.volume(t, id);
        VolumeState to = r.getState();
        if (to == VolumeState.VOLUME_STARTED) {
            if (vol.getState() == VolumeState.VOLUME_STARTED) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "volume " + r.getName() + " is already started");
            }
        } else if (to == VolumeState.VOLUME_STOPPED) {
            if (vol.getState() != VolumeState.VOLUME_STARTED) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "volume " + r.getName() + " is not started");
            }
        } else {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "a volume can only be started or stopped");
        }
        VolumeRecord next = vol.toBuilder().setState(to).build();
        Records.putVolume(t, id, next);
        return info(t, id, next, null);
    }

    /** Deletes a stopped volume: its bricks and namespace; its chunks become garbage for the nodes. */
    public static void delete(Txn t, DeleteVolumeRequest r) throws CairnException {
        int id = existing(t, r.getName());
        VolumeRecord vol = Records.volume(t, id);
        if (vol.getState() == VolumeState.VOLUME_STARTED) {
            throw new CairnException(ErrorCode.BUSY, "volume " + r.getName()
                    + " is started; stop it first with 'cairn volume stop " + r.getName() + "'");
        }
        List<Long> inodes = new ArrayList<>();
        t.scan(Table.INODES, new byte[0], null, (k, val) -> {
            if (Records.parse(val, InodeRecord.parser()).getVolumeId() == id) {
                inodes.add(MetaSchema.readU64(k, 0));
            }
            return true;
        });
        for (long inode : inodes) {
            List<byte[]> names = new ArrayList<>();
            t.scan(Table.DENTRIES, MetaSchema.u64(inode), null, (k, val) -> names.add(k));
            for (byte[] k : names) {
                t.delete(Table.DENTRIES, k);
            }
            Inodes.destroy(t, inode, id);
        }
        for (long brick : vol.getBricksList()) {
            t.delete(Table.BRICKS, MetaSchema.u64(brick));
        }
        t.delete(Table.VOLUMES, MetaSchema.u32(id));
    }

    public static VolumeInfo setOption(Txn t, SetVolumeOptionRequest r) throws CairnException {
        int id = existing(t, r.getName());
        VolumeRecord vol = Records.volume(t, id);
        VolumeRecord next;
        if (r.getKey().equals("min-size")) {
            int minSize;
            try {
                minSize = Integer.parseInt(r.getValue());
            } catch (NumberFormatException e) {
                minSize = -1;
            }
            if (minSize < 1 || minSize > vol.getSize()) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "invalid min-size '" + r.getValue()
                        + "': it must be between 1 and the replica count " + vol.getSize());
            }
            next = vol.toBuilder().setMinSize(minSize).build();
        } else {
            VolumeOptions.check(r.getKey(), r.getValue());
            next = vol.toBuilder().putOptions(r.getKey(), r.getValue()).build();
        }
        Records.putVolume(t, id, next);
        return info(t, id, next, null);
    }

    /** The id of the volume with this name, or 0. */
    public static int find(ReadView v, String name) {
        int[] found = {0};
        v.scan(Table.VOLUMES, new byte[0], null, (k, val) -> {
            if (Records.parse(val, VolumeRecord.parser()).getName().equals(name)) {
                found[0] = MetaSchema.readU32(k, 0);
                return false;
            }
            return true;
        });
        return found[0];
    }

    public static int existing(ReadView v, String name) throws CairnException {
        int id = find(v, name);
        if (id == 0) {
            throw new CairnException(ErrorCode.NOT_FOUND,
                    "volume " + name + " does not exist; 'cairn volume list' shows the volumes");
        }
        return id;
    }

    public static List<VolumeInfo> list(ReadView v, Liveness liveness) {
        List<VolumeInfo> out = new ArrayList<>();
        v.scan(Table.VOLUMES, new byte[0], null, (k, val) -> {
            out.add(info(v, MetaSchema.readU32(k, 0), Records.parse(val, VolumeRecord.parser()), liveness));
            return true;
        });
        return out;
    }

    public static VolumeInfo info(ReadView v, int id, VolumeRecord vol, Liveness liveness) {
        VolumeInfo.Builder b = VolumeInfo.newBuilder()
                .setVolumeId(id)
                .setName(vol.getName())
                .setState(vol.getState())
                .setSize(vol.getSize())
                .setMinSize(vol.getMinSize())
                .setChunkSize(vol.getChunkSize())
                .putAllOptions(VolumeOptions.effective(vol.getOptionsMap()))
                .setRootInode(vol.getRootInode())
                .setUuid(vol.getUuid());
        for (long brickId : vol.getBricksList()) {
            BrickRecord brick = Records.brick(v, brickId);
            NodeRecord node = Records.node(v, brick.getNodeId());
            BrickInfo.Builder bi = BrickInfo.newBuilder()
                    .setBrickId(brickId).setNodeId(brick.getNodeId()).setPath(brick.getPath())
                    .setAddress(node == null ? "" : node.getAddress()).setDraining(brick.getDraining());
            if (liveness != null) {
                liveness.usage(brick.getNodeId(), brick.getPath()).ifPresent(u ->
                        bi.setCapacityBytes(u.getCapacityBytes()).setFreeBytes(u.getFreeBytes()));
                BrickFill.Level fill = liveness.fill(brick.getNodeId(), brick.getPath());
                bi.setFull(fill == BrickFill.Level.FULL).setNearfull(fill == BrickFill.Level.NEARFULL);
            }
            b.addBricks(bi);
        }
        return b.build();
    }

    /** statfs: brick space from heartbeats divided by the replica count; files from the inode count. */
    public static StatFsResult statFs(ReadView v, Liveness liveness, int volumeId) throws CairnException {
        VolumeRecord vol = Inodes.startedVolume(v, volumeId);
        long total = 0;
        long free = 0;
        for (long brickId : vol.getBricksList()) {
            BrickRecord brick = Records.brick(v, brickId);
            BrickUsage u = liveness.usage(brick.getNodeId(), brick.getPath()).orElse(null);
            if (u != null) {
                total += u.getCapacityBytes();
                free += u.getFreeBytes();
            }
        }
        long filesFree = 1L << 40;
        return StatFsResult.newBuilder()
                .setBlockSize(4096)
                .setTotalBytes(total / vol.getSize())
                .setFreeBytes(free / vol.getSize())
                .setFiles(vol.getInodes())
                .setFilesFree(filesFree)
                .setNameMax(255)
                .build();
    }

    private static boolean nested(String a, String b) {
        String x = stripSlash(a) + "/";
        String y = stripSlash(b) + "/";
        return x.startsWith(y) || y.startsWith(x);
    }

    private static String stripSlash(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    static String normalize(String p) {
        return stripSlash(Path.of(p).normalize().toString());
    }
}
