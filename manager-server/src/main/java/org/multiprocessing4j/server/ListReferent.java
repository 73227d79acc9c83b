package org.multiprocessing4j.server;

import java.util.Collection;
import java.util.List;
import java.util.function.LongConsumer;
import org.multiprocessing4j.spi.TypeIds;

/** The {@code list} type, stored compactly while it holds only integers ({@link CompactList}). */
final class ListReferent implements Referent {
  private final CompactList items;

  ListReferent(Collection<?> initial) {
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
  public String typeId() {
    return TypeIds.LIST;
  }

  @Override
  public Object invoke(String method, Object[] args, Call call) throws Exception {
    switch (method) {
      case "size":
        return items.size();
      case "get":
        Args.count(typeId(), method, args, 1);
        return items.get(Args.intArg(method, args, 0));
      case "set":
        Args.count(typeId(), method, args, 2);
        return items.set(Args.intArg(method, args, 0), args[1]);
      case "add":
        Args.count(typeId(), method, args, 1);
        return items.add(args[0]);
      case "insert":
        Args.count(typeId(), method, args, 2);
        items.add(Args.intArg(method, args, 0), args[1]);
        return null;
      case "removeAt":
        Args.count(typeId(), method, args, 1);
        return items.remove(Args.intArg(method, args, 0));
      case "remove":
        Args.count(typeId(), method, args, 1);
        return items.remove(args[0]);
      case "indexOf":
        Args.count(typeId(), method, args, 1);
        return items.indexOf(args[0]);
      case "lastIndexOf":
        Args.count(typeId(), method, args, 1);
        return items.lastIndexOf(args[0]);
      case "contains":
        Args.count(typeId(), method, args, 1);
        return items.contains(args[0]);
      case "count":
        {
          Args.count(typeId(), method, args, 1);
          int n = 0;
          for (Object item : items) {
            if (java.util.Objects.equals(item, args[0])) {
              n++;
            }
          }
          return n;
        }
      case "containsAll":
        Args.count(typeId(), method, args, 1);
        return items.containsAll(Args.listArg(method, args, 0));
      case "addAll":
        Args.count(typeId(), method, args, 1);
        return items.addAll(Args.listArg(method, args, 0));
      case "addAllAt":
        Args.count(typeId(), method, args, 2);
        return items.addAll(Args.intArg(method, args, 0), Args.listArg(method, args, 1));
      case "removeAll":
        Args.count(typeId(), method, args, 1);
        return items.removeAll(Args.listArg(method, args, 0));
      case "retainAll":
        Args.count(typeId(), method, args, 1);
        return items.retainAll(Args.listArg(method, args, 0));
      case "clear":
        items.clear();
        return null;
      case "removeRange":
        {
          Args.count(typeId(), method, args, 2);
          int from = Args.intArg(method, args, 0);
          int to = Args.intArg(method, args, 1);
          items.subList(from, to).clear();
          return null;
        }
      case "copy":
        return items;
      case "range":
        {
          // Lenient like Python slicing: positions past the end give fewer (or no) items.
          Args.count(typeId(), method, args, 2);
          int from = Math.max(0, Math.min(Args.intArg(method, args, 0), items.size()));
          int to = Math.max(from, Math.min(Args.intArg(method, args, 1), items.size()));
          return items.subList(from, to);
        }
      case "sort":
        items.sort(null);
        return null;
      case "reverse":
        java.util.Collections.reverse(items);
        return null;
      case "replaceContents":
        {
          Args.count(typeId(), method, args, 1);
          List<?> replacement = Args.listArg(method, args, 0);
          items.clear();
          items.addAll(replacement);
          return null;
        }
      default:
        throw new MethodNotExposedException(typeId(), method);
    }
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
