package org.multiprocessing4j.pool;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a pool's workers connect back to it: a Unix domain socket in a directory only this user can
 * enter (several times cheaper per message than loopback TCP), or loopback TCP where that socket
 * cannot be made. Either way a worker must also present the pool's token.
 *
 * <p>An address is {@code unix:<path>} or {@code tcp:<port>}.
 */
final class PoolSocket implements Closeable {
  private static final String DIRECTORY_PREFIX = "mp4j-pool-";

  /** One accepted or opened connection: blocking streams that may be read and written at once. */
  static final class Connection implements Closeable {
    final DataInputStream in;
    final OutputStream out;
    private final SocketChannel channel;

    Connection(SocketChannel channel) throws IOException {
      this.channel = channel;
      if (channel.getRemoteAddress() instanceof InetSocketAddress) {
        channel.socket().setTcpNoDelay(true);
      }
      // Not Channels.newInputStream/newOutputStream: those hold the channel's blocking lock while
      // a read waits, so a write from another thread would wait for the next frame to arrive.
      this.in = new DataInputStream(new BufferedInputStream(new ChannelIn(channel), 64 * 1024));
      this.out = new ChannelOut(channel);
    }

    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  private final ServerSocketChannel server;
  private final Path directory; // null for TCP
  private final String address;

  private PoolSocket(ServerSocketChannel server, Path directory, String address) {
    this.server = server;
    this.directory = directory;
    this.address = address;
  }

  static PoolSocket open(boolean unixDomain) throws IOException {
    removeStaleDirectories();
    Path directory = null;
    try {
      if (!unixDomain) {
        throw new UnsupportedOperationException("loopback TCP was asked for");
      }
      // Created rwx------: other users cannot reach the socket inside.
      directory = Files.createTempDirectory(DIRECTORY_PREFIX + ProcessHandle.current().pid() + "-");
      Path path = directory.resolve("s");
      ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        server.bind(UnixDomainSocketAddress.of(path));
      } catch (IOException | RuntimeException e) {
        server.close();
        throw e;
      }
      return new PoolSocket(server, directory, "unix:" + path);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // No Unix domain sockets here (or a temp path too long for one): loopback TCP.
      deleteQuietly(directory);
      ServerSocketChannel server = ServerSocketChannel.open();
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
      return new PoolSocket(
          server, null, "tcp:" + ((InetSocketAddress) server.getLocalAddress()).getPort());
    }
  }

  /** Connects to a pool's address (in the worker). */
  static Connection connect(String address) throws IOException {
    SocketChannel channel;
    if (address.startsWith("unix:")) {
      channel = SocketChannel.open(UnixDomainSocketAddress.of(address.substring("unix:".length())));
    } else if (address.startsWith("tcp:")) {
      channel =
          SocketChannel.open(
              new InetSocketAddress(
                  InetAddress.getLoopbackAddress(),
                  Integer.parseInt(address.substring("tcp:".length()))));
    } else {
      throw new IOException("not a pool address: " + address);
    }
    return new Connection(channel);
  }

  String address() {
    return address;
  }

  Connection accept() throws IOException {
    return new Connection(server.accept());
  }

  /** Stops accepting and removes the socket's directory. Idempotent. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    deleteQuietly(directory);
  }

  private static void deleteQuietly(Path directory) {
    if (directory == null) {
      return;
    }
    try {
      Files.deleteIfExists(directory.resolve("s"));
      Files.deleteIfExists(directory);
    } catch (IOException e) {
      // best effort: a temp directory
    }
  }

  /**
   * Removes socket directories left by pools whose JVM was killed (named after that JVM's pid).
   * Best effort: a reused pid keeps a stale directory one more time.
   */
  private static void removeStaleDirectories() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, DIRECTORY_PREFIX + "*")) {
      for (Path dir : dirs) {
        String rest = dir.getFileName().toString().substring(DIRECTORY_PREFIX.length());
        int dash = rest.indexOf('-');
        try {
          long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
          if (ProcessHandle.of(pid).isEmpty()) {
            deleteQuietly(dir);
          }
        } catch (NumberFormatException e) {
          // not ours
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort
    }
  }

  private static final class ChannelIn extends InputStream {
    private final SocketChannel channel;

    ChannelIn(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      return channel.read(ByteBuffer.wrap(b, off, len));
    }
  }

  private static final class ChannelOut extends OutputStream {
    private final SocketChannel channel;

    ChannelOut(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }
  }
}
