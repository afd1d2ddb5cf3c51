package optout.disclosure;

import java.util.OptionalLong;

/**
 * What the public sees in one cell: a count, or that it is suppressed. A suppressed cell carries neither
 * its count nor why it was suppressed (that is in {@link SuppressionAudit}, for auditors), so no view that
 * prints a cell can leak either.
 */
public sealed interface CellValue permits CellValue.Shown, CellValue.Suppressed {

  static CellValue shown(long count) {
    return new Shown(count);
  }

  /** The one suppressed value: all suppressed cells look the same. */
  CellValue SUPPRESSED = Suppressed.INSTANCE;

  /** The count, or empty when suppressed. */
  OptionalLong count();

  boolean suppressed();

  /** A published count: zero, or at least the threshold. */
  record Shown(long value) implements CellValue {

    public Shown {
      if (value < 0) {
        throw new IllegalArgumentException("Cannot show a cell: a count is never negative");
      }
    }

    @Override
    public OptionalLong count() {
      return OptionalLong.of(value);
    }

    @Override
    public boolean suppressed() {
      return false;
    }

    @Override
    public String toString() {
      return Long.toString(value);
    }
  }

  /** A suppressed cell: nothing but the fact. */
  enum Suppressed implements CellValue {
    INSTANCE;

    @Override
    public OptionalLong count() {
      return OptionalLong.empty();
    }

    @Override
    public boolean suppressed() {
      return true;
    }

    @Override
    public String toString() {
      return "suppressed";
    }
  }
}
