# multiprocessing4j manager sidecar (gRPC manager server on port 50051).
# CI builds it from a locally imported JRE image (no registry):
#   DOCKER_BUILDKIT=0 docker build --build-arg BASE_IMAGE=mp4j-jre17:local -t multiprocessing4j-manager:local .
# The default BASE_IMAGE is only for builds on machines with registry access.
# Needs manager-server/target/manager-server.jar (mvn package) in the build context.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}

# Non-root user; useradd exists in Debian minbase and in the Ubuntu-based JRE images.
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /app --shell /usr/sbin/nologin mp4j

COPY manager-server/target/manager-server.jar /app/manager-server.jar

USER 10001:10001
WORKDIR /app
ENV MP4J_PORT=50051
EXPOSE 50051

# The authkey comes from MP4J_AUTHKEY or a mounted file (read by the server itself).
# bash's /dev/tcp needs no extra packages (no curl/nc in a minbase image).
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/50051"]

ENTRYPOINT ["java", "-jar", "/app/manager-server.jar", "--host", "0.0.0.0", "--port", "50051"]
