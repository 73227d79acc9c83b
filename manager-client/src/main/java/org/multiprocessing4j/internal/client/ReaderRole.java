package org.multiprocessing4j.internal.client;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Leader/follower over one connection: of the threads waiting for something the manager sends (a
 * reply, a window update), one, the leader, reads the socket and dispatches what arrives; the
 * others park until what they wait for is there, or until the leader hands them the role. So a lone
 * caller reads its own reply (no thread hand-off), and a thread waiting for its own reply never
 * sleeps while the socket has data for it: the leader either reads that data for it or, once its
 * own wait is over, makes it the leader.
 *
 * <p>When no application thread has read for {@link #IDLE_NANOS}, or replies are expected that no
 * thread waits for (pipelined calls), the idle reader ({@link #runIdleReader}, a daemon thread of
 * the connection) leads instead, so lease pings are answered and late replies read while the
 * application computes; it gives the role up as soon as an application thread wants it.
 *
 * <p>Thread safety: thread-safe. {@code lock} guards the leader and the followers; the leader is
 * the only thread that calls {@link Reading#readOnce}, and a hand-off passes through the lock, so
 * the state the reading touches needs no lock of its own.
 */
final class ReaderRole {
  /** How long the application may leave the socket unread before the idle reader reads it. */
  static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private static final long READ_SLICE_MILLIS = 1000;

  /** The connection side of the role. */
  interface Reading {
    /** Waits at most {@code timeoutMillis} for data, reads what is there and dispatches it. */
    void readOnce(long timeoutMillis) throws IOException;

    /** Makes a {@link #readOnce} in progress return soon. */
    void wakeReader();

    /** The connection is over: nothing more will arrive. */
    boolean ended();

    /** Some reply is expected that no thread waits for. */
    boolean repliesUnwatched();

    /** The reading failed: ends the connection with this cause. */
    void readFailed(Exception cause);

    /** Called now and then by the idle reader (keepalive). */
    void idleTick();
  }

  private final Reading reading;
  private final ReentrantLock lock = new ReentrantLock();

  @GuardedBy("lock")
  private final List<Follower> followers = new ArrayList<>(); // guarded by lock

  @GuardedBy("lock")
  private Thread leader; // guarded by lock

  @GuardedBy("lock")
  private Thread idleReader; // guarded by lock

  @GuardedBy("lock")
  private long lastLedNanos = System.nanoTime(); // guarded by lock

  private volatile boolean idleReaderParked;

  private record Follower(Thread thread, BooleanSupplier done) {}

  ReaderRole(Reading reading) {
    this.reading = reading;
  }

  /**
   * Returns true once {@code done} holds or the connection ended, false at the deadline ({@code
   * deadlineNanos} of {@link System#nanoTime}, or {@code Long.MAX_VALUE}-free waits with {@code
   * timed} false). Interruptibly: an interrupt hands the role on, then throws; otherwise the
   * interrupt is kept for the caller and the wait goes on.
   */
  boolean await(BooleanSupplier done, boolean interruptibly, boolean timed, long deadlineNanos)
      throws InterruptedException {
    if (done.getAsBoolean()) {
      return true;
    }
    Thread me = Thread.currentThread();
    Follower asFollower = null;
    boolean interrupted = false;
    try {
      while (true) {
        if (Thread.interrupted()) {
          if (interruptibly) {
            throw new InterruptedException();
          }
          interrupted = true; // kept; cleared meanwhile, or every select would return at once
        }
        long remainingNanos = timed ? deadlineNanos - System.nanoTime() : Long.MAX_VALUE;
        boolean leading;
        boolean wakeIdleLeader = false;
        lock.lock();
        try {
          if (done.getAsBoolean() || reading.ended()) {
            return true;
          }
          if (remainingNanos <= 0) {
            return false;
          }
          if (leader == null || leader == me) {
            leader = me;
            leading = true;
            if (asFollower != null) {
              followers.remove(asFollower);
              asFollower = null;
            }
          } else {
            leading = false;
            if (asFollower == null) {
              asFollower = new Follower(me, done);
              followers.add(asFollower);
            }
            wakeIdleLeader = leader == idleReader;
          }
        } finally {
          lock.unlock();
        }
        if (leading) {
          boolean handedOn = false;
          try {
            while (!done.getAsBoolean() && !reading.ended()) {
              long sliceMillis =
                  timed
                      ? Math.max(
                          1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()))
                      : READ_SLICE_MILLIS;
              readOnce(Math.min(sliceMillis, READ_SLICE_MILLIS));
              wakeFollowersDone();
              if (Thread.interrupted()) {
                if (interruptibly) {
                  stepDown();
                  handedOn = true;
                  throw new InterruptedException();
                }
                interrupted = true;
              }
              if (timed && deadlineNanos - System.nanoTime() <= 0) {
                break;
              }
            }
          } finally {
            if (!handedOn) {
              stepDown();
            }
          }
        } else {
          if (wakeIdleLeader) {
            reading.wakeReader(); // the idle reader gives the role up at once
          }
          if (timed) {
            LockSupport.parkNanos(this, remainingNanos);
          } else {
            LockSupport.park(this);
          }
        }
      }
    } finally {
      boolean handedTheRole;
      lock.lock();
      try {
        if (asFollower != null) {
          followers.remove(asFollower);
        }
        // Made the leader while parked, but the wait ended (done, interrupted, timed out) before
        // this thread took the role up: pass it on, or nobody would read.
        handedTheRole = leader == me;
      } finally {
        lock.unlock();
      }
      if (handedTheRole) {
        stepDown();
      }
      if (interrupted) {
        me.interrupt();
      }
    }
  }

  private void readOnce(long timeoutMillis) {
    try {
      reading.readOnce(timeoutMillis);
    } catch (IOException | RuntimeException e) {
      reading.readFailed(e);
    }
  }

  /** Unparks the followers whose wait is over. */
  private void wakeFollowersDone() {
    lock.lock();
    try {
      for (Follower follower : followers) {
        if (follower.done.getAsBoolean()) {
          LockSupport.unpark(follower.thread);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Gives the role up: to the first follower still waiting, or, if none and replies are expected
   * that nobody waits for, to the idle reader. Every follower whose wait is over is woken.
   */
  private void stepDown() {
    Thread wakeIdle = null;
    lock.lock();
    try {
      leader = null;
      lastLedNanos = System.nanoTime();
      boolean ended = reading.ended();
      for (Follower follower : followers) {
        if (ended || follower.done.getAsBoolean()) {
          LockSupport.unpark(follower.thread);
        } else if (leader == null) {
          leader = follower.thread;
          LockSupport.unpark(follower.thread);
        }
      }
      if (leader == null && idleReader != null && idleReaderParked && reading.repliesUnwatched()) {
        wakeIdle = idleReader;
      }
    } finally {
      lock.unlock();
    }
    if (wakeIdle != null) {
      LockSupport.unpark(wakeIdle);
    }
  }

  /** A reply is now expected that no thread waits for: makes sure somebody reads. */
  void replyUnwatched() {
    Thread wake = null;
    lock.lock();
    try {
      if (leader == null && idleReaderParked) {
        wake = idleReader;
      }
    } finally {
      lock.unlock();
    }
    if (wake != null) {
      LockSupport.unpark(wake);
    }
  }

  /** The connection ended: every waiting thread wakes to find out. */
  void ended() {
    Thread idle;
    lock.lock();
    try {
      followers.forEach(f -> LockSupport.unpark(f.thread));
      idle = idleReader;
    } finally {
      lock.unlock();
    }
    reading.wakeReader();
    if (idle != null) {
      LockSupport.unpark(idle);
    }
  }

  /**
   * The idle reader's loop, until the connection ends: leads whenever no application thread has for
   * {@link #IDLE_NANOS} or replies are expected that nobody waits for, and gives the role to the
   * first application thread that asks.
   */
  void runIdleReader() {
    Thread me = Thread.currentThread();
    lock.lock();
    try {
      idleReader = me;
    } finally {
      lock.unlock();
    }
    while (!reading.ended()) {
      boolean leading = false;
      lock.lock();
      try {
        if (leader == null
            && (reading.repliesUnwatched() || System.nanoTime() - lastLedNanos >= IDLE_NANOS)) {
          leader = me;
          leading = true;
        }
      } finally {
        lock.unlock();
      }
      if (leading) {
        try {
          while (!reading.ended() && !followersWaiting()) {
            readOnce(READ_SLICE_MILLIS);
            wakeFollowersDone();
            reading.idleTick();
            Thread.interrupted(); // nobody interrupts this thread on purpose
          }
        } finally {
          stepDown();
        }
      } else {
        reading.idleTick();
        idleReaderParked = true;
        // Re-checked after announcing the park: a wake-up sent in between is not lost.
        if (!(reading.repliesUnwatched() && leaderless())) {
          LockSupport.parkNanos(this, IDLE_NANOS);
        }
        idleReaderParked = false;
      }
    }
  }

  private boolean followersWaiting() {
    lock.lock();
    try {
      return !followers.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  private boolean leaderless() {
    lock.lock();
    try {
      return leader == null;
    } finally {
      lock.unlock();
    }
  }
}
