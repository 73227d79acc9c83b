package org.multiprocessing4j.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test a manager: parameters of type {@link org.multiprocessing4j.Manager} or {@link
 * HostedManager} of test methods, lifecycle methods and constructors are resolved with a manager
 * started in {@link #value()}'s tier and closed when the scope that asked for it ends (the class
 * for a {@code @BeforeAll} method or a per-class constructor, the test otherwise). Within one scope
 * every such parameter gets the same manager.
 *
 * <p>On a class it sets the tier for the whole class and its subclasses; a behaviour suite written
 * once is bound to each tier by an empty subclass carrying this annotation. On a parameter it
 * overrides the class's.
 */
@Target({ElementType.TYPE, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ManagerExtension.class)
public @interface WithManager {
  /** The authkey when none is given. */
  String DEFAULT_AUTHKEY = "mp4j-test-authkey";

  /** Where the manager runs. */
  ManagerTier value() default ManagerTier.TCP;

  /** The authkey, as text (its UTF-8 bytes). */
  String authkey() default DEFAULT_AUTHKEY;
}
