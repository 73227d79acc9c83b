package org.multiprocessing4j.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;

/**
 * The builder's settings as a provider gets them, and {@code Manager} without a client jar (this
 * module's test class path has none).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ManagerSettingsTest {

  @Test
  void settingsAreImmutableCopies() {
    byte[] key = "secret".getBytes(StandardCharsets.UTF_8);
    List<String> options = new ArrayList<>(List.of("-Xmx64m"));
    ManagerSettings settings =
        new ManagerSettings(
            ManagerSettings.Hosting.CHILD_PROCESS,
            key,
            null,
            options,
            List.of(),
            List.of(),
            null,
            ManagerSettings.DEFAULT_MAX_MESSAGE_BYTES,
            null);
    key[0] = 'X';
    options.add("-Xms8m");
    settings.authkey()[1] = 'Y';

    assertArrayEquals("secret".getBytes(StandardCharsets.UTF_8), settings.authkey());
    assertNotSame(settings.authkey(), settings.authkey());
    assertEquals(List.of("-Xmx64m"), settings.jvmOptions());
    assertThrows(UnsupportedOperationException.class, () -> settings.jvmOptions().add("-x"));
  }

  @Test
  void equalityComparesTheKeyByContentAndTextNeverShowsIt() {
    ManagerSettings a = ManagerSettings.defaults().withAuthkey(new byte[] {1, 2, 3});
    ManagerSettings b = ManagerSettings.defaults().withAuthkey(new byte[] {1, 2, 3});
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertFalse(a.equals(ManagerSettings.defaults()));
    assertTrue(a.toString().contains("authkey=set"), a.toString());
  }

  @Test
  void withoutAClientJarManagerSaysWhichJarIsMissing() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> Manager.builder().authkey("k").connect("localhost:1"));
    assertTrue(e.getMessage().contains("multiprocessing4j-client"), e.getMessage());
    // The lookup failing once does not break the class: the same clear error again.
    assertThrows(IllegalStateException.class, Manager::start);
  }
}
