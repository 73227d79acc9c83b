package org.multiprocessing4j.server;

import java.util.Collection;
import java.util.Map;
import java.util.function.LongConsumer;

/** Finds shared-object references inside stored values, however deeply nested. */
final class NestedRefs {
  private NestedRefs() {}

  static void visit(Object value, LongConsumer visitor) {
    if (value instanceof Ref ref) {
      visitor.accept(ref.objectId());
    } else if (value instanceof Collection) {
      for (Object item : (Collection<?>) value) {
        visit(item, visitor);
      }
    } else if (value instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        visit(e.getKey(), visitor);
        visit(e.getValue(), visitor);
      }
    }
  }
}
