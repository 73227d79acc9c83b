package org.multiprocessing4j.internal.server;

import java.io.IOException;
import java.nio.file.Path;
import org.multiprocessing4j.Internal;
import org.multiprocessing4j.server.ManagerServer;
import org.multiprocessing4j.spi.ManagerHostProvider;

/** Hosts a manager in the client's JVM for {@code Manager.builder().hostInProcess()}. */
@Internal
public final class EmbeddedHostProvider implements ManagerHostProvider {

  @Override
  public Host start(String bindTarget, byte[] authkey, int maxMessageBytes) throws IOException {
    ManagerServer.Builder builder =
        ManagerServer.builder().authkey(authkey).maxMessageBytes(maxMessageBytes);
    if (bindTarget.startsWith("unix://")) {
      builder.unixSocket(Path.of(bindTarget.substring("unix://".length())));
    } else if (bindTarget.startsWith("inprocess:")) {
      builder.inProcess(bindTarget.substring("inprocess:".length()));
    } else {
      int colon = bindTarget.lastIndexOf(':');
      builder.tcp(
          bindTarget.substring(0, colon), Integer.parseInt(bindTarget.substring(colon + 1)));
    }
    ManagerServer server = builder.build().start();
    return new Host() {
      @Override
      public String target() {
        return server.target();
      }

      @Override
      public void close() {
        server.shutdown();
      }
    };
  }
}
