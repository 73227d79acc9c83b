package org.multiprocessing4j.internal.proxy;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import org.multiprocessing4j.SharedConnection;
import org.multiprocessing4j.SharedPipe;

/** The two ends of a pipe. Serializable: each end travels as a reference. */
final class PipeEnds implements SharedPipe, Serializable {
  private static final long serialVersionUID = 1L;

  private final SharedConnection first;
  private final SharedConnection second;

  private PipeEnds(SharedConnection first, SharedConnection second) {
    this.first = first;
    this.second = second;
  }

  /** Completes a pipe from its first end, as the manager creates it: one round trip. */
  static SharedPipe fromFirstEnd(Object firstEnd) {
    ConnectionProxy first = (ConnectionProxy) requireNonNull(firstEnd, "firstEnd");
    return new PipeEnds(first, first.takePeer());
  }

  @Override
  public SharedConnection first() {
    return first;
  }

  @Override
  public SharedConnection second() {
    return second;
  }

  @Override
  public void close() {
    first.close();
    second.close();
  }

  @Override
  public String toString() {
    return "Pipe[" + first.objectId() + " <-> " + second.objectId() + "]";
  }
}
