package io.cairn.fuse.posix;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * The classpath a {@link SysServer} child needs (test classes plus jnr-ffi and its natives),
 * copied to a world-readable temp dir: the originals live under ~/.m2 and target/, which an
 * unprivileged uid may not be able to read. Surefire may hide the real classpath behind a
 * manifest-only jar, so Class-Path manifests are followed.
 */
final class ChildClasspath {
  private static final Pattern NEEDED =
      Pattern.compile(".*(test-classes|jnr-[^/]*\\.jar|jffi-[^/]*\\.jar|asm[^/]*\\.jar)$");
  private static Path copied;

  private ChildClasspath() {}

  static synchronized String get() {
    if (copied == null) {
      copied = copy();
    }
    List<String> entries = new ArrayList<>();
    try (var files = Files.list(copied)) {
      files.sorted().forEach(p -> entries.add(p.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return String.join(File.pathSeparator, entries);
  }

  private static Path copy() {
    try {
      Path dir = Files.createTempDirectory("cairn-posix-cp-");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
      int i = 0;
      for (Path entry : entries()) {
        if (!NEEDED.matcher(entry.toString()).matches() || !Files.exists(entry)) {
          continue;
        }
        Path target = dir.resolve(String.format("%03d-%s", i++, entry.getFileName()));
        copyTree(entry, target);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<Path> entries() throws IOException {
    Set<Path> out = new LinkedHashSet<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(e).toAbsolutePath();
      out.add(p);
      if (p.toString().endsWith(".jar") && Files.isRegularFile(p)) {
        try (JarFile jar = new JarFile(p.toFile())) {
          Manifest mf = jar.getManifest();
          String cp = mf == null ? null : mf.getMainAttributes().getValue("Class-Path");
          if (cp != null) {
            for (String url : cp.trim().split("\\s+")) {
              out.add(Path.of(java.net.URI.create(url).getPath()));
            }
          }
        }
      }
    }
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
        Path t = to.resolve(from.relativize(d).toString());
        Files.createDirectories(t);
        Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        Path t = from.equals(f) ? to : to.resolve(from.relativize(f).toString());
        Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rw-r--r--"));
        return FileVisitResult.CONTINUE;
      }
    });
  }

  static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // best effort at exit
    }
  }
}
