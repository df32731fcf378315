package io.cairn.fuse.posix;

import java.util.List;

/**
 * Who a {@link SysServer} child runs as. The fixed cast below is used throughout the suite:
 * alice and bob share the supplementary group {@link #SHARED_GROUP}; carol shares nothing.
 */
public record Identity(String name, int uid, int gid, List<Integer> groups) {
  public static final int SHARED_GROUP = 3000;
  public static final Identity ALICE = new Identity("alice", 1000, 1000, List.of(1000, 3000));
  public static final Identity BOB = new Identity("bob", 1001, 1001, List.of(1001, 3000));
  public static final Identity CAROL = new Identity("carol", 1002, 1002, List.of(1002));
  /** A second root process: lock conflicts need two processes, not two identities. */
  public static final Identity ROOT2 = new Identity("root2", 0, 0, List.of(0));

  boolean isRoot() {
    return uid == 0;
  }
}
