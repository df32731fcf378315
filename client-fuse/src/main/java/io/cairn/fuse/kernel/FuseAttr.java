package io.cairn.fuse.kernel;

/** A node's attributes as the kernel takes them (struct fuse_attr); times in nanoseconds since the epoch. */
public record FuseAttr(long ino, long size, long blocks, long atimeNs, long mtimeNs, long ctimeNs, int mode, int nlink,
        int uid, int gid, int rdev, int blksize) {
}
