package optout.pad.quality;

/** Why a clerk should not accept a capture, in words a clerk and the citizen can read. */
public enum QualityIssue {
  PEN_NEVER_DOWN("筆尖未接觸簽名板，請在簽名板上簽名。", "The pen never touched the pad. Please sign on the pad."),
  TOO_FEW_POINTS("簽名的筆跡點太少，請重新簽名。", "The signature has too few points. Please sign again."),
  TOO_SHORT("簽名時間過短，請以平常的方式完整簽名。", "The signature was too quick. Please sign in full, as you usually do."),
  ALL_POINTS_IDENTICAL("筆跡沒有移動，請重新簽名。", "The pen did not move. Please sign again."),
  TOO_SMALL("簽名太小，請寫大一些。", "The signature is too small. Please sign larger.");

  private final String traditionalChinese;
  private final String english;

  QualityIssue(String traditionalChinese, String english) {
    this.traditionalChinese = traditionalChinese;
    this.english = english;
  }

  /** The reason in Traditional Chinese (zh-TW), shown first. */
  public String traditionalChinese() {
    return traditionalChinese;
  }

  public String english() {
    return english;
  }
}
