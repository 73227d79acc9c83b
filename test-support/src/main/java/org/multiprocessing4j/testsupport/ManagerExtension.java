package org.multiprocessing4j.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.multiprocessing4j.Manager;

/**
 * Resolves {@link Manager} and {@link HostedManager} parameters with a manager in the tier that
 * {@link WithManager} names (on the parameter, else on the test class or a superclass, else {@link
 * ManagerTier#TCP}). The manager is kept in the JUnit store of the scope that asked for it, which
 * closes it when that scope ends.
 *
 * <p>Thread-safe: JUnit's store creates each scope's manager once.
 */
public final class ManagerExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ManagerExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Manager.class || type == HostedManager.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    WithManager settings =
        parameter.findAnnotation(WithManager.class).or(() -> classSettings(context)).orElse(null);
    ManagerTier tier = settings == null ? ManagerTier.TCP : settings.value();
    String authkey = settings == null ? WithManager.DEFAULT_AUTHKEY : settings.authkey();
    HostedManager hosted;
    try {
      hosted =
          context
              .getStore(NAMESPACE)
              .computeIfAbsent(
                  tier + "/" + authkey,
                  key -> tier.start(authkey.getBytes(StandardCharsets.UTF_8)),
                  HostedManager.class);
    } catch (RuntimeException e) {
      throw new ParameterResolutionException("cannot start a manager (" + tier + "): " + e, e);
    }
    return parameter.getParameter().getType() == Manager.class ? hosted.manager() : hosted;
  }

  private static Optional<WithManager> classSettings(ExtensionContext context) {
    return context
        .getTestClass()
        .flatMap(type -> AnnotationSupport.findAnnotation(type, WithManager.class));
  }
}
