package org.multiprocessing4j.bench;

/**
 * A client process of {@link PeerBench}'s multi-process workloads, {@link BenchWorker}'s twin for a
 * peer: connects to the peer, warms up on a scratch object of the same kind, then follows {@link
 * ClientProcesses}' READY / GO / DONE protocol.
 *
 * <p>Arguments: {@code PEER-ADDRESS append|put|get n NAME}, the address as {@link Peer#connect}
 * reads it, {@code NAME} the list or queue every worker of the run shares.
 */
public final class PeerWorker {
  private PeerWorker() {}

  public static void main(String[] args) throws Exception {
    String kind = args[1];
    int n = Integer.parseInt(args[2]);
    String name = args[3];
    try (Peer peer = Peer.connect(args[0])) {
      String scratch = name + ":warm-up:" + ProcessHandle.current().pid();
      if (kind.equals("append")) {
        loop(peer, kind, scratch, BenchWorker.warmUpOperations()).run();
      } else {
        Peer.Queue queue = peer.queue(scratch);
        int operations = BenchWorker.warmUpOperations();
        for (int i = 0; i < operations; i++) {
          queue.put(i);
          queue.take();
        }
      }
      BenchWorker.letCompilationsFinish();
      // Made before the clock: a Hazelcast client's first use of a name is a round trip of its own.
      ClientProcesses.serve(loop(peer, kind, name, n));
    }
  }

  private static ClientProcesses.Loop loop(Peer peer, String kind, String name, int n) {
    switch (kind) {
      case "append" -> {
        Peer.Ints list = peer.list(name);
        return () -> {
          for (int i = 0; i < n; i++) {
            list.add(i);
          }
        };
      }
      case "put" -> {
        Peer.Queue queue = peer.queue(name);
        return () -> {
          for (int i = 0; i < n; i++) {
            queue.put(i);
          }
        };
      }
      case "get" -> {
        Peer.Queue queue = peer.queue(name);
        return () -> {
          for (int i = 0; i < n; i++) {
            queue.take();
          }
        };
      }
      default -> throw new IllegalArgumentException("unknown worker kind " + kind);
    }
  }
}
