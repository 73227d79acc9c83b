package org.multiprocessing4j.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.GenericProxy;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.SharedArray;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.SharedObject;
import org.multiprocessing4j.SharedValue;

/**
 * Spec §4.7 (Value / Array) cases 39–43, with the §3.15 rules of the manager's Value and Array and
 * the Java additions (atomic arithmetic on the manager).
 *
 * <p>Cases that do not apply to the Java API:
 *
 * <ul>
 *   <li>case 41 {@code test_rawvalue} and case 43 {@code test_rawarray}: Python's {@code
 *       RawValue}/{@code RawArray} are unsynchronised ctypes objects in shared memory, not manager
 *       objects; this API has only manager-held values and arrays.
 *   <li>case 42 {@code get_obj()}, {@code lock=None}, {@code lock=L}, {@code lock=False}, {@code
 *       lock='navalue'} (and the same rules in case 43 {@code test_getobj_getlock_obj}): they are
 *       about {@code multiprocessing.Value}'s {@code Synchronized} ctypes wrapper; the manager's
 *       {@code Value}/{@code Array} ignore {@code lock} (§3.15), and {@code Manager.value}/{@code
 *       array} take no lock argument. Only {@code get_lock()} applies ({@code getLock()}).
 *   <li>case 42 3.14 {@code test_invalid_typecode}: a Java value has no typecode (its type is the
 *       Java type of the value); an array's typecode is the primitive array type, fixed at compile
 *       time, so there is no bad typecode to pass.
 *   <li>case 39 {@code o.value} versus {@code o.get()}: Python has a property and a method for the
 *       same read; Java has {@code get()} only.
 * </ul>
 */
abstract class ValueArrayConformanceTest extends SyncConformanceBase {

  /** CPython's {@code _TestArray} sequence. */
  private static final int[] SEQ = {680, 626, 934, 821, 150, 233, 548, 982, 714, 831};

  private static List<Integer> boxed(int[] values) {
    return Arrays.stream(values).boxed().collect(Collectors.toList());
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  // --- case 39: test_value (TestSyncManagerTypes)

  @Test
  void value_childReadsAndSetsTheParentsValue() throws Exception {
    SharedValue<Integer> o = m.value(1);
    join(
        startProcess(
            client -> {
              SharedValue<Integer> co = via(client, o);
              assertEquals(1, co.get());
              co.set(2);
            }));
    assertEquals(2, o.get());
  }

  // --- case 40: test_array (TestSyncManagerTypes)

  @Test
  void array_childReadsElementsLengthAndIterates() throws Exception {
    SharedArray<Integer> o = m.array(new int[] {0, 1});
    join(
        startProcess(
            client -> {
              SharedArray<Integer> co = via(client, o);
              assertEquals(0, co.get(0));
              assertEquals(1, co.get(1));
              assertEquals(2, co.length());
              List<Integer> iterated = new ArrayList<>();
              for (int x : co) {
                iterated.add(x);
              }
              assertEquals(List.of(0, 1), iterated);
            }));
  }

  // --- case 41: _TestValue.test_value (a manager value holds any value of the value model)

  @Test
  void value_eachKindReadsBackAndAProcessOverwritesIt() throws Exception {
    // Python's ('i', 4343), ('d', 3.625), ('h', -232), ('q', 2**33), ('c', b'x'), and then the
    // values the process sets: 24234, -4.25, 234, 2**34, b'y'. Java keeps the boxed type.
    List<Object> initial =
        List.of(4343, 3.625, (short) -232, 1L << 33, 'x', BigInteger.TWO.pow(70), "x");
    List<Object> later =
        List.of(24234, -4.25, (short) 234, 1L << 34, 'y', BigInteger.TWO.pow(71), "y");
    List<SharedValue<Object>> values = new ArrayList<>();
    for (Object v : initial) {
      SharedValue<Object> value = m.value(v);
      assertEquals(v, value.get());
      values.add(value);
    }
    SharedValue<byte[]> bytes = m.value("x".getBytes(StandardCharsets.US_ASCII));
    assertArrayEquals(new byte[] {'x'}, bytes.get());

    join(
        startProcess(
            client -> {
              for (int i = 0; i < values.size(); i++) {
                via(client, values.get(i)).set(later.get(i));
              }
              via(client, bytes).set("y".getBytes(StandardCharsets.US_ASCII));
            }));
    for (int i = 0; i < values.size(); i++) {
      Object got = values.get(i).get();
      assertEquals(later.get(i), got);
      assertEquals(later.get(i).getClass(), got.getClass(), "the type travels with the value");
    }
    assertArrayEquals(new byte[] {'y'}, bytes.get());
  }

  // --- case 42: _TestValue.test_getobj_getlock (getLock only; see the class comment)

  @Test
  void value_getLockIsOneLockForEveryProxyAndGuardsReadModifyWrite() throws Exception {
    SharedValue<Integer> counter = m.value(0);
    SharedLock lock = counter.getLock();
    assertEquals(lock, counter.getLock());
    assertEquals(lock, via(newClient(), counter).getLock(), "the same lock in another process");
    assertNotEquals(lock, m.value(0).getLock(), "each value has its own lock");

    List<Future<?>> procs =
        startProcesses(
            4,
            client -> {
              SharedValue<Integer> mine = via(client, counter);
              SharedLock guard = mine.getLock();
              for (int i = 0; i < 100; i++) {
                guard.lock();
                try {
                  mine.set(mine.get() + 1); // two round trips: atomic only under the lock
                } finally {
                  guard.unlock();
                }
              }
            });
    joinAll(procs);
    assertEquals(400, counter.get());
    assertFalse(lock.isLocked());
  }

  // --- case 43: _TestArray.test_array

  @Test
  void array_lengthIndexSliceAndAProcessComputesPrefixSumsInPlace() throws Exception {
    int[] seq = SEQ.clone();
    SharedArray<Integer> arr = m.array(seq);
    assertEquals(seq.length, arr.length());
    assertEquals(seq[3], arr.get(3));
    assertEquals(boxed(Arrays.copyOfRange(seq, 2, 7)), arr.slice(2, 7));

    arr.setSlice(4, List.of(1, 2, 3, 4));
    System.arraycopy(new int[] {1, 2, 3, 4}, 0, seq, 4, 4);
    assertEquals(boxed(seq), arr.toList());

    // Python's f(seq): for i in range(1, len(seq)): seq[i] += seq[i - 1]
    for (int i = 1; i < seq.length; i++) {
      seq[i] += seq[i - 1];
    }
    join(
        startProcess(
            client -> {
              SharedArray<Integer> a = via(client, arr);
              for (int i = 1; i < a.length(); i++) {
                a.set(i, a.get(i) + a.get(i - 1));
              }
            }));
    assertEquals(boxed(seq), arr.toList());
  }

  // --- case 43: test_array_from_size (Java's size-only form is a zeroed primitive array)

  @Test
  void array_fromSizeIsZerosAndTakesAWholeSliceAssignment() {
    for (int round = 0; round < 3; round++) {
      SharedArray<Integer> arr = m.array(new int[10]);
      assertEquals(10, arr.length());
      assertEquals(Collections.nCopies(10, 0), arr.toList());
      arr.setSlice(0, range(10));
      assertEquals(range(10), arr.toList());
    }
  }

  // --- case 43: test_getobj_getlock_obj (getLock only)

  @Test
  void array_getLockIsOneLockForEveryProxy() throws Exception {
    SharedArray<Integer> arr = m.array(new int[] {0});
    SharedLock lock = arr.getLock();
    assertEquals(lock, via(newClient(), arr).getLock());
    assertNotEquals(lock, m.array(new int[] {0}).getLock());
    assertNotEquals(lock, m.value(0).getLock());
    lock.lock();
    try {
      assertTrue(via(newClient(), arr).getLock().isLocked(), "another process sees it held");
    } finally {
      lock.unlock();
    }
  }

  // --- §3.15: the manager's Array enforces its typecode, fixes its length, and copies slices

  @Test
  void array_elementTypeIsEnforcedAndFailedWritesChangeNothing() {
    SharedArray<Integer> arr = m.array(new int[] {0, 1, 2});
    @SuppressWarnings("unchecked") // deliberately defeat the static element type
    SharedArray<Object> untyped = (SharedArray<Object>) (SharedArray<?>) arr;
    assertThrows(ClassCastException.class, () -> untyped.set(0, "x")); // Python: TypeError
    assertThrows(ClassCastException.class, () -> untyped.set(0, 1L));
    assertThrows(ClassCastException.class, () -> untyped.setSlice(0, List.of(7, "x")));
    assertEquals(List.of(0, 1, 2), arr.toList(), "a failed slice assignment wrote nothing");
    // Python's OverflowError for an out-of-range value: here only arithmetic can overflow.
    arr.set(2, Integer.MAX_VALUE);
    assertThrows(ArithmeticException.class, () -> arr.addAndGet(2, 1));
    assertEquals(Integer.MAX_VALUE, arr.get(2));
    // Fixed length: no append, and indexes past the end fail (Python: IndexError).
    assertThrows(IndexOutOfBoundsException.class, () -> arr.get(3));
    assertThrows(IndexOutOfBoundsException.class, () -> arr.set(-1, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> arr.setSlice(2, List.of(1, 2)));
    assertThrows(IndexOutOfBoundsException.class, () -> arr.slice(1, 4));
    assertEquals(3, arr.length());
  }

  // a copy is changed to show the array is not
  @SuppressWarnings("ModifiedButNotUsed")
  @Test
  void array_slicesAndIterationAreCopies() {
    SharedArray<Integer> arr = m.array(new int[] {1, 2, 3});
    List<Integer> slice = arr.slice(0, 2);
    assertFalse(slice instanceof SharedObject);
    assertEquals(List.of(1, 2), slice);
    List<Integer> mutable = new ArrayList<>(slice);
    mutable.set(0, 99);
    assertEquals(1, arr.get(0));
    // Python iterates an ArrayProxy through __getitem__ (live); Java's iterator walks one copy.
    Iterator<Integer> it = arr.iterator();
    arr.set(0, 100);
    assertEquals(1, it.next());
    assertEquals(List.of(100, 2, 3), arr.toList());
  }

  @Test
  void array_otherElementTypesAndPythonsRepr() {
    SharedArray<Long> longs = m.array(new long[] {1L << 40, 2});
    assertEquals((1L << 40) + 5, longs.addAndGet(0, 5L));
    assertThrows(ArithmeticException.class, () -> longs.addAndGet(1, Long.MAX_VALUE));
    SharedArray<Double> doubles = m.array(new double[] {0.5, 1.5});
    assertEquals(2.0, doubles.addAndGet(1, 0.5));
    assertEquals(List.of(0.5, 2.0), doubles.toList());
    assertEquals("array('i', [0, 1, 2])", m.array(new int[] {0, 1, 2}).toString());
    assertEquals("array('l', [1099511627781, 2])", longs.toString());
    assertEquals("array('d', [0.5, 2.0])", doubles.toString());
  }

  @Test
  void array_creationFromAnythingButAPrimitiveArrayFails() {
    // Python: m.Array('i', 3) raises RemoteError (TypeError: 'int' object is not iterable).
    assertThrows(IllegalArgumentException.class, () -> m.create("array", GenericProxy.class, 3));
    assertThrows(
        IllegalArgumentException.class, () -> m.create("array", GenericProxy.class, List.of(1)));
  }

  // --- §3.15: the manager's Value does not enforce a type; §3.1: values are copies

  @Test
  void value_typeIsNotEnforcedButTheValueModelIs() {
    SharedValue<Object> v = m.value(1); // Python: m.Value('i', 'not an int') works
    v.set("not an int");
    assertEquals("not an int", v.get());
    v.set(List.of(1, 2));
    assertEquals(List.of(1, 2), v.get());
    v.set(null);
    assertNull(v.get());
    ManagerException e = assertThrows(ManagerException.class, () -> v.set(new Object()));
    assertEquals(ManagerException.Code.UNSUPPORTED_VALUE, e.code());
    assertNull(v.get(), "nothing was sent");
  }

  @Test
  void value_readsAndWritesAreCopies() {
    List<Integer> local = new ArrayList<>(List.of(1));
    SharedValue<List<Integer>> v = m.value(local);
    local.add(2); // mutating the argument after sending it has no effect
    assertEquals(List.of(1), v.get());
    List<Integer> read = v.get();
    assertFalse(read instanceof SharedObject);
    read.add(3); // mutating a copy that was read has no effect either
    assertEquals(List.of(1), v.get());
    read.add(4); // the documented way: write it back
    v.set(read);
    assertEquals(List.of(1, 3, 4), v.get());
  }

  @Test
  void value_holdingAProxyStaysShared() {
    SharedList<Integer> list = m.list();
    SharedValue<SharedList<Integer>> v = m.value(list);
    SharedList<Integer> read = v.get();
    assertInstanceOf(SharedList.class, read);
    assertEquals(list.objectId(), read.objectId());
    read.add(5);
    assertEquals(List.of(5), list.copy());
  }

  // --- §3.3: "v.value += 1" is two round trips and loses updates; the atomic forms do not

  @Test
  void value_atomicArithmeticLosesNoUpdateUnderContention() throws Exception {
    SharedValue<Integer> counter = m.value(0);
    List<Future<?>> procs =
        startProcesses(
            4,
            client -> {
              SharedValue<Integer> mine = via(client, counter);
              for (int i = 0; i < 250; i++) {
                mine.addAndGet(1);
              }
            });
    joinAll(procs);
    assertEquals(1000, counter.get());
  }

  @Test
  void value_atomicOperations() {
    SharedValue<Integer> v = m.value(10);
    assertEquals(15, v.addAndGet(5));
    assertEquals(15, v.getAndAdd(-3));
    assertEquals(12, v.get());
    assertTrue(v.compareAndSet(12, 20));
    assertFalse(v.compareAndSet(12, 30));
    assertEquals(20, v.getAndSet(7));
    assertEquals(7, v.get());

    v.set(Integer.MAX_VALUE);
    assertThrows(ArithmeticException.class, () -> v.addAndGet(1), "no silent wrap-around");
    assertEquals(Integer.MAX_VALUE, v.get());

    SharedValue<Short> s = m.value((short) 1);
    assertEquals(Short.valueOf((short) 3), s.addAndGet((short) 2), "the stored type is kept");
    SharedValue<Double> d = m.value(0.25);
    assertEquals(0.75, d.addAndGet(0.5));
    SharedValue<String> text = m.value("a");
    assertThrows(ClassCastException.class, () -> text.addAndGet("b"));
    assertEquals("a", text.get());
  }
}
