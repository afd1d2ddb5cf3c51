package optout.registry.exemption;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import optout.platform.security.PlatformRole;
import optout.registry.event.FilerPseudonyms;
import optout.registry.record.RecordKind;
import optout.registry.record.RecordStore;
import optout.registry.scope.ScopeCatalogue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Who may invoke which legal exemption, and every time one was invoked. An exemption empties a release's
 * exclusion set for the scopes the law mandates, so naming one is not enough: an auditor grants it to one
 * releasing service (its client ID), citing the act that approved it, and may revoke it; the latest
 * decision for the pair holds. Each use (a snapshot or a bulk check) is recorded and published. Each
 * decision is also logged ({@link DecisionLeaf}), so the log tells who held which exemption at a checkpoint.
 */
@Service
public class ExemptionGrants {

  /** A grant or revocation. */
  public record Decision(String exemption, String grantee, String action, String approvalReference, String decidedBy, Instant decidedAt) {}

  /** How often an exemption was invoked, and when last. */
  public record Uses(long count, Instant lastUsedAt) {}

  /** What a use was for. */
  public enum Kind {
    SNAPSHOT("snapshot"), BULK_CHECK("bulk-check");

    private final String code;

    Kind(String code) {
      this.code = code;
    }
  }

  private final JdbcClient jdbc;
  private final ScopeCatalogue catalogue;
  private final Clock clock;
  private final RecordStore records;
  private final FilerPseudonyms pseudonyms;
  private final TransactionTemplate transactions;

  ExemptionGrants(JdbcClient jdbc, ScopeCatalogue catalogue, Clock clock, RecordStore records, FilerPseudonyms pseudonyms,
      TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.catalogue = catalogue;
    this.clock = clock;
    this.records = records;
    this.pseudonyms = pseudonyms;
    this.transactions = transactions;
  }

  /** Records an auditor's grant of an exemption to a releasing service, citing the act that approved it. */
  public Decision grant(String exemption, String grantee, String approvalReference, String auditor) {
    return decide(exemption, grantee, true, approvalReference, auditor);
  }

  /** Records an auditor's revocation of a grant, citing the act that ended it. */
  public Decision revoke(String exemption, String grantee, String approvalReference, String auditor) {
    return decide(exemption, grantee, false, approvalReference, auditor);
  }

  private synchronized Decision decide(String exemption, String grantee, boolean grant, String approvalReference, String auditor) {
    if (catalogue.exemption(exemption).isEmpty()) {
      throw new IllegalArgumentException("Unknown legal exemption " + exemption);
    }
    if (grant == granted(exemption, grantee)) {
      throw new IllegalArgumentException("Legal exemption " + exemption + " is " + (grant ? "already" : "not") + " granted to " + grantee);
    }
    // microseconds, as the database keeps them, so the register and the leaf show the same moment
    Decision decision = new Decision(exemption, grantee, grant ? "grant" : "revoke", approvalReference, auditor,
        clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    DecisionLeaf leaf = new DecisionLeaf(exemption, grantee, grant, DecisionLeaf.approvalHash(approvalReference),
        pseudonyms.pseudonym(auditor), decision.decidedAt());
    transactions.executeWithoutResult(status -> {
      long id = jdbc.sql("""
          insert into exemption_decision (exemption, grantee, action, approval_reference, decided_by, decided_at)
          values (?, ?, ?, ?, ?, ?) returning id""")
          .param(exemption).param(grantee).param(decision.action()).param(approvalReference).param(auditor)
          .param(Timestamp.from(decision.decidedAt())).query(Long.class).single();
      records.insert(RecordKind.EXEMPTION_DECISION, leaf.encode(), id);
    });
    return decision;
  }

  public boolean granted(String exemption, String grantee) {
    Optional<String> latest = jdbc.sql("select action from exemption_decision where exemption = ? and grantee = ? order by id desc limit 1")
        .param(exemption).param(grantee).query(String.class).optional();
    return latest.map("grant"::equals).orElse(false);
  }

  /**
   * Who invokes an exemption, as the use records them; refuses a releasing service that holds no grant of
   * it. Auditors need none: they recompute releases to check them. Call before anything is computed.
   */
  public String requireInvocable(String exemption, JwtAuthenticationToken caller) {
    boolean auditor = caller.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals(PlatformRole.AUDITOR.authority()));
    if (auditor) {
      return "auditor";
    }
    String client = caller.getToken().getClaimAsString("azp");
    if (client == null || !granted(exemption, client)) {
      throw new ExemptionNotGrantedException(exemption);
    }
    return client;
  }

  public void recordUse(String exemption, String grantee, String purpose, long checkpoint, Kind kind) {
    jdbc.sql("insert into exemption_use (exemption, grantee, purpose, checkpoint, kind, used_at) values (?, ?, ?, ?, ?, ?)")
        .param(exemption).param(grantee).param(purpose).param(checkpoint).param(kind.code).param(Timestamp.from(clock.instant())).update();
  }

  /** Every decision, oldest first. */
  public List<Decision> decisions() {
    return jdbc.sql("select exemption, grantee, action, approval_reference, decided_by, decided_at from exemption_decision order by id")
        .query((rs, n) -> new Decision(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getTimestamp(6).toInstant())).list();
  }

  /** Uses by exemption code; exemptions never used are absent. */
  public Map<String, Uses> uses() {
    Map<String, Uses> uses = new TreeMap<>();
    jdbc.sql("select exemption, count(*), max(used_at) from exemption_use group by exemption")
        .query((rs, n) -> uses.put(rs.getString(1), new Uses(rs.getLong(2), rs.getTimestamp(3).toInstant()))).list();
    return uses;
  }
}
