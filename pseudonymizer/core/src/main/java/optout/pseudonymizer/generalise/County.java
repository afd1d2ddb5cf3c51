package optout.pseudonymizer.generalise;

import java.util.Arrays;
import java.util.Optional;

/**
 * Taiwan's 22 counties and cities (縣市), the level to which addresses are generalised, with the
 * three-digit postal-code prefixes (郵遞區號) of each.
 */
public enum County {
  TAIPEI_CITY("臺北市", "Taipei City", "100,103-106,108,110-112,114-116"),
  KEELUNG_CITY("基隆市", "Keelung City", "200-206"),
  NEW_TAIPEI_CITY("新北市", "New Taipei City", "207-208,220-224,226-228,231-239,241-244,247-249,251-253"),
  LIENCHIANG_COUNTY("連江縣", "Lienchiang County", "209-212"),
  YILAN_COUNTY("宜蘭縣", "Yilan County", "260-272"),
  HSINCHU_CITY("新竹市", "Hsinchu City", "300"),
  HSINCHU_COUNTY("新竹縣", "Hsinchu County", "302-315"),
  TAOYUAN_CITY("桃園市", "Taoyuan City", "320-338"),
  MIAOLI_COUNTY("苗栗縣", "Miaoli County", "350-369"),
  TAICHUNG_CITY("臺中市", "Taichung City", "400-439"),
  CHANGHUA_COUNTY("彰化縣", "Changhua County", "500-530"),
  NANTOU_COUNTY("南投縣", "Nantou County", "540-558"),
  CHIAYI_CITY("嘉義市", "Chiayi City", "600"),
  CHIAYI_COUNTY("嘉義縣", "Chiayi County", "602-625"),
  YUNLIN_COUNTY("雲林縣", "Yunlin County", "630-655"),
  TAINAN_CITY("臺南市", "Tainan City", "700-745"),
  KAOHSIUNG_CITY("高雄市", "Kaohsiung City", "800-852"),
  PENGHU_COUNTY("澎湖縣", "Penghu County", "880-885"),
  KINMEN_COUNTY("金門縣", "Kinmen County", "890-896"),
  PINGTUNG_COUNTY("屏東縣", "Pingtung County", "900-947"),
  TAITUNG_COUNTY("臺東縣", "Taitung County", "950-966"),
  HUALIEN_COUNTY("花蓮縣", "Hualien County", "970-983");

  private final String chineseName;
  private final String englishName;
  private final int[][] prefixRanges;

  County(String chineseName, String englishName, String prefixes) {
    this.chineseName = chineseName;
    this.englishName = englishName;
    this.prefixRanges = Arrays.stream(prefixes.split(","))
        .map(range -> range.split("-"))
        .map(bounds -> new int[] {Integer.parseInt(bounds[0]), Integer.parseInt(bounds[bounds.length - 1])})
        .toArray(int[][]::new);
  }

  public String chineseName() {
    return chineseName;
  }

  public String englishName() {
    return englishName;
  }

  /**
   * The county or city of a postal code: 3 digits, or 5 or 6 (3+2, 3+3); only the first three count.
   *
   * @throws IllegalArgumentException if the code is malformed or its prefix belongs to no county
   */
  public static County ofPostalCode(String postalCode) {
    String code = postalCode == null ? "" : postalCode.strip();
    if (!code.matches("\\d{3}(\\d{2,3})?")) {
      throw new IllegalArgumentException("Cannot generalise postal code: it must be 3, 5 or 6 digits");
    }
    int prefix = Integer.parseInt(code.substring(0, 3));
    return lookUp(prefix).orElseThrow(() ->
        new IllegalArgumentException("Cannot generalise postal code: no county or city has the prefix " + prefix));
  }

  static Optional<County> lookUp(int prefix) {
    return Arrays.stream(values()).filter(county -> county.covers(prefix)).findFirst();
  }

  boolean covers(int prefix) {
    return Arrays.stream(prefixRanges).anyMatch(range -> prefix >= range[0] && prefix <= range[1]);
  }
}
