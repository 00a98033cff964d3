package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class MetalinkTest {
  private static final String NAME = "image.iso";
  private static final byte[] FILE = bytes(1000);
  private static final String HEAD =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          + "<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\">\n";

  @TempDir Path dir;

  @Test
  void aGoodDocumentGivesTheFilesSha256AndItsPieceHashes() throws Exception {
    Metalink metalink = Metalink.parse(document(NAME, FILE.length, 256, "sha-256"), NAME, 1000);

    assertThat(metalink.sha256()).isEqualTo(sha("SHA-256", FILE, 0, 1000));
    Metalink.Pieces pieces = metalink.pieces();
    assertThat(pieces.algorithm()).isEqualTo("sha-256");
    assertThat(pieces.count()).isEqualTo(4);
    assertThat(pieces.range(3).first()).isEqualTo(768);
    assertThat(pieces.range(3).last()).isEqualTo(999);
    for (int i = 0; i < 4; i++) {
      int from = (int) pieces.range(i).first();
      int to = (int) pieces.range(i).end();
      // Split across two buffers, as the reorder buffer holds a piece.
      Buffer whole = Buffer.buffer(FILE).slice(from, to);
      int half = (to - from) / 2;
      assertThat(pieces.matches(i, List.of(whole.slice(0, half), whole.slice(half, to - from))))
          .isTrue();
    }
    Buffer altered = Buffer.buffer(FILE).slice(0, 256).copy();
    altered.setByte(100, (byte) (altered.getByte(100) ^ 1));
    assertThat(pieces.matches(0, List.of(altered))).isFalse();
  }

  @Test
  void sha512PiecesAreUsedWhenThereAreNoSha256OnesAndOtherTypesAreIgnoredWithAReason()
      throws Exception {
    String xml =
        HEAD
            + "<file name=\"dir/"
            + NAME
            + "\"><size>1000</size>"
            + "<hash type=\"md5\">"
            + "0".repeat(32)
            + "</hash>"
            + pieces("sha-1", 500, "SHA-1")
            + pieces("sha-512", 500, "SHA-512")
            + "<url>http://mirror.example/image.iso</url></file></metalink>";

    Metalink metalink = Metalink.parse(xml.getBytes(StandardCharsets.UTF_8), NAME, 1000);

    assertThat(metalink.sha256()).isNull();
    assertThat(metalink.pieces().algorithm()).isEqualTo("sha-512");
    assertThat(metalink.pieces().matches(1, List.of(Buffer.buffer(FILE).slice(500, 1000))))
        .isTrue();
    assertThat(metalink.ignored())
        .containsExactly(
            "a md5 <hash> of the whole file (only sha-256 is used)",
            "sha-1 <pieces> (only sha-256 and sha-512 are used)");
  }

  @Test
  void onlyTheFileNamedLikeTheDownloadCounts() throws Exception {
    String xml =
        HEAD
            + "<file name=\"other.iso\"><size>5</size></file>"
            + "<file name=\""
            + NAME
            + "\"><size>1000</size>"
            + hash("sha-256", sha("SHA-256", FILE, 0, 1000))
            + "</file></metalink>";

    assertThat(Metalink.parse(utf8(xml), NAME, 1000).sha256())
        .isEqualTo(sha("SHA-256", FILE, 0, 1000));
    assertThatThrownBy(() -> Metalink.parse(utf8(xml), "third.iso", 1000))
        .isInstanceOf(Metalink.Unusable.class)
        .hasMessage("no <file> in it is named third.iso (it lists other.iso, image.iso)");
  }

  @Test
  void aSizeOtherThanTheRepresentationsLengthMakesItUnusable() {
    assertThatThrownBy(() -> Metalink.parse(document(NAME, 999, 256, "sha-256"), NAME, 1000))
        .isInstanceOf(Metalink.Unusable.class)
        .hasMessage("its <size> 999 is not the file's length 1000");
    String noSize = HEAD + "<file name=\"" + NAME + "\"></file></metalink>";
    assertThatThrownBy(() -> Metalink.parse(utf8(noSize), NAME, 1000))
        .hasMessage("its <file> has no <size>");
  }

  @Test
  void piecesThatDoNotCoverTheFileOrAreMalformedMakeItUnusable() {
    String tooFew =
        HEAD
            + "<file name=\""
            + NAME
            + "\"><size>1000</size><pieces type=\"sha-256\" length=\"256\">"
            + "<hash>"
            + "ab".repeat(32)
            + "</hash></pieces></file></metalink>";
    assertThatThrownBy(() -> Metalink.parse(utf8(tooFew), NAME, 1000))
        .isInstanceOf(Metalink.Unusable.class)
        .hasMessage("its sha-256 <pieces> list 1 hashes where 1000 bytes in pieces of 256 need 4");
    String notHex = tooFew.replace("ab".repeat(32), "zz".repeat(32)).replace(">1000<", ">256<");
    assertThatThrownBy(() -> Metalink.parse(utf8(notHex), NAME, 256))
        .hasMessage("its sha-256 <pieces> hash 0 is not 64 hex digits");
    String zeroLength = tooFew.replace("length=\"256\"", "length=\"0\"");
    assertThatThrownBy(() -> Metalink.parse(utf8(zeroLength), NAME, 1000))
        .hasMessage("its sha-256 <pieces> have no valid length: 0");
  }

  @Test
  void anExternalEntityIsNeverResolved() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret.txt"), "1000");
    String xxe =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE metalink [<!ENTITY size SYSTEM \""
            + secret.toUri()
            + "\">]>\n<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\"><file name=\""
            + NAME
            + "\"><size>&size;</size></file></metalink>";

    assertThatThrownBy(() -> Metalink.parse(utf8(xxe), NAME, 1000))
        .isInstanceOf(Metalink.Unusable.class)
        .hasMessage("it declares a DTD, which a Metalink never needs");
  }

  @Test
  void billionLaughsAreRefusedAtTheDtd() {
    StringBuilder dtd = new StringBuilder("<!DOCTYPE metalink [<!ENTITY lol0 \"lol\">");
    for (int i = 1; i < 10; i++) {
      dtd.append("<!ENTITY lol").append(i).append(" \"");
      dtd.append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
    }
    dtd.append("]>");
    String bomb =
        "<?xml version=\"1.0\"?>"
            + dtd
            + "<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\"><file name=\""
            + NAME
            + "\"><size>&lol9;</size></file></metalink>";

    assertThatThrownBy(() -> Metalink.parse(utf8(bomb), NAME, 1000))
        .isInstanceOf(Metalink.Unusable.class)
        .hasMessage("it declares a DTD, which a Metalink never needs");
  }

  @Test
  void anUndeclaredEntityIsNotWellFormed() {
    String undeclared = HEAD + "<file name=\"" + NAME + "\"><size>&x;</size></file></metalink>";
    assertThatThrownBy(() -> Metalink.parse(utf8(undeclared), NAME, 1000))
        .isInstanceOf(Metalink.Unusable.class)
        .hasMessageStartingWith("it ");
  }

  @Test
  void aHugeDocumentIsNotRead() {
    byte[] huge = new byte[Metalink.MAX_BYTES + 1];
    assertThatThrownBy(() -> Metalink.parse(huge, NAME, 1000))
        .isInstanceOf(Metalink.Unusable.class)
        .hasMessage("it is larger than 4096 KiB");
  }

  @Test
  void deepNestingIsRefused() {
    String deep =
        HEAD
            + "<file name=\""
            + NAME
            + "\"><size>1000</size>"
            + "<x>".repeat(10_000)
            + "</x>".repeat(10_000)
            + "</file></metalink>";
    assertThatThrownBy(() -> Metalink.parse(utf8(deep), NAME, 1000))
        .isInstanceOf(Metalink.Unusable.class)
        .hasMessage("it nests elements deeper than 16");
  }

  @Test
  void otherDocumentsSayWhatTheyAre() {
    assertThatThrownBy(() -> Metalink.parse(utf8("<html><body/></html>"), NAME, 1000))
        .hasMessage("its root is not a Metalink 4 <metalink> but <html>");
    assertThatThrownBy(
            () ->
                Metalink.parse(
                    utf8("<metalink xmlns=\"http://www.metalinker.org/\" version=\"3.0\"/>"),
                    NAME,
                    1000))
        .hasMessage("it is Metalink 3, of which only version 4 (RFC 5854) is read");
    assertThatThrownBy(() -> Metalink.parse(utf8("not xml at all"), NAME, 1000))
        .hasMessageStartingWith("it is not well-formed XML: ");
    assertThatThrownBy(() -> Metalink.parse(utf8(HEAD), NAME, 1000))
        .isInstanceOf(Metalink.Unusable.class);
  }

  /** A Metalink for {@link #FILE} named {@code name} claiming {@code size} bytes. */
  private static byte[] document(String name, long size, int pieceLength, String type)
      throws Exception {
    String xml =
        HEAD
            + "  <file name=\""
            + name
            + "\">\n    <size>"
            + size
            + "</size>\n"
            + "    "
            + hash("sha-256", sha("SHA-256", FILE, 0, FILE.length))
            + "\n"
            + pieces(type, pieceLength, type.toUpperCase(java.util.Locale.ROOT))
            + "\n    <url priority=\"1\">http://mirror.example/"
            + name
            + "</url>\n  </file>\n</metalink>\n";
    return utf8(xml);
  }

  private static String pieces(String type, int length, String algorithm) throws Exception {
    StringBuilder xml =
        new StringBuilder("<pieces type=\"" + type + "\" length=\"" + length + "\">");
    for (int from = 0; from < FILE.length; from += length) {
      int to = Math.min(FILE.length, from + length);
      xml.append("\n  <hash>")
          .append(HexFormat.of().formatHex(sha(algorithm, FILE, from, to)))
          .append("</hash>");
    }
    return xml.append("</pieces>").toString();
  }

  private static String hash(String type, byte[] value) {
    return "<hash type=\"" + type + "\">" + HexFormat.of().formatHex(value) + "</hash>";
  }

  static byte[] sha(String algorithm, byte[] bytes, int from, int to) throws Exception {
    MessageDigest digest = MessageDigest.getInstance(algorithm);
    digest.update(bytes, from, to - from);
    return digest.digest();
  }

  private static byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    return bytes;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
