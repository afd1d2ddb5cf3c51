package optout.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

/** The converters that logback-spring.xml wires in mask what the application formats into a line. */
class MaskedConvertersTest {

  private final LoggerContext context = new LoggerContext();
  private final Logger logger = context.getLogger("test");

  @Test
  void masksIdentifiersInFormattedMessages() {
    LoggingEvent event = new LoggingEvent("fqcn", logger, Level.INFO, "lookup of {} by {}", null,
        new Object[] {"A123456789", "clerk-demo"});
    assertThat(new MaskedMessageConverter().convert(event)).isEqualTo("lookup of [person-id] by clerk-demo");
  }

  @Test
  void masksIdentifiersAndTokensInStackTraces() {
    var failure = new IllegalStateException("no status for F234567890 with Bearer abc.def.ghi",
        new RuntimeException("caused by A800000014"));
    LoggingEvent event = new LoggingEvent("fqcn", logger, Level.ERROR, "failed", failure, null);
    MaskedThrowableConverter converter = new MaskedThrowableConverter();
    converter.setContext(context);
    converter.start();
    String trace = converter.convert(event);
    assertThat(trace)
        .contains("no status for [person-id] with Bearer [token]", "caused by [person-id]")
        .doesNotContain("F234567890", "A800000014", "abc.def.ghi");
  }
}
