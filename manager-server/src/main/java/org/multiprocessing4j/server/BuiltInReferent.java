package org.multiprocessing4j.server;

import org.multiprocessing4j.internal.wire.methods.SharedMethod;

/**
 * A referent of a built-in type, whose methods are the constants of {@code M} declared in {@code
 * internal.wire.methods}: a call's name is resolved and its arguments counted here, once, before
 * {@link #run} gets the constant. Like every referent, it runs under the manager's state lock.
 */
abstract class BuiltInReferent<M extends Enum<M> & SharedMethod> implements Referent {
  private final String typeId;
  private final ExposedMethods<M> methods;

  BuiltInReferent(String typeId, ExposedMethods<M> methods) {
    this.typeId = typeId;
    this.methods = methods;
  }

  @Override
  public final String typeId() {
    return typeId;
  }

  @Override
  public final Object invoke(String wireName, Object[] args, Call call) throws Exception {
    return run(methods.resolve(typeId, wireName, args), args, call);
  }

  /** Runs {@code method}, whose argument count {@code args} has; see {@link Referent#invoke}. */
  abstract Object run(M method, Object[] args, Call call) throws Exception;
}
