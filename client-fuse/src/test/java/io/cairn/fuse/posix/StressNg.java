package io.cairn.fuse.posix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs stress-ng stressors with their temp path inside a target directory, a few at a time
 * (all at once on 2 cores starves the slow ones into 0 bogo ops), with --verify so data
 * stressors check what they read back.
 */
final class StressNg {
  private StressNg() {}

  static boolean available() {
    return Files.isExecutable(Path.of("/usr/bin/stress-ng"));
  }

  static StressNgReport run(Path tempPath, Path filesDir, List<Stressor> batch, Duration time) {
    List<String> cmd = new ArrayList<>(List.of("stress-ng", "--temp-path", tempPath.toString(),
        "--metrics-brief", "--verify", "--timeout", time.toSeconds() + "s"));
    for (Stressor s : batch) {
      cmd.add("--" + s.name());
      cmd.add("1");
      for (String o : s.options()) {
        cmd.add(o.equals(Stressor.FILES_DIR) ? filesDir.toString() : o);
      }
    }
    try {
      Process p = new ProcessBuilder(cmd).directory(tempPath.toFile()).redirectErrorStream(true)
          .start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      // a stressor finishes its current bogo op after the timeout; allow generously for that
      if (!p.waitFor(time.toSeconds() + 120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return StressNgReport.parse(-1, out + "\n(killed: did not stop in time)");
      }
      return StressNgReport.parse(p.exitValue(), String.join(" ", cmd) + "\n" + out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
