package org.multiprocessing4j.internal.proxy;

import java.io.EOFException;
import java.time.Duration;
import org.multiprocessing4j.SharedConnection;
import org.multiprocessing4j.internal.wire.methods.PipeMethod;
import org.multiprocessing4j.spi.Invoker;
import org.multiprocessing4j.spi.TypeIds;

/** Proxy of one end of a manager-held {@code pipe}. */
final class ConnectionProxy extends AbstractProxy implements SharedConnection {
  private static final long serialVersionUID = 1L;

  ConnectionProxy(Invoker invoker, long objectId) {
    super(invoker, objectId, TypeIds.PIPE);
  }

  @Override
  public void send(Object value) {
    call(PipeMethod.SEND, value);
  }

  @Override
  public Object recv() throws EOFException, InterruptedException {
    try {
      return blocking(PipeMethod.RECV, Blocking.FOREVER);
    } catch (RemoteCheckedException e) {
      e.rethrow(EOFException.class);
      throw e;
    }
  }

  @Override
  public boolean poll() {
    return (Boolean) call(PipeMethod.POLL);
  }

  @Override
  public boolean poll(Duration timeout) throws InterruptedException {
    return blockingWithin(PipeMethod.POLL, timeout);
  }

  @Override
  public void close() {
    call(PipeMethod.CLOSE);
  }

  @Override
  public boolean isClosed() {
    return (Boolean) call(PipeMethod.IS_CLOSED);
  }

  /** Hands out the other end of a pipe made by {@code create}; once only. */
  SharedConnection takePeer() {
    return (SharedConnection) call(PipeMethod.TAKE_PEER);
  }
}
