package optout.pseudonymizer.bench;

import java.io.PrintStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntToLongFunction;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import optout.pseudonymizer.fpe.Ff1Radix10;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.id.ProjectId;
import optout.pseudonymizer.pseudonym.ProjectPseudonymizer;
import optout.pseudonymizer.pseudonym.Pseudonyms;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import optout.pseudonymizer.token.ProjectRecordKeys;
import org.bouncycastle.crypto.fpe.FPEFF1Engine;
import org.bouncycastle.crypto.params.FPEParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * {@code ./optout bench pseudonymizer}: single-thread throughput of both layers and of the project record
 * keys (FF1 over 18 digits), measured in the same run as two baselines on the same inputs: Bouncy
 * Castle's FF1 engine (with the same key and tweak, whose output must be identical) and one HmacSHA256
 * per value. A module of its own, so that none of it ships in the pseudonymizer library the services and jobs carry.
 */
public final class PseudonymizerBenchmark {

  private static final int INPUTS = 1 << 20;
  private static final int ROUNDS = 5;
  private static final ProjectId PROJECT = ProjectId.of("benchmark-project");

  private PseudonymizerBenchmark() {}

  public static void main(String[] args) throws GeneralSecurityException {
    double seconds;
    try {
      seconds = seconds(List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    run(seconds, System.out);
  }

  /** The seconds per round the command line asks for: {@code [--seconds N]}, N in (0, 60], 1 if not given. */
  static double seconds(List<String> args) {
    String usage = "Usage: ./optout bench pseudonymizer [--seconds N], N the seconds per round, more than 0 and at most 60";
    if (args.isEmpty()) {
      return 1.0;
    }
    if (args.size() != 2 || !args.get(0).equals("--seconds")) {
      throw new IllegalArgumentException(usage);
    }
    double seconds;
    try {
      seconds = Double.parseDouble(args.get(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(usage);
    }
    if (!(seconds > 0 && seconds <= 60)) {
      throw new IllegalArgumentException(usage);
    }
    return seconds;
  }

  static void run(double seconds, PrintStream out) throws GeneralSecurityException {
    SecureRandom keys = new SecureRandom();
    byte[] warehouseKey = new byte[32];
    byte[] projectKey = new byte[32];
    keys.nextBytes(warehouseKey);
    keys.nextBytes(projectKey);
    byte[] tweak = ProjectPseudonymizer.tweak(PROJECT);
    WarehousePseudonymizer layer1 = new WarehousePseudonymizer(new Ff1Radix10(aes(warehouseKey), 10, WarehousePseudonymizer.TWEAK), 1);
    ProjectPseudonymizer layer2 = new ProjectPseudonymizer(new Ff1Radix10(aes(projectKey), 10, tweak), PROJECT);
    FPEFF1Engine bouncyCastle = new FPEFF1Engine();
    bouncyCastle.init(true, new FPEParameters(new KeyParameter(projectKey), 10, tweak));
    ProjectRecordKeys recordKeys = new ProjectRecordKeys(aes(projectKey), PROJECT);
    FPEFF1Engine bouncyCastle18 = new FPEFF1Engine();
    bouncyCastle18.init(true, new FPEParameters(new KeyParameter(projectKey), 10, ProjectRecordKeys.tweak(PROJECT, "visit_id")));
    Mac hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec(projectKey, "HmacSHA256"));

    SplittableRandom random = new SplittableRandom(20261124);
    PersonId[] people = new PersonId[INPUTS];
    long[] warehousePseudonyms = new long[INPUTS];
    long[] warehouseRecordKeys = new long[INPUTS];
    for (int i = 0; i < INPUTS; i++) {
      people[i] = PersonId.fromCode(random.nextLong(PersonId.CODE_COUNT));
      warehousePseudonyms[i] = layer1.pseudonym(people[i]);
      // distinct neighbours, so the record keys' memory of the last answer never spares an FF1
      warehouseRecordKeys[i] = random.nextLong(ProjectRecordKeys.WAREHOUSE_LIMIT / 2) * 2 + (i & 1);
    }

    int checked = 20_000;
    for (int i = 0; i < checked; i++) {
      long ours = layer2.pseudonym(warehousePseudonyms[i]) - Pseudonyms.LAYER2_FIRST;
      if (ours != bouncyCastleFf1(bouncyCastle, warehousePseudonyms[i] - Pseudonyms.LAYER1_FIRST)) {
        throw new IllegalStateException("Layer 2 differs from Bouncy Castle's FF1 on input " + i + ": do not trust these figures");
      }
      long released = recordKeys.released("visit_id", warehouseRecordKeys[i]) - ProjectRecordKeys.RELEASED_FIRST;
      if (released != bouncyCastleFf1(bouncyCastle18, warehouseRecordKeys[i], ProjectRecordKeys.DIGITS)) {
        throw new IllegalStateException("Record keys differ from Bouncy Castle's FF1 on input " + i + ": do not trust these figures");
      }
    }
    byte[] block = new byte[8];
    double layer1Rate = measure(i -> layer1.pseudonym(people[i & (INPUTS - 1)]), seconds);
    double layer2Rate = measure(i -> layer2.pseudonym(warehousePseudonyms[i & (INPUTS - 1)]), seconds);
    double recordKeyRate = measure(i -> recordKeys.released("visit_id", warehouseRecordKeys[i & (INPUTS - 1)]), seconds);
    double bouncyCastleRate = measure(i -> bouncyCastleFf1(bouncyCastle, warehousePseudonyms[i & (INPUTS - 1)] - Pseudonyms.LAYER1_FIRST), seconds);
    double bouncyCastle18Rate = measure(i -> bouncyCastleFf1(bouncyCastle18, warehouseRecordKeys[i & (INPUTS - 1)], ProjectRecordKeys.DIGITS), seconds);
    double hmacRate = measure(i -> hmacBaseline(hmac, block, warehousePseudonyms[i & (INPUTS - 1)]), seconds);

    out.printf("Pseudonymizer benchmark: one thread, Java %s, %d cores, median of %d rounds of %.1f s%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), ROUNDS, seconds);
    out.printf("  %-52s %,14.0f /s%n", "layer 1 (person ID -> warehouse pseudonym)", layer1Rate);
    out.printf("  %-52s %,14.0f /s%n", "layer 2 (warehouse -> project pseudonym)", layer2Rate);
    out.printf("  %-52s %,14.0f /s%n", "Bouncy Castle FPEFF1Engine, same key, tweak, inputs", bouncyCastleRate);
    out.printf("  %-52s %,14.0f /s%n", "HmacSHA256 baseline (one MAC per value)", hmacRate);
    out.printf("  %-52s %,14.0f /s%n", "record keys (18 digits: warehouse -> project)", recordKeyRate);
    out.printf("  %-52s %,14.0f /s%n", "Bouncy Castle FPEFF1Engine over 18 digits, same", bouncyCastle18Rate);
    out.printf("  layer 2 / Bouncy Castle: %.1fx   layer 2 / HmacSHA256: %.2fx   layer 1 / Bouncy Castle: %.1fx%n",
        layer2Rate / bouncyCastleRate, layer2Rate / hmacRate, layer1Rate / bouncyCastleRate);
    out.printf("  record keys / Bouncy Castle (18 digits): %.1fx   record keys / HmacSHA256: %.2fx%n",
        recordKeyRate / bouncyCastle18Rate, recordKeyRate / hmacRate);
    out.printf("  layer 2 and record keys identical to Bouncy Castle's on %,d inputs each: yes%n", checked);
  }

  /** Operations per second, the median of {@link #ROUNDS} timed rounds after one warm-up round. */
  private static double measure(IntToLongFunction operation, double seconds) {
    long sink = 0;
    double[] rates = new double[ROUNDS];
    long budget = (long) (seconds * 1e9);
    for (int round = -1; round < ROUNDS; round++) {
      long start = System.nanoTime();
      long deadline = start + budget;
      int done = 0;
      long now;
      do {
        for (int i = 0; i < 1024; i++) {
          sink += operation.applyAsLong(done++);
        }
        now = System.nanoTime();
      } while (now < deadline);
      if (round >= 0) {
        rates[round] = done / ((now - start) / 1e9);
      }
    }
    if (sink == 42) {
      System.err.print("");  // keeps the results alive
    }
    Arrays.sort(rates);
    return rates[ROUNDS / 2];
  }

  private static long bouncyCastleFf1(FPEFF1Engine engine, long value) {
    return bouncyCastleFf1(engine, value, Pseudonyms.DOMAIN_DIGITS);
  }

  private static long bouncyCastleFf1(FPEFF1Engine engine, long value, int digits) {
    byte[] numerals = new byte[digits];
    for (int i = numerals.length - 1; i >= 0; i--) {
      numerals[i] = (byte) (value % 10);
      value /= 10;
    }
    byte[] result = new byte[numerals.length];
    engine.processBlock(numerals, 0, numerals.length, result, 0);
    long number = 0;
    for (byte numeral : result) {
      number = number * 10 + numeral;
    }
    return number;
  }

  private static long hmacBaseline(Mac mac, byte[] block, long value) {
    for (int i = 0; i < 8; i++) {
      block[i] = (byte) (value >>> (56 - 8 * i));
    }
    byte[] digest = mac.doFinal(block);
    return digest[0];
  }

  private static Cipher aes(byte[] key) throws GeneralSecurityException {
    Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
    aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    return aes;
  }
}
