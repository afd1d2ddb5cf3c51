package optout.warehouse.synthetic;

import java.util.Arrays;
import java.util.List;

/** A fixed list of items drawn with fixed relative weights (a cumulative table and a binary search). */
final class Weighted<T> {

  private final Object[] items;
  private final double[] cumulative;

  Weighted(List<T> items, List<Double> weights) {
    if (items.isEmpty() || items.size() != weights.size()) {
      throw new IllegalArgumentException("Cannot weigh " + items.size() + " items with " + weights.size() + " weights");
    }
    this.items = items.toArray();
    this.cumulative = new double[weights.size()];
    double total = 0;
    for (int i = 0; i < cumulative.length; i++) {
      if (!(weights.get(i) >= 0)) {
        throw new IllegalArgumentException("Cannot use a negative weight");
      }
      total += weights.get(i);
      cumulative[i] = total;
    }
    if (total <= 0) {
      throw new IllegalArgumentException("Cannot draw when every weight is 0");
    }
  }

  @SuppressWarnings("unchecked")
  T draw(Rng rng) {
    double target = rng.nextDouble() * cumulative[cumulative.length - 1];
    int index = Arrays.binarySearch(cumulative, target);
    index = index >= 0 ? index + 1 : -index - 1;
    return (T) items[Math.min(index, items.length - 1)];
  }

  int size() {
    return items.length;
  }
}
