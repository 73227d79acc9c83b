package org.multiprocessing4j.testcontainers;

import static java.util.Objects.requireNonNull;

import org.multiprocessing4j.Manager;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A multiprocessing4j manager in a container, for tests:
 *
 * <pre>{@code
 * try (ManagerContainer container = new ManagerContainer().withAuthkey("secret")) {
 *   container.start();
 *   try (Manager m = container.connect()) {
 *     SharedList<String> list = m.list();
 *   }
 * }
 * }</pre>
 *
 * <p>The image is built from the project's {@code Dockerfile}; by default {@value #DEFAULT_IMAGE}.
 * The container is ready once the manager printed its listening line. The authkey is passed in the
 * container's environment and never logged.
 *
 * <p>Not thread-safe while being configured; {@link #getTarget()} and {@link #connect()} are safe
 * to call from any thread once it started.
 */
public class ManagerContainer extends GenericContainer<ManagerContainer> {
  /** The image the project's CI builds locally. */
  public static final String DEFAULT_IMAGE = "multiprocessing4j-manager:local";

  /** The port the manager listens on inside the container. */
  public static final int MANAGER_PORT = 50051;

  private String authkey = "multiprocessing4j";

  public ManagerContainer() {
    this(DockerImageName.parse(DEFAULT_IMAGE));
  }

  public ManagerContainer(DockerImageName image) {
    super(image);
    withExposedPorts(MANAGER_PORT);
    withEnv("MP4J_AUTHKEY", authkey);
    waitingFor(Wait.forLogMessage(".*MP4J_MANAGER_LISTENING.*\\n", 1));
  }

  /** The authkey clients must prove; passed to the manager through its environment. */
  public ManagerContainer withAuthkey(String key) {
    this.authkey = requireNonNull(key, "key");
    return withEnv("MP4J_AUTHKEY", key);
  }

  /** The address clients pass to {@link Manager#connect(String, String)}: {@code host:port}. */
  public String getTarget() {
    return getHost() + ":" + getMappedPort(MANAGER_PORT);
  }

  /** A new client of the containerised manager, with the configured authkey. */
  public Manager connect() {
    return Manager.connect(getTarget(), authkey);
  }
}
