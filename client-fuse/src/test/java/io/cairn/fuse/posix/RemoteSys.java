package io.cairn.fuse.posix;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A {@link Sys} whose calls run in a {@link SysServer} child process. Synchronous: one call at a
 * time (callers synchronise on this object through the proxy).
 */
final class RemoteSys implements InvocationHandler, AutoCloseable {
  private final Process process;
  private final ObjectOutputStream out;
  private final ObjectInputStream in;

  private RemoteSys(Process process) throws IOException, ClassNotFoundException {
    this.process = process;
    this.out = new ObjectOutputStream(new BufferedOutputStream(process.getOutputStream()));
    out.flush();
    this.in = new ObjectInputStream(new BufferedInputStream(process.getInputStream()));
    Object hello = in.readObject();
    if (!"ready".equals(hello)) {
      throw new IOException("child answered " + hello);
    }
  }

  /** Wraps a started {@link SysServer} process; blocks until it is ready. */
  static Sys attach(Process process) {
    try {
      RemoteSys handler = new RemoteSys(process);
      return (Sys) Proxy.newProxyInstance(Sys.class.getClassLoader(),
          new Class<?>[] {Sys.class, AutoCloseable.class}, handler);
    } catch (IOException | ClassNotFoundException e) {
      process.destroyForcibly();
      throw new IllegalStateException("child Sys server did not start: " + e, e);
    }
  }

  @Override
  public synchronized Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getName().equals("close") && method.getParameterCount() == 0) {
      close();
      return null;
    }
    if (method.isDefault()) {
      return InvocationHandler.invokeDefault(proxy, method, args);
    }
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "toString" -> "RemoteSys[pid " + process.pid() + "]";
        case "hashCode" -> System.identityHashCode(proxy);
        case "equals" -> proxy == args[0];
        default -> throw new UnsupportedOperationException(method.getName());
      };
    }
    try {
      out.writeObject(new Object[] {method.getName(), method.getParameterTypes(),
          args == null ? new Object[0] : args});
      out.reset();
      out.flush();
      Object[] answer = (Object[]) in.readObject();
      if ((Boolean) answer[0]) {
        return answer[1];
      }
      throw (Throwable) answer[1];
    } catch (IOException e) {
      throw new UncheckedIOException("child Sys server (pid " + process.pid() + ") failed", e);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException ignored) {
      // the child may already be gone; destroy below covers it
    }
    process.destroy();
  }
}
