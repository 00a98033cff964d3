package io.bamqp.proxy.aggregation;

import io.bamqp.planner.ByteRange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * What a Metalink 4 document (RFC 5854) the origin publishes says about one download: the SHA-256
 * of the whole file and the hashes of its pieces. The document comes from the network, so it is
 * read with a streaming parser that refuses any DTD (no entities, external or internal: no XXE, no
 * billion laughs), at most {@link #MAX_BYTES}, and only a {@code <file>} named like the download
 * whose {@code <size>} equals the representation's length counts; anything else makes it {@link
 * Unusable} with the reason.
 */
final class Metalink {
  /** A larger document is not read: 4 MiB holds ~50,000 piece hashes (a 12 GiB file in 256 KiB). */
  static final int MAX_BYTES = 4 * 1024 * 1024;

  /** The Metalink 4 namespace (RFC 5854). */
  static final String NAMESPACE = "urn:ietf:params:xml:ns:metalink";

  /** Metalink 3's namespace, which carries no standard piece hashes over HTTP: not supported. */
  private static final String METALINK_3 = "http://www.metalinker.org/";

  /** Deeper nesting than a Metalink ever has is refused, so no document can exhaust the stack. */
  private static final int MAX_DEPTH = 16;

  /** Why a Metalink document is not used for a download: the message says exactly why. */
  static final class Unusable extends Exception {
    Unusable(String reason) {
      super(reason);
    }
  }

  /**
   * The piece hashes of a file of {@code size} bytes: piece {@code i} is bytes {@code i * length}
   * to the next piece's start (the last one shorter).
   */
  record Pieces(String algorithm, long length, long size, List<byte[]> hashes) {
    Pieces {
      hashes = List.copyOf(hashes);
    }

    int count() {
      return hashes.size();
    }

    /** Piece {@code index}'s bytes, offsets in the file. */
    ByteRange range(int index) {
      long first = index * length;
      return new ByteRange(first, Math.min(size, first + length) - 1);
    }

    /** Whether {@code bytes}, piece {@code index} in order, hash to its published hash. */
    boolean matches(int index, List<Buffer> bytes) {
      MessageDigest digest = newDigest(algorithm);
      for (Buffer part : bytes) {
        // The buffer's own memory, not a copy.
        digest.update(((BufferInternal) part).getByteBuf().nioBuffer());
      }
      return MessageDigest.isEqual(digest.digest(), hashes.get(index));
    }
  }

  private final byte[] sha256;
  private final Pieces pieces;
  private final List<String> ignored;

  private Metalink(byte[] sha256, Pieces pieces, List<String> ignored) {
    this.sha256 = sha256;
    this.pieces = pieces;
    this.ignored = List.copyOf(ignored);
  }

  /** The SHA-256 of the whole file, or null when the document gives none. */
  byte[] sha256() {
    return sha256;
  }

  /** The sha-256 (else sha-512) piece hashes, or null when the document gives none usable. */
  Pieces pieces() {
    return pieces;
  }

  /** What the document offered that is not used, each with its reason (other hash types). */
  List<String> ignored() {
    return ignored;
  }

  /**
   * Reads a Metalink 4 document for the file {@code name} (the download URL's last path segment) of
   * {@code size} bytes.
   *
   * @throws Unusable when the document is not used at all, with the reason
   */
  static Metalink parse(byte[] xml, String name, long size) throws Unusable {
    if (xml.length > MAX_BYTES) {
      throw new Unusable("it is larger than " + MAX_BYTES / 1024 + " KiB");
    }
    List<FileEntry> named = new ArrayList<>();
    List<String> others = new ArrayList<>();
    XMLStreamReader reader = null;
    try {
      reader = factory().createXMLStreamReader(new ByteArrayInputStream(xml));
      root(reader);
      while (next(reader, 1) == XMLStreamConstants.START_ELEMENT) {
        if (!isMetalink(reader, "file")) {
          skip(reader, 2);
          continue;
        }
        String listed = reader.getAttributeValue(null, "name");
        if (listed != null && lastSegment(listed).equals(name)) {
          named.add(file(reader));
        } else {
          others.add(String.valueOf(listed));
          skip(reader, 2);
        }
      }
    } catch (XMLStreamException e) {
      throw new Unusable("it is not well-formed XML: " + parseError(e.getMessage()));
    } finally {
      close(reader);
    }
    if (named.isEmpty()) {
      throw new Unusable(
          "no <file> in it is named "
              + name
              + (others.isEmpty() ? "" : " (it lists " + describe(others) + ")"));
    }
    if (named.size() > 1) {
      throw new Unusable(named.size() + " <file> entries in it are named " + name);
    }
    return named.get(0).check(size);
  }

  /** One {@code <file>}'s children as written; {@link #check} judges them. */
  private static final class FileEntry {
    String size;
    final List<String[]> hashes = new ArrayList<>(); // {type, hex}
    final List<PiecesEntry> pieces = new ArrayList<>();

    Metalink check(long expectedSize) throws Unusable {
      if (size == null) {
        throw new Unusable("its <file> has no <size>");
      }
      if (!size.matches("\\d{1,18}") || Long.parseLong(size) != expectedSize) {
        throw new Unusable(
            "its <size> " + shorten(size) + " is not the file's length " + expectedSize);
      }
      List<String> ignored = new ArrayList<>();
      byte[] sha256 = null;
      for (String[] hash : hashes) {
        if (hash[0].equals("sha-256")) {
          sha256 = hex(hash[1], 32, "its sha-256 <hash>");
        } else {
          ignored.add("a " + hash[0] + " <hash> of the whole file (only sha-256 is used)");
        }
      }
      Pieces chosen = null;
      for (PiecesEntry entry : pieces) {
        if (!entry.type.equals("sha-256") && !entry.type.equals("sha-512")) {
          ignored.add(entry.type + " <pieces> (only sha-256 and sha-512 are used)");
          continue;
        }
        Pieces checked = entry.check(expectedSize);
        if (chosen == null || checked.algorithm().equals("sha-256")) {
          chosen = checked;
        }
      }
      return new Metalink(sha256, chosen, ignored);
    }
  }

  /** One {@code <pieces>} element as written. */
  private static final class PiecesEntry {
    String type;
    String length;
    final List<String> hashes = new ArrayList<>();

    Pieces check(long size) throws Unusable {
      String what = "its " + type + " <pieces>";
      if (length == null || !length.matches("\\d{1,18}") || Long.parseLong(length) == 0) {
        throw new Unusable(what + " have no valid length: " + shorten(String.valueOf(length)));
      }
      long pieceLength = Long.parseLong(length);
      long expected = size / pieceLength + (size % pieceLength == 0 ? 0 : 1);
      if (hashes.size() != expected) {
        throw new Unusable(
            what
                + " list "
                + hashes.size()
                + " hashes where "
                + size
                + " bytes in pieces of "
                + pieceLength
                + " need "
                + expected);
      }
      int bytes = type.equals("sha-512") ? 64 : 32;
      List<byte[]> values = new ArrayList<>(hashes.size());
      for (int i = 0; i < hashes.size(); i++) {
        values.add(hex(hashes.get(i), bytes, what + " hash " + i));
      }
      return new Pieces(type, pieceLength, size, values);
    }
  }

  private static XMLInputFactory factory() {
    // The JDK's own parser, whichever StAX implementation the class path may bring.
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    return factory;
  }

  private static void root(XMLStreamReader reader) throws XMLStreamException, Unusable {
    if (next(reader, 0) != XMLStreamConstants.START_ELEMENT) {
      throw new Unusable("it has no root element");
    }
    if (!isMetalink(reader, "metalink")) {
      String namespace = reader.getNamespaceURI();
      throw new Unusable(
          METALINK_3.equals(namespace)
              ? "it is Metalink 3, of which only version 4 (RFC 5854) is read"
              : "its root is not a Metalink 4 <metalink> but <" + reader.getLocalName() + ">");
    }
  }

  private static FileEntry file(XMLStreamReader reader) throws XMLStreamException, Unusable {
    FileEntry file = new FileEntry();
    while (next(reader, 2) == XMLStreamConstants.START_ELEMENT) {
      if (isMetalink(reader, "size")) {
        file.size = text(reader);
      } else if (isMetalink(reader, "hash")) {
        String type = type(reader);
        file.hashes.add(new String[] {type, text(reader)});
      } else if (isMetalink(reader, "pieces")) {
        PiecesEntry pieces = new PiecesEntry();
        pieces.type = type(reader);
        pieces.length = reader.getAttributeValue(null, "length");
        while (next(reader, 3) == XMLStreamConstants.START_ELEMENT) {
          if (isMetalink(reader, "hash")) {
            pieces.hashes.add(text(reader));
          } else {
            skip(reader, 4);
          }
        }
        file.pieces.add(pieces);
      } else {
        skip(reader, 3);
      }
    }
    return file;
  }

  /**
   * The next element start or end at {@code depth}, skipping text, comments and processing
   * instructions; refuses what a Metalink must not have (a DTD, entity references).
   */
  private static int next(XMLStreamReader reader, int depth) throws XMLStreamException, Unusable {
    while (reader.hasNext()) {
      int event = reader.next();
      switch (event) {
        case XMLStreamConstants.START_ELEMENT, XMLStreamConstants.END_ELEMENT -> {
          if (depth >= MAX_DEPTH) {
            throw new Unusable("it nests elements deeper than " + MAX_DEPTH);
          }
          return event;
        }
        case XMLStreamConstants.DTD ->
            throw new Unusable("it declares a DTD, which a Metalink never needs");
        case XMLStreamConstants.ENTITY_REFERENCE ->
            throw new Unusable("it refers to the entity &" + reader.getLocalName() + ";");
        case XMLStreamConstants.END_DOCUMENT -> {
          return event;
        }
        default -> {
          // text between elements, comments, processing instructions: nothing to read
        }
      }
    }
    return XMLStreamConstants.END_DOCUMENT;
  }

  /** The text of the element just started, which must hold no elements; moves past its end. */
  private static String text(XMLStreamReader reader) throws XMLStreamException, Unusable {
    String name = reader.getLocalName();
    StringBuilder text = new StringBuilder();
    while (reader.hasNext()) {
      int event = reader.next();
      switch (event) {
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
          if (text.length() + reader.getTextLength() > 1024) {
            throw new Unusable("its <" + name + "> is longer than 1024 characters");
          }
          text.append(reader.getText());
        }
        case XMLStreamConstants.END_ELEMENT -> {
          return text.toString().trim();
        }
        case XMLStreamConstants.START_ELEMENT ->
            throw new Unusable("its <" + name + "> holds an element");
        case XMLStreamConstants.ENTITY_REFERENCE ->
            throw new Unusable("it refers to the entity &" + reader.getLocalName() + ";");
        default -> {
          // comments and processing instructions inside a value
        }
      }
    }
    throw new Unusable("it ends inside <" + name + ">");
  }

  /** Moves past the end of the element just started, whatever it holds. */
  private static void skip(XMLStreamReader reader, int depth) throws XMLStreamException, Unusable {
    while (next(reader, depth) == XMLStreamConstants.START_ELEMENT) {
      skip(reader, depth + 1);
    }
  }

  private static boolean isMetalink(XMLStreamReader reader, String localName) {
    return NAMESPACE.equals(reader.getNamespaceURI()) && localName.equals(reader.getLocalName());
  }

  private static String type(XMLStreamReader reader) {
    String type = reader.getAttributeValue(null, "type");
    return type == null ? "untyped" : shorten(type.trim().toLowerCase(Locale.ROOT));
  }

  private static byte[] hex(String text, int bytes, String what) throws Unusable {
    if (text.length() != bytes * 2 || !text.matches("[0-9a-fA-F]+")) {
      throw new Unusable(what + " is not " + bytes * 2 + " hex digits");
    }
    return HexFormat.of().parseHex(text.toLowerCase(Locale.ROOT));
  }

  static MessageDigest newDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm.toUpperCase(Locale.ROOT));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has " + algorithm, e);
    }
  }

  private static String lastSegment(String listed) {
    return listed.substring(listed.lastIndexOf('/') + 1);
  }

  private static String describe(List<String> names) {
    List<String> shown = new ArrayList<>();
    for (String name : names.subList(0, Math.min(3, names.size()))) {
      shown.add(shorten(name));
    }
    return String.join(", ", shown) + (names.size() > 3 ? ", …" : "");
  }

  /** A value from the document, cut for a log line. */
  private static String shorten(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "…";
  }

  /** The parser's own words without its position preamble, on one line. */
  private static String parseError(String message) {
    String text = message == null ? "" : message;
    int words = text.indexOf("Message: ");
    String line = (words < 0 ? text : text.substring(words + 9)).strip().replaceAll("\\s+", " ");
    return line.length() <= 100 ? line : line.substring(0, 100) + "…";
  }

  private static void close(XMLStreamReader reader) {
    if (reader != null) {
      try {
        reader.close();
      } catch (XMLStreamException ignored) {
        // nothing was held open: the document is in memory
      }
    }
  }
}
