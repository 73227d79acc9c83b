package org.multiprocessing4j.server;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.multiprocessing4j.internal.wire.methods.ListMethod;
import org.multiprocessing4j.spi.TypeIds;

/** The {@code list} type, stored compactly while it holds only integers ({@link CompactList}). */
final class ListReferent extends BuiltInReferent<ListMethod> {
  private static final ExposedMethods<ListMethod> METHODS = ExposedMethods.all(ListMethod.class);

  private final CompactList items;

  ListReferent(Collection<?> initial) {
    super(TypeIds.LIST, METHODS);
    this.items = new CompactList(initial);
  }

  static ListReferent create(Object[] args) {
    if (args.length == 0) {
      return new ListReferent(List.of());
    }
    Args.count(TypeIds.LIST, "create", args, 1);
    return new ListReferent(Args.listArg("list", args, 0));
  }

  @Override
  Object run(ListMethod method, Object[] args, Call call) throws Exception {
    return switch (method) {
      case SIZE -> items.size();
      case GET -> items.get(Args.intArg(method, args, 0));
      case SET -> items.set(Args.intArg(method, args, 0), args[1]);
      case ADD -> items.add(args[0]);
      case INSERT -> {
        items.add(Args.intArg(method, args, 0), args[1]);
        yield null;
      }
      case REMOVE_AT -> items.remove(Args.intArg(method, args, 0));
      case REMOVE -> items.remove(args[0]);
      case INDEX_OF -> items.indexOf(args[0]);
      case LAST_INDEX_OF -> items.lastIndexOf(args[0]);
      case CONTAINS -> items.contains(args[0]);
      case COUNT -> {
        int n = 0;
        for (Object item : items) {
          if (Objects.equals(item, args[0])) {
            n++;
          }
        }
        yield n;
      }
      case CONTAINS_ALL -> items.containsAll(Args.listArg(method, args, 0));
      case ADD_ALL -> items.addAll(Args.listArg(method, args, 0));
      case ADD_ALL_AT -> items.addAll(Args.intArg(method, args, 0), Args.listArg(method, args, 1));
      case REMOVE_ALL -> items.removeAll(Args.listArg(method, args, 0));
      case RETAIN_ALL -> items.retainAll(Args.listArg(method, args, 0));
      case CLEAR -> {
        items.clear();
        yield null;
      }
      case REMOVE_RANGE -> {
        items.subList(Args.intArg(method, args, 0), Args.intArg(method, args, 1)).clear();
        yield null;
      }
      case COPY -> items;
      case RANGE -> {
        // Lenient like Python slicing: positions past the end give fewer (or no) items.
        int from = Math.max(0, Math.min(Args.intArg(method, args, 0), items.size()));
        int to = Math.max(from, Math.min(Args.intArg(method, args, 1), items.size()));
        yield items.subList(from, to);
      }
      case SORT -> {
        items.sort(null);
        yield null;
      }
      case REVERSE -> {
        Collections.reverse(items);
        yield null;
      }
      case REPLACE_CONTENTS -> {
        List<?> replacement = Args.listArg(method, args, 0);
        items.clear();
        items.addAll(replacement);
        yield null;
      }
    };
  }

  @Override
  public void forEachReference(LongConsumer visitor) {
    NestedRefs.visit(items, visitor);
  }

  @Override
  public String describe() {
    return items.toString();
  }
}
