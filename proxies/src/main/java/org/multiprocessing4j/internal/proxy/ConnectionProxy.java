package org.multiprocessing4j.internal.proxy;

import java.io.EOFException;
import java.time.Duration;
import org.multiprocessing4j.SharedConnection;
import org.multiprocessing4j.internal.proxy.RemoteCheckedException;
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
    call("send", value);
  }

  @Override
  public Object recv() throws EOFException, InterruptedException {
    Blocking.checkInterrupted();
    try {
      return invoker().invokeBlocking(objectId(), "recv", Blocking.FOREVER);
    } catch (RemoteCheckedException e) {
      e.rethrow(EOFException.class);
      throw e;
    }
  }

  @Override
  public boolean poll() {
    return (Boolean) call("poll");
  }

  @Override
  public boolean poll(Duration timeout) throws InterruptedException {
    long nanos = Blocking.nanos(timeout);
    Blocking.checkInterrupted();
    return (Boolean) invoker().invokeBlocking(objectId(), "poll", nanos);
  }

  @Override
  public void close() {
    call("close");
  }

  @Override
  public boolean isClosed() {
    return (Boolean) call("isClosed");
  }

  /** Hands out the other end of a pipe made by {@code create}; once only. */
  SharedConnection takePeer() {
    return (SharedConnection) call("takePeer");
  }
}
