package io.cairn.fuse;

import io.cairn.client.fs.CairnFs;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.fuse.kernel.Fuse;
import io.cairn.fuse.kernel.FuseAttr;
import io.cairn.fuse.kernel.FuseReply;
import io.cairn.fuse.kernel.FuseSession;
import io.cairn.proto.InodeAttr;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the kernel knows of the volume's nodes: the volume's inode for the kernel's node id (the
 * kernel's root, 1, is the volume's root; every other node id is the inode number), the name
 * each node was last found by, the attributes and entries replied with how long the kernel may
 * keep them (as long as the client's cache trusts them; nothing until the session is attached,
 * since no change could be announced to it before).
 */
final class FuseNodes {
    private final CairnFs fs;
    private final long root;
    /** The name each inode was last found by: an open checks it is still that inode. */
    private final Map<Long, Name> foundAs = new ConcurrentHashMap<>();
    private volatile FuseSession session;

    record Name(long parent, String name) {
    }

    FuseNodes(CairnFs fs) {
        this.fs = fs;
        this.root = fs.root();
    }

    CairnFs fs() {
        return fs;
    }

    void attach(FuseSession s) {
        this.session = s;
    }

    FuseSession session() {
        return session;
    }

    /** The volume's inode for the kernel's node id. */
    long inode(long nodeid) {
        return nodeid == Fuse.ROOT_ID ? root : nodeid;
    }

    /** The kernel's node id for the volume's inode (1 is always the volume's root, never a file). */
    long nodeid(long inode) {
        return inode == root ? Fuse.ROOT_ID : inode;
    }

    void found(long inode, long parent, String name) {
        foundAs.put(inode, new Name(parent, name));
    }

    Name foundAs(long inode) {
        return foundAs.get(inode);
    }

    void lost(long inode, Name name) {
        foundAs.remove(inode, name);
    }

    void forget(long inode) {
        foundAs.remove(inode);
    }

    /** Replies the entry (parent, name) naming {@code a}, and remembers the name. */
    void replyEntry(FuseReply reply, long parent, String name, InodeAttr a) {
        found(a.getInode(), parent, name);
        reply.entry(nodeid(a.getInode()), attr(a), entryNanos(parent, name), attrNanos(a.getInode()));
    }

    void replyAttr(FuseReply reply, InodeAttr a) {
        reply.attr(attr(a), attrNanos(a.getInode()));
    }

    long attrNanos(long inode) {
        return session == null ? 0 : fs.attrFreshNanos(inode);
    }

    long entryNanos(long parent, String name) {
        return session == null ? 0 : fs.entryFreshNanos(parent, name);
    }

    FuseAttr attr(InodeAttr a) {
        return new FuseAttr(nodeid(a.getInode()), a.getSize(), a.getBlocks() != 0 ? a.getBlocks() : (a.getSize() + 511) / 512,
                a.getAtimeNs(), a.getMtimeNs(), a.getCtimeNs(), a.getMode(), a.getNlink(), a.getUid(), a.getGid(), (int) a.getRdev(),
                65536);
    }

    /**
     * A name (or symlink target, or xattr name) from the kernel. Names are UTF-8 in the meta
     * service, so bytes that are not UTF-8 are refused (EINVAL, as ext4's strict casefold and
     * a filesystem probe such as stress-ng's expect) rather than decoded with replacement
     * characters, which made distinct names such as 0x80 and 0x81 one file.
     */
    static String utf8(byte[] bytes) throws CairnException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "name is not UTF-8: "
                    + HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 64)));
        }
    }
}
