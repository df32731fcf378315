package io.cairn.meta;

import com.google.protobuf.ByteString;
import io.cairn.common.CairnException;
import io.cairn.meta.namespace.ApplyContext;
import io.cairn.meta.namespace.AttrOps;
import io.cairn.meta.namespace.ChunkOps;
import io.cairn.meta.namespace.NamespaceQueries;
import io.cairn.proto.AllocateChunkRequest;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkLength;
import io.cairn.proto.CommitWriteRequest;
import io.cairn.proto.CreateRequest;
import io.cairn.proto.Credentials;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.LinkRequest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaReply;
import io.cairn.proto.MkdirRequest;
import io.cairn.proto.ReadDirRequest;
import io.cairn.proto.ReadDirResult;
import io.cairn.proto.RemoveXattrRequest;
import io.cairn.proto.RenameRequest;
import io.cairn.proto.RmdirRequest;
import io.cairn.proto.SetAttrRequest;
import io.cairn.proto.SetXattrRequest;
import io.cairn.proto.SymlinkRequest;
import io.cairn.proto.UnlinkRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Calls of one set of credentials on a {@link NamespaceFixture}'s volume: mutations return the
 * reply of their log entry, queries run the read-side handlers on the committed store and throw
 * the {@link CairnException} a server would turn into an error reply.
 */
public final class Caller {
    private final NamespaceFixture fx;
    private final Credentials cred;
    private final int vol;
    private final Function<MetaMutation, MetaReply> sink;

    /** Mutations go to {@code sink}: the fixture's log, or a list when only building them. */
    Caller(NamespaceFixture fx, Credentials cred, int vol, Function<MetaMutation, MetaReply> sink) {
        this.fx = fx;
        this.cred = cred;
        this.vol = vol;
        this.sink = sink;
    }

    /** The same caller, naming another volume in its requests. */
    public Caller in(int volume) {
        return new Caller(fx, cred, volume, sink);
    }

    public MetaReply mutate(MetaMutation m) {
        return sink.apply(m);
    }

    public MetaReply create(long parent, String name, int mode) {
        return mknod(parent, name, mode, 0, false);
    }

    public MetaReply createExclusive(long parent, String name, int mode) {
        return mknod(parent, name, mode, 0, true);
    }

    public MetaReply mknod(long parent, String name, int mode, long rdev, boolean exclusive) {
        return mutate(MetaMutation.newBuilder().setCreate(CreateRequest.newBuilder().setVolumeId(vol)
                .setParent(parent).setName(name).setMode(mode).setRdev(rdev).setExclusive(exclusive)).build());
    }

    public MetaReply mkdir(long parent, String name, int mode) {
        return mutate(MetaMutation.newBuilder().setMkdir(MkdirRequest.newBuilder().setVolumeId(vol)
                .setParent(parent).setName(name).setMode(mode)).build());
    }

    public MetaReply symlink(long parent, String name, String target) {
        return mutate(MetaMutation.newBuilder().setSymlink(SymlinkRequest.newBuilder().setVolumeId(vol)
                .setParent(parent).setName(name).setTarget(target)).build());
    }

    public MetaReply link(long inode, long newParent, String newName) {
        return mutate(MetaMutation.newBuilder().setLink(LinkRequest.newBuilder().setVolumeId(vol)
                .setInode(inode).setNewParent(newParent).setNewName(newName)).build());
    }

    public MetaReply unlink(long parent, String name) {
        return mutate(MetaMutation.newBuilder().setUnlink(UnlinkRequest.newBuilder().setVolumeId(vol)
                .setParent(parent).setName(name)).build());
    }

    public MetaReply rmdir(long parent, String name) {
        return mutate(MetaMutation.newBuilder().setRmdir(RmdirRequest.newBuilder().setVolumeId(vol)
                .setParent(parent).setName(name)).build());
    }

    public MetaReply rename(long parent, String name, long newParent, String newName) {
        return rename(parent, name, newParent, newName, 0);
    }

    public MetaReply rename(long parent, String name, long newParent, String newName, int flags) {
        return mutate(MetaMutation.newBuilder().setRename(RenameRequest.newBuilder().setVolumeId(vol)
                .setParent(parent).setName(name).setNewParent(newParent).setNewName(newName).setFlags(flags))
                .build());
    }

    /** setattr with the volume and inode filled in. */
    public MetaReply setAttr(long inode, UnaryOperator<SetAttrRequest.Builder> fields) {
        return mutate(MetaMutation.newBuilder().setSetAttr(
                fields.apply(SetAttrRequest.newBuilder().setVolumeId(vol).setInode(inode))).build());
    }

    public MetaReply chmod(long inode, int mode) {
        return setAttr(inode, b -> b.setSetMode(true).setMode(mode));
    }

    public MetaReply chown(long inode, int uid, int gid) {
        return setAttr(inode, b -> b.setSetUid(true).setUid(uid).setSetGid(true).setGid(gid));
    }

    public MetaReply chgrp(long inode, int gid) {
        return setAttr(inode, b -> b.setSetGid(true).setGid(gid));
    }

    public MetaReply truncate(long inode, long size) {
        return setAttr(inode, b -> b.setSetSize(true).setSize(size));
    }

    public MetaReply setXattr(long inode, String name, byte[] value, int flags) {
        return mutate(MetaMutation.newBuilder().setSetXattr(SetXattrRequest.newBuilder().setVolumeId(vol)
                .setInode(inode).setName(name).setValue(ByteString.copyFrom(value)).setFlags(flags)).build());
    }

    public MetaReply setXattr(long inode, String name, String value) {
        return setXattr(inode, name, value.getBytes(StandardCharsets.UTF_8), 0);
    }

    public MetaReply removeXattr(long inode, String name) {
        return mutate(MetaMutation.newBuilder().setRemoveXattr(RemoveXattrRequest.newBuilder()
                .setVolumeId(vol).setInode(inode).setName(name)).build());
    }

    public MetaReply allocate(long inode, long chunkIndex, Long... placement) {
        return mutate(MetaMutation.newBuilder().setAllocateChunk(AllocateChunkRequest.newBuilder()
                .setVolumeId(vol).setInode(inode).setIndex(chunkIndex)
                .addAllPlacement(Arrays.asList(placement))).build());
    }

    public MetaReply commitWrite(long inode, long size, long mtimeNs, ChunkLength... chunks) {
        return mutate(MetaMutation.newBuilder().setCommitWrite(CommitWriteRequest.newBuilder()
                .setVolumeId(vol).setInode(inode).setSize(size).setMtimeNs(mtimeNs)
                .addAllChunks(Arrays.asList(chunks))).build());
    }

    /** CommitWrite carrying inline bytes at {@code offset}, the file at least {@code size} long afterwards. */
    public MetaReply commitInline(long inode, long size, long offset, byte[] data) {
        return mutate(MetaMutation.newBuilder().setCommitWrite(CommitWriteRequest.newBuilder()
                .setVolumeId(vol).setInode(inode).setSize(size)
                .addInline(io.cairn.proto.InlineExtent.newBuilder().setOffset(offset).setData(ByteString.copyFrom(data))))
                .build());
    }

    /** AllocateChunk as a client with id {@code owner}, which starts (or takes over) a spill of an inline file. */
    public MetaReply allocateAs(ByteString owner, boolean takeOver, long inode, long chunkIndex, Long... placement) {
        return mutate(MetaMutation.newBuilder().setAllocateChunk(AllocateChunkRequest.newBuilder()
                .setVolumeId(vol).setInode(inode).setIndex(chunkIndex).setSpillOwner(owner).setTakeOverSpill(takeOver)
                .addAllPlacement(Arrays.asList(placement))).build());
    }

    /** The CommitWrite that ends {@code owner}'s spill: chunk lengths, and the inline bytes dropped. */
    public MetaReply endSpill(ByteString owner, long inode, long size, ChunkLength... chunks) {
        return mutate(MetaMutation.newBuilder().setCommitWrite(CommitWriteRequest.newBuilder()
                .setVolumeId(vol).setInode(inode).setSize(size).setEndSpill(owner)
                .addAllChunks(Arrays.asList(chunks))).build());
    }

    // queries, against the committed store

    public io.cairn.proto.ChunkList chunkList(long inode) throws CairnException {
        return ChunkOps.chunkList(fx.store(), vol, inode, 0, 0);
    }

    private ApplyContext ctx() {
        return new ApplyContext(fx.nextNs(), cred);
    }

    public InodeAttr lookup(long parent, String name) throws CairnException {
        return NamespaceQueries.lookup(fx.store(), ctx(), vol, parent, name);
    }

    public ReadDirResult readDir(long dir, String after, int limit, boolean withAttrs) throws CairnException {
        return NamespaceQueries.readDir(fx.store(), ctx(), ReadDirRequest.newBuilder().setVolumeId(vol)
                .setInode(dir).setAfter(after).setLimit(limit).setWithAttrs(withAttrs).build());
    }

    public String readLink(long inode) throws CairnException {
        return NamespaceQueries.readLink(fx.store(), vol, inode);
    }

    public void access(long inode, int mask) throws CairnException {
        NamespaceQueries.access(fx.store(), ctx(), vol, inode, mask);
    }

    public ByteString getXattr(long inode, String name) throws CairnException {
        return AttrOps.getXattr(fx.store(), ctx(), vol, inode, name);
    }

    public List<String> listXattrs(long inode) throws CairnException {
        return AttrOps.listXattrs(fx.store(), ctx(), vol, inode);
    }

    public InodeAttr getAttr(long inode) throws CairnException {
        return NamespaceQueries.getAttr(fx.store(), vol, inode);
    }

    public List<ChunkInfo> getChunks(long inode, long first, int count) throws CairnException {
        return ChunkOps.getChunks(fx.store(), vol, inode, first, count);
    }
}
