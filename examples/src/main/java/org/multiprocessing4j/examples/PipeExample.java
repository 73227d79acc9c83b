package org.multiprocessing4j.examples;

import java.io.EOFException;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedConnection;
import org.multiprocessing4j.SharedPipe;

/**
 * The seed's Pipe: a producer sends five items through one end, a consumer receives them from the
 * other and acknowledges each one back (the pipe is duplex). When the producer closes its end, the
 * consumer's {@code recv()} throws {@link EOFException}, Python's {@code EOFError}.
 *
 * <p>Run: {@code mvn -B -q -pl examples exec:exec
 * -Dexec.mainClass=org.multiprocessing4j.examples.PipeExample}
 */
public final class PipeExample {
  private PipeExample() {}

  public static void main(String[] args) throws Exception {
    try (Manager m = Manager.start()) {
      SharedPipe pipe = m.pipe(); // Python: parent_conn, child_conn = Pipe()
      ExampleProcess producer = ExampleProcess.start(m, Producer.class, pipe.first());
      ExampleProcess consumer = ExampleProcess.start(m, Consumer.class, pipe.second());
      producer.join();
      consumer.join();
      System.out.println("main: done");
    }
  }

  /** Sends 0..4, reads each acknowledgement, then closes its end. */
  public static final class Producer {
    private Producer() {}

    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.connectFromEnvironment()) {
        SharedConnection conn = ExampleProcess.shared(m, args[0]);
        for (int i = 0; i < 5; i++) {
          conn.send(i);
          System.out.println("Produced: " + i + ", reply: " + conn.recv());
        }
        conn.close();
      }
    }
  }

  /** Receives until the producer closes its end. */
  public static final class Consumer {
    private Consumer() {}

    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.connectFromEnvironment()) {
        SharedConnection conn = ExampleProcess.shared(m, args[0]);
        try {
          while (true) {
            Object item = conn.recv();
            System.out.println("Consumed: " + item);
            conn.send("ack " + item);
          }
        } catch (EOFException e) {
          System.out.println("Consumer: the producer closed the pipe");
        }
      }
    }
  }
}
