package optout.pad.api;

/** The buttons of the signing screen; each label reads in Traditional Chinese and English. */
public enum PadButton {
  OK("確定", "OK"),
  CLEAR("清除", "Clear"),
  CANCEL("取消", "Cancel");

  private final String traditionalChinese;
  private final String english;

  PadButton(String traditionalChinese, String english) {
    this.traditionalChinese = traditionalChinese;
    this.english = english;
  }

  public String traditionalChinese() {
    return traditionalChinese;
  }

  public String english() {
    return english;
  }
}
