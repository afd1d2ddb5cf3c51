package optout.registry.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopeRulesTest {

  private static final String TEXT = """
      nhi-optout-registry-scope-rules/1
      scope academic-research excluded-by academic-research,all-secondary-use
      scope all-secondary-use excluded-by all-secondary-use
      scope commercial-use excluded-by all-secondary-use,commercial-use
      scope government-statistics excluded-by all-secondary-use,government-statistics
      exemption communicable-disease-control overrides government-statistics
      """;

  /** Configured in another order than the text's, as application.yml may list them. */
  private static ScopeCatalogue catalogue() {
    return new ScopeCatalogue(List.of(
        new Scope("government-statistics", "政府統計", "Government statistics", "PUBHLTH", false),
        new Scope("academic-research", "學術研究", "Academic research", "HRESCH", false),
        new Scope("commercial-use", "商業利用", "Commercial use", "", false),
        new Scope("all-secondary-use", "所有次級利用", "All secondary use", "", true)),
        List.of(new LegalExemption("communicable-disease-control", "傳染病防治", "Communicable disease control", "傳染病防治法",
            Set.of("government-statistics"))));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theConfiguredCatalogueEncodesToTheCanonicalTextByteForByte() {
    assertThat(new String(catalogue().rules().encode(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
  }

  @Test
  void theTextParsesBackToTheSameRulesAndTheRulesMirrorCoversAll() {
    ScopeRules rules = ScopeRules.parse(bytes(TEXT));
    assertThat(rules).isEqualTo(catalogue().rules());
    assertThat(rules.excludes(Set.of("academic-research"), "academic-research")).isTrue();
    assertThat(rules.excludes(Set.of("all-secondary-use"), "commercial-use")).isTrue();
    assertThat(rules.excludes(Set.of("commercial-use"), "academic-research")).isFalse();
    assertThat(rules.excludes(Set.of("a-scope-no-longer-configured"), "academic-research")).isFalse();
    assertThat(rules.overrides("communicable-disease-control")).hasValueSatisfying(p -> assertThat(p).containsExactly("government-statistics"));
    assertThatThrownBy(() -> rules.excludes(Set.of(), "astrology")).hasMessage("Unknown purpose astrology in the scope rules");
  }

  @Test
  void namesAndDescriptionsAreNotRules() {
    ScopeCatalogue renamed = new ScopeCatalogue(List.of(
        new Scope("academic-research", "學術", "Research", "", false),
        new Scope("all-secondary-use", "全部", "Everything", "", true),
        new Scope("commercial-use", "商業", "Commerce", "", false),
        new Scope("government-statistics", "統計", "Statistics", "", false)),
        List.of(new LegalExemption("communicable-disease-control", "防疫", "Disease control", "another basis", Set.of("government-statistics"))));
    assertThat(renamed.rules().encode()).isEqualTo(catalogue().rules().encode());
  }

  @Test
  void onlyTheCanonicalTextParses() {
    assertThatThrownBy(() -> ScopeRules.parse(bytes(TEXT.strip())))
        .hasMessage("Cannot read scope rules: the text must end in a newline");
    assertThatThrownBy(() -> ScopeRules.parse(bytes(TEXT.replace("/1", "/2"))))
        .hasMessage("Cannot read scope rules: line 1 must be nhi-optout-registry-scope-rules/1");
    assertThatThrownBy(() -> ScopeRules.parse(bytes(TEXT.replace("academic-research,all-secondary-use", "all-secondary-use,academic-research"))))
        .hasMessage("Cannot read scope rules: the text is not canonical (lines and lists sorted, no repeats)");
    String swapped = TEXT.replace("scope academic-research excluded-by academic-research,all-secondary-use\n", "")
        .replace("scope commercial-use", "scope academic-research excluded-by academic-research,all-secondary-use\nscope commercial-use");
    assertThatThrownBy(() -> ScopeRules.parse(bytes(swapped))).hasMessageContaining("is not canonical");
    assertThatThrownBy(() -> ScopeRules.parse(bytes(TEXT.replace("excluded-by all-secondary-use\n", "excluded-by all-secondary-use \n"))))
        .hasMessageContaining("line 3 must be");
    assertThatThrownBy(() -> ScopeRules.parse(bytes(TEXT + "scope zoology excluded-by zoology\n")))
        .hasMessageContaining("line 7 must be \"scope <code> excluded-by <codes>\" or, after every scope line");
    assertThatThrownBy(() -> ScopeRules.parse(bytes(TEXT.replace("overrides government-statistics", "overrides astrology"))))
        .hasMessage("Cannot read scope rules: Cannot make scope rules: the rule of communicable-disease-control names astrology, which is not a scope");
    assertThatThrownBy(() -> ScopeRules.parse(bytes(TEXT.replace("excluded-by all-secondary-use\n", "excluded-by \n"))))
        .hasMessageContaining("a scope code must be lower-case words");
    assertThatThrownBy(() -> ScopeRules.parse(bytes("nhi-optout-registry-scope-rules/1\n")))
        .hasMessage("Cannot read scope rules: Cannot make scope rules: at least one scope is needed");
    assertThatThrownBy(() -> ScopeRules.parse(bytes(TEXT.replace("scope commercial-use", "scope Commercial-Use"))))
        .hasMessageContaining("code must be lower-case words");
  }

  @Test
  void rulesNameOnlyScopesTheyHaveRulesFor() {
    assertThatThrownBy(() -> ScopeRules.of(Map.of("academic-research", Set.of("all-secondary-use")), Map.of()))
        .hasMessage("Cannot make scope rules: the rule of academic-research names all-secondary-use, which is not a scope");
    assertThatThrownBy(() -> ScopeRules.of(Map.of("academic-research", Set.of()), Map.of()))
        .hasMessage("Cannot make scope rules: scope academic-research has no excluded-by scope");
  }
}
