package dev.fc.operator.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** Log level and format, applied by reloading logback.xml with the chosen values. */
public class LoggingOptions {
  @Option(names = "--log-level", defaultValue = "${env:FC_LOG_LEVEL:-INFO}", paramLabel = "LEVEL",
      description = "TRACE, DEBUG, INFO, WARN or ERROR (default: ${DEFAULT-VALUE}). Environment: FC_LOG_LEVEL.")
  String level;

  @Option(names = "--log-json", defaultValue = "${env:FC_LOG_JSON:-false}", fallbackValue = "true", arity = "0..1",
      description = "One JSON object per log line. Environment: FC_LOG_JSON=true.")
  boolean json;

  public void apply() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    context.putProperty("FC_LOG_LEVEL", level.toUpperCase(Locale.ROOT));
    context.putProperty("FC_LOG_FORMAT", json ? "JSON" : "TEXT");
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(LoggingOptions.class.getClassLoader().getResource("logback.xml"));
    } catch (JoranException e) {
      throw new IllegalStateException("cannot configure logging", e);
    }
  }
}
