package org.multiprocessing4j;

/**
 * A proxy for an object held by a manager. Every method of a proxy is a round trip to the manager
 * and runs atomically there; results are copies.
 *
 * <p>A proxy is {@link java.io.Serializable} as a <em>reference</em>: serialize it into another
 * process (a pool task argument, an element of a shared list) and it reconnects there to the same
 * object. When the last proxy of every client is gone, the manager frees the object.
 *
 * <p>Identity: {@code equals}/{@code hashCode} of proxies that are not collections compare the
 * referent without a round trip: the same object id of the same manager instance, whatever address
 * each proxy reached it by ({@code localhost:5000} and {@code 127.0.0.1:5000} alike). Proxies of a
 * manager replaced at the same address are never equal to the old one's. A proxy whose client does
 * not know the manager's instance (an older manager) equals only another such proxy with the same
 * {@link #managerTarget()} and object id. {@link SharedList} and {@link SharedMap} follow the
 * {@code java.util} contracts instead (content equality, one round trip). {@code toString()} is one
 * round trip: a collection proxy ({@link SharedList}, {@link SharedMap}, {@link SharedQueue})
 * renders its elements as {@code AbstractCollection}/{@code AbstractMap} do, as this client decodes
 * them, a {@link SharedValue} shows {@code Value(x)} and a {@link SharedNamespace} {@code
 * Namespace(a=x)} likewise; other proxies show the manager's description.
 *
 * <p>Proxies are thread-safe: any thread may use one, and calls from one thread are ordered.
 */
public interface SharedObject {

  /** The registered type id, e.g. {@code "list"}, {@code "dict"}, {@code "lock"}. */
  String typeId();

  /** The manager's id for the referent; ids are never reused. */
  long objectId();

  /** The manager this proxy talks to, in the form {@code Manager.connect} accepts. */
  String managerTarget();
}
