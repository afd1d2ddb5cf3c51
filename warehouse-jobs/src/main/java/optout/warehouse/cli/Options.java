package optout.warehouse.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A subcommand's options: {@code --name value} and {@code --flag}, each at most once; anything else is
 * refused with a {@link UsageException}.
 */
public final class Options {

  private final String command;
  private final Map<String, String> values = new HashMap<>();
  private final Set<String> flags = new HashSet<>();

  private Options(String command) {
    this.command = command;
  }

  /**
   * @param valued the options that take a value (without "--")
   * @param flagNames the options that take none
   */
  public static Options parse(String command, String[] args, int from, Set<String> valued, Set<String> flagNames) {
    Options options = new Options(command);
    for (int i = from; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new UsageException(command + ": unexpected argument '" + arg + "' (options start with --)");
      }
      String name = arg.substring(2);
      String inline = null;
      int equals = name.indexOf('=');
      if (equals >= 0) {
        inline = name.substring(equals + 1);
        name = name.substring(0, equals);
      }
      if (valued.contains(name)) {
        String value = inline;
        if (value == null) {
          if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new UsageException(command + ": --" + name + " needs a value");
          }
          value = args[++i];
        }
        if (options.values.putIfAbsent(name, value) != null) {
          throw new UsageException(command + ": --" + name + " is given twice");
        }
      } else if (flagNames.contains(name) && inline == null) {
        if (!options.flags.add(name)) {
          throw new UsageException(command + ": --" + name + " is given twice");
        }
      } else {
        throw new UsageException(command + ": unknown option --" + name);
      }
    }
    return options;
  }

  public String required(String name) {
    String value = values.get(name);
    if (value == null || value.isBlank()) {
      throw new UsageException(command + ": --" + name + " is required");
    }
    return value;
  }

  public String optional(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public boolean flag(String name) {
    return flags.contains(name);
  }

  public long longValue(String name, String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new UsageException(command + ": --" + name + " must be a whole number, not '" + value + "'");
    }
  }

  public double doubleValue(String name, String value) {
    double number;
    try {
      number = Double.parseDouble(value.strip());
    } catch (NumberFormatException e) {
      throw new UsageException(command + ": --" + name + " must be a number, not '" + value + "'");
    }
    if (Double.isNaN(number) || Double.isInfinite(number)) {
      throw new UsageException(command + ": --" + name + " must be a finite number");
    }
    return number;
  }
}
