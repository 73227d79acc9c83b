package org.multiprocessing4j.examples;

import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedArray;
import org.multiprocessing4j.SharedValue;
import org.multiprocessing4j.process.JvmProcess;

/**
 * The seed's shared {@code Value} and {@code Array}, line for line: one process increments a shared
 * int ten times, another fills a shared int array with squares.
 *
 * <p>Run: {@code mvn -B -q -pl examples exec:exec
 * -Dexec.mainClass=org.multiprocessing4j.examples.ValueAndArray}
 */
public final class ValueAndArray {
  private ValueAndArray() {}

  static void modifyValue(SharedValue<Integer> sharedValue) throws InterruptedException {
    for (int i = 0; i < 10; i++) {
      Thread.sleep(10); // some work (Python: time.sleep(0.1))
      sharedValue.addAndGet(1); // Python: shared_value.value += 1, atomic here
      System.out.println("Value: " + sharedValue.get());
    }
  }

  static void modifyArray(SharedArray<Integer> sharedArray) throws InterruptedException {
    for (int i = 0; i < 10; i++) {
      Thread.sleep(10);
      sharedArray.set(i, i * i);
      System.out.println("Array: " + sharedArray.toList()); // Python: shared_array[:]
    }
  }

  public static void main(String[] args) throws Exception {
    try (Manager m = Manager.start()) {
      SharedValue<Integer> sharedValue = m.value(0); // Python: Value(ctypes.c_int, 0)
      SharedArray<Integer> sharedArray = m.array(new int[10]); // Python: Array(ctypes.c_int, 10)
      JvmProcess p1 = JvmProcess.of(m, () -> modifyValue(sharedValue));
      JvmProcess p2 = JvmProcess.of(m, () -> modifyArray(sharedArray));
      p1.start();
      p2.start();
      p1.join();
      p2.join();
    }
  }
}
