package org.multiprocessing4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a type or member that is public only so that multiprocessing4j's own jars can reach it
 * across packages. It is not API: it may change or disappear in any release, without notice.
 * Everything in an {@code org.multiprocessing4j.internal} package is internal whether marked or
 * not.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({
  ElementType.TYPE,
  ElementType.METHOD,
  ElementType.CONSTRUCTOR,
  ElementType.FIELD,
  ElementType.PACKAGE
})
public @interface Internal {}
