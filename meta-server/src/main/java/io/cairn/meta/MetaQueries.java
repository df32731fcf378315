package io.cairn.meta;

import io.cairn.common.Replies;
import com.google.protobuf.ByteString;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.namespace.ApplyContext;
import io.cairn.meta.namespace.AttrOps;
import io.cairn.meta.namespace.ChunkOps;
import io.cairn.meta.namespace.NamespaceQueries;
import io.cairn.meta.pool.Liveness;
import io.cairn.meta.pool.PoolOps;
import io.cairn.meta.pool.VolumeOps;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.MetaReply;
import io.cairn.proto.NodeList;
import io.cairn.proto.QueryRequest;
import io.cairn.proto.VolumeList;
import io.cairn.proto.XattrNames;
import java.nio.charset.StandardCharsets;

/** Answers one query from committed state. Errors come back in the reply, as for mutations. */
public final class MetaQueries {
    private MetaQueries() {
    }

    public static MetaReply query(ReadView v, Liveness liveness, QueryRequest request) {
        try {
            return answer(v, liveness, new ApplyContext(0, request.getCred()), request.getQuery());
        } catch (CairnException e) {
            return Replies.meta(e);
        }
    }

    private static MetaReply answer(ReadView v, Liveness liveness, ApplyContext c, MetaQuery q) throws CairnException {
        MetaReply.Builder r = MetaReply.newBuilder();
        switch (q.getOpCase()) {
            case LOOKUP -> r.setAttr(NamespaceQueries.lookup(v, c, q.getLookup().getVolumeId(),
                    q.getLookup().getParent(), q.getLookup().getName()));
            case GET_ATTR -> r.setAttr(NamespaceQueries.getAttr(v, q.getGetAttr().getVolumeId(), q.getGetAttr().getInode()));
            case READ_DIR -> r.setReadDir(NamespaceQueries.readDir(v, c, q.getReadDir()));
            case READ_LINK -> r.setValue(ByteString.copyFrom(NamespaceQueries.readLink(v,
                    q.getReadLink().getVolumeId(), q.getReadLink().getInode()), StandardCharsets.UTF_8));
            case GET_XATTR -> r.setValue(AttrOps.getXattr(v, c, q.getGetXattr().getVolumeId(),
                    q.getGetXattr().getInode(), q.getGetXattr().getName()));
            case LIST_XATTR -> r.setXattrNames(XattrNames.newBuilder().addAllNames(AttrOps.listXattrs(v, c,
                    q.getListXattr().getVolumeId(), q.getListXattr().getInode())));
            case STAT_FS -> r.setStatFs(VolumeOps.statFs(v, liveness, q.getStatFs().getVolumeId()));
            case GET_CHUNKS -> r.setChunks(ChunkOps.chunkList(v,
                    q.getGetChunks().getVolumeId(), q.getGetChunks().getInode(),
                    q.getGetChunks().getFirstIndex(), q.getGetChunks().getCount()));
            case ACCESS -> NamespaceQueries.access(v, c, q.getAccess().getVolumeId(),
                    q.getAccess().getInode(), q.getAccess().getMask());
            case GET_VOLUME -> {
                int id = VolumeOps.existing(v, q.getGetVolume().getName());
                r.setVolume(VolumeOps.info(v, id, Records.volume(v, id), liveness));
            }
            case LIST_VOLUMES -> r.setVolumes(VolumeList.newBuilder().addAllVolumes(VolumeOps.list(v, liveness)));
            case LIST_NODES -> r.setNodes(NodeList.newBuilder().addAllNodes(PoolOps.listNodes(v, liveness)));
            case BRICK_REPLICAS -> r.setBrickReplicas(io.cairn.meta.pool.BrickOps.replicas(v,
                    q.getBrickReplicas().getName(), q.getBrickReplicas().getBricksList()));
            case GET_LOCK -> io.cairn.meta.locks.LockOps.get(v, q.getGetLock()).ifPresent(r::setLock);
            case HEAL_INFO, KEEP_ALIVE -> throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    q.getOpCase() + " is answered by the leader's service, not the state machine");
            case OP_NOT_SET -> throw new CairnException(ErrorCode.INVALID_ARGUMENT, "the query names no operation");
        }
        return r.build();
    }
}
