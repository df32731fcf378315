package io.cairn.client.fs;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.Credentials;
import io.cairn.proto.InodeAttr;
import java.util.List;

/**
 * Absolute paths (as a path-based FUSE binding passes them) to inodes, one cached lookup per
 * name. Symlinks are not followed: the kernel resolves them before a path reaches the mount.
 */
public final class PathResolver {
    private final CairnFs fs;

    public PathResolver(CairnFs fs) {
        this.fs = fs;
    }

    /** The attributes of what {@code path} names. */
    public InodeAttr resolve(Credentials cred, String path) throws CairnException {
        return walk(cred, FsPaths.names(path));
    }

    public long inode(Credentials cred, String path) throws CairnException {
        return resolve(cred, path).getInode();
    }

    /** The directory holding the last name of {@code path}, and that name. */
    public Parent parent(Credentials cred, String path) throws CairnException {
        FsPaths.Split s = FsPaths.split(path);
        InodeAttr dir = walk(cred, s.parent());
        return new Parent(dir.getInode(), s.name());
    }

    public record Parent(long inode, String name) {
    }

    private InodeAttr walk(Credentials cred, List<String> names) throws CairnException {
        InodeAttr at = fs.getattr(cred, fs.root());
        for (String name : names) {
            if ((at.getMode() & 0170000) != 0040000) {
                throw new CairnException(ErrorCode.NOT_A_DIRECTORY, "a component before '" + name + "' is not a directory");
            }
            at = fs.lookup(cred, at.getInode(), name);
        }
        return at;
    }
}
