package org.multiprocessing4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedMap;
import org.multiprocessing4j.SharedNamespace;
import org.multiprocessing4j.SharedObject;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.internal.client.ClientInternals;
import org.multiprocessing4j.server.ManagerServer;
import org.multiprocessing4j.server.TestServers;
import org.multiprocessing4j.testsupport.ServerExtension;

/**
 * Spec §4.8 (containers: list, dict, nesting) cases 44–59, with the §3.1–§3.5 rules they rest on.
 * Python's {@code del proxy} becomes "the process that held the proxy ends" (its session closes),
 * which releases its references deterministically instead of waiting for a garbage collection.
 *
 * <p>Cases that do not apply to the Java API:
 *
 * <ul>
 *   <li>cases 60–63 ({@code test_set_operator_symbols}, {@code test_set_operator_methods}, {@code
 *       test_set_comparisons}, {@code test_set_init}, {@code test_set_contain_all_method}): 3.14's
 *       {@code m.set()} has no counterpart; there is no shared set type (a {@code Set} travels as a
 *       value, i.e. a copy).
 *   <li>case 57 {@code obj.fromkeys(['bar'], 6)}: a classmethod that builds a plain dict and never
 *       touches the shared one; {@code Map} has no such method.
 *   <li>case 57 {@code |=}, {@code |}, {@code reversed()}, case 55 {@code +=}, {@code *=}, {@code
 *       *}: Python operator syntax; each is ported as the equivalent method call ({@code putAll},
 *       {@code addAll}, a local copy), as noted at the call.
 *   <li>case 53 {@code n._hidden}: Java has no proxy-local attributes, every name is shared (see
 *       {@code namespace_underscoreNamesAreShared}).
 *   <li>case 48 part 2 ({@code iter(d); d.clear(); next(it)} raises {@code RuntimeError}): the Java
 *       map iterators walk a snapshot by design, so the Java test asserts the snapshot.
 * </ul>
 */
abstract class ContainerConformanceTest extends SyncConformanceBase {
  // Managers of their own for the cases that count every object a manager holds.
  @RegisterExtension static final ServerExtension<ManagerServer> CYCLE = TestServers.tcp(KEY);
  @RegisterExtension static final ServerExtension<ManagerServer> NESTED = TestServers.tcp(KEY);

  private static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().collect(Collectors.toList());
  }

  @SuppressWarnings("unchecked") // a nested proxy read back from a container of Object
  private static <K, V> SharedMap<K, V> asMap(Object proxy) {
    return (SharedMap<K, V>) assertInstanceOf(SharedMap.class, proxy);
  }

  @SuppressWarnings("unchecked")
  private static <E> SharedList<E> asList(Object proxy) {
    return (SharedList<E>) assertInstanceOf(SharedList.class, proxy);
  }

  private static <E> List<E> concat(List<E> a, List<E> b) {
    List<E> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Closes a client (Python: the process exits) and waits until the manager ended its session. */
  private void endProcess(Manager client) throws InterruptedException {
    long sessions = m.stats().sessionCount();
    client.close();
    QueueConformanceTest.waitUntil(() -> m.stats().sessionCount() == sessions - 1);
  }

  // --- case 44: test_list

  // b.addAll(b) is Python's b *= 2, under test
  @SuppressWarnings("ModifyingCollectionWithItself")
  @Test
  void list_basicsAndNestedProxies() {
    SharedList<Object> a = m.list(range(0, 10));
    assertEquals(range(0, 10), a.copy());

    SharedList<Integer> b = m.list();
    assertEquals(List.of(), b.copy());
    b.addAll(range(0, 5)); // Python: b.extend(range(5))
    assertEquals(range(0, 5), b.copy());
    assertEquals(2, b.get(2));
    assertEquals(List.of(2, 3, 4), b.subList(2, 5)); // Python's lenient b[2:10] ...
    assertThrows(IndexOutOfBoundsException.class, () -> b.subList(2, 10)); // ... is strict here

    b.addAll(b); // Python: b *= 2
    assertEquals(List.of(0, 1, 2, 3, 4, 0, 1, 2, 3, 4), b.copy());
    List<Integer> plus = concat(b.copy(), List.of(5, 6)); // Python: b + [5, 6], a plain list
    assertFalse(plus instanceof SharedObject);
    assertEquals(List.of(0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 5, 6), plus);
    assertEquals(10, b.size(), "the plain result left the shared list alone");
    assertEquals(range(0, 10), a.copy());

    SharedList<SharedList<?>> e = m.list(List.of(a, b));
    List<List<?>> contents = new ArrayList<>();
    for (SharedList<?> el : e) {
      assertInstanceOf(SharedList.class, el, "the elements are proxies");
      contents.add(el.copy());
    }
    assertEquals(List.of(range(0, 10), List.of(0, 1, 2, 3, 4, 0, 1, 2, 3, 4)), contents);

    SharedList<SharedList<Object>> f = m.list(List.of(a));
    a.add("hello");
    assertEquals(concat(new ArrayList<Object>(range(0, 10)), List.of("hello")), f.get(0).copy());
  }

  // --- case 45: test_list_iter

  @Test
  void list_iterationIsLiveAndIndexBased() {
    SharedList<Integer> a = m.list(range(0, 10));
    Iterator<Integer> it = a.iterator();
    List<Integer> seen = new ArrayList<>();
    it.forEachRemaining(seen::add);
    assertEquals(range(0, 10), seen);
    assertFalse(it.hasNext(), "exhausted");
    assertThrows(NoSuchElementException.class, it::next);

    it = a.iterator();
    a.set(0, 100);
    assertEquals(100, it.next());
  }

  // --- case 46: test_list_proxy_in_list

  @Test
  void list_ofListProxies() throws Exception {
    List<SharedList<Integer>> inner = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      inner.add(m.list(range(0, 3)));
    }
    SharedList<SharedList<Integer>> a = m.list(inner);
    List<List<Integer>> copies = new ArrayList<>();
    for (SharedList<Integer> i : a) {
      copies.add(i.copy());
    }
    assertEquals(Collections.nCopies(3, range(0, 3)), copies);

    SharedList<Integer> first = a.get(0);
    first.set(first.size() - 1, 55); // Python: a[0][-1] = 55
    assertThrows(IndexOutOfBoundsException.class, () -> first.set(-1, 55), "no negative indexes");
    assertEquals(List.of(0, 1, 55), a.get(0).copy());
    assertEquals(range(0, 3), a.get(1).copy());
    assertEquals(range(0, 3), a.get(2).copy());

    SharedList<Integer> second = a.get(1);
    assertEquals(2, second.remove(second.size() - 1)); // Python: a[1].pop()
    assertEquals(2, a.get(1).size());
    assertEquals(3, a.get(0).size());
    assertEquals(3, a.get(2).size());

    // b = list(); b.append(b); del b: no error, and (Java) the cycle is freed with its owner.
    ManagerServer own = CYCLE.server();
    Manager proc = Manager.connect(own.target(), KEY);
    SharedList<Object> b = proc.list();
    b.add(b);
    assertEquals(1, b.size());
    assertEquals(b.objectId(), asList(b.get(0)).objectId(), "it holds itself");
    assertEquals(1, own.objectCount());
    proc.close();
    QueueConformanceTest.waitUntil(() -> own.objectCount() == 0);
  }

  // --- case 47: test_dict

  private SharedMap<Integer, String> dictOfLetters() {
    SharedMap<Integer, String> d = m.dict();
    for (int i = 65; i < 70; i++) {
      d.put(i, String.valueOf((char) i));
    }
    return d;
  }

  @Test
  void dict_copyKeysValuesItems() {
    SharedMap<Integer, String> d = dictOfLetters();
    Map<Integer, String> expected = Map.of(65, "A", 66, "B", 67, "C", 68, "D", 69, "E");
    Map<Integer, String> copy = d.copy();
    assertFalse(copy instanceof SharedObject);
    assertEquals(expected, copy);
    assertEquals(range(65, 70), new ArrayList<>(new TreeSet<>(d.keySet())));
    assertEquals(List.of("A", "B", "C", "D", "E"), new ArrayList<>(new TreeSet<>(d.values())));
    assertEquals(expected, new TreeMap<>(entries(d)));
  }

  private static <K, V> Map<K, V> entries(Map<K, V> map) {
    Map<K, V> collected = new LinkedHashMap<>();
    for (Map.Entry<K, V> e : map.entrySet()) {
      collected.put(e.getKey(), e.getValue());
    }
    return collected;
  }

  // --- case 48: test_dict_iter

  @Test
  void dict_iterationInInsertionOrderOverASnapshot() {
    SharedMap<Integer, String> d = dictOfLetters();
    Iterator<Integer> it = d.keySet().iterator();
    List<Integer> seen = new ArrayList<>();
    it.forEachRemaining(seen::add);
    assertEquals(range(65, 70), seen, "insertion order");
    assertFalse(it.hasNext(), "exhausted");

    it = d.keySet().iterator();
    d.clear();
    // Python: RuntimeError (dictionary changed size during iteration). Java: the snapshot.
    assertEquals(65, it.next());
    assertFalse(d.keySet().contains(65), "membership asks the manager");
    assertTrue(d.isEmpty());
  }

  // --- case 49: test_dict_proxy_nested, part 1

  @Test
  void dict_nestedDictProxiesAreShared() {
    SharedMap<String, Integer> pets = m.dict(Map.of("ferrets", 2, "hamsters", 4));
    SharedMap<String, Integer> supplies = m.dict(Map.of("water", 10, "feed", 3));
    SharedMap<String, SharedMap<String, Integer>> d =
        m.dict(Map.of("pets", pets, "supplies", supplies));
    assertEquals(10, supplies.get("water"));
    assertEquals(10, d.get("supplies").get("water"));

    d.get("supplies").put("blankets", 5);
    assertEquals(5, supplies.get("blankets"));
    assertEquals(5, d.get("supplies").get("blankets"));

    d.get("supplies").put("water", 7);
    assertEquals(7, supplies.get("water"));
    assertEquals(7, d.get("supplies").get("water"));
    assertEquals(supplies, d.get("supplies"), "(Java) same content");
    assertEquals(supplies.objectId(), d.get("supplies").objectId(), "same referent");
  }

  // --- case 50: test_dict_proxy_nested, part 2 (lifetime)

  @Test
  void dict_nestedReferentsLiveAsLongAsTheContainerHoldsThem() throws Exception {
    Manager creator = newClient();
    SharedMap<String, Integer> createdPets = creator.dict(Map.of("ferrets", 2, "hamsters", 4));
    SharedMap<String, Integer> createdSupplies = creator.dict(Map.of("water", 10, "feed", 3));
    SharedMap<String, Object> d = m.dict();
    d.put("pets", createdPets);
    d.put("supplies", createdSupplies);
    endProcess(creator); // Python: del pets; del supplies

    assertEquals(2, asMap(d.get("pets")).get("ferrets"));
    asMap(d.get("supplies")).put("blankets", 11);
    assertEquals(11, asMap(d.get("supplies")).get("blankets"));

    SharedMap<String, Integer> pets = asMap(d.get("pets"));
    SharedMap<String, Integer> supplies = asMap(d.get("supplies"));
    supplies.put("water", 7);
    assertEquals(7, asMap(d.get("supplies")).get("water"));

    d.clear();
    assertEquals(0, d.size());
    assertEquals(7, supplies.get("water"), "the referents survive through this client's proxies");
    assertEquals(4, pets.get("hamsters"));
  }

  // --- case 51: test_dict_proxy_nested, part 3

  @Test
  void dict_proxiesInAListAndMixedNesting() throws Exception {
    Manager creator = newClient();
    SharedMap<String, Integer> pets = creator.dict(Map.of("ferrets", 2, "hamsters", 4));
    SharedMap<String, Integer> supplies = creator.dict(Map.of("water", 10, "feed", 3));
    SharedList<SharedMap<String, Integer>> l = m.list(List.of(pets, supplies));
    l.get(0).put("marmots", 1);
    assertEquals(1, pets.get("marmots"));
    assertEquals(1, l.get(0).get("marmots"));

    endProcess(creator); // Python: del pets; del supplies
    assertEquals(1, l.get(0).get("marmots"));

    SharedList<Object> outer = m.list(List.of(List.of(88, 99), l));
    Object plain = outer.get(0);
    assertInstanceOf(List.class, plain);
    assertFalse(plain instanceof SharedObject, "a plain nested list comes back as a copy");
    assertEquals(List.of(88, 99), plain);
    SharedList<SharedMap<String, Integer>> last = asList(outer.get(outer.size() - 1));
    assertEquals(3, last.get(last.size() - 1).get("feed"));
  }

  // --- case 52: test_nested_queue

  @Test
  void queuesNestedInAListAndADict() throws Exception {
    SharedList<SharedQueue<Integer>> a = m.list();
    a.add(m.queue());
    a.get(0).put(123);
    assertEquals(123, a.get(0).take());

    SharedMap<Integer, SharedQueue<Integer>> b = m.dict();
    b.put(0, m.queue());
    b.get(0).put(456);
    assertEquals(456, b.get(0).take());
  }

  // --- case 53: test_namespace

  @Test
  void namespace_setGetDeleteAndRepr() {
    SharedNamespace n = m.namespace();
    n.set("name", "Bob");
    n.set("job", "Builder");
    assertEquals(List.of("Bob", "Builder"), List.of(n.get("name"), n.get("job")));
    n.delete("job");
    assertEquals("Namespace(name='Bob')", n.toString());
    assertTrue(n.has("name"));
    assertFalse(n.has("job"));
    // Python: AttributeError("'Namespace' object has no attribute 'job'")
    NoSuchElementException missing = assertThrows(NoSuchElementException.class, () -> n.get("job"));
    assertTrue(missing.getMessage().contains("'job'"), missing.getMessage());
    assertThrows(NoSuchElementException.class, () -> n.delete("job"));
    assertEquals("Bob", n.get("name", String.class));
  }

  @Test
  void namespace_underscoreNamesAreShared() throws Exception {
    SharedNamespace n = m.namespace();
    n.set("_hidden", "hidden"); // Python keeps it on the local proxy only
    join(startProcess(client -> assertEquals("hidden", via(client, n).get("_hidden"))));
    assertEquals(Map.of("_hidden", "hidden"), n.copy());
  }

  @Test
  void namespace_attributesAreCopies() {
    SharedNamespace n = m.namespace();
    n.set("x", new ArrayList<>(List.of(1)));
    @SuppressWarnings("unchecked")
    List<Integer> x = (List<Integer>) n.get("x");
    x.add(2); // Python: ns.x.append(2) leaves ns.x == [1]
    assertEquals(List.of(1), n.get("x"));
    Map<String, Object> copy = n.copy();
    assertFalse(copy instanceof SharedObject);
    copy.put("y", 1);
    assertFalse(n.has("y"));
  }

  // --- case 54: test_list (TestSyncManagerTypes, 3.11)

  @Test
  void list_childUsesTheParentsList() throws Exception {
    SharedList<Integer> o = m.list();
    o.add(5);
    join(
        startProcess(
            client -> {
              SharedList<Integer> co = via(client, o);
              assertEquals(5, co.get(0));
              assertEquals(1, Collections.frequency(co, 5)); // Python: o.count(5)
              assertEquals(0, co.indexOf(5));
              co.sort(null);
              Collections.reverse(co);
              int n = 0;
              for (Integer ignored : co) {
                n++;
              }
              assertEquals(1, n);
              assertEquals(1, co.size());
              assertEquals(5, co.remove(0)); // Python: o.pop(0)
            }));
    assertTrue(o.isEmpty());
  }

  // --- case 55: test_list (TestSyncManagerTypes, 3.14 additions)

  // obj.addAll(obj) is Python's obj *= 2, under test
  @SuppressWarnings("ModifyingCollectionWithItself")
  @Test
  void list_extendRepeatCopySortReverseClear() {
    SharedList<Integer> obj = m.list(List.of(5));
    assertTrue(obj.addAll(List.of(7))); // Python: obj += [7]
    assertEquals(List.of(5, 7), obj.copy());
    obj.addAll(obj); // Python: obj *= 2
    assertEquals(List.of(5, 7, 5, 7), obj.copy());
    List<Integer> doubled = concat(obj.copy(), obj.copy()); // Python: obj * 2 and 2 * obj
    assertEquals(8, doubled.size());
    List<Integer> copied = obj.copy();
    assertFalse(copied instanceof SharedObject);
    assertEquals(List.of(5, 7, 5, 7), copied);

    obj.addAll(concat(doubled, copied));
    obj.sort(null);
    Collections.reverse(obj);
    int n = 0;
    for (Integer ignored : obj) {
      n++;
    }
    assertEquals(16, n);
    assertEquals(16, obj.size());
    assertEquals(7, obj.remove(0));
    obj.clear();
    assertEquals(0, obj.size());
  }

  // --- case 56: test_dict (TestSyncManagerTypes, 3.11)

  @Test
  void dict_childUsesTheParentsDict() throws Exception {
    SharedMap<String, Integer> o = m.dict();
    o.put("foo", 5);
    join(
        startProcess(
            client -> {
              SharedMap<String, Integer> co = via(client, o);
              assertEquals(1, co.size());
              assertEquals(5, co.get("foo"));
              assertEquals(5, co.getOrDefault("foo", 0));
              assertEquals(List.of(Map.entry("foo", 5)), new ArrayList<>(co.entrySet()));
              assertEquals(List.of("foo"), new ArrayList<>(co.keySet()));
              assertEquals(List.of(5), new ArrayList<>(co.values()));
              assertEquals(Map.of("foo", 5), co.copy());
              // Python: o.popitem() == ('foo', 5)
              Iterator<Map.Entry<String, Integer>> items = co.entrySet().iterator();
              assertEquals(Map.entry("foo", 5), items.next());
              items.remove();
            }));
    assertTrue(o.isEmpty());
  }

  // --- case 57: test_dict (TestSyncManagerTypes, 3.14 additions)

  @Test
  void dict_mergeReversedUpdateSetdefaultPopClear() {
    SharedMap<String, Integer> obj = m.dict();
    obj.put("foo", 5);
    obj.putAll(Map.of("bar", 6)); // Python: obj |= {'bar': 6}
    assertEquals(Map.of("foo", 5, "bar", 6), obj.copy());

    List<String> reversedKeys = new ArrayList<>(obj.keySet()); // Python: reversed(obj)
    Collections.reverse(reversedKeys);
    assertEquals(List.of("bar", "foo"), reversedKeys);

    Map<String, Integer> left = new LinkedHashMap<>(Map.of("bar", 7, "baz", 7));
    left.putAll(obj); // Python: {'bar': 7, 'baz': 7} | obj
    assertEquals(Map.of("foo", 5, "bar", 6, "baz", 7), left);
    Map<String, Integer> right = obj.copy(); // Python: obj | {'bar': 7, 'baz': 7}
    right.putAll(Map.of("bar", 7, "baz", 7));
    assertEquals(Map.of("foo", 5, "bar", 7, "baz", 7), right);
    assertEquals(Map.of("foo", 5, "bar", 6), obj.copy(), "the plain results left obj alone");

    assertEquals(6, obj.remove("bar")); // Python: obj.popitem() == ('bar', 6)
    assertNull(obj.putIfAbsent("bar", 0)); // Python: obj.setdefault('bar', 0)
    assertEquals(0, obj.putIfAbsent("bar", 1));
    assertEquals(0, obj.get("bar"));
    obj.putAll(Map.of("bar", 7)); // Python: obj.update({'bar': 7})
    assertEquals(7, obj.remove("bar")); // Python: obj.pop('bar')
    obj.clear();
    assertEquals(0, obj.size());
  }

  // --- case 58: test_namespace (TestSyncManagerTypes)

  @Test
  void namespace_childSeesTheParentsAttributes() throws Exception {
    SharedNamespace o = m.namespace();
    o.set("x", 0);
    o.set("y", 1);
    join(
        startProcess(
            client -> {
              SharedNamespace co = via(client, o);
              assertEquals(0, co.get("x"));
              assertEquals(1, co.get("y"));
            }));
  }

  // --- case 59: test_list_isinstance / test_dict_isinstance: in Java the proxies are a List and
  // a ConcurrentMap by type, so what is checked is that the listed methods work on the manager.

  @Test
  void list_mutableSequenceMethods() {
    SharedList<String> l = m.list(List.of("a", "b", "c"));
    assertTrue(l.contains("b")); // __contains__
    assertEquals("b", l.remove(1)); // __delitem__ / pop
    assertEquals("c", l.get(1)); // __getitem__
    l.addAll(List.of("d", "a")); // __iadd__ / extend
    assertEquals(4, l.size()); // __len__
    List<String> backwards = new ArrayList<>();
    for (ListIterator<String> it = l.listIterator(l.size()); it.hasPrevious(); ) {
      backwards.add(it.previous()); // __reversed__
    }
    assertEquals(List.of("a", "d", "c", "a"), backwards);
    assertEquals("a", l.set(0, "z")); // __setitem__
    l.add("e"); // append
    assertEquals(1, Collections.frequency(l, "a")); // count
    assertEquals(2, l.indexOf("d")); // index
    assertEquals(-1, l.indexOf("nope"));
    l.add(1, "y"); // insert
    assertTrue(l.remove("z")); // remove
    assertFalse(l.remove("nope"));
    Collections.reverse(l); // reverse
    assertEquals(List.of("e", "a", "d", "c", "y"), l.copy());
    l.clear(); // clear
    assertTrue(l.isEmpty());
    assertThrows(IndexOutOfBoundsException.class, () -> l.remove(0)); // Python: IndexError
  }

  @Test
  void dict_mutableMappingMethods() {
    SharedMap<String, Integer> d = m.dict(Map.of("a", 1));
    d.put("b", 2); // __setitem__
    assertTrue(d.containsKey("a")); // __contains__
    assertEquals(1, d.get("a")); // __getitem__ / get
    assertNull(d.get("zz")); // Python: KeyError('zz') for d['zz'], None for d.get('zz')
    assertEquals(Map.of("a", 1, "b", 2), d); // __eq__ (Java: content, see dict_equalsFollowsMap)
    assertEquals(List.of("a", "b"), new ArrayList<>(d.keySet())); // __iter__ / keys
    assertEquals(List.of(1, 2), new ArrayList<>(d.values())); // values
    assertEquals(List.of(Map.entry("a", 1), Map.entry("b", 2)), new ArrayList<>(d.entrySet()));
    assertEquals(2, d.size()); // __len__
    assertEquals(1, d.remove("a")); // __delitem__ / pop
    assertNull(d.remove("a"));
    assertEquals(2, d.putIfAbsent("b", 5)); // setdefault
    d.putAll(Map.of("c", 3)); // update
    assertThrows(NullPointerException.class, () -> d.put("n", null), "no null values");
    assertThrows(NullPointerException.class, () -> d.get(null), "no null keys");
    d.clear(); // clear
    assertTrue(d.isEmpty());
  }

  // --- §3.1: values are copies, in both directions

  @Test
  void list_nestedPlainValuesAreCopiesAndMustBeWrittenBack() {
    SharedList<List<Integer>> l = m.list(List.of(List.of(1, 2)));
    List<Integer> x = l.get(0);
    assertFalse(x instanceof SharedObject);
    x.add(99); // Python: l[0].append(99) is silently lost
    assertEquals(List.of(List.of(1, 2)), l.copy());
    List<Integer> tmp = l.get(0); // the documented workaround: write it back
    tmp.add(5);
    l.set(0, tmp);
    assertEquals(List.of(List.of(1, 2, 5)), l.copy());

    List<Integer> arg = new ArrayList<>(List.of(1));
    l.add(arg);
    arg.add(2); // mutating an argument after sending it has no effect
    assertEquals(List.of(1), l.get(l.size() - 1));
  }

  // --- §3.4: Java keeps the java.util equality contracts (Python's proxies have none)

  @Test
  void list_equalsFollowsList() {
    SharedList<Integer> l = m.list(List.of(1, 2, 3));
    assertEquals(List.of(1, 2, 3), l); // Python: m.list([1, 2, 3]) == [1, 2, 3] is False
    assertTrue(l.equals(List.of(1, 2, 3)));
    assertEquals(List.of(1, 2, 3).hashCode(), l.hashCode());
    assertEquals(l, m.list(List.of(1, 2, 3)));
    assertFalse(l.equals(List.of(3, 2, 1)));
  }

  @Test
  void dict_equalsFollowsMap() {
    SharedMap<String, Integer> d = m.dict(Map.of("a", 1));
    assertTrue(d.equals(Map.of("a", 1)));
    assertEquals(Map.of("a", 1).hashCode(), d.hashCode());
    assertFalse(d.equals(Map.of("a", 2)));
  }

  // --- §3.3: "d[k] += 1" is two round trips and loses updates; merge does not

  @Test
  void dict_mergeLosesNoUpdateUnderContention() throws Exception {
    SharedMap<String, Integer> counts = m.dict();
    List<Future<?>> procs =
        startProcesses(
            4,
            client -> {
              SharedMap<String, Integer> mine = via(client, counts);
              for (int i = 0; i < 100; i++) {
                mine.merge("n", 1, Integer::sum);
              }
            });
    joinAll(procs);
    assertEquals(400, counts.get("n"));
  }

  // --- §3.5.6 (a Python leak this port fixes): nested referents are freed with their container

  @Test
  void nestedReferentsAreFreedWhenTheirLastHolderGoes() throws Exception {
    ManagerServer own = NESTED.server();
    Manager proc = Manager.connect(own.target(), KEY);
    SharedMap<String, Object> d = proc.dict();
    d.put("pets", proc.dict(Map.of("ferrets", 2)));
    d.put("queue", proc.queue());
    d.put("lists", List.of(proc.list(), proc.list())); // proxies inside a plain value
    assertEquals(5, own.objectCount());
    long nestedId = asMap(d.get("pets")).objectId();

    Manager observer = Manager.connect(own.target(), KEY);
    proc.close();
    QueueConformanceTest.waitUntil(() -> own.objectCount() == 0);
    ManagerException gone =
        assertThrows(
            ManagerException.class, () -> ClientInternals.attach(observer, nestedId, "dict"));
    assertEquals(ManagerException.Code.UNKNOWN_OBJECT, gone.code());
    observer.close();
  }
}
