package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.ManagerStats;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.internal.wire.Authkeys;
import org.multiprocessing4j.internal.wire.Handshake;
import org.multiprocessing4j.internal.wire.ValueLimits;
import org.multiprocessing4j.internal.wire.methods.BuiltInTypes;
import org.multiprocessing4j.internal.wire.methods.ListMethod;
import org.multiprocessing4j.proto.v1.Attach;
import org.multiprocessing4j.proto.v1.Authenticate;
import org.multiprocessing4j.proto.v1.Cancel;
import org.multiprocessing4j.proto.v1.ClientMessage;
import org.multiprocessing4j.proto.v1.Create;
import org.multiprocessing4j.proto.v1.ErrorCode;
import org.multiprocessing4j.proto.v1.Hello;
import org.multiprocessing4j.proto.v1.Invoke;
import org.multiprocessing4j.proto.v1.ManagerServiceGrpc;
import org.multiprocessing4j.proto.v1.ObjectRef;
import org.multiprocessing4j.proto.v1.OpaqueValue;
import org.multiprocessing4j.proto.v1.PrimitiveArray;
import org.multiprocessing4j.proto.v1.Release;
import org.multiprocessing4j.proto.v1.Reply;
import org.multiprocessing4j.proto.v1.Request;
import org.multiprocessing4j.proto.v1.ServerMessage;
import org.multiprocessing4j.proto.v1.StatsRequest;
import org.multiprocessing4j.proto.v1.Value;
import org.multiprocessing4j.proto.v1.ValueList;
import org.multiprocessing4j.proto.v1.ValueMap;
import org.multiprocessing4j.spi.TypeIds;
import org.multiprocessing4j.testsupport.ServerExtension;

/**
 * Seeded garbage against a real manager on a real TCP port: random requests after a valid handshake
 * and before one, bytes that are not HTTP/2 on the socket, and bytes that are not protobuf on the
 * Session method. Every bad request must get an error reply (or the stream a clean, explained end),
 * the manager must stay up, and a well-behaved client beside the fuzzer must see exactly its own
 * effects throughout. The seed is fixed, so a failure replays.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
final class FuzzTest {
  private static final long SEED = 0x6d70346aL; // "mp4j"
  private static final byte[] KEY = Authkeys.newRandomText().getBytes(StandardCharsets.UTF_8);
  private static final long WAIT_MILLIS = RawSession.WAIT.toMillis();

  // Every method name some built-in referent exposes, so garbage arguments reach real code.
  private static final List<String> METHODS = methodNames();
  private static final List<String> TYPES = typeIds();
  // list methods with a count of arguments each refuses: (method, count).
  private static final List<Map.Entry<String, Integer>> WRONG_ARITY = wrongListArities();

  private static List<String> methodNames() {
    List<String> names = new ArrayList<>(BuiltInTypes.wireNames(BuiltInTypes.allMethods()));
    names.addAll(List.of("echo", "sum", "wrap")); // the user type's
    return List.copyOf(names);
  }

  private static List<String> typeIds() {
    List<String> types = new ArrayList<>(BuiltInTypes.typeIds());
    types.add("echo");
    return List.copyOf(types);
  }

  private static List<Map.Entry<String, Integer>> wrongListArities() {
    List<Map.Entry<String, Integer>> wrong = new ArrayList<>();
    for (ListMethod method : ListMethod.values()) {
      if (method.signature().minArgs() > 0) {
        wrong.add(Map.entry(method.wireName(), method.signature().minArgs() - 1));
      }
      wrong.add(Map.entry(method.wireName(), method.signature().maxArgs() + 1));
    }
    return List.copyOf(wrong);
  }

  /** The user type: reflection over a registered interface is fuzzed too. */
  public interface Echo {
    String echo(String text);

    int sum(int a, int b);

    List<Object> wrap(Object value);
  }

  static final class EchoImpl implements Echo {
    @Override
    public String echo(String text) {
      return text;
    }

    @Override
    public int sum(int a, int b) {
      return a + b;
    }

    @Override
    public List<Object> wrap(Object value) {
      List<Object> wrapped = new ArrayList<>();
      wrapped.add(value);
      return wrapped;
    }
  }

  /** The Session method with bytes for messages: lets a test send what is not a ClientMessage. */
  private static final MethodDescriptor<byte[], byte[]> RAW_BYTES_SESSION =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
          .setFullMethodName(ManagerServiceGrpc.getSessionMethod().getFullMethodName())
          .setRequestMarshaller(new BytesMarshaller())
          .setResponseMarshaller(new BytesMarshaller())
          .build();

  static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @RegisterExtension
  static final ServerExtension<ManagerServer> SERVER =
      TestServers.tcp(KEY, b -> b.register("echo", args -> new EchoImpl(), Echo.class));

  private static Manager m;
  private static ManagedChannel channel;
  private static SharedList<Integer> goodList;
  private static int goodAppends;

  @BeforeAll
  static void start() {
    m = SERVER.manager();
    goodList = m.list();
    channel = RawSession.channel(SERVER.target());
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** The well-behaved client: appends the next number, and sees the whole list as it should be. */
  private static void goodClientStep() {
    goodList.add(goodAppends++);
    assertEquals(goodAppends, goodList.size());
  }

  /**
   * After each test: the fuzzers' sessions are gone with everything they created; the good client's
   * list holds exactly what it appended, and its session still works.
   */
  @AfterEach
  void goodClientIsIntact() {
    ManagerStats stats =
        awaitStats(s -> s.sessionCount() == 1 && s.objectCount() == 1, "fuzzers released");
    assertEquals(Map.of(TypeIds.LIST, 1L), stats.objectsByType());
    assertEquals(
        IntStream.range(0, goodAppends).boxed().collect(Collectors.toList()), goodList.copy());
  }

  /**
   * Round trips until the manager's counters satisfy {@code done}. For ends the manager learns of
   * asynchronously (a reset stream), where there is no reply to wait for.
   */
  private static ManagerStats awaitStats(Predicate<ManagerStats> done, String what) {
    long deadline = System.nanoTime() + RawSession.WAIT.toNanos();
    ManagerStats stats = m.stats();
    while (!done.test(stats)) {
      if (System.nanoTime() > deadline) {
        return fail(what + ": not within " + RawSession.WAIT + ", stats " + stats);
      }
      stats = m.stats();
    }
    return stats;
  }

  // --- 1. garbage requests in an authenticated session

  /** What the manager must answer to one fuzzed request. */
  private static final class Expected {
    final String what;
    // Empty: any reply will do (a valid call may succeed); otherwise an error with one of these.
    final Set<ErrorCode> errors;
    final boolean stats;

    Expected(String what, Set<ErrorCode> errors, boolean stats) {
      this.what = what;
      this.errors = errors;
      this.stats = stats;
    }

    static Expected error(String what, ErrorCode code, ErrorCode... more) {
      return new Expected(what, EnumSet.of(code, more), false);
    }

    static Expected anything(String what) {
      return new Expected(what, EnumSet.noneOf(ErrorCode.class), false);
    }

    void check(Reply reply) {
      if (stats) {
        assertTrue(reply.hasStats(), () -> what + ": " + reply);
        return;
      }
      if (reply.hasError()) {
        // Every error is explained: a code and a class or message a user can act on.
        assertNotEquals(ErrorCode.ERROR_CODE_UNSPECIFIED, reply.getError().getCode(), what);
        assertFalse(
            reply.getError().getExceptionClass().isEmpty()
                && reply.getError().getMessage().isEmpty(),
            () -> what + ": unexplained error " + reply);
      }
      if (!errors.isEmpty()) {
        assertTrue(
            reply.hasError(), () -> what + ": expected an error " + errors + ", got " + reply);
        assertTrue(
            errors.contains(reply.getError().getCode()),
            () -> what + ": expected " + errors + ", got " + reply);
      }
    }
  }

  /** Builds seeded garbage. {@code ours} are live objects of the fuzzing session. */
  private static final class Garbage {
    final Random random;
    final List<Long> ours = new ArrayList<>();
    // Their types: a reference names its object's type, or the manager refuses it.
    final Map<Long, String> typeOf = new HashMap<>();
    long listId;

    Garbage(Random random) {
      this.random = random;
    }

    /** An id no live object has: objects are numbered up from 1 and never reach 2^40. */
    long unknownId() {
      return switch (random.nextInt(4)) {
        case 0 -> 0;
        case 1 -> -1L - random.nextInt(Integer.MAX_VALUE);
        case 2 -> random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
        default -> (1L << 40) + (random.nextLong() >>> 24);
      };
    }

    long ourId() {
      return ours.get(random.nextInt(ours.size()));
    }

    ObjectRef ourRef() {
      long id = ourId();
      return ObjectRef.newBuilder().setObjectId(id).setTypeId(typeOf.get(id)).build();
    }

    String string() {
      int length = random.nextInt(4) == 0 ? random.nextInt(2000) : random.nextInt(12);
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < length; i++) {
        // Mostly ASCII, some of the rest of the BMP (lone surrogates included).
        text.append(
            (char) (random.nextInt(8) == 0 ? random.nextInt(0x10000) : 32 + random.nextInt(95)));
      }
      return text.toString();
    }

    ByteString bytes() {
      byte[] bytes = new byte[random.nextInt(3) == 0 ? random.nextInt(5000) : random.nextInt(40)];
      random.nextBytes(bytes);
      return ByteString.copyFrom(bytes);
    }

    String garbageMethod() {
      return random.nextInt(10) == 0 ? "" : "fuzz$" + string();
    }

    long timeout() {
      return switch (random.nextInt(5)) {
        case 0 -> -1;
        case 1 -> Long.MIN_VALUE;
        case 2 -> 1L + random.nextInt(1_000_000);
        case 3 -> Long.MAX_VALUE;
        default -> 0;
      };
    }

    /** A value the manager decodes without complaint: any kind, nested up to {@code depth}. */
    Value safe(int depth) {
      Value.Builder b = Value.newBuilder();
      int kinds = depth > 0 ? 19 : 14;
      switch (random.nextInt(kinds)) {
        case 0 -> {
          return b.setNull(random.nextBoolean()).build();
        }
        case 1 -> {
          return b.setBool(random.nextBoolean()).build();
        }
        case 2 -> {
          return b.setInt(random.nextInt(4) == 0 ? random.nextInt() : random.nextInt(8) - 2)
              .build();
        }
        case 3 -> {
          return b.setLong(random.nextLong()).build();
        }
        case 4 -> {
          return b.setDouble(random.nextInt(4) == 0 ? Double.NaN : random.nextGaussian() * 1e10)
              .build();
        }
        case 5 -> {
          return b.setFloat(random.nextFloat()).build();
        }
        case 6 -> {
          return b.setString(string()).build();
        }
        case 7 -> {
          return b.setBytes(bytes()).build();
        }
        case 8 -> {
          return b.setShort(random.nextInt()).build();
        }
        case 9 -> {
          return b.setByte(random.nextInt()).build();
        }
        case 10 -> {
          return b.setChar(random.nextInt()).build();
        }
        case 11 -> {
          return b.setBigInteger(new java.math.BigInteger(random.nextInt(300), random).toString())
              .build();
        }
        case 12 -> {
          return b.setBigDecimal(random.nextGaussian() + "E" + (random.nextInt(40) - 20)).build();
        }
        case 13 -> {
          return ours.isEmpty()
              ? b.setOpaque(OpaqueValue.newBuilder().setCodec(string()).setData(bytes())).build()
              : b.setRef(ourRef()).build();
        }
        case 14 -> {
          return b.setOpaque(
                  OpaqueValue.newBuilder()
                      .setCodec(random.nextBoolean() ? "java" : string())
                      .setData(bytes()))
              .build();
        }
        case 15 -> {
          return b.setArray(array()).build();
        }
        case 16 -> {
          return b.setList(items(depth)).build();
        }
        case 17 -> {
          return b.setSet(items(depth)).build();
        }
        default -> {
          ValueMap.Builder map = ValueMap.newBuilder();
          for (int i = random.nextInt(4); i > 0; i--) {
            map.addKeys(safe(depth - 1)).addValues(safe(depth - 1));
          }
          return b.setMap(map).build();
        }
      }
    }

    ValueList items(int depth) {
      ValueList.Builder list = ValueList.newBuilder();
      for (int i = random.nextInt(4); i > 0; i--) {
        list.addItems(safe(depth - 1));
      }
      return list.build();
    }

    PrimitiveArray array() {
      String code = "ilhbc?df".substring(random.nextInt(8)).substring(0, 1);
      PrimitiveArray.Builder array = PrimitiveArray.newBuilder().setTypecode(code);
      for (int i = random.nextInt(6); i > 0; i--) {
        if (code.equals("d") || code.equals("f")) {
          array.addFloats(random.nextDouble());
        } else {
          array.addIntegers(random.nextInt(200) - 100);
        }
      }
      return array.build();
    }

    /** A value only one chain of nested lists deep: {@code depth} levels. */
    Value deep(int depth) {
      Value value = Value.newBuilder().setString("bottom").build();
      for (int i = 0; i < depth; i++) {
        value = Value.newBuilder().setList(ValueList.newBuilder().addItems(value)).build();
      }
      return value;
    }

    /** A value the manager must refuse to decode, with the code it must refuse it with. */
    Map.Entry<Value, ErrorCode> hostile() {
      Value bad;
      ErrorCode code;
      switch (random.nextInt(7)) {
        case 0 -> {
          bad =
              Value.newBuilder()
                  .setMap(
                      ValueMap.newBuilder().addKeys(safe(0)).addKeys(safe(0)).addValues(safe(0)))
                  .build();
          code = ErrorCode.PROTOCOL_ERROR;
        }
        case 1 -> {
          bad = Value.newBuilder().setRef(ObjectRef.newBuilder().setObjectId(unknownId())).build();
          code = ErrorCode.UNKNOWN_OBJECT;
        }
        case 6 -> {
          // One of ours, named with another type (or none): a reference of another manager.
          ObjectRef real = ourRef();
          bad = Value.newBuilder().setRef(real.toBuilder().setTypeId(otherType(real))).build();
          code = ErrorCode.UNKNOWN_OBJECT;
        }
        case 2 -> {
          bad =
              Value.newBuilder()
                  .setArray(
                      PrimitiveArray.newBuilder().setTypecode("fuzz$" + string()).addIntegers(1))
                  .build();
          code = ErrorCode.UNSUPPORTED_VALUE;
        }
        case 3 -> {
          bad = Value.newBuilder().setBigInteger("12x" + string()).build();
          code = ErrorCode.UNSUPPORTED_VALUE;
          // not a number
        }
        case 4 -> {
          bad =
              Value.newBuilder()
                  .setBigDecimal(random.nextBoolean() ? "" : "1e" + string() + "x")
                  .build();
          code = ErrorCode.UNSUPPORTED_VALUE;
        }
        default -> {
          bad =
              Value.newBuilder()
                  .setArray(PrimitiveArray.newBuilder().setTypecode("i").addIntegers(1L << 40))
                  .build();
          code = ErrorCode.UNSUPPORTED_VALUE;
          // not an int
        }
      }
      if (random.nextBoolean()) {
        // Buried inside a container: found all the same.
        bad =
            Value.newBuilder()
                .setList(ValueList.newBuilder().addItems(safe(0)).addItems(bad))
                .build();
      }
      return Map.entry(bad, code);
    }

    private String otherType(ObjectRef ref) {
      String other = random.nextBoolean() ? TYPES.get(random.nextInt(TYPES.size())) : string();
      return other.equals(ref.getTypeId()) ? "fuzz$" + other : other;
    }

    List<Value> safeArgs(int max) {
      List<Value> args = new ArrayList<>();
      for (int i = random.nextInt(max + 1); i > 0; i--) {
        args.add(safe(2));
      }
      return args;
    }

    Invoke.Builder invoke(long objectId, String method, List<Value> args) {
      return Invoke.newBuilder()
          .setObjectId(objectId)
          .setMethod(method)
          .addAllArgs(args)
          .setTimeoutNanos(timeout());
    }

    /** One fuzzed request (call id and thread id still to set) and what it must get. */
    Map.Entry<Request.Builder, Expected> next() {
      Request.Builder r = Request.newBuilder();
      switch (random.nextInt(13)) {
        case 0 -> {
          String method =
              random.nextBoolean() ? METHODS.get(random.nextInt(METHODS.size())) : garbageMethod();
          List<Value> args = safeArgs(3);
          if (random.nextBoolean()) {
            args.add(hostile().getKey()); // not even looked at: the object is checked first
          }
          r.setInvoke(invoke(unknownId(), method, args));
          return Map.entry(
              r, Expected.error("invoke on an unknown object", ErrorCode.UNKNOWN_OBJECT));
        }
        case 1 -> {
          r.setInvoke(invoke(ourId(), garbageMethod(), safeArgs(3)));
          return Map.entry(r, Expected.error("unknown method", ErrorCode.METHOD_NOT_EXPOSED));
        }
        case 2 -> {
          Map.Entry<String, Integer> wrong = WRONG_ARITY.get(random.nextInt(WRONG_ARITY.size()));
          List<Value> args = new ArrayList<>();
          for (int i = 0; i < wrong.getValue(); i++) {
            args.add(Value.newBuilder().setInt(0).build());
          }
          r.setInvoke(invoke(listId, wrong.getKey(), args));
          return Map.entry(
              r, Expected.error("wrong argument count: list." + wrong, ErrorCode.METHOD_FAILED));
        }
        case 3 -> {
          // An index that is not an int: a string, a long, null, a double, a list.
          Value notInt =
              List.of(
                      Value.newBuilder().setString("0").build(),
                      Value.newBuilder().setLong(0).build(),
                      Value.newBuilder().setNull(true).build(),
                      Value.newBuilder().setDouble(0).build(),
                      Value.newBuilder().setList(ValueList.getDefaultInstance()).build())
                  .get(random.nextInt(5));
          r.setInvoke(invoke(listId, random.nextBoolean() ? "get" : "removeAt", List.of(notInt)));
          return Map.entry(
              r, Expected.error("list index of the wrong type", ErrorCode.METHOD_FAILED));
        }
        case 4 -> {
          r.setCreate(Create.newBuilder().setTypeId(garbageMethod()).addAllArgs(safeArgs(2)));
          return Map.entry(r, Expected.error("unknown type", ErrorCode.UNKNOWN_TYPE));
        }
        case 5 -> {
          return Map.entry(r, Expected.error("empty request", ErrorCode.PROTOCOL_ERROR));
        }
        case 6 -> {
          Map.Entry<Value, ErrorCode> hostile = hostile();
          List<Value> args = safeArgs(2);
          args.add(random.nextInt(args.size() + 1), hostile.getKey());
          if (random.nextBoolean()) {
            r.setInvoke(invoke(ourId(), METHODS.get(random.nextInt(METHODS.size())), args));
          } else {
            r.setCreate(
                Create.newBuilder()
                    .setTypeId(TYPES.get(random.nextInt(TYPES.size())))
                    .addAllArgs(args));
          }
          return Map.entry(
              r, Expected.error("undecodable argument: " + hostile.getKey(), hostile.getValue()));
        }
        case 7 -> {
          r.setAttach(Attach.newBuilder().setObjectId(unknownId()).setTypeId(string()));
          return Map.entry(
              r, Expected.error("attach to an unknown object", ErrorCode.UNKNOWN_OBJECT));
        }
        case 8 -> {
          r.setStats(StatsRequest.getDefaultInstance());
          return Map.entry(r, new Expected("stats", EnumSet.noneOf(ErrorCode.class), true));
        }
        case 9 -> {
          r.setCreate(
              Create.newBuilder()
                  .setTypeId(TYPES.get(random.nextInt(TYPES.size())))
                  .addAllArgs(safeArgs(2)));
          return Map.entry(r, Expected.anything("create with random arguments"));
        }
        case 10 -> {
          // Deep: up to a little past the manager's nesting limit, well within what parses.
          r.setInvoke(
              invoke(
                  listId,
                  random.nextBoolean() ? "add" : "replaceContents",
                  List.of(deep(random.nextInt(40)))));
          return Map.entry(r, Expected.anything("deeply nested value"));
        }
        default -> {
          r.setInvoke(invoke(ourId(), METHODS.get(random.nextInt(METHODS.size())), safeArgs(3)));
          return Map.entry(r, Expected.anything("known method, random arguments"));
        }
      }
    }
  }

  @Test
  @Timeout(60)
  void garbageRequestsAfterAValidHandshakeGetErrorReplies() {
    Random random = new Random(SEED);
    Garbage garbage = new Garbage(random);
    long callId = 0;
    try (RawSession raw = new RawSession(channel)) {
      raw.handshake(KEY);
      // One live object of every type, so that garbage reaches each referent's own code.
      for (String type : TYPES) {
        Create.Builder create = Create.newBuilder().setTypeId(type);
        if (type.equals(TypeIds.VALUE)) {
          create.addArgs(Value.newBuilder().setInt(0));
        } else if (type.equals(TypeIds.ARRAY)) {
          create.addArgs(
              Value.newBuilder()
                  .setArray(
                      PrimitiveArray.newBuilder().setTypecode("i").addIntegers(1).addIntegers(2)));
        } else if (type.equals(TypeIds.SEMAPHORE)
            || type.equals(TypeIds.BOUNDED_SEMAPHORE)
            || type.equals(TypeIds.BARRIER)) {
          create.addArgs(Value.newBuilder().setInt(2));
        } else if (type.equals(TypeIds.PIPE)) {
          create.addArgs(Value.newBuilder().setBool(true));
        }
        Reply created =
            raw.call(Request.newBuilder().setCallId(++callId).setCreate(create).build());
        assertTrue(created.getValue().hasRef(), () -> type + ": " + created);
        garbage.ours.add(created.getValue().getRef().getObjectId());
        garbage.typeOf.put(created.getValue().getRef().getObjectId(), type);
      }
      garbage.listId = garbage.ours.get(0);

      int batches = 60;
      int perBatch = 50;
      Map<String, Integer> errorsByWhat = new HashMap<>();
      for (int batch = 0; batch < batches; batch++) {
        Map<Long, Expected> pending = new HashMap<>();
        for (int i = 0; i < perBatch; i++) {
          Map.Entry<Request.Builder, Expected> next = garbage.next();
          // Unique but otherwise arbitrary call ids; thread ids anything at all.
          long id = ++callId * (random.nextBoolean() ? 1 : -1);
          raw.send(next.getKey().setCallId(id).setThreadId(random.nextLong()).build());
          // A call that parked is answered CANCELLED; for any other the cancel is a no-op. So
          // every request gets exactly one reply, and nothing stays parked.
          raw.send(ClientMessage.newBuilder().setCancel(Cancel.newBuilder().setCallId(id)).build());
          pending.put(id, next.getValue());
          if (random.nextInt(10) == 0) {
            // Fire-and-forget garbage: releases of ids it does not hold, cancels of no call.
            raw.send(
                ClientMessage.newBuilder()
                    .setRelease(
                        Release.newBuilder()
                            .addObjectIds(garbage.unknownId())
                            .addObjectIds(garbage.unknownId()))
                    .build());
            raw.send(
                ClientMessage.newBuilder()
                    .setCancel(Cancel.newBuilder().setCallId(garbage.unknownId()))
                    .build());
          }
        }
        while (!pending.isEmpty()) {
          ServerMessage message = raw.take();
          assertTrue(message.hasReply(), () -> "expected only replies, got " + message);
          Reply reply = message.getReply();
          Expected expected = pending.remove(reply.getCallId());
          assertNotNull(expected, () -> "a reply to no pending call (or a second one): " + reply);
          expected.check(reply);
          if (reply.hasError()) {
            errorsByWhat.merge(expected.what.split(":", -1)[0], 1, Integer::sum);
          }
        }
        goodClientStep();
      }
      // Every kind of garbage was generated, and refused (a fuzzer that never hits is no test).
      for (String kind :
          List.of(
              "invoke on an unknown object",
              "unknown method",
              "wrong argument count",
              "list index of the wrong type",
              "unknown type",
              "empty request",
              "undecodable argument",
              "attach to an unknown object")) {
        assertTrue(
            errorsByWhat.getOrDefault(kind, 0) > 20, () -> kind + " refused: " + errorsByWhat);
      }
      // The fuzzed session itself is still healthy.
      Reply stats =
          raw.call(
              Request.newBuilder()
                  .setCallId(++callId)
                  .setStats(StatsRequest.getDefaultInstance())
                  .build());
      assertTrue(stats.getStats().getObjectCount() >= TYPES.size() + 1, () -> "objects: " + stats);
      assertEquals(2, stats.getStats().getSessionCount());
    }
    // Closing the fuzzed session freed all it made (checked after each test).
  }

  /**
   * Nested lists of every depth up to well past the wire's limit, through a real client: each is
   * either stored and read back whole, or refused at once with a clear error. What must never
   * happen is a value the manager accepts but cannot send back: a reply nested deeper than any
   * protobuf parser accepts would kill the reading client's whole session.
   */
  @Test
  @Timeout(60)
  void nestedValuesAreStoredAndReadBackOrRefusedUpFront() {
    try (Manager client = Manager.connect(SERVER.target(), KEY)) {
      SharedList<Object> list = client.list();
      int stored = 0;
      for (int depth = 0; depth <= 60; depth++) {
        Object nested = "bottom";
        for (int i = 0; i < depth; i++) {
          List<Object> wrapper = new ArrayList<>();
          wrapper.add(nested);
          nested = wrapper;
        }
        try {
          list.add(nested);
        } catch (ManagerException e) {
          assertTrue(depth > ValueLimits.MAX_NESTING, e::toString);
          assertEquals(ManagerException.Code.UNSUPPORTED_VALUE, e.code(), e::toString);
          assertTrue(e.getMessage().contains("nested"), e::getMessage);
          continue;
        }
        stored++;
        // Read back every way that returns it inside something: a list copy, a range.
        assertEquals(nested, list.get(list.size() - 1));
        assertEquals(nested, list.copy().get(list.size() - 1));
        assertEquals(nested, list.subList(list.size() - 1, list.size()).get(0));
      }
      assertEquals(ValueLimits.MAX_NESTING + 1, stored, "depths 0 to the limit are stored");
      assertEquals(stored, list.size(), "the session survived every attempt");

      // A list that contains itself is refused the same way, not a StackOverflowError.
      List<Object> self = new ArrayList<>();
      self.add(self);
      ManagerException e = assertThrows(ManagerException.class, () -> list.add(self));
      assertEquals(ManagerException.Code.UNSUPPORTED_VALUE, e.code());

      // A client that skips the check (or another language's) is refused by the manager itself,
      // at any depth that parses; so whatever it stores can always be sent back.
      Garbage garbage = new Garbage(new Random(SEED + 5));
      try (RawSession raw = new RawSession(channel)) {
        raw.handshake(KEY);
        for (int depth = ValueLimits.MAX_NESTING; depth <= 48; depth++) {
          Reply reply =
              raw.call(
                  Request.newBuilder()
                      .setCallId(depth)
                      .setInvoke(
                          Invoke.newBuilder()
                              .setObjectId(list.objectId())
                              .setMethod("add")
                              .addArgs(garbage.deep(depth)))
                      .build());
          if (depth == ValueLimits.MAX_NESTING) {
            assertTrue(reply.getValue().getBool(), reply::toString);
          } else {
            assertEquals(ErrorCode.UNSUPPORTED_VALUE, reply.getError().getCode(), reply::toString);
          }
        }
      }
      assertEquals(stored + 1, list.copy().size());
    }
    goodClientStep();
  }

  // --- 2. garbage before authentication

  @Test
  @Timeout(60)
  void garbageBeforeAuthenticationIsRefusedAndServesNothing() {
    Random random = new Random(SEED + 1);
    Garbage garbage = new Garbage(random);
    garbage.ours.add(1L); // only ever used as a number in the garbage: nothing is served anyway
    garbage.typeOf.put(1L, TypeIds.LIST);
    garbage.listId = 1;
    ManagerStats before = m.stats();
    int streams = 400;
    for (int i = 0; i < streams; i++) {
      try (RawSession raw = new RawSession(channel)) {
        int prefix = 0;
        ErrorCode code = ErrorCode.PROTOCOL_ERROR;
        int scenario = random.nextInt(9);
        if (scenario >= 7) {
          raw.hello(Handshake.newNonce());
          prefix = 1;
          if (scenario == 8) {
            byte[] digest =
                new byte[random.nextInt(3) == 0 ? random.nextInt(65) : Handshake.NONCE_BYTES];
            random.nextBytes(digest);
            raw.authenticate(digest);
            code = ErrorCode.AUTHENTICATION_FAILED;
          } else {
            // Anything but Authenticate (scenario 3): a request, release, cancel, empty, Hello.
            int[] notAuthenticate = {0, 1, 2, 4, 5, 6};
            raw.send(
                notAHandshake(garbage, notAuthenticate[random.nextInt(notAuthenticate.length)]));
          }
        } else {
          raw.send(notAHandshake(garbage, scenario));
        }
        // Whatever follows the refused message is ignored.
        for (int extra = random.nextInt(4); extra > 0; extra--) {
          raw.send(garbage.next().getKey().setCallId(extra).build());
        }
        ServerMessage goodbye = raw.take();
        assertTrue(goodbye.hasGoodbye(), () -> "expected Goodbye, got " + goodbye);
        assertEquals(code, goodbye.getGoodbye().getCode(), goodbye::toString);
        assertEquals(Status.Code.OK, raw.awaitEnd().getCode());
        assertEquals(prefix + 1, raw.received().size(), () -> "got " + raw.received());
      }
      if (i % 40 == 0) {
        goodClientStep();
      }
    }
    ManagerStats after = m.stats();
    int goodCalls = (streams + 39) / 40 * 2; // add and size per step
    assertEquals(
        before.callsServed() + goodCalls + 1,
        after.callsServed(),
        "only the good client's calls were served");
    assertEquals(before.sessionCount(), after.sessionCount());
  }

  /** A first (or second) message that is not a valid Hello (or not Authenticate). */
  private static ClientMessage notAHandshake(Garbage garbage, int scenario) {
    Random random = garbage.random;
    ClientMessage.Builder message = ClientMessage.newBuilder();
    switch (scenario) {
      case 0 -> {
        return message.setRequest(garbage.next().getKey().setCallId(random.nextLong())).build();
      }
      case 1 -> {
        return message.setRelease(Release.newBuilder().addObjectIds(random.nextInt(5))).build();
      }
      case 2 -> {
        return message.setCancel(Cancel.newBuilder().setCallId(random.nextLong())).build();
      }
      case 3 -> {
        return message
            .setAuthenticate(Authenticate.newBuilder().setDigest(garbage.bytes()))
            .build();
      }
      case 4 -> {
        // Empty, or only fields this protocol does not have.
        if (random.nextBoolean()) {
          message.setUnknownFields(
              UnknownFieldSet.newBuilder()
                  .addField(
                      6 + random.nextInt(1000),
                      UnknownFieldSet.Field.newBuilder()
                          .addLengthDelimited(garbage.bytes())
                          .build())
                  .build());
        }
        return message.build();
      }
      case 5 -> {
        int version = random.nextInt();
        return message
            .setHello(
                Hello.newBuilder()
                    .setProtocolVersion(version == Handshake.PROTOCOL_VERSION ? 0 : version)
                    .setClientNonce(ByteString.copyFrom(Handshake.newNonce()))
                    .setClientName(garbage.string())
                    .setPid(random.nextLong()))
            .build();
      }
      default -> {
        int length = random.nextInt(65);
        byte[] nonce = new byte[length == Handshake.NONCE_BYTES ? 0 : length];
        random.nextBytes(nonce);
        return message
            .setHello(
                Hello.newBuilder()
                    .setProtocolVersion(Handshake.PROTOCOL_VERSION)
                    .setClientNonce(ByteString.copyFrom(nonce))
                    .setClientName(garbage.string()))
            .build();
      }
    }
  }

  // --- 3. not HTTP/2 at all

  @Test
  @Timeout(60)
  void nonHttp2BytesOnTheSocketAreDropped() throws Exception {
    Random random = new Random(SEED + 2);
    byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    for (int round = 0; round < 40; round++) {
      byte[] payload;
      boolean finishOutput = false;
      switch (round % 5) {
        case 0 -> {
          payload = new byte[24 + random.nextInt(4000)];
          random.nextBytes(payload);
          payload[0] = (byte) ('P' + 1);
          // never the start of the preface
        }
        case 1 ->
            payload =
                "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        case 2 -> {
          // TLS: a ClientHello's record header, then noise.
          payload = new byte[64 + random.nextInt(500)];
          random.nextBytes(payload);
          payload[0] = 0x16;
          payload[1] = 0x03;
          payload[2] = 0x01;
        }
        case 3 -> {
          // The preface, then a DATA frame on stream 0 where SETTINGS must come first.
          byte[] frame = {0, 0, 4, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
          payload = new byte[preface.length + frame.length];
          System.arraycopy(preface, 0, payload, 0, preface.length);
          System.arraycopy(frame, 0, payload, preface.length, frame.length);
        }
        default -> {
          // The preface, then random frames: they may announce a length not yet sent, so the
          // manager may rightly wait for more; the end of our output settles it.
          byte[] noise = new byte[random.nextInt(3000)];
          random.nextBytes(noise);
          payload = new byte[preface.length + noise.length];
          System.arraycopy(preface, 0, payload, 0, preface.length);
          System.arraycopy(noise, 0, payload, preface.length, noise.length);
          finishOutput = true;
        }
      }
      assertConnectionDropped(payload, finishOutput);
      goodClientStep();
    }
  }

  /** Writes {@code payload} on a fresh connection; the manager must close it. */
  // the server under test listens on 127.0.0.1, whatever localhost resolves to
  @SuppressWarnings("AddressSelection")
  private static void assertConnectionDropped(byte[] payload, boolean finishOutput)
      throws IOException {
    try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), SERVER.server().port())) {
      socket.setSoTimeout((int) WAIT_MILLIS);
      try {
        OutputStream out = socket.getOutputStream();
        out.write(payload);
        out.flush();
        if (finishOutput) {
          socket.shutdownOutput();
        }
      } catch (SocketException e) {
        return; // closed while we were still writing: dropped
      }
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      try {
        while (in.read(buffer) >= 0) {
          // the manager may say GOAWAY before closing; read on to the end
        }
      } catch (SocketTimeoutException e) {
        fail("the manager kept a connection open after " + payload.length + " bytes of garbage");
      } catch (SocketException e) {
        // reset: dropped
      }
    }
  }

  // --- 4. not protobuf on the Session method

  /** A stream over the Session method that sends and receives raw bytes. */
  private static final class ByteStream {
    final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> end = new CompletableFuture<>();
    final StreamObserver<byte[]> requests;

    ByteStream() {
      requests =
          ClientCalls.asyncBidiStreamingCall(
              channel.newCall(RAW_BYTES_SESSION, CallOptions.DEFAULT),
              new StreamObserver<byte[]>() {
                @Override
                public void onNext(byte[] value) {
                  received.add(value);
                }

                @Override
                public void onError(Throwable t) {
                  end.complete(Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                  end.complete(Status.OK);
                }
              });
    }

    ServerMessage take() throws Exception {
      byte[] bytes = received.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
      assertNotNull(bytes, "no message from the manager");
      return ServerMessage.parseFrom(bytes);
    }

    Status awaitEnd() throws Exception {
      return end.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private static boolean parses(byte[] payload) {
    try {
      var unused = ClientMessage.parseFrom(payload); // parsing is the check
      return true;
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  @Test
  @Timeout(60)
  void nonProtobufPayloadBeforeTheHandshakeEndsOnlyThatStream() throws Exception {
    Random random = new Random(SEED + 3);
    List<byte[]> payloads = new ArrayList<>();
    payloads.add(new byte[] {0x0A, 0x7F}); // hello, 127 bytes long, then nothing
    payloads.add(
        new byte[] {
          (byte) 0xFF,
          (byte) 0xFF,
          (byte) 0xFF,
          (byte) 0xFF,
          (byte) 0xFF,
          (byte) 0xFF,
          (byte) 0xFF,
          (byte) 0xFF,
          (byte) 0xFF,
          (byte) 0xFF,
          (byte) 0xFF
        }); // varint overflow
    payloads.add(new byte[] {0x0F}); // wire type 7 does not exist
    for (int i = 0; i < 150; i++) {
      byte[] noise = new byte[random.nextInt(300)];
      random.nextBytes(noise);
      payloads.add(noise);
    }
    int refusedAtParse = 0;
    for (byte[] payload : payloads) {
      boolean parses = parses(payload);
      if (parses && ClientMessage.parseFrom(payload).hasHello()) {
        continue; // a Hello, by chance: it would be answered with a Challenge, not refused
      }
      ByteStream stream = new ByteStream();
      stream.requests.onNext(payload);
      Status status = stream.awaitEnd();
      if (parses) {
        // Some other message, by chance: refused like any garbage.
        assertEquals(Status.Code.OK, status.getCode());
        assertEquals(1, stream.received.size());
        assertTrue(stream.take().hasGoodbye());
      } else {
        refusedAtParse++;
        assertNotEquals(
            Status.Code.OK, status.getCode(), "the stream fails, with a status that says so");
        assertTrue(stream.received.isEmpty(), () -> "nothing is answered: " + stream.received);
      }
      stream.requests.onCompleted();
      if (refusedAtParse % 20 == 1) {
        goodClientStep();
      }
    }
    assertTrue(refusedAtParse >= 3, "the fixed invalid payloads fail to parse");
  }

  @Test
  @Timeout(60)
  void nonProtobufPayloadInAnOpenSessionEndsItAndReleasesWhatItHeld() throws Exception {
    Random random = new Random(SEED + 4);
    byte[] noise = new byte[512];
    do {
      random.nextBytes(noise);
    } while (parses(noise));
    // Past the protobuf nesting limit: valid wire format that no parser will accept.
    Request deep =
        Request.newBuilder()
            .setCallId(3)
            .setCreate(
                Create.newBuilder().setTypeId(TypeIds.LIST).addArgs(new Garbage(random).deep(200)))
            .build();
    byte[] tooDeep = ClientMessage.newBuilder().setRequest(deep).build().toByteArray();
    for (byte[] payload : List.of(new byte[] {0x1A, 0x10, 0x08}, noise, tooDeep)) {
      ManagerStats before = m.stats();
      ByteStream stream = new ByteStream();
      byte[] clientNonce = Handshake.newNonce();
      stream.requests.onNext(
          ClientMessage.newBuilder()
              .setHello(
                  Hello.newBuilder()
                      .setProtocolVersion(Handshake.PROTOCOL_VERSION)
                      .setClientNonce(ByteString.copyFrom(clientNonce)))
              .build()
              .toByteArray());
      byte[] serverNonce = stream.take().getChallenge().getServerNonce().toByteArray();
      stream.requests.onNext(
          ClientMessage.newBuilder()
              .setAuthenticate(
                  Authenticate.newBuilder()
                      .setDigest(
                          ByteString.copyFrom(
                              Handshake.clientDigest(KEY, serverNonce, clientNonce))))
              .build()
              .toByteArray());
      assertTrue(stream.take().hasWelcome());
      // The session holds a list: it must be released when the session dies.
      stream.requests.onNext(
          ClientMessage.newBuilder()
              .setRequest(
                  Request.newBuilder()
                      .setCallId(1)
                      .setCreate(Create.newBuilder().setTypeId(TypeIds.LIST)))
              .build()
              .toByteArray());
      assertTrue(stream.take().getReply().getValue().hasRef());
      ManagerStats holding = m.stats();
      assertEquals(before.objectCount() + 1, holding.objectCount());
      assertEquals(before.sessionCount() + 1, holding.sessionCount());

      stream.requests.onNext(payload);
      Status status = stream.awaitEnd();
      assertNotEquals(
          Status.Code.OK, status.getCode(), "the stream fails, with a status that says so");
      assertFalse(
          status.getDescription() == null || status.getDescription().isEmpty(), status::toString);
      awaitStats(
          s -> s.objectCount() == before.objectCount() && s.sessionCount() == before.sessionCount(),
          "the dead session's objects and session released");
      goodClientStep();
    }
  }
}
