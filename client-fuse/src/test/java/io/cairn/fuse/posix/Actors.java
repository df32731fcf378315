package io.cairn.fuse.posix;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * One long-lived {@link SysServer} child JVM per {@link Identity}, started on first use and
 * shared by every test of the JVM (a JVM start costs ~0.5 s; a call over the pipe costs
 * microseconds). Children run under setpriv with no capabilities, so the kernel, not the code
 * under test, decides what they may do. They die with this JVM (stdin closes).
 */
public final class Actors {
  private static final Map<Identity, Sys> CHILDREN = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Actors::closeAll));
  }

  private Actors() {}

  /** The calls of a process running as {@code who}; the current JVM itself for plain root. */
  public static Sys as(Identity who) {
    return CHILDREN.computeIfAbsent(who, Actors::start);
  }

  private static Sys start(Identity who) {
    String java = ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>();
    if (!who.isRoot()) {
      cmd.addAll(List.of("setpriv", "--reuid=" + who.uid(), "--regid=" + who.gid(),
          "--groups=" + who.groups().stream().map(String::valueOf)
              .collect(Collectors.joining(",")),
          "--inh-caps=-all", "--bounding-set=-all"));
    }
    cmd.addAll(List.of(java, "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-Xmx64m",
        "-Xshare:auto", "--enable-native-access=ALL-UNNAMED",
        "-Djava.io.tmpdir=/tmp", "-cp", ChildClasspath.get(), SysServer.class.getName(), "22"));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .directory(new File("/"))
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("HOME", "/tmp");
    try {
      return RemoteSys.attach(pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a child as " + who, e);
    }
  }

  static void closeAll() {
    CHILDREN.values().forEach(s -> {
      try {
        ((AutoCloseable) s).close();
      } catch (Exception ignored) {
        // exiting anyway
      }
    });
    CHILDREN.clear();
  }
}
