package optout.consent.filing;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import optout.platform.seal.ArchiveStamper;
import optout.platform.seal.HttpTimestampAuthority;
import optout.platform.seal.SealVerifier;
import optout.platform.seal.TimestampAuthority;
import optout.platform.seal.pki.DemoPki;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code ./optout consent restamp [--window P30D]}: archive timestamps for the stored forms, over plain
 * JDBC against the consent service's database as its application role (which may only add documents
 * and versions), with the service's own settings from the environment: {@code SPRING_DATASOURCE_URL},
 * {@code _USERNAME}, {@code _PASSWORD}, {@code OPTOUT_CONSENT_SEAL_PKIDIRECTORY} (and
 * {@code _PKIPASSPHRASE}), and {@code OPTOUT_CONSENT_SEAL_TSAURL} for an external TSA. Exit 0 when every
 * form holds, 1 when one failed, 2 on bad arguments.
 */
public final class RestampCommand {

  private RestampCommand() {}

  public static void main(String[] args) throws Exception {
    Duration window = Duration.parse(System.getenv().getOrDefault("OPTOUT_CONSENT_RESTAMP_WINDOW", "P90D"));
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--window") && i + 1 < args.length) {
        try {
          window = Duration.parse(args[++i]);
        } catch (DateTimeParseException e) {
          usage("--window takes an ISO-8601 duration such as P30D, not " + args[i]);
        }
      } else {
        usage("unknown argument " + args[i]);
      }
    }
    DriverManagerDataSource database = new DriverManagerDataSource(required("SPRING_DATASOURCE_URL"), required("SPRING_DATASOURCE_USERNAME"),
        required("SPRING_DATASOURCE_PASSWORD"));
    FilingStore store = new FilingStore(new JdbcTemplate(database), new TransactionTemplate(new DataSourceTransactionManager(database)));
    DemoPki pki = DemoPki.openOrCreate(java.nio.file.Path.of(required("OPTOUT_CONSENT_SEAL_PKIDIRECTORY")),
        System.getenv().getOrDefault("OPTOUT_CONSENT_SEAL_PKIPASSPHRASE", DemoPki.DEMO_PASSPHRASE).toCharArray(), Clock.systemUTC());
    String tsaUrl = System.getenv("OPTOUT_CONSENT_SEAL_TSAURL");
    TimestampAuthority tsa = tsaUrl == null || tsaUrl.isBlank() ? pki.timestampAuthority()
        : HttpTimestampAuthority.create(URI.create(tsaUrl), List.of(pki.rootCertificate()), null, Duration.ofSeconds(10));
    SealVerifier verifier = new SealVerifier(List.of(pki.rootCertificate()));
    FormRestamping.Outcome outcome;
    try {
      outcome = new FormRestamping(store, verifier, new ArchiveStamper(verifier, tsa, pki.revocationSource(), Clock.systemUTC())).run(window);
    } catch (org.springframework.dao.DataAccessException e) {
      System.err.println("error: cannot use the consent database: " + e.getMostSpecificCause().getMessage());
      System.exit(1);
      return;
    }
    System.out.println("Forms checked: " + outcome.checked() + "; archive timestamps added: " + outcome.restamped()
        + " (newest timestamp certificate ending within " + window.toDays() + " days); failed: " + outcome.failed());
    System.exit(outcome.failed() == 0 ? 0 : 1);
  }

  private static String required(String variable) {
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      usage(variable + " is not set");
    }
    return value;
  }

  private static void usage(String problem) {
    System.err.println("error: " + problem);
    System.err.println("usage: ./optout consent restamp [--window P30D]");
    System.exit(2);
  }
}
