package optout.consent.form;

/**
 * One text of a form in Traditional Chinese, shown first, and in English, shown after it: the
 * platform's pages and forms are zh-TW first with English.
 */
public record Bilingual(String zh, String en) {

  public Bilingual {
    if (zh == null || zh.isBlank() || en == null || en.isBlank()) {
      throw new IllegalArgumentException("Cannot make a bilingual text: it needs both the Chinese and the English");
    }
  }

  /** Both texts with every {@code {name}} replaced by {@code value}. */
  public Bilingual with(String name, String value) {
    String placeholder = "{" + name + "}";
    return new Bilingual(zh.replace(placeholder, value), en.replace(placeholder, value));
  }
}
