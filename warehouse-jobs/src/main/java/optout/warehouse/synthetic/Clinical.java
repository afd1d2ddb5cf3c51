package optout.warehouse.synthetic;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The clinical vocabulary of the synthetic claims: ICD-10-CM diagnoses (without the dot, as the NHIRD
 * stores them) with weights shaped like Taiwan's outpatient and inpatient case mix, the chronic
 * conditions people keep, NHI-looking drug codes (10 characters) tied loosely to the diagnoses, and
 * procedure codes. The codes are real ICD-10-CM codes; the drug codes only look like NHI codes.
 */
final class Clinical {

  private Clinical() {}

  // ---------------------------------------------------------------- departments (FUNC_TYPE)
  static final String GENERAL = "00";
  static final String FAMILY = "01";
  static final String INTERNAL = "02";
  static final String SURGERY = "03";
  static final String PAEDIATRICS = "04";
  static final String OBSTETRICS = "05";
  static final String ORTHOPAEDICS = "06";
  static final String UROLOGY = "08";
  static final String ENT = "09";
  static final String OPHTHALMOLOGY = "10";
  static final String DERMATOLOGY = "11";
  static final String NEUROLOGY = "12";
  static final String PSYCHIATRY = "13";
  static final String REHABILITATION = "14";
  static final String EMERGENCY = "22";
  static final String DENTAL = "40";
  static final String CHINESE_MEDICINE = "60";

  // ---------------------------------------------------------------- drugs and procedures
  /** What a drug is used for; a diagnosis names the groups its prescriptions come from. */
  enum DrugGroup {
    COLD, COLD_SYRUP, ANTIBIOTIC, ALLERGY, GASTRIC, PPI, BOWEL, PAIN, MUSCLE, SKIN, EYE, ANXIETY, HERBAL,
    HYPERTENSION, DIABETES, LIPID, CARDIAC, ANTICOAGULANT, RENAL, PROSTATE, BONE, THYROID, GOUT, DEPRESSION, SLEEP,
    DEMENTIA, INHALER, HEPATITIS, GLAUCOMA, INPATIENT
  }

  /** A drug: NHI-looking 10-character code, points per unit, units per use, uses per day. */
  record Drug(String code, DrugGroup group, BigDecimal unitPrice, BigDecimal dose, int timesPerDay, boolean perCourse) {}

  /** A procedure, lab test or treatment: NHI-looking code and points. */
  record Procedure(String code, int points) {}

  static final List<Drug> DRUGS = new ArrayList<>();
  static final Map<DrugGroup, List<Drug>> DRUGS_BY_GROUP = new EnumMap<>(DrugGroup.class);

  private static void drug(String code, DrugGroup group, String price, String dose, int timesPerDay) {
    add(new Drug(code, group, new BigDecimal(price), new BigDecimal(dose), timesPerDay, false));
  }

  /** A drug given once per prescription (an inhaler, a bottle of drops, a tube), whatever the days. */
  private static void course(String code, DrugGroup group, String price) {
    add(new Drug(code, group, new BigDecimal(price), BigDecimal.ONE, 1, true));
  }

  private static void add(Drug drug) {
    if (drug.code().length() != 10) {
      throw new IllegalStateException("drug code of length " + drug.code().length());
    }
    DRUGS.add(drug);
    DRUGS_BY_GROUP.computeIfAbsent(drug.group(), g -> new ArrayList<>()).add(drug);
  }

  static {
    // acute: colds, coughs, fevers (tablets; syrups for small children, per ml)
    drug("AC36587100", DrugGroup.COLD, "1.50", "1", 3);     // acetaminophen 500 mg
    drug("AC29312100", DrugGroup.COLD, "0.80", "1", 3);     // chlorpheniramine 4 mg
    drug("AC41735100", DrugGroup.COLD, "1.50", "1", 3);     // dextromethorphan 20 mg
    drug("AC38811100", DrugGroup.COLD, "1.50", "1", 3);     // bromhexine 8 mg
    drug("AC45120100", DrugGroup.COLD, "2.00", "1", 3);     // ambroxol 30 mg
    drug("AC40026100", DrugGroup.COLD, "1.20", "1", 3);     // pseudoephedrine 60 mg
    drug("AC47756151", DrugGroup.COLD_SYRUP, "0.30", "5", 3);   // acetaminophen syrup, ml
    drug("AC43318151", DrugGroup.COLD_SYRUP, "0.25", "3", 3);   // antitussive syrup, ml
    drug("AC39902151", DrugGroup.COLD_SYRUP, "0.28", "3", 3);   // antihistamine syrup, ml
    drug("AC44607151", DrugGroup.COLD_SYRUP, "0.35", "2.5", 3); // ambroxol syrup, ml
    drug("AC33015100", DrugGroup.ANTIBIOTIC, "3.50", "1", 3);   // amoxicillin 500 mg
    drug("BC23567100", DrugGroup.ANTIBIOTIC, "11.00", "1", 2);  // amoxicillin-clavulanate 625 mg
    drug("AC35409100", DrugGroup.ANTIBIOTIC, "4.00", "1", 4);   // cephalexin 500 mg
    drug("BC21844100", DrugGroup.ANTIBIOTIC, "18.00", "1", 1);  // azithromycin 250 mg
    drug("AC46118100", DrugGroup.ALLERGY, "2.50", "1", 1);      // cetirizine 10 mg
    drug("AC44782100", DrugGroup.ALLERGY, "2.20", "1", 1);      // loratadine 10 mg
    drug("BC24401100", DrugGroup.ALLERGY, "5.00", "1", 2);      // fexofenadine 60 mg
    drug("BC22738100", DrugGroup.ALLERGY, "18.00", "1", 1);     // montelukast 10 mg
    // stomach and bowel
    drug("AC38224100", DrugGroup.GASTRIC, "1.80", "1", 2);      // famotidine 20 mg
    drug("AC30914100", DrugGroup.GASTRIC, "1.50", "1", 3);      // magnesium oxide 250 mg
    drug("AC42570100", DrugGroup.GASTRIC, "1.50", "1", 3);      // domperidone 10 mg
    drug("AC49931100", DrugGroup.GASTRIC, "2.00", "1", 3);      // mosapride 5 mg
    drug("BC25120100", DrugGroup.PPI, "20.00", "1", 1);         // esomeprazole 40 mg
    drug("AC48867100", DrugGroup.PPI, "14.00", "1", 1);         // pantoprazole 40 mg
    drug("AC31206100", DrugGroup.BOWEL, "0.80", "2", 1);        // sennoside 12 mg
    drug("AC37455100", DrugGroup.BOWEL, "1.20", "1", 3);        // loperamide 2 mg
    drug("AC35502100", DrugGroup.BOWEL, "2.00", "1", 3);        // hyoscine butylbromide 10 mg
    // pain, muscles, skin, eyes, nerves
    drug("AC34781100", DrugGroup.PAIN, "1.50", "1", 3);         // ibuprofen 400 mg
    drug("AC32290100", DrugGroup.PAIN, "1.50", "1", 3);         // diclofenac 25 mg
    drug("BC23304100", DrugGroup.PAIN, "9.00", "1", 2);         // celecoxib 200 mg
    drug("AC46502100", DrugGroup.PAIN, "5.00", "1", 3);         // tramadol/acetaminophen
    drug("AC39180100", DrugGroup.MUSCLE, "1.50", "1", 3);       // chlorzoxazone 250 mg
    drug("AC42206100", DrugGroup.MUSCLE, "2.50", "1", 3);       // eperisone 50 mg
    course("AC41990321", DrugGroup.MUSCLE, "35.00");            // diclofenac gel tube
    course("AC26633321", DrugGroup.SKIN, "22.00");              // betamethasone cream tube
    course("AC28805321", DrugGroup.SKIN, "25.00");              // clotrimazole cream tube
    course("BC24987321", DrugGroup.SKIN, "95.00");              // adapalene gel tube
    course("AC37740419", DrugGroup.EYE, "38.00");               // antihistamine eye drops
    course("AC40318419", DrugGroup.EYE, "30.00");               // ofloxacin eye drops
    course("AC45901419", DrugGroup.EYE, "40.00");               // artificial tears
    drug("AC30055100", DrugGroup.ANXIETY, "1.50", "1", 2);      // alprazolam 0.5 mg
    drug("AC31678100", DrugGroup.ANXIETY, "1.50", "1", 2);      // lorazepam 0.5 mg
    drug("A032145100", DrugGroup.HERBAL, "3.00", "5", 3);       // concentrated herbal granules, g
    drug("A036672100", DrugGroup.HERBAL, "3.20", "4", 3);
    drug("A041083100", DrugGroup.HERBAL, "2.80", "3", 3);
    // chronic
    drug("AC45856100", DrugGroup.HYPERTENSION, "2.40", "1", 1); // amlodipine 5 mg
    drug("BC22151100", DrugGroup.HYPERTENSION, "6.80", "1", 1); // losartan 50 mg
    drug("BC23949100", DrugGroup.HYPERTENSION, "8.00", "1", 1); // valsartan 80 mg
    drug("BC25331100", DrugGroup.HYPERTENSION, "8.50", "1", 1); // olmesartan 20 mg
    drug("AC47310100", DrugGroup.HYPERTENSION, "3.30", "1", 1); // bisoprolol 5 mg
    drug("AC37927100", DrugGroup.DIABETES, "1.60", "1", 2);     // metformin 500 mg
    drug("AC43542100", DrugGroup.DIABETES, "2.50", "1", 1);     // glimepiride 2 mg
    drug("BC24838100", DrugGroup.DIABETES, "23.00", "1", 1);    // sitagliptin 100 mg
    drug("BC26137100", DrugGroup.DIABETES, "24.00", "1", 1);    // linagliptin 5 mg
    drug("BC26590100", DrugGroup.DIABETES, "28.00", "1", 1);    // empagliflozin 10 mg
    course("BC25718209", DrugGroup.DIABETES, "540.00");         // insulin glargine pen
    drug("BC23688100", DrugGroup.LIPID, "12.00", "1", 1);       // atorvastatin 20 mg
    drug("BC24015100", DrugGroup.LIPID, "10.00", "1", 1);       // rosuvastatin 10 mg
    drug("BC24960100", DrugGroup.LIPID, "17.00", "1", 1);       // ezetimibe 10 mg
    drug("AC44453100", DrugGroup.LIPID, "6.00", "1", 1);        // fenofibrate 160 mg
    drug("AC32514100", DrugGroup.CARDIAC, "1.50", "1", 1);      // aspirin 100 mg
    drug("BC23015100", DrugGroup.CARDIAC, "16.00", "1", 1);     // clopidogrel 75 mg
    drug("AC31932100", DrugGroup.CARDIAC, "1.50", "1", 1);      // furosemide 40 mg
    drug("AC33870100", DrugGroup.CARDIAC, "2.00", "1", 1);      // spironolactone 25 mg
    drug("BC26977100", DrugGroup.CARDIAC, "41.00", "1", 2);     // sacubitril/valsartan 100 mg
    drug("BC25944100", DrugGroup.ANTICOAGULANT, "58.00", "1", 1); // rivaroxaban 15 mg
    drug("BC26220100", DrugGroup.ANTICOAGULANT, "35.00", "1", 2); // apixaban 5 mg
    drug("BC21777100", DrugGroup.RENAL, "9.00", "2", 3);        // keto-analogues
    drug("AC34466100", DrugGroup.RENAL, "1.20", "1", 3);        // calcium carbonate 500 mg
    drug("BC22604100", DrugGroup.PROSTATE, "9.00", "1", 1);     // tamsulosin 0.2 mg
    drug("BC23470100", DrugGroup.BONE, "77.00", "1", 1);        // alendronate 70 mg (weekly)
    drug("AC40672100", DrugGroup.BONE, "1.80", "1", 1);         // calcium with vitamin D
    drug("AC30738100", DrugGroup.THYROID, "2.00", "1", 1);      // levothyroxine 0.1 mg
    drug("AC33128100", DrugGroup.GOUT, "1.50", "1", 1);         // allopurinol 100 mg
    drug("BC25402100", DrugGroup.GOUT, "16.00", "1", 1);        // febuxostat 80 mg
    drug("BC23826100", DrugGroup.DEPRESSION, "12.00", "1", 1);  // sertraline 50 mg
    drug("BC24733100", DrugGroup.DEPRESSION, "18.00", "1", 1);  // escitalopram 10 mg
    drug("AC43809100", DrugGroup.SLEEP, "5.00", "1", 1);        // zolpidem 10 mg
    drug("BC22889100", DrugGroup.DEMENTIA, "25.00", "1", 1);    // donepezil 5 mg
    course("BC24452229", DrugGroup.INHALER, "650.00");          // budesonide/formoterol inhaler
    course("BC25683229", DrugGroup.INHALER, "1000.00");         // tiotropium inhaler
    drug("BC24571100", DrugGroup.HEPATITIS, "40.00", "1", 1);   // entecavir 0.5 mg
    course("BC23199419", DrugGroup.GLAUCOMA, "260.00");         // latanoprost eye drops
    // inpatient (injections and infusions)
    drug("AC59800209", DrugGroup.INPATIENT, "45.00", "1", 3);   // cefazolin 1 g vial
    drug("BC27015209", DrugGroup.INPATIENT, "310.00", "1", 3);  // piperacillin/tazobactam vial
    drug("AC49622209", DrugGroup.INPATIENT, "22.00", "1", 2);   // normal saline 500 ml
    drug("AC50183209", DrugGroup.INPATIENT, "18.00", "1", 2);   // paracetamol infusion
  }

  static final Procedure GLUCOSE = new Procedure("09005C", 40);
  static final Procedure HBA1C = new Procedure("09006C", 200);
  static final Procedure CHOLESTEROL = new Procedure("09001C", 80);
  static final Procedure TRIGLYCERIDE = new Procedure("09004C", 80);
  static final Procedure LDL = new Procedure("09044C", 250);
  static final Procedure CREATININE = new Procedure("09015C", 40);
  static final Procedure ALT = new Procedure("09026C", 40);
  static final Procedure CBC = new Procedure("08011C", 80);
  static final Procedure URINALYSIS = new Procedure("06013C", 75);
  static final Procedure ECG = new Procedure("18001C", 150);
  static final Procedure CHEST_XRAY = new Procedure("32001C", 200);
  static final Procedure SPINE_XRAY = new Procedure("32011C", 210);
  static final Procedure ABDOMEN_ECHO = new Procedure("19001C", 800);
  static final Procedure FILLING = new Procedure("89001C", 500);
  static final Procedure COMPOSITE_FILLING = new Procedure("89008C", 650);
  static final Procedure SCALING = new Procedure("91004C", 600);
  static final Procedure PERIODONTAL = new Procedure("91003C", 800);
  static final Procedure DENTAL_XRAY = new Procedure("34001C", 150);
  static final Procedure EXTRACTION = new Procedure("92013C", 700);
  static final Procedure PHYSIOTHERAPY = new Procedure("42001C", 200);
  static final Procedure HEAT_THERAPY = new Procedure("43001C", 150);
  static final Procedure EYE_EXAM = new Procedure("23702C", 110);
  static final Procedure EYE_PRESSURE = new Procedure("23501C", 80);
  static final Procedure NASAL_TREATMENT = new Procedure("54019C", 50);
  static final Procedure NEBULISER = new Procedure("57023B", 90);
  static final Procedure OBSTETRIC_ECHO = new Procedure("19010C", 600);
  static final Procedure PAP_SMEAR = new Procedure("12020C", 200);
  static final Procedure ACUPUNCTURE = new Procedure("B41", 220);
  static final Procedure VACCINE_ADMIN = new Procedure("A2001C", 100);
  static final Procedure WOUND_DRESSING = new Procedure("48011C", 95);
  static final Procedure PSYCHOTHERAPY = new Procedure("45010C", 300);
  static final Procedure RAPID_TEST = new Procedure("14084C", 300);

  // ---------------------------------------------------------------- chronic conditions
  /**
   * Conditions a person keeps for the whole period, with prevalence by age (linear between the given
   * ages, flat beyond), a factor for men and for women, their department, drugs and follow-up tests.
   */
  enum Chronic {
    HYPERTENSION("I10", new int[] {20, 30, 40, 50, 60, 70, 80}, new double[] {0.002, 0.02, 0.08, 0.20, 0.34, 0.48, 0.58}, 1.1, 0.9,
        "02:3,01:3,00:2", false, DrugGroup.HYPERTENSION),
    DIABETES("E119", new int[] {10, 30, 40, 50, 60, 70, 80}, new double[] {0.002, 0.01, 0.04, 0.10, 0.17, 0.23, 0.25}, 1.1, 0.9,
        "02:4,01:3,00:1", false, DrugGroup.DIABETES),
    HYPERLIPIDAEMIA("E785", new int[] {25, 40, 50, 60, 70, 80}, new double[] {0.01, 0.07, 0.16, 0.26, 0.31, 0.28}, 1.0, 1.0,
        "02:3,01:3,00:1", false, DrugGroup.LIPID),
    REFLUX("K219", new int[] {15, 40, 60, 80}, new double[] {0.01, 0.05, 0.08, 0.09}, 1.0, 1.0, "02:3,01:2,00:1", false,
        DrugGroup.PPI),
    KIDNEY("N183", new int[] {40, 60, 70, 80}, new double[] {0.004, 0.03, 0.07, 0.12}, 1.1, 0.9, "02:3", true, DrugGroup.RENAL),
    CORONARY("I2510", new int[] {40, 50, 60, 70, 80}, new double[] {0.004, 0.02, 0.05, 0.09, 0.13}, 1.4, 0.6, "02:4", true,
        DrugGroup.CARDIAC),
    COPD("J449", new int[] {40, 60, 70, 80}, new double[] {0.004, 0.03, 0.06, 0.09}, 1.8, 0.3, "02:3,01:1", true,
        DrugGroup.INHALER),
    KNEE_ARTHROSIS("M170", new int[] {40, 50, 60, 70, 80}, new double[] {0.01, 0.05, 0.12, 0.20, 0.25}, 0.7, 1.3,
        "06:4,14:3,60:2", false, DrugGroup.PAIN),
    PROSTATE("N401", new int[] {40, 50, 60, 70, 80}, new double[] {0.01, 0.06, 0.15, 0.25, 0.30}, 2.0, 0.0, "08:5,01:1", false,
        DrugGroup.PROSTATE),
    OSTEOPOROSIS("M810", new int[] {50, 60, 70, 80}, new double[] {0.02, 0.08, 0.15, 0.22}, 0.25, 1.75, "06:3,02:1", false,
        DrugGroup.BONE),
    DEPRESSION("F329", new int[] {12, 25, 45, 65, 80}, new double[] {0.005, 0.02, 0.03, 0.03, 0.04}, 0.6, 1.4, "13:5,12:1", false,
        DrugGroup.DEPRESSION),
    INSOMNIA("G4700", new int[] {20, 40, 60, 80}, new double[] {0.02, 0.04, 0.08, 0.12}, 0.8, 1.2, "13:2,12:2,01:2,02:1", false,
        DrugGroup.SLEEP),
    ASTHMA("J45909", new int[] {0, 10, 20, 60, 80}, new double[] {0.03, 0.05, 0.03, 0.03, 0.04}, 1.0, 1.0, "02:2,04:2,01:1", false,
        DrugGroup.INHALER),
    DEMENTIA("F0390", new int[] {65, 75, 85, 95}, new double[] {0.005, 0.04, 0.15, 0.25}, 0.8, 1.2, "12:4,13:1", true,
        DrugGroup.DEMENTIA),
    HYPOTHYROIDISM("E039", new int[] {20, 50, 80}, new double[] {0.004, 0.012, 0.016}, 0.3, 1.7, "02:3,01:1", false,
        DrugGroup.THYROID),
    GOUT("M109", new int[] {25, 50, 70}, new double[] {0.008, 0.03, 0.05}, 1.7, 0.3, "02:2,01:2,06:1", false, DrugGroup.GOUT),
    HEART_FAILURE("I509", new int[] {55, 70, 80, 90}, new double[] {0.005, 0.03, 0.07, 0.12}, 1.1, 0.9, "02:4", true,
        DrugGroup.CARDIAC),
    ATRIAL_FIBRILLATION("I4891", new int[] {55, 70, 80}, new double[] {0.005, 0.03, 0.06}, 1.2, 0.8, "02:4", true,
        DrugGroup.ANTICOAGULANT),
    ALLERGIC_RHINITIS("J309", new int[] {0, 10, 30, 60}, new double[] {0.06, 0.10, 0.06, 0.03}, 1.0, 1.0, "09:4,04:1,01:1,60:1", false,
        DrugGroup.ALLERGY),
    ATOPIC_DERMATITIS("L209", new int[] {0, 10, 20, 60}, new double[] {0.05, 0.04, 0.02, 0.01}, 1.0, 1.0, "11:4,04:1", false,
        DrugGroup.SKIN),
    GLAUCOMA("H409", new int[] {40, 60, 80}, new double[] {0.004, 0.02, 0.05}, 1.0, 1.0, "10:1", false, DrugGroup.GLAUCOMA),
    HEPATITIS_B("B181", new int[] {20, 40, 60, 80}, new double[] {0.005, 0.02, 0.02, 0.01}, 1.3, 0.7, "02:3", true,
        DrugGroup.HEPATITIS);

    final String code;
    private final int[] ages;
    private final double[] prevalence;
    private final double menFactor;
    private final double womenFactor;
    final Weighted<String> departments;
    /** Followed up mostly at hospitals rather than clinics. */
    final boolean hospitalCare;
    final DrugGroup drugs;

    Chronic(String code, int[] ages, double[] prevalence, double menFactor, double womenFactor, String departments,
        boolean hospitalCare, DrugGroup drugs) {
      this.code = code;
      this.ages = ages;
      this.prevalence = prevalence;
      this.menFactor = menFactor;
      this.womenFactor = womenFactor;
      this.departments = departments(departments);
      this.hospitalCare = hospitalCare;
      this.drugs = drugs;
    }

    double prevalence(int age, boolean male) {
      return Math.min(0.95, interpolate(ages, prevalence, age) * (male ? menFactor : womenFactor));
    }
  }

  /** Expected number of chronic conditions at an age, to keep the visit rate's mean where it should be. */
  static double expectedChronic(int age, boolean male) {
    double sum = 0;
    for (Chronic chronic : Chronic.values()) {
      sum += chronic.prevalence(age, male);
    }
    return sum;
  }

  /** Follow-up tests of a chronic condition (done at about one visit in four). */
  static List<Procedure> followUpTests(Chronic chronic) {
    switch (chronic) {
      case DIABETES:
        return List.of(HBA1C, GLUCOSE, CREATININE);
      case HYPERLIPIDAEMIA:
        return List.of(CHOLESTEROL, TRIGLYCERIDE, LDL);
      case HYPERTENSION:
        return List.of(CREATININE, ECG);
      case KIDNEY:
        return List.of(CREATININE, URINALYSIS, CBC);
      case CORONARY:
      case HEART_FAILURE:
      case ATRIAL_FIBRILLATION:
        return List.of(ECG, CHEST_XRAY);
      case COPD:
      case ASTHMA:
        return List.of(CHEST_XRAY, NEBULISER);
      case KNEE_ARTHROSIS:
        return List.of(PHYSIOTHERAPY, HEAT_THERAPY);
      case HEPATITIS_B:
        return List.of(ALT, ABDOMEN_ECHO);
      case GLAUCOMA:
        return List.of(EYE_PRESSURE, EYE_EXAM);
      case DEPRESSION:
        return List.of(PSYCHOTHERAPY);
      default:
        return List.of();
    }
  }

  // ---------------------------------------------------------------- acute outpatient diagnoses
  /**
   * An acute outpatient diagnosis: weight among acute visits of adults, multipliers for children
   * (under 15) and for the old (65 and over), an age window and sex, departments, drugs and procedures.
   */
  record Acute(String code, double weight, double children, double old, int minAge, int maxAge, char sex,
      Weighted<String> departments, DrugGroup[] drugs, Procedure[] procedures) {

    double weight(int age, boolean male, int year) {
      if (age < minAge || age > maxAge || (sex == 'M' && !male) || (sex == 'F' && male)) {
        return 0;
      }
      double w = weight * (age < 15 ? children : age >= 65 ? old : 1.0);
      if (code.equals("U071")) { // COVID-19: the Omicron waves of 2022, smaller ever since
        w *= year < 2020 ? 0 : year < 2022 ? 0.03 : year == 2022 ? 1.0 : year == 2023 ? 0.3 : 0.12;
      }
      return w;
    }
  }

  static final List<Acute> ACUTE = new ArrayList<>();

  private static void acute(String code, double weight, double children, double old, String departments,
      DrugGroup[] drugs, Procedure... procedures) {
    acute(code, weight, children, old, 0, 120, ' ', departments, drugs, procedures);
  }

  private static void acute(String code, double weight, double children, double old, int minAge, int maxAge, char sex,
      String departments, DrugGroup[] drugs, Procedure... procedures) {
    ACUTE.add(new Acute(code, weight, children, old, minAge, maxAge, sex, departments(departments), drugs, procedures));
  }

  private static DrugGroup[] drugs(DrugGroup... groups) {
    return groups;
  }

  static {
    DrugGroup[] cold = drugs(DrugGroup.COLD, DrugGroup.ALLERGY);
    acute("J069", 14, 2.5, 0.8, "09:4,01:3,00:2,02:1", cold, NASAL_TREATMENT);
    acute("J00", 5, 2.0, 0.7, "01:3,09:2,00:2,60:1", cold);
    acute("J029", 3, 1.5, 0.6, "09:3,01:2,00:1", drugs(DrugGroup.COLD, DrugGroup.ANTIBIOTIC));
    acute("J209", 3, 1.5, 1.5, "02:2,01:2,09:1", drugs(DrugGroup.COLD, DrugGroup.ANTIBIOTIC), CHEST_XRAY);
    acute("J0190", 1.5, 0.8, 0.8, "09:5", drugs(DrugGroup.ANTIBIOTIC, DrugGroup.ALLERGY), NASAL_TREATMENT);
    acute("B349", 1.5, 2.0, 0.8, "01:2,00:2,02:1", cold);
    acute("J111", 1, 1.5, 1.2, "01:2,00:2,02:1", cold, RAPID_TEST);
    acute("U071", 2.5, 1.0, 1.2, "01:2,00:2,02:2", cold, RAPID_TEST);
    acute("R05", 1.5, 1.2, 1.2, "02:1,01:1,09:1", drugs(DrugGroup.COLD));
    acute("R509", 1, 3.0, 1.0, "01:1,00:1,02:1", drugs(DrugGroup.COLD));
    acute("H6690", 1, 4.0, 0.4, "09:5", drugs(DrugGroup.ANTIBIOTIC, DrugGroup.COLD), NASAL_TREATMENT);
    acute("K0252", 3, 1.5, 0.8, "40:1", drugs(), FILLING, DENTAL_XRAY);
    acute("K0253", 2, 1.5, 0.8, "40:1", drugs(DrugGroup.PAIN), COMPOSITE_FILLING, DENTAL_XRAY);
    acute("K036", 3, 0.5, 0.8, "40:1", drugs(), SCALING);
    acute("K0530", 3, 0.2, 1.2, "40:1", drugs(DrugGroup.ANTIBIOTIC), PERIODONTAL, SCALING);
    acute("K0800", 0.5, 0.1, 2.0, "40:1", drugs(DrugGroup.PAIN, DrugGroup.ANTIBIOTIC), EXTRACTION, DENTAL_XRAY);
    acute("M545", 4, 0.05, 1.3, "06:3,14:3,60:3,01:1", drugs(DrugGroup.PAIN, DrugGroup.MUSCLE), SPINE_XRAY, PHYSIOTHERAPY);
    acute("M542", 2, 0.05, 1.0, "14:3,06:2,60:3", drugs(DrugGroup.PAIN, DrugGroup.MUSCLE), HEAT_THERAPY);
    acute("M791", 2, 0.1, 1.2, "60:4,14:2,01:1", drugs(DrugGroup.PAIN, DrugGroup.MUSCLE, DrugGroup.HERBAL), ACUPUNCTURE);
    acute("M25561", 1, 0.2, 1.5, "06:4,14:2", drugs(DrugGroup.PAIN), PHYSIOTHERAPY);
    acute("S93401A", 1.5, 0.8, 0.6, "06:4,60:3,22:1", drugs(DrugGroup.PAIN, DrugGroup.MUSCLE), WOUND_DRESSING);
    acute("S61419A", 0.6, 0.8, 0.8, "03:3,22:2", drugs(DrugGroup.ANTIBIOTIC, DrugGroup.PAIN), WOUND_DRESSING);
    acute("K5900", 1.5, 1.2, 2.0, "02:3,01:2,04:1", drugs(DrugGroup.BOWEL));
    acute("K30", 2, 0.3, 1.2, "02:4,01:2,60:1", drugs(DrugGroup.GASTRIC));
    acute("K2970", 2, 0.3, 1.2, "02:4,01:2", drugs(DrugGroup.GASTRIC, DrugGroup.PPI));
    acute("A09", 2, 2.0, 1.0, "02:2,04:2,01:2,22:1", drugs(DrugGroup.BOWEL, DrugGroup.GASTRIC));
    acute("K529", 1, 1.2, 1.0, "02:2,01:2", drugs(DrugGroup.BOWEL));
    acute("R51", 1.5, 0.5, 0.8, "12:2,01:2,02:1,60:1", drugs(DrugGroup.PAIN));
    acute("G43909", 0.5, 0.2, 0.3, "12:5", drugs(DrugGroup.PAIN));
    acute("R42", 1, 0.2, 2.0, "12:2,09:2,02:2", drugs(DrugGroup.GASTRIC));
    acute("R079", 0.8, 0.1, 1.5, "02:3,22:2", drugs(), ECG, CHEST_XRAY);
    acute("H1045", 1.5, 1.5, 0.8, "10:5", drugs(DrugGroup.EYE));
    acute("H1033", 1, 1.2, 0.8, "10:5", drugs(DrugGroup.EYE));
    acute("H5213", 1, 3.0, 0.1, 4, 40, ' ', "10:5", drugs(), EYE_EXAM);
    acute("H2513", 1, 0.0, 5.0, 45, 120, ' ', "10:5", drugs(DrugGroup.EYE), EYE_EXAM);
    acute("L309", 2, 1.2, 1.2, "11:5,01:1", drugs(DrugGroup.SKIN, DrugGroup.ALLERGY));
    acute("L700", 1, 0.3, 0.0, 12, 35, ' ', "11:5", drugs(DrugGroup.SKIN, DrugGroup.ANTIBIOTIC));
    acute("B353", 1, 0.3, 1.2, "11:5", drugs(DrugGroup.SKIN));
    acute("L509", 1, 1.0, 0.8, "11:4,01:1", drugs(DrugGroup.ALLERGY, DrugGroup.SKIN));
    acute("N390", 1.5, 0.4, 2.0, 0, 120, ' ', "08:2,02:2,01:2,05:1", drugs(DrugGroup.ANTIBIOTIC), URINALYSIS);
    acute("N760", 1, 0.0, 0.3, 15, 80, 'F', "05:5", drugs(DrugGroup.ANTIBIOTIC), PAP_SMEAR);
    acute("N946", 0.7, 0.2, 0.0, 12, 50, 'F', "05:3,60:2", drugs(DrugGroup.PAIN, DrugGroup.HERBAL));
    acute("Z3480", 2.5, 0.0, 0.0, 18, 45, 'F', "05:1", drugs(), OBSTETRIC_ECHO);
    acute("Z0000", 2, 0.0, 1.5, 18, 120, ' ', "01:3,02:2,00:1", drugs(), CBC, GLUCOSE, CHOLESTEROL, CREATININE, URINALYSIS);
    acute("Z00129", 2, 1.0, 0.0, 0, 14, ' ', "04:4,01:1", drugs());
    acute("Z23", 1.5, 4.0, 2.0, "04:3,01:3,00:2", drugs(), VACCINE_ADMIN);
    acute("F419", 1, 0.2, 0.8, "13:3,12:2,01:1", drugs(DrugGroup.ANXIETY), PSYCHOTHERAPY);
    acute("M6283", 0.8, 0.1, 1.0, "14:3,06:2,60:2", drugs(DrugGroup.MUSCLE), HEAT_THERAPY);
    acute("M7501", 0.5, 0.0, 1.2, "06:3,14:3,60:1", drugs(DrugGroup.PAIN), PHYSIOTHERAPY);
    acute("K649", 0.5, 0.1, 1.2, "03:4,02:1", drugs(DrugGroup.BOWEL));
    acute("R1010", 0.8, 0.8, 1.0, "02:2,22:2,01:1", drugs(DrugGroup.GASTRIC, DrugGroup.BOWEL), ABDOMEN_ECHO);
  }

  /** Acute diagnoses weighted for one sex, age and calendar year. */
  static Weighted<Acute> acuteFor(int age, boolean male, int year) {
    List<Acute> items = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    for (Acute acute : ACUTE) {
      double weight = acute.weight(age, male, year);
      if (weight > 0) {
        items.add(acute);
        weights.add(weight);
      }
    }
    return new Weighted<>(items, weights);
  }

  // ---------------------------------------------------------------- inpatient diagnoses
  /**
   * Why people are admitted: weight among adult admissions (multipliers for children and the old), an
   * age window and sex, median length of stay in days, and the operation if there is one.
   */
  record Admission(String code, double weight, double children, double old, int minAge, int maxAge, char sex,
      double medianDays, Procedure operation) {

    double weight(int age, boolean male) {
      if (age < minAge || age > maxAge || (sex == 'M' && !male) || (sex == 'F' && male)) {
        return 0;
      }
      return weight * (age < 15 ? children : age >= 65 ? old : 1.0);
    }
  }

  static final Procedure WARD_DAY = new Procedure("03010E", 1650);
  static final Procedure NURSING_DAY = new Procedure("03026B", 720);
  static final Procedure CT_SCAN = new Procedure("33070B", 3800);
  static final Procedure ANAESTHESIA = new Procedure("96020C", 4200);

  static final List<Admission> ADMISSIONS = List.of(
      new Admission("J189", 8, 2.0, 4.0, 0, 120, ' ', 7, null),
      new Admission("A419", 3, 0.5, 4.0, 0, 120, ' ', 10, null),
      new Admission("I639", 4, 0.0, 3.5, 30, 120, ' ', 9, null),
      new Admission("N390", 3, 0.8, 3.5, 0, 120, ' ', 6, null),
      new Admission("I214", 2, 0.0, 2.0, 35, 120, ' ', 5, new Procedure("33076B", 28000)),
      new Admission("I509", 2, 0.0, 4.0, 40, 120, ' ', 8, null),
      new Admission("K8020", 2.5, 0.0, 1.2, 20, 120, ' ', 4, new Procedure("75607C", 22000)),
      new Admission("K3580", 2.5, 1.5, 0.6, 5, 120, ' ', 4, new Procedure("72006B", 16000)),
      new Admission("S72001A", 1, 0.0, 6.0, 50, 120, ' ', 9, new Procedure("64029B", 30000)),
      new Admission("C3490", 1.5, 0.0, 2.0, 40, 120, ' ', 7, null),
      new Admission("C189", 1.5, 0.0, 2.0, 40, 120, ' ', 7, new Procedure("74207B", 35000)),
      new Admission("C50911", 1.5, 0.0, 0.8, 30, 120, 'F', 5, new Procedure("51017B", 24000)),
      new Admission("C220", 1.5, 0.0, 1.5, 40, 120, ' ', 7, null),
      new Admission("Z5111", 4, 0.1, 1.0, 20, 120, ' ', 3, null),
      new Admission("J441", 1.5, 0.0, 4.0, 45, 120, ' ', 7, null),
      new Admission("E1165", 1.5, 0.1, 2.0, 20, 120, ' ', 6, null),
      new Admission("N179", 1, 0.0, 3.0, 30, 120, ' ', 8, null),
      new Admission("K922", 1.5, 0.0, 2.5, 30, 120, ' ', 6, null),
      new Admission("M4806", 1.5, 0.0, 1.5, 40, 120, ' ', 6, new Procedure("83043B", 38000)),
      new Admission("M1711", 1, 0.0, 2.5, 50, 120, ' ', 6, new Procedure("64164B", 36000)),
      new Admission("R55", 1, 0.3, 2.0, 0, 120, ' ', 3, null),
      new Admission("J210", 1, 12.0, 0.0, 0, 4, ' ', 4, null),
      new Admission("P599", 1, 12.0, 0.0, 0, 1, ' ', 4, null),
      new Admission("S0990XA", 1.5, 1.0, 1.5, 0, 120, ' ', 4, null));

  /** Deliveries: vaginal and by caesarean section (a third in Taiwan). */
  static final Admission DELIVERY = new Admission("O80", 1, 0, 0, 15, 50, 'F', 3, new Procedure("81017C", 15000));
  static final Admission CAESAREAN = new Admission("O820", 1, 0, 0, 15, 50, 'F', 5, new Procedure("81004C", 26000));

  static Weighted<Admission> admissionsFor(int age, boolean male) {
    List<Admission> items = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    for (Admission admission : ADMISSIONS) {
      double weight = admission.weight(age, male);
      if (weight > 0) {
        items.add(admission);
        weights.add(weight);
      }
    }
    return new Weighted<>(items, weights);
  }

  // ---------------------------------------------------------------- helpers
  /** "02:3,01:2": departments with weights. */
  static Weighted<String> departments(String spec) {
    List<String> codes = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    for (String part : spec.split(",")) {
      String[] pair = part.split(":");
      codes.add(pair[0]);
      weights.add(Double.parseDouble(pair[1]));
    }
    return new Weighted<>(codes, weights);
  }

  static double interpolate(int[] xs, double[] ys, int x) {
    if (x < xs[0]) {
      return 0; // nobody younger than the first age given has it
    }
    for (int i = 1; i < xs.length; i++) {
      if (x <= xs[i]) {
        return ys[i - 1] + (ys[i] - ys[i - 1]) * (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
      }
    }
    return ys[ys.length - 1];
  }

  /** Every ICD-10-CM code the generator can write. */
  static List<String> allDiagnosisCodes() {
    List<String> codes = new ArrayList<>();
    Arrays.stream(Chronic.values()).forEach(c -> codes.add(c.code));
    ACUTE.forEach(a -> codes.add(a.code()));
    ADMISSIONS.forEach(a -> codes.add(a.code()));
    codes.add(DELIVERY.code());
    codes.add(CAESAREAN.code());
    return codes;
  }
}
