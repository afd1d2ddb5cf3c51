package optout.registry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time from /proc, to say where a filing's time goes: the registry's JVM, PostgreSQL, this
 * benchmark's clients, and everything else on the machine (other work on a shared machine shows up
 * there, and says how far the figures are understated). PostgreSQL is the cluster that serves the run's
 * database: its postmaster and every process it forked (backends, WAL writer, checkpointer), found
 * through a backend of the run's database; other clusters on the machine count as everything else.
 * Linux only; elsewhere the figures are left out.
 */
final class CpuMeter {

  /** USER_HZ: the unit of /proc's CPU times, 100 on every Linux build that matters here. */
  static final double TICKS_PER_SECOND = 100.0;

  /** CPU ticks at one moment. */
  record Sample(long registry, long postgres, long bench, long machineBusy, long machineTotal, long nanos) {}

  private CpuMeter() {}

  static boolean available() {
    return Files.isReadable(Path.of("/proc/stat")) && Files.isReadable(Path.of("/proc/self/stat"));
  }

  static Sample sample(long registryPid, String database) {
    return new Sample(ticks(registryPid), postgresTicks(database), ticks(ProcessHandle.current().pid()), machine(true), machine(false),
        System.nanoTime());
  }

  /** The 1, 5 and 15 minute load averages, as /proc/loadavg has them. */
  static String loadAverage() {
    String raw = read(Path.of("/proc/loadavg"));
    if (raw == null) {
      return "unknown";
    }
    String[] fields = raw.trim().split("\\s+");
    return fields[0] + " " + fields[1] + " " + fields[2];
  }

  /** utime + stime of one process; 0 if it is gone. */
  static long ticks(long pid) {
    String[] fields = stat(Path.of("/proc", Long.toString(pid), "stat"));
    return fields == null ? 0 : Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static long postgresTicks(String database) {
    Map<Long, long[]> postgres = new HashMap<>();  // pid -> {ppid, ticks}
    long postmaster = -1;
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path process : processes) {
        String raw = read(process.resolve("stat"));
        if (raw == null || !raw.contains("(postgres)")) {
          continue;
        }
        String[] fields = raw.substring(raw.lastIndexOf(')') + 2).split(" ");
        long pid = Long.parseLong(process.getFileName().toString());
        long ppid = Long.parseLong(fields[1]);
        postgres.put(pid, new long[] {ppid, Long.parseLong(fields[11]) + Long.parseLong(fields[12])});
        if (postmaster < 0) {
          String commandLine = read(process.resolve("cmdline"));
          if (commandLine != null && commandLine.contains(" " + database + " ")) {
            postmaster = ppid;  // a backend of the run's database: its parent is the cluster's postmaster
          }
        }
      }
    } catch (IOException e) {
      return 0;
    }
    long sum = 0;
    for (Map.Entry<Long, long[]> process : postgres.entrySet()) {
      if (process.getKey() == postmaster || process.getValue()[0] == postmaster) {
        sum += process.getValue()[1];
      }
    }
    return sum;
  }

  /** All CPUs from /proc/stat: busy (everything but idle and iowait) or total. */
  private static long machine(boolean busy) {
    String raw = read(Path.of("/proc/stat"));
    if (raw == null) {
      return 0;
    }
    String[] fields = raw.substring(0, raw.indexOf('\n')).trim().split("\\s+");
    long total = 0;
    long idle = 0;
    for (int i = 1; i < fields.length && i <= 8; i++) {
      long value = Long.parseLong(fields[i]);
      total += value;
      if (i == 4 || i == 5) {
        idle += value;
      }
    }
    return busy ? total - idle : total;
  }

  /** The fields after "(comm) ", so that index 0 is the state, 1 the parent, 11 and 12 utime and stime. */
  private static String[] stat(Path file) {
    String raw = read(file);
    return raw == null ? null : raw.substring(raw.lastIndexOf(')') + 2).split(" ");
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).replace('\0', ' ');
    } catch (IOException | RuntimeException e) {
      return null;  // the process ended meanwhile
    }
  }
}
