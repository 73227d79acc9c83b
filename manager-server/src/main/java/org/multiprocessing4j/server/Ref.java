package org.multiprocessing4j.server;

/**
 * A reference to a shared object stored inside another one (a proxy put into a list). Equal when
 * the object is the same: the type id only describes it. Immutable.
 */
record Ref(long objectId, String typeId) {

  @Override
  public boolean equals(Object o) {
    return o instanceof Ref ref && ref.objectId == objectId;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(objectId);
  }

  @Override
  public String toString() {
    return "<" + typeId + " proxy #" + objectId + ">";
  }
}
