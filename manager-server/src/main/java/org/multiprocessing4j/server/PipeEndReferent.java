package org.multiprocessing4j.server;

import java.io.EOFException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.function.LongConsumer;
import org.multiprocessing4j.internal.wire.methods.PipeMethod;
import org.multiprocessing4j.spi.TypeIds;

/**
 * One end of a {@code pipe} (Python's {@code Connection} of a {@code Pipe()}). A pipe is two ends
 * over one or two one-way channels; each end is its own shared object, so either can be handed to
 * another process and outlive the other. {@code create(duplex)} makes the first end, which holds
 * the second until {@code takePeer} hands it out.
 *
 * <p>An end is closed by {@code close} or when the manager frees it (every proxy of it gone, e.g.
 * its process died): the other end's readers then get {@link EOFException} once the channel is
 * drained, as a process reading a pipe whose writer died gets end-of-file.
 */
final class PipeEndReferent extends BuiltInReferent<PipeMethod> {
  private static final ExposedMethods<PipeMethod> METHODS = ExposedMethods.all(PipeMethod.class);

  /** One direction: what one end sends and the other receives. */
  private static final class Channel {
    // A LinkedList: values may be null (Python's None), which ArrayDeque refuses.
    // see above: null elements
    @SuppressWarnings("JdkObsolete")
    final LinkedList<Object> items = new LinkedList<>();

    // Parked recv calls of the reading end, and parked poll calls (they consume nothing).
    final ArrayDeque<Call> receivers = new ArrayDeque<>();
    final ArrayDeque<Call> pollers = new ArrayDeque<>();
    boolean writerClosed;
    boolean readerClosed;

    void wakePollers() {
      List<Call> woken = new ArrayList<>(pollers);
      pollers.clear();
      woken.forEach(poller -> poller.complete(true));
    }
  }

  // Either is null on a one-way pipe's end.
  private final Channel in;
  private final Channel out;
  private long peerId;
  private boolean closed;

  private PipeEndReferent(Channel in, Channel out) {
    super(TypeIds.PIPE, METHODS);
    this.in = in;
    this.out = out;
  }

  /** {@code create(duplex)}: the first end; its peer waits in it for {@code takePeer}. */
  static PipeEndReferent create(Object[] args, ManagerState state) {
    Args.count(TypeIds.PIPE, "create", args, 1);
    if (!(args[0] instanceof Boolean)) {
      throw new IllegalArgumentException(
          "pipe.create: duplex must be a boolean, got " + Args.describe(args[0]));
    }
    PipeEndReferent first;
    PipeEndReferent second;
    if ((Boolean) args[0]) {
      Channel a = new Channel();
      Channel b = new Channel();
      first = new PipeEndReferent(a, b);
      second = new PipeEndReferent(b, a);
    } else {
      // Python's Pipe(duplex=False): the first end only receives, the second only sends.
      Channel c = new Channel();
      first = new PipeEndReferent(c, null);
      second = new PipeEndReferent(null, c);
    }
    first.peerId = state.register(second);
    state.nestedReferenceStored();
    return first;
  }

  @Override
  Object run(PipeMethod method, Object[] args, Call call) throws Exception {
    return switch (method) {
      case SEND -> {
        send(args[0]);
        yield null;
      }
      case RECV -> recv(call);
      case POLL -> poll(call);
      case CLOSE -> {
        close();
        yield null;
      }
      case IS_CLOSED -> closed;
      case READABLE -> in != null;
      case WRITABLE -> out != null;
      case TAKE_PEER -> {
        if (peerId == 0) {
          throw new IllegalStateException("the other end of this pipe was already handed out");
        }
        long id = peerId;
        peerId = 0;
        yield new Ref(id, TypeIds.PIPE);
      }
    };
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("this end of the pipe is closed");
    }
  }

  private void send(Object item) {
    requireOpen();
    if (out == null) {
      throw new IllegalStateException("this end of a one-way pipe can only receive");
    }
    if (out.readerClosed) {
      // Python: BrokenPipeError.
      throw new IllegalStateException("the other end of the pipe is closed");
    }
    Call receiver = out.receivers.poll();
    if (receiver != null) {
      receiver.complete(item);
    } else {
      out.items.add(item);
      out.wakePollers();
    }
  }

  private Object recv(Call call) throws EOFException {
    requireReadable();
    if (!in.items.isEmpty()) {
      return in.items.poll();
    }
    if (in.writerClosed) {
      throw eof();
    }
    if (!call.mayWait()) {
      throw new IllegalStateException("recv must be allowed to wait");
    }
    in.receivers.add(call);
    return call.park(() -> in.receivers.remove(call), () -> null);
  }

  private Object poll(Call call) {
    requireReadable();
    if (!in.items.isEmpty() || in.writerClosed) {
      return true; // recv would not block
    }
    if (!call.mayWait()) {
      return false;
    }
    in.pollers.add(call);
    return call.park(() -> in.pollers.remove(call), () -> false);
  }

  private void requireReadable() {
    requireOpen();
    if (in == null) {
      throw new IllegalStateException("this end of a one-way pipe can only send");
    }
  }

  private static EOFException eof() {
    return new EOFException("the other end of the pipe is closed and nothing is left to receive");
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (out != null) {
      out.writerClosed = true;
      List<Call> readers = new ArrayList<>(out.receivers);
      out.receivers.clear();
      readers.forEach(reader -> reader.fail(eof()));
      out.wakePollers();
    }
    if (in != null) {
      in.readerClosed = true;
      in.items.clear();
      List<Call> mine = new ArrayList<>(in.receivers);
      mine.addAll(in.pollers);
      in.receivers.clear();
      in.pollers.clear();
      mine.forEach(
          waiter -> waiter.fail(new IllegalStateException("this end of the pipe was closed")));
    }
  }

  @Override
  public void forEachReference(LongConsumer visitor) {
    if (peerId != 0) {
      visitor.accept(peerId);
    }
    if (in != null) {
      NestedRefs.visit(in.items, visitor);
    }
    if (out != null) {
      NestedRefs.visit(out.items, visitor);
    }
  }

  @Override
  public void freed() {
    close();
  }

  @Override
  public String describe() {
    String kind = in != null && out != null ? "duplex" : in != null ? "receive-only" : "send-only";
    return "<Connection "
        + kind
        + (closed ? ", closed" : "")
        + (in != null
            ? ", "
                + in.items.size()
                + " to receive, "
                + (in.receivers.size() + in.pollers.size())
                + " waiting"
            : "")
        + ">";
  }
}
