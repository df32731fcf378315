package io.cairn.client.fs;

import io.cairn.proto.MetaMutation;
import java.util.List;

/** What a change sent to the meta group names: the inodes it changes, and the directories whose entries it changes. */
final class MetaTargets {
    private MetaTargets() {
    }

    static List<Long> inodes(MetaMutation m) {
        return switch (m.getOpCase()) {
            case SET_ATTR -> List.of(m.getSetAttr().getInode());
            case SET_XATTR -> List.of(m.getSetXattr().getInode());
            case REMOVE_XATTR -> List.of(m.getRemoveXattr().getInode());
            case LINK -> List.of(m.getLink().getInode());
            case ALLOCATE_CHUNK -> List.of(m.getAllocateChunk().getInode());
            case COMMIT_WRITE -> List.of(m.getCommitWrite().getInode());
            case UPDATE_PLACEMENT -> List.of(m.getUpdatePlacement().getInode());
            default -> List.of();
        };
    }

    static List<Long> dirs(MetaMutation m) {
        return switch (m.getOpCase()) {
            case CREATE -> List.of(m.getCreate().getParent());
            case MKDIR -> List.of(m.getMkdir().getParent());
            case SYMLINK -> List.of(m.getSymlink().getParent());
            case LINK -> List.of(m.getLink().getNewParent());
            case UNLINK -> List.of(m.getUnlink().getParent());
            case RMDIR -> List.of(m.getRmdir().getParent());
            case RENAME -> List.of(m.getRename().getParent(), m.getRename().getNewParent());
            case SET_ATTR -> List.of(m.getSetAttr().getInode());
            default -> List.of();
        };
    }
}
