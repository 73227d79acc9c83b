package org.multiprocessing4j.server;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.multiprocessing4j.proto.v1.ClientMessage;
import org.multiprocessing4j.proto.v1.ManagerServiceGrpc;
import org.multiprocessing4j.proto.v1.ServerMessage;

/** The gRPC face of the manager: a thin adapter from streams to {@link SessionHandler}s. */
final class ManagerGrpcService extends ManagerServiceGrpc.ManagerServiceImplBase {
  private final Dispatcher dispatcher;
  private final byte[] authkey;
  private final int maxMessageBytes;
  private final long maxBytesPerSession;
  private final String version;
  private final Lease lease;

  ManagerGrpcService(
      Dispatcher dispatcher,
      byte[] authkey,
      int maxMessageBytes,
      long maxBytesPerSession,
      String version,
      Lease lease) {
    this.dispatcher = dispatcher;
    this.lease = lease;
    this.authkey = authkey.clone();
    this.maxMessageBytes = maxMessageBytes;
    this.maxBytesPerSession = maxBytesPerSession;
    this.version = version;
  }

  @Override
  public StreamObserver<ClientMessage> session(StreamObserver<ServerMessage> responseObserver) {
    ServerCallStreamObserver<ServerMessage> out =
        (ServerCallStreamObserver<ServerMessage>) responseObserver;
    SessionHandler handler =
        new SessionHandler(
            out, dispatcher, authkey, maxMessageBytes, maxBytesPerSession, version, lease);
    // When gRPC itself ends the call (a message that does not parse as a ClientMessage, or an
    // exception escaping onNext), the request observer hears nothing: neither onError nor
    // onCompleted. Only this handler runs. Without it such a session would keep its references,
    // locks and parked calls forever.
    out.setOnCloseHandler(handler::onCallClosed);
    // The handler asks for each message itself, pausing while the client leaves its replies
    // unread. Handlers and auto-request can only be set here, before the call starts.
    out.disableAutoRequest();
    out.setOnReadyHandler(handler::onReady);
    out.request(1);
    return handler;
  }
}
