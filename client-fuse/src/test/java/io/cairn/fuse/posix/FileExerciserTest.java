package io.cairn.fuse.posix;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exerciser notices a file system that loses data, and says how to replay the failure. */
class FileExerciserTest {

  /** A Sys that silently drops writes which straddle a 1 MiB boundary. */
  private static Sys losingWritesAcrossMebibytes() {
    return (Sys) Proxy.newProxyInstance(Sys.class.getClassLoader(), new Class<?>[] {Sys.class},
        (proxy, method, args) -> {
          if (method.getName().equals("pwrite")) {
            byte[] data = (byte[]) args[1];
            long off = (Long) args[2];
            if (off >> 20 != (off + data.length - 1) >> 20) {
              return data.length;
            }
          }
          try {
            return method.invoke(NativeSys.INSTANCE, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void aLostWriteFailsWithTheSeedAndRecentHistory(@TempDir Path dir) {
    String file = dir.resolve("f").toString();
    FileExerciser fsx = new FileExerciser(losingWritesAcrossMebibytes(), List.of(file),
        new FileExerciser.Config(42, 5000, 3 << 20, 10, false, false));
    assertThatThrownBy(fsx::run).isInstanceOf(AssertionError.class)
        .hasMessageContaining("-Dcairn.fsx.seed=42")
        .hasMessageContaining("last operations")
        .hasMessageContaining("Write[");
  }

  @Test
  void aCorrectFileSystemPassesTheSameSeed(@TempDir Path dir) throws Exception {
    String file = dir.resolve("f").toString();
    new FileExerciser(NativeSys.INSTANCE, List.of(file),
        new FileExerciser.Config(42, 2000, 3 << 20, 10, true, true, true, true, true)).run();
    Files.delete(Path.of(file));
  }
}
