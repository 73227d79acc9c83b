package org.multiprocessing4j.server;

/** A reference to a shared object stored inside another one (a proxy put into a list). */
final class Ref {
  final long objectId;
  final String typeId;

  Ref(long objectId, String typeId) {
    this.objectId = objectId;
    this.typeId = typeId;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ref && ((Ref) o).objectId == objectId;
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
