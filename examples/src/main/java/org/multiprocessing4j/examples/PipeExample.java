package org.multiprocessing4j.examples;

import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedConnection;
import org.multiprocessing4j.SharedPipe;
import org.multiprocessing4j.process.JvmProcess;

/**
 * The seed's Pipe, line for line: a producer sends five items through one end of a pipe, a consumer
 * receives them from the other and stops after the item 4. (The pipe is duplex, as Python's {@code
 * Pipe()}; once one end is closed and everything was read, {@code recv()} at the other throws
 * {@link java.io.EOFException}, Python's {@code EOFError}.)
 *
 * <p>Run: {@code mvn -B -q -pl examples exec:exec
 * -Dexec.mainClass=org.multiprocessing4j.examples.PipeExample}
 */
public final class PipeExample {
  private PipeExample() {}

  static void producer(SharedConnection conn) throws Exception {
    for (int i = 0; i < 5; i++) {
      System.out.println("Produced: " + i);
      conn.send(i); // send the item through the pipe
      Thread.sleep(100); // Python: time.sleep(1)
    }
  }

  static void consumer(SharedConnection conn) throws Exception {
    while (true) {
      Object item = conn.recv(); // receive an item from the pipe
      System.out.println("Consumed: " + item);
      if (item.equals(4)) { // a condition that ends the consumer
        break;
      }
      Thread.sleep(200); // Python: time.sleep(2)
    }
  }

  public static void main(String[] args) throws Exception {
    try (Manager m = Manager.start()) {
      SharedPipe pipe = m.pipe(); // Python: parent_conn, child_conn = multiprocessing.Pipe()
      SharedConnection parentConn = pipe.first();
      SharedConnection childConn = pipe.second();

      JvmProcess producerProcess = JvmProcess.of(m, () -> producer(parentConn));
      JvmProcess consumerProcess = JvmProcess.of(m, () -> consumer(childConn));

      producerProcess.start();
      consumerProcess.start();

      producerProcess.join();
      consumerProcess.join();
    }
  }
}
