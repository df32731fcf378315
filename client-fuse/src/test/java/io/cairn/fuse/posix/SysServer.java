package io.cairn.fuse.posix;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Child-process main: executes {@link Sys} calls sent by {@link RemoteSys} over stdin and
 * answers on stdout, so the parent can act as another uid/gid (the child is started under
 * setpriv) or as a second process (for lock conflicts). Exits when stdin closes, so a dead
 * parent never leaves it behind.
 */
public final class SysServer {
  private SysServer() {}

  public static void main(String[] args) throws Exception {
    // stdout carries the protocol; anything printed by accident must go elsewhere.
    ObjectOutputStream out = new ObjectOutputStream(
        new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
    NativeSys.INSTANCE.umask(Integer.parseInt(args.length > 0 ? args[0] : "22", 8));
    out.writeObject("ready");
    out.flush();
    ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(System.in));
    while (true) {
      Object[] call;
      try {
        call = (Object[]) in.readObject();
      } catch (java.io.EOFException eof) {
        return;
      }
      out.writeObject(execute(call));
      out.reset();
      out.flush();
    }
  }

  /** call = {method name, parameter types, arguments}; the answer is {ok, value-or-exception}. */
  private static Object[] execute(Object[] call) throws Exception {
    Method m = Sys.class.getMethod((String) call[0], (Class<?>[]) call[1]);
    try {
      return new Object[] {true, m.invoke(NativeSys.INSTANCE, (Object[]) call[2])};
    } catch (InvocationTargetException e) {
      return new Object[] {false, e.getCause()};
    }
  }
}
