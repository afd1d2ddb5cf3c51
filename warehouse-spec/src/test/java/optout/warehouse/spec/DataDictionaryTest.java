package optout.warehouse.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import optout.warehouse.spec.DataDictionary.Kind;
import optout.warehouse.spec.DataDictionary.Release;
import org.junit.jupiter.api.Test;

class DataDictionaryTest {

  /** The release rule table of the README: whatever could link a project to another, or to the warehouse, is project-keyed. */
  @Test
  void everyKindHasItsReleaseRule() {
    Map<Kind, Release> rules = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      rules.put(kind, kind.release());
    }
    assertThat(rules).containsExactlyInAnyOrderEntriesOf(Map.of(
        Kind.PERSON, Release.PROJECT_PSEUDONYM,
        Kind.ORGANISATION, Release.PROJECT_TOKEN,
        Kind.RECORD_KEY, Release.PROJECT_RECORD_KEY,
        Kind.QUASI_IDENTIFIER, Release.GENERALISED,
        Kind.CONTENT, Release.AS_IS));
  }

  /** Orders join their parent on a record key named alike in both tables, so both map through the same permutation. */
  @Test
  void everyParentKeyIsARecordKeyOfTheSameNameInBothTables() {
    for (DataDictionary.Table table : DataDictionary.tables()) {
      table.parentKey().ifPresent(key -> {
        DataDictionary.Table parent = DataDictionary.table(table.parent().orElseThrow()).orElseThrow();
        assertThat(table.column(key)).as("%s.%s", table.name(), key).hasValueSatisfying(c -> assertThat(c.kind()).isEqualTo(Kind.RECORD_KEY));
        assertThat(parent.column(key)).as("%s.%s", parent.name(), key).hasValueSatisfying(c -> assertThat(c.kind()).isEqualTo(Kind.RECORD_KEY));
      });
    }
  }

  @Test
  void everyColumnInTheWarehouseOrderIsInTheDictionary() {
    for (DataDictionary.Table table : DataDictionary.tables()) {
      assertThat(DataDictionary.columnOrder(table.name())).containsExactlyInAnyOrderElementsOf(table.columns().keySet());
    }
  }
}
