package io.cairn.fuse.posix;

import java.util.List;

/** One stress-ng stressor (one worker) with the options that keep it small and on the target. */
public record Stressor(String name, List<String> options) {
  /** Placeholder in options for a directory of ready-made files inside the target. */
  static final String FILES_DIR = "{files}";

  static Stressor of(String name, String... options) {
    return new Stressor(name, List.of(options));
  }

  /**
   * The file-system stressors that fit a FUSE file system, sized to finish bogo ops in seconds.
   * Left out on purpose: stressors that need ioctls FUSE does not pass on (file-ioctl, fiemap,
   * inode-flags, verity), O_DIRECT-only paths, leases (not forwarded by FUSE), fsize (it
   * expects EFBIG/SIGXFSZ from fallocate past RLIMIT_FSIZE, which the kernel's FUSE layer does
   * not enforce: it fails on bindfs too) and global sync/resource stressors that measure the
   * host rather than the target.
   */
  static final List<Stressor> FILE_SYSTEM = List.of(
      of("hdd", "--hdd-bytes", "8m"), // write/read/verify/unlink of data files
      of("seek", "--seek-size", "8m"), // random pwrite/pread with verification
      of("readahead", "--readahead-bytes", "8m"),
      of("iomix", "--iomix-bytes", "8m"), // mixed sequential/random I/O, fsync, fdatasync
      of("sync-file", "--sync-file-bytes", "8m"), // sync_file_range
      of("mmap", "--mmap-file", "--mmap-bytes", "4m"), // shared file mapping with msync
      of("fallocate", "--fallocate-bytes", "8m"),
      of("fpunch"), // hole punching in a 16 MiB file
      of("dir"), // mkdir/rmdir storms
      of("dirdeep"), // deep directory trees
      of("dirmany"), // many entries in one directory
      of("dentry"), // create/stat/unlink of many names
      of("getdent"), // getdents over changing directories
      of("filename"), // names with every allowed byte, up to the length limit
      of("rename"),
      of("link"), // hard links (thousands per bogo op: slow on a metadata service)
      of("symlink"),
      of("touch"), // create and remove with several open methods
      of("open"), // open/close up to the fd limit
      of("fstat", "--fstat-dir", FILES_DIR), // fstat/stat on ready-made files
      of("chmod"),
      of("chown"),
      of("utime"),
      of("xattr"),
      of("fcntl"), // fcntl commands on an open file
      of("flock"),
      of("lockf"));
}
