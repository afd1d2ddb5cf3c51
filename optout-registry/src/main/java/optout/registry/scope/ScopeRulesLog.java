package optout.registry.scope;

import java.util.Arrays;
import java.util.Optional;
import optout.registry.record.RecordKind;
import optout.registry.record.RecordStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Puts the configured scope rules into the log when the registry starts with rules other than the last
 * logged (or none logged yet): from then on they decide exclusion sets; checkpoints before keep the
 * rules logged before them. Under a database lock, so registry processes starting together log them once.
 * A restart with the same rules logs nothing; names and descriptions are not rules.
 */
@Component
public class ScopeRulesLog implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(ScopeRulesLog.class);
  /** The advisory lock that serialises starting registries over the rules. */
  private static final long RULES_LOCK = 0x6e68692d72756c65L;

  private final ScopeCatalogue catalogue;
  private final RecordStore records;
  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  ScopeRulesLog(ScopeCatalogue catalogue, RecordStore records, JdbcClient jdbc, TransactionTemplate transactions) {
    this.catalogue = catalogue;
    this.records = records;
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  @Override
  public void run(ApplicationArguments arguments) {
    logIfChanged();
  }

  /** Stores the configured rules for the sequencer to log, unless they are the last stored; answers whether it did. */
  public boolean logIfChanged() {
    byte[] configured = catalogue.rules().encode();
    Boolean stored = transactions.execute(status -> {
      jdbc.sql("select pg_advisory_xact_lock(?)").param(RULES_LOCK).query().singleRow();
      Optional<byte[]> last = records.latestAuthentic(RecordKind.SCOPE_RULES);
      if (last.isPresent() && Arrays.equals(last.get(), configured)) {
        return false;
      }
      records.insert(RecordKind.SCOPE_RULES, configured, null);
      return true;
    });
    if (Boolean.TRUE.equals(stored)) {
      log.info("The configured scope rules differ from the last logged: logged them; they decide exclusion sets from the next checkpoint");
    }
    return Boolean.TRUE.equals(stored);
  }
}
