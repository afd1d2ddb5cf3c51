package optout.registry.scope;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The scopes a person can opt out of and the legal exemptions, as configured. Checks that a filing's
 * scopes exist, and answers whether a person's opted-out scopes cover a purpose.
 */
public final class ScopeCatalogue {

  private final Map<String, Scope> scopes;
  private final Map<String, LegalExemption> exemptions;

  public ScopeCatalogue(List<Scope> scopes, List<LegalExemption> exemptions) {
    if (scopes == null || scopes.isEmpty()) {
      throw new IllegalArgumentException("Cannot configure the registry: at least one scope is needed");
    }
    this.scopes = new LinkedHashMap<>();
    for (Scope scope : scopes) {
      if (this.scopes.put(scope.code(), scope) != null) {
        throw new IllegalArgumentException("Cannot configure the registry: scope " + scope.code() + " is defined twice");
      }
    }
    if (scopes.stream().filter(Scope::coversAll).count() > 1) {
      throw new IllegalArgumentException("Cannot configure the registry: only one scope may cover all the others");
    }
    this.exemptions = new LinkedHashMap<>();
    for (LegalExemption exemption : exemptions == null ? List.<LegalExemption>of() : exemptions) {
      for (String scope : exemption.scopes()) {
        if (!this.scopes.containsKey(scope)) {
          throw new IllegalArgumentException("Cannot configure the registry: legal exemption " + exemption.code()
              + " names the unknown scope " + scope);
        }
      }
      if (this.exemptions.put(exemption.code(), exemption) != null) {
        throw new IllegalArgumentException("Cannot configure the registry: legal exemption " + exemption.code() + " is defined twice");
      }
    }
  }

  public Collection<Scope> scopes() {
    return scopes.values();
  }

  public Collection<LegalExemption> exemptions() {
    return exemptions.values();
  }

  public Optional<Scope> scope(String code) {
    return Optional.ofNullable(scopes.get(code));
  }

  public Optional<LegalExemption> exemption(String code) {
    return Optional.ofNullable(exemptions.get(code));
  }

  /**
   * The scope codes, sorted and checked.
   *
   * @throws UnknownScopeException naming every code that is not configured
   */
  public SortedSet<String> require(Collection<String> codes) {
    if (codes == null || codes.isEmpty()) {
      throw new IllegalArgumentException("Cannot file: at least one scope is needed");
    }
    SortedSet<String> unknown = codes.stream().filter(c -> c == null || !scopes.containsKey(c))
        .map(String::valueOf).collect(Collectors.toCollection(TreeSet::new));
    if (!unknown.isEmpty()) {
      throw new UnknownScopeException(unknown, scopes.keySet());
    }
    return new TreeSet<>(codes);
  }

  /**
   * The configured rules as the log records them: a purpose is excluded by opting out of itself or of the
   * scope that covers all; an exemption overrides the scopes it names. Only these rules, once logged,
   * decide an exclusion set ({@link ScopeRules}), so a later configuration cannot rewrite a past snapshot.
   */
  public ScopeRules rules() {
    SortedSet<String> coversAll = scopes.values().stream().filter(Scope::coversAll).map(Scope::code)
        .collect(Collectors.toCollection(TreeSet::new));
    Map<String, Set<String>> excludedBy = new LinkedHashMap<>();
    for (String code : scopes.keySet()) {
      SortedSet<String> by = new TreeSet<>(coversAll);
      by.add(code);
      excludedBy.put(code, by);
    }
    Map<String, Set<String>> overrides = new LinkedHashMap<>();
    exemptions.values().forEach(exemption -> overrides.put(exemption.code(), exemption.scopes()));
    return ScopeRules.of(excludedBy, overrides);
  }

  /** A scope that is not configured; the message names the codes, which are not personal data. */
  public static final class UnknownScopeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final SortedSet<String> unknown;

    UnknownScopeException(SortedSet<String> unknown, Set<String> known) {
      super("Unknown scope" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown) + "; the scopes are "
          + String.join(", ", known));
      this.unknown = unknown;
    }

    public SortedSet<String> unknown() {
      return unknown;
    }
  }
}
