package optout.consent.form;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.Map;
import java.util.TimeZone;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.graphics.color.PDOutputIntent;

/**
 * What makes a form a PDF/A-3B document besides its content: PDF 1.7, the XMP metadata stream with
 * the PDF/A identification and an extension schema for the form's own properties, the document
 * information dictionary kept equal to the XMP, an sRGB output intent, and a file identifier.
 * veraPDF checks the result in the tests.
 *
 * <p>The form's own properties (template ID, version and SHA-256, filing ID, kind) go in both the
 * information dictionary, where any PDF tool shows them, and the XMP, where PDF/A requires custom
 * properties to be declared by an extension schema, which is written here too.
 */
final class PdfA {

  static final String NAMESPACE = "urn:tw-nhi-optout:xmp:form:1.0#";
  static final String PREFIX = "nhiform";
  static final String PRODUCER = "NHI opt-out consent service (Apache PDFBox)";
  private static final ZoneId TAIPEI = ZoneId.of("Asia/Taipei");

  private PdfA() {}

  /** The form's own metadata, one property a key: name (XMP property and info key) and value. */
  record Properties(String title, String subject, Map<String, String> custom) {}

  static void apply(PDDocument document, Properties properties, Instant created, byte[] fileId) throws IOException {
    document.setVersion(1.7f);
    PDDocumentCatalog catalog = document.getDocumentCatalog();
    catalog.setLanguage("zh-TW");

    Calendar calendar = calendar(created);
    PDDocumentInformation info = document.getDocumentInformation();
    info.setTitle(properties.title());
    info.setSubject(properties.subject());
    info.setProducer(PRODUCER);
    info.setCreationDate(calendar);
    info.setModificationDate(calendar);
    properties.custom().forEach(info::setCustomMetadataValue);

    PDMetadata metadata = new PDMetadata(document);
    try (OutputStream out = metadata.createOutputStream()) {
      out.write(xmp(properties, created).getBytes(StandardCharsets.UTF_8));
    }
    metadata.getCOSObject().setName(COSName.TYPE, "Metadata");
    metadata.getCOSObject().setName(COSName.SUBTYPE, "XML");
    catalog.setMetadata(metadata);

    byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
    PDOutputIntent intent = new PDOutputIntent(document, new ByteArrayInputStream(icc));
    intent.setInfo("sRGB IEC61966-2.1");
    intent.setOutputCondition("sRGB IEC61966-2.1");
    intent.setOutputConditionIdentifier("sRGB IEC61966-2.1");
    intent.setRegistryName("http://www.color.org");
    catalog.addOutputIntent(intent);

    COSArray id = new COSArray();
    id.add(new COSString(Arrays.copyOf(fileId, 16)));
    id.add(new COSString(Arrays.copyOf(fileId, 16)));
    document.getDocument().getTrailer().setItem(COSName.ID, id);
  }

  /** PDF dates to the second, in Taipei time, so that the info dictionary and the XMP agree exactly. */
  static Calendar calendar(Instant instant) {
    GregorianCalendar calendar = new GregorianCalendar(TimeZone.getTimeZone(TAIPEI));
    calendar.setTimeInMillis(instant.getEpochSecond() * 1000);
    return calendar;
  }

  private static String xmp(Properties properties, Instant created) {
    String date = ZonedDateTime.ofInstant(Instant.ofEpochSecond(created.getEpochSecond()), TAIPEI)
        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    StringBuilder custom = new StringBuilder();
    StringBuilder schema = new StringBuilder();
    properties.custom().forEach((name, value) -> {
      custom.append("      <").append(PREFIX).append(':').append(name).append('>').append(escape(value))
          .append("</").append(PREFIX).append(':').append(name).append(">\n");
      schema.append("""
                      <rdf:li rdf:parseType="Resource">
                        <pdfaProperty:name>%s</pdfaProperty:name>
                        <pdfaProperty:valueType>Text</pdfaProperty:valueType>
                        <pdfaProperty:category>external</pdfaProperty:category>
                        <pdfaProperty:description>%s of the NHI opt-out form</pdfaProperty:description>
                      </rdf:li>
          """.formatted(name, name));
    });
    return """
        <?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
        <x:xmpmeta xmlns:x="adobe:ns:meta/">
          <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description rdf:about=""
                xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
                xmlns:dc="http://purl.org/dc/elements/1.1/"
                xmlns:xmp="http://ns.adobe.com/xap/1.0/"
                xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
                xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
                xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
                xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"
                xmlns:%s="%s">
              <pdfaid:part>3</pdfaid:part>
              <pdfaid:conformance>B</pdfaid:conformance>
              <dc:format>application/pdf</dc:format>
              <dc:title><rdf:Alt><rdf:li xml:lang="x-default">%s</rdf:li></rdf:Alt></dc:title>
              <dc:description><rdf:Alt><rdf:li xml:lang="x-default">%s</rdf:li></rdf:Alt></dc:description>
              <xmp:CreateDate>%s</xmp:CreateDate>
              <xmp:ModifyDate>%s</xmp:ModifyDate>
              <xmp:MetadataDate>%s</xmp:MetadataDate>
              <pdf:Producer>%s</pdf:Producer>
        %s      <pdfaExtension:schemas>
                <rdf:Bag>
                  <rdf:li rdf:parseType="Resource">
                    <pdfaSchema:schema>NHI opt-out form</pdfaSchema:schema>
                    <pdfaSchema:namespaceURI>%s</pdfaSchema:namespaceURI>
                    <pdfaSchema:prefix>%s</pdfaSchema:prefix>
                    <pdfaSchema:property>
                      <rdf:Seq>
        %s              </rdf:Seq>
                    </pdfaSchema:property>
                  </rdf:li>
                </rdf:Bag>
              </pdfaExtension:schemas>
            </rdf:Description>
          </rdf:RDF>
        </x:xmpmeta>
        <?xpacket end="w"?>""".formatted(PREFIX, NAMESPACE, escape(properties.title()), escape(properties.subject()), date, date, date,
        PRODUCER, custom, NAMESPACE, PREFIX, schema);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
