package optout.warehouse.synthetic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import optout.pseudonymizer.generalise.County;

/**
 * Taiwan's population as the generator draws it: the age-sex pyramid of the early 2020s (5-year bands,
 * thousands, rounded from the Ministry of the Interior's household registration statistics for 2023),
 * the counties' populations, their 3-digit postal codes, and the first letter of the national ID of
 * people first registered in each county.
 */
final class Population {

  private Population() {}

  /** Thousands of men, then women, per 5-year band 0-4, 5-9, ..., 95-99, 100-104 (age at the period's end). */
  static final int[] MEN = {385, 508, 530, 540, 670, 790, 805, 870, 1000, 920, 900, 880, 835, 730, 540, 295, 190, 110, 45, 12, 2};
  static final int[] WOMEN = {362, 475, 490, 502, 628, 740, 775, 870, 1020, 935, 915, 910, 880, 800, 610, 355, 240, 150, 70, 22, 5};

  static final double MALE_SHARE = (double) Arrays.stream(MEN).sum() / (Arrays.stream(MEN).sum() + Arrays.stream(WOMEN).sum());

  /** Thousands of residents per county or city (2023). */
  static final Map<County, Integer> RESIDENTS = new EnumMap<>(County.class);
  /** The real 3-digit postal codes (郵遞區號) of each county; every one lies within {@link County}'s prefixes. */
  static final Map<County, int[]> POSTAL_CODES = new EnumMap<>(County.class);
  /** The national ID's first letter of people first registered in the county (the letter table since 2010). */
  static final Map<County, Character> LETTER = new EnumMap<>(County.class);

  private static void county(County county, int thousands, char letter, int... postalCodes) {
    RESIDENTS.put(county, thousands);
    LETTER.put(county, letter);
    POSTAL_CODES.put(county, postalCodes);
  }

  static {
    county(County.TAIPEI_CITY, 2510, 'A', 100, 103, 104, 105, 106, 108, 110, 111, 112, 114, 115, 116);
    county(County.KEELUNG_CITY, 365, 'C', 200, 201, 202, 203, 204, 205, 206);
    county(County.NEW_TAIPEI_CITY, 4004, 'F', 207, 208, 220, 221, 222, 223, 224, 226, 227, 228, 231, 232, 233, 234, 235,
        236, 237, 238, 239, 241, 242, 243, 244, 247, 248, 249, 251, 252, 253);
    county(County.LIENCHIANG_COUNTY, 14, 'Z', 209, 210, 211, 212);
    county(County.YILAN_COUNTY, 450, 'G', 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 270, 272);
    county(County.HSINCHU_CITY, 452, 'O', 300);
    county(County.HSINCHU_COUNTY, 590, 'J', 302, 303, 304, 305, 306, 307, 308, 310, 311, 312, 313, 314, 315);
    county(County.TAOYUAN_CITY, 2300, 'H', 320, 324, 325, 326, 327, 328, 330, 333, 334, 335, 336, 337, 338);
    county(County.MIAOLI_COUNTY, 536, 'K', 350, 351, 352, 353, 354, 356, 357, 358, 360, 361, 362, 363, 364, 365, 366, 367,
        368, 369);
    county(County.TAICHUNG_CITY, 2850, 'B', 400, 401, 402, 403, 404, 406, 407, 408, 411, 412, 413, 414, 420, 421, 422, 423,
        424, 426, 427, 428, 429, 432, 433, 434, 435, 436, 437, 438, 439);
    county(County.CHANGHUA_COUNTY, 1240, 'N', 500, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511, 512, 513, 514, 515,
        516, 520, 521, 522, 523, 524, 525, 526, 527, 528, 530);
    county(County.NANTOU_COUNTY, 480, 'M', 540, 541, 542, 544, 545, 546, 551, 552, 553, 555, 556, 557, 558);
    county(County.CHIAYI_CITY, 263, 'I', 600);
    county(County.CHIAYI_COUNTY, 480, 'Q', 602, 603, 604, 605, 606, 607, 608, 611, 612, 613, 614, 615, 616, 621, 622, 623,
        624, 625);
    county(County.YUNLIN_COUNTY, 670, 'P', 630, 631, 632, 633, 634, 635, 636, 637, 638, 640, 643, 646, 647, 648, 649, 651,
        652, 653, 654, 655);
    county(County.TAINAN_CITY, 1860, 'D', 700, 701, 702, 704, 708, 709, 710, 711, 712, 713, 714, 715, 716, 717, 718, 719,
        720, 721, 722, 723, 724, 725, 726, 727, 730, 731, 732, 733, 734, 735, 736, 737, 741, 742, 743, 744, 745);
    county(County.KAOHSIUNG_CITY, 2740, 'E', 800, 801, 802, 803, 804, 805, 806, 807, 811, 812, 813, 814, 815, 820, 821, 822,
        823, 824, 825, 826, 827, 828, 829, 830, 831, 832, 833, 840, 842, 843, 844, 845, 846, 847, 848, 849, 851, 852);
    county(County.PENGHU_COUNTY, 107, 'X', 880, 881, 882, 883, 884, 885);
    county(County.KINMEN_COUNTY, 145, 'W', 890, 891, 892, 893, 894, 896);
    county(County.PINGTUNG_COUNTY, 800, 'T', 900, 901, 902, 903, 904, 905, 906, 907, 908, 909, 911, 912, 913, 920, 921,
        922, 923, 924, 925, 926, 927, 928, 929, 931, 932, 940, 941, 942, 943, 944, 945, 946, 947);
    county(County.TAITUNG_COUNTY, 213, 'V', 950, 951, 952, 953, 954, 955, 956, 957, 958, 959, 961, 962, 963, 964, 965, 966);
    county(County.HUALIEN_COUNTY, 320, 'U', 970, 971, 972, 973, 974, 975, 976, 977, 978, 979, 981, 982, 983);
  }

  /** Counties in enum order and their population weights, for weighted draws. */
  static final County[] COUNTIES = County.values();
  static final Weighted<County> BY_RESIDENTS;

  static {
    List<County> counties = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    for (County county : COUNTIES) {
      counties.add(county);
      weights.add((double) RESIDENTS.get(county));
    }
    BY_RESIDENTS = new Weighted<>(counties, weights);
  }

  /**
   * Counties merged into their cities on 2010-12-25 kept their own letters for people registered there
   * before: L (Taichung County), R (Tainan County), S (Kaohsiung County); Y (Yangmingshan) was given until
   * 1974. The share is the old county's share of the merged city's people.
   */
  static char letter(County birthCounty, int birthYear, Rng rng) {
    if (birthYear <= 2010) {
      if (birthCounty == County.TAICHUNG_CITY && rng.chance(0.59)) {
        return 'L';
      }
      if (birthCounty == County.TAINAN_CITY && rng.chance(0.59)) {
        return 'R';
      }
      if (birthCounty == County.KAOHSIUNG_CITY && rng.chance(0.45)) {
        return 'S';
      }
      if (birthCounty == County.TAIPEI_CITY && birthYear < 1974 && rng.chance(0.04)) {
        return 'Y';
      }
    }
    return LETTER.get(birthCounty);
  }

  /** A uniform draw among the county's postal codes. */
  static int postalCode(County county, Rng rng) {
    int[] codes = POSTAL_CODES.get(county);
    return codes[rng.nextInt(codes.length)];
  }

  /** The band index (5-year bands) for a sex, weighted by the pyramid. */
  static final Weighted<Integer> MEN_BANDS = bands(MEN);
  static final Weighted<Integer> WOMEN_BANDS = bands(WOMEN);

  private static Weighted<Integer> bands(int[] thousands) {
    List<Integer> bands = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    for (int band = 0; band < thousands.length; band++) {
      bands.add(band);
      weights.add((double) thousands[band]);
    }
    return new Weighted<>(bands, weights);
  }

  /** Annual probability of dying at an age (a Gompertz curve near Taiwan's life tables), for ID_OUT_DATE. */
  static double annualMortality(int age) {
    if (age < 1) {
      return 0.004;
    }
    if (age < 30) {
      return 0.0004;
    }
    return Math.min(0.35, 0.0006 * Math.exp(0.088 * (age - 30)));
  }
}
