package org.multiprocessing4j.pool;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

/**
 * The parent-worker protocol over one loopback socket: after the worker's hello (magic, worker id,
 * token), length-prefixed frames {@code kind, id, length, payload} (kinds: {@link FrameKind});
 * payloads are Java-serialized. Each payload is serialized on its own, so a failure affects one
 * task and no stream state is shared between tasks.
 */
final class Wire {
  static final int MAGIC = 0x4d50344a; // "MP4J"
  static final int TOKEN_BYTES = 32;
  static final String ENV_TOKEN = "MP4J_POOL_TOKEN";

  private Wire() {}

  /** One frame as read. */
  static final class Frame {
    final FrameKind kind;
    final long id;
    final byte[] payload;

    Frame(FrameKind kind, long id, byte[] payload) {
      this.kind = kind;
      this.id = id;
      this.payload = payload;
    }
  }

  /** Writes one frame; callers serialize writes to the same stream. */
  static void write(DataOutputStream out, FrameKind kind, long id, byte[] payload)
      throws IOException {
    out.writeInt(kind.code);
    out.writeLong(id);
    out.writeInt(payload.length);
    out.write(payload);
    out.flush();
  }

  /** Reads one frame; {@link EOFException} when the peer closed the connection. */
  static Frame read(DataInputStream in) throws IOException {
    FrameKind kind = FrameKind.of(in.readInt());
    long id = in.readLong();
    int length = in.readInt();
    if (length < 0) {
      throw new IOException("corrupt frame: negative length " + length);
    }
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new Frame(kind, id, payload);
  }

  static byte[] serialize(Object value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    return bytes.toByteArray();
  }

  /** {@link #serialize}, noting whether the value references a shared object (a proxy). */
  static final class ReferenceDetectingSerializer {
    // A proxy's serialized form: package-private in the proxies module, so known by name.
    private static final String PROXY_REFERENCE =
        "org.multiprocessing4j.internal.proxy.ProxyReference";
    boolean sawReference;

    byte[] serialize(Object value) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
      try (ObjectOutputStream out =
          new ObjectOutputStream(bytes) {
            {
              enableReplaceObject(true);
            }

            @Override
            protected Object replaceObject(Object obj) {
              if (obj.getClass().getName().equals(PROXY_REFERENCE)) {
                sawReference = true;
              }
              return obj;
            }
          }) {
        out.writeObject(value);
      }
      return bytes.toByteArray();
    }
  }

  /** Deserializes with {@code loader} (the one that loaded the application's classes). */
  static Object deserialize(byte[] payload, ClassLoader loader)
      throws IOException, ClassNotFoundException {
    try (ObjectInputStream in =
        new LoaderObjectInputStream(new ByteArrayInputStream(payload), loader)) {
      return in.readObject();
    }
  }

  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      if (loader != null) {
        try {
          return Class.forName(desc.getName(), false, loader);
        } catch (ClassNotFoundException e) {
          // primitives and classes only the default lookup finds
        }
      }
      return super.resolveClass(desc);
    }
  }
}
