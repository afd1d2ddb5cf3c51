package optout.platform.seal;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSDocument;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * Decides whether what follows a seal's revision is only what B-LT and B-LTA add (ETSI EN 319 142-1):
 * validation data in the DSS and document timestamps in invisible fields. It compares the revision the
 * seal signed with the whole file object by object: every object the later revisions rewrote must be
 * unchanged but for the catalog's /DSS, /Extensions and /Version, the form's /Fields and /SigFlags and a page's
 * /Annots, and what those gained may only be document-timestamp fields with a zero-size widget. New
 * objects matter only through what refers to them, which is checked so. Anything else (a page's
 * content, an annotation, a form field's value, the document information, the metadata) is a change
 * after the seal.
 */
final class LaterRevisions {

  private static final COSName EXTENSIONS = COSName.getPDFName("Extensions");
  private static final COSName SIG_FLAGS = COSName.getPDFName("SigFlags");

  private LaterRevisions() {}

  /**
   * @param pdf the whole file
   * @param sealedLength where the seal's revision ends (its byte range's end)
   * @throws InvalidSealException naming the first change that is not validation data or a document timestamp
   */
  static void check(byte[] pdf, int sealedLength, PDDocument whole) throws InvalidSealException {
    if (sealedLength == pdf.length) {
      return;
    }
    try (PDDocument sealed = Loader.loadPDF(Arrays.copyOf(pdf, sealedLength))) {
      COSDocument before = sealed.getDocument();
      COSDocument after = whole.getDocument();
      COSBase rootBefore = before.getTrailer().getItem(COSName.ROOT);
      COSBase rootAfter = after.getTrailer().getItem(COSName.ROOT);
      if (!same(rootBefore, rootAfter) || !same(before.getTrailer().getItem(COSName.INFO), after.getTrailer().getItem(COSName.INFO))
          || after.getTrailer().containsKey(COSName.ENCRYPT)) {
        throw changed("the document's trailer (its catalog, information or encryption)");
      }
      COSDictionary catalogBefore = sealed.getDocumentCatalog().getCOSObject();
      COSDictionary catalogAfter = whole.getDocumentCatalog().getCOSObject();
      Set<COSObjectKey> dssBefore = new HashSet<>();
      collect(catalogBefore.getItem(LongTermRevisions.DSS), dssBefore);
      COSBase formBefore = catalogBefore.getItem(COSName.ACRO_FORM);

      Map<COSObjectKey, Long> offsetsBefore = before.getXrefTable();
      for (COSObjectKey key : offsetsBefore.keySet()) {
        if (!after.getXrefTable().containsKey(key)) {
          throw changed("object " + key + " (it is gone)");
        }
      }
      for (Map.Entry<COSObjectKey, Long> entry : after.getXrefTable().entrySet()) {
        COSObjectKey key = entry.getKey();
        Long offsetBefore = offsetsBefore.get(key);
        if (offsetBefore == null || offsetBefore.equals(entry.getValue())) {
          continue; // new (judged by what refers to it), or the very bytes the seal signed
        }
        COSBase old = before.getObjectFromPool(key).getObject();
        COSBase now = after.getObjectFromPool(key).getObject();
        if (same(old, now) || dssBefore.contains(key)) {
          continue;
        }
        if (old == catalogBefore) {
          checkCatalog(catalogBefore, catalogAfter);
        } else if (formBefore instanceof COSObject form && key.equals(form.getKey())) {
          checkForm((COSDictionary) old, (COSDictionary) now);
        } else if (old instanceof COSDictionary page && COSName.PAGE.equals(page.getCOSName(COSName.TYPE))
            && now instanceof COSDictionary pageNow) {
          checkGrownOnly(page, pageNow, Set.of(COSName.ANNOTS), "a page");
          checkAppended(page.getDictionaryObject(COSName.ANNOTS), pageNow.getDictionaryObject(COSName.ANNOTS), "a page's annotations");
        } else if (old instanceof COSArray array && now instanceof COSArray arrayNow && isArrayOf(key, sealed)) {
          checkAppended(array, arrayNow, "the form's fields or a page's annotations");
        } else {
          throw changed("object " + key);
        }
      }
    } catch (IOException e) {
      throw new InvalidSealException("Cannot accept the seal: the revision it signed cannot be read: " + e.getMessage(), e);
    }
  }

  private static void checkCatalog(COSDictionary before, COSDictionary after) throws InvalidSealException {
    // /Version: declaring the ESIC extension lifts a PDF below 1.7 to 1.7; it says what a reader needs, not what the form shows.
    checkGrownOnly(before, after, Set.of(LongTermRevisions.DSS, EXTENSIONS, COSName.ACRO_FORM, COSName.VERSION), "the catalog");
    if (!same(before.getItem(COSName.ACRO_FORM), after.getItem(COSName.ACRO_FORM))) {
      if (before.getItem(COSName.ACRO_FORM) instanceof COSObject || after.getItem(COSName.ACRO_FORM) instanceof COSObject
          || !(before.getItem(COSName.ACRO_FORM) instanceof COSDictionary formBefore)) {
        throw changed("the catalog's form");
      }
      checkForm(formBefore, (COSDictionary) after.getItem(COSName.ACRO_FORM));
    }
    COSBase extensionsBefore = before.getDictionaryObject(EXTENSIONS);
    COSBase extensionsAfter = after.getDictionaryObject(EXTENSIONS);
    if (extensionsBefore instanceof COSDictionary old) {
      if (!(extensionsAfter instanceof COSDictionary now)) {
        throw changed("the catalog's extensions");
      }
      checkGrownOnly(old, now, Set.of(), "the catalog's extensions");
    }
  }

  private static void checkForm(COSDictionary before, COSDictionary after) throws InvalidSealException {
    checkGrownOnly(before, after, Set.of(COSName.FIELDS, SIG_FLAGS), "the form");
    checkAppended(before.getDictionaryObject(COSName.FIELDS), after.getDictionaryObject(COSName.FIELDS), "the form's fields");
  }

  /** Every key of {@code before} but {@code free} has the same value after; new keys only among {@code free}. */
  private static void checkGrownOnly(COSDictionary before, COSDictionary after, Set<COSName> free, String what) throws InvalidSealException {
    Set<COSName> keys = new HashSet<>(before.keySet());
    keys.addAll(after.keySet());
    for (COSName key : keys) {
      if (!free.contains(key) && !same(before.getItem(key), after.getItem(key))) {
        throw changed(what + " (its /" + key.getName() + ")");
      }
    }
  }

  /** The array kept its entries and gained only document-timestamp fields (widgets). */
  private static void checkAppended(COSBase before, COSBase after, String what) throws InvalidSealException {
    COSArray old = before instanceof COSArray array ? array : new COSArray();
    if (!(after instanceof COSArray now) || now.size() < old.size()) {
      throw changed(what);
    }
    for (int i = 0; i < old.size(); i++) {
      if (!same(old.get(i), now.get(i))) {
        throw changed(what);
      }
    }
    for (int i = old.size(); i < now.size(); i++) {
      if (!isInvisibleDocumentTimestamp(now.getObject(i))) {
        throw changed(what + ": something other than a document timestamp was added");
      }
    }
  }

  /** A merged signature field and widget (as PDFBox writes them) whose value is a document timestamp, with no visible area. */
  private static boolean isInvisibleDocumentTimestamp(COSBase value) {
    if (!(value instanceof COSDictionary field) || !COSName.SIG.equals(field.getCOSName(COSName.FT))
        || field.containsKey(COSName.KIDS) || field.containsKey(COSName.AP) && !emptyAppearance(field)
        || field.containsKey(COSName.A) || field.containsKey(COSName.AA)) { // no actions: a timestamp does nothing
      return false;
    }
    if (!(field.getDictionaryObject(COSName.V) instanceof COSDictionary signature) || !COSName.DOC_TIME_STAMP.equals(signature.getCOSName(COSName.TYPE))
        || !LongTermRevisions.ETSI_RFC3161.equals(signature.getCOSName(COSName.SUB_FILTER))) {
      return false;
    }
    if (field.getDictionaryObject(COSName.RECT) instanceof COSArray rectangle && rectangle.size() == 4) {
      float[] r = rectangle.toFloatArray();
      return r[0] == r[2] || r[1] == r[3];
    }
    return !field.containsKey(COSName.SUBTYPE);
  }

  /** An appearance that draws nothing (PDFBox gives an invisible signature an empty stream). */
  private static boolean emptyAppearance(COSDictionary field) {
    if (field.getDictionaryObject(COSName.AP) instanceof COSDictionary appearances
        && appearances.getDictionaryObject(COSName.N) instanceof COSStream normal) {
      return normal.getLength() == 0;
    }
    return false;
  }

  /** Whether {@code key} is a page's /Annots or the form's /Fields array in the sealed revision. */
  private static boolean isArrayOf(COSObjectKey key, PDDocument sealed) {
    if (sealed.getDocumentCatalog().getCOSObject().getDictionaryObject(COSName.ACRO_FORM) instanceof COSDictionary form
        && form.getItem(COSName.FIELDS) instanceof COSObject fields && key.equals(fields.getKey())) {
      return true;
    }
    for (var page : sealed.getPages()) {
      if (page.getCOSObject().getItem(COSName.ANNOTS) instanceof COSObject annots && key.equals(annots.getKey())) {
        return true;
      }
    }
    return false;
  }

  /** The object numbers reachable from {@code value} (the sealed revision's DSS, which later revisions may extend). */
  private static void collect(COSBase value, Set<COSObjectKey> keys) {
    if (value instanceof COSObject object) {
      if (object.getKey() == null || !keys.add(object.getKey())) {
        return;
      }
      collect(object.getObject(), keys);
    } else if (value instanceof COSDictionary dictionary && !(value instanceof COSStream)) {
      for (COSBase item : dictionary.getValues()) {
        collect(item, keys);
      }
    } else if (value instanceof COSArray array) {
      for (COSBase item : array) {
        collect(item, keys);
      }
    }
  }

  /** Equal values, indirect references compared by object number (both revisions share the object table). */
  static boolean same(COSBase a, COSBase b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a instanceof COSObject x || b instanceof COSObject) {
      return a instanceof COSObject x2 && b instanceof COSObject y && x2.getKey() != null && x2.getKey().equals(y.getKey());
    }
    if (a instanceof COSStream x) {
      if (!(b instanceof COSStream y) || !sameEntries(x, y)) {
        return false;
      }
      try (var in = x.createRawInputStream(); var other = y.createRawInputStream()) {
        return Arrays.equals(in.readAllBytes(), other.readAllBytes());
      } catch (IOException e) {
        return false;
      }
    }
    if (a instanceof COSDictionary x) {
      return b instanceof COSDictionary y && !(b instanceof COSStream) && sameEntries(x, y);
    }
    if (a instanceof COSArray x) {
      if (!(b instanceof COSArray y) || x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!same(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof COSString x) {
      return b instanceof COSString y && Arrays.equals(x.getBytes(), y.getBytes());
    }
    return a.equals(b);
  }

  private static boolean sameEntries(COSDictionary x, COSDictionary y) {
    if (!x.keySet().equals(y.keySet())) {
      return false;
    }
    for (COSName key : x.keySet()) {
      if (!same(x.getItem(key), y.getItem(key))) {
        return false;
      }
    }
    return true;
  }

  private static InvalidSealException changed(String what) {
    return new InvalidSealException("Cannot accept the seal: " + what + " was changed after the seal "
        + "(only validation data and document timestamps may follow it)");
  }
}
