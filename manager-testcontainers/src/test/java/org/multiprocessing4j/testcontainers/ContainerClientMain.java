package org.multiprocessing4j.testcontainers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Base64;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedObject;
import org.multiprocessing4j.SharedQueue;

/**
 * A client JVM of {@link ManagerContainerIT}: connects to the containerised manager from its
 * environment and plays one role on the list and queue it was handed.
 *
 * <p>{@code producer n list queue}: appends {@code "produced i"} and puts {@code i} for i below n,
 * then the sentinel -1. {@code consumer list queue}: takes until the sentinel, appending {@code
 * "consumed i"} for each item.
 */
public final class ContainerClientMain {
  static final int SENTINEL = -1;

  private ContainerClientMain() {}

  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Exception {
    // The proxies below reconnect through this open connection.
    Manager m = Manager.connectFromEnvironment();
    try {
      if (args[0].equals("producer")) {
        int n = Integer.parseInt(args[1]);
        SharedList<String> list = (SharedList<String>) decode(args[2]);
        SharedQueue<Integer> queue = (SharedQueue<Integer>) decode(args[3]);
        for (int i = 0; i < n; i++) {
          list.add("produced " + i);
          queue.put(i);
        }
        queue.put(SENTINEL);
      } else {
        SharedList<String> list = (SharedList<String>) decode(args[1]);
        SharedQueue<Integer> queue = (SharedQueue<Integer>) decode(args[2]);
        for (int item = queue.take(); item != SENTINEL; item = queue.take()) {
          list.add("consumed " + item);
        }
      }
    } finally {
      m.close();
    }
  }

  static String encode(SharedObject proxy) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(proxy);
    }
    return Base64.getUrlEncoder().encodeToString(bytes.toByteArray());
  }

  static SharedObject decode(String arg) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(Base64.getUrlDecoder().decode(arg)))) {
      return (SharedObject) in.readObject();
    }
  }
}
