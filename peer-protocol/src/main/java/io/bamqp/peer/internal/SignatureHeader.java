package io.bamqp.peer.internal;

import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.security.PeerId;
import io.bamqp.security.RequestSignature;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code Bamqp-Signature} header: {@code t=<unix ms>; n=<nonce>; aud=<helper ID>;
 * sig=<signature>}, binary values in unpadded base64url. The other signed fields (method, target,
 * body hash, home ID) are not repeated: the helper takes them from the request itself and from the
 * TLS session.
 */
public final class SignatureHeader {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final int MAX_LENGTH = 512;

  private SignatureHeader() {}

  /** The header value carrying {@code signature}. */
  public static String format(RequestSignature signature) {
    return "t="
        + signature.timeMillis()
        + "; n="
        + ENCODER.encodeToString(signature.nonce())
        + "; aud="
        + signature.helper()
        + "; sig="
        + ENCODER.encodeToString(signature.signature());
  }

  /**
   * The signature {@code header} claims for a request with these fields.
   *
   * @throws PeerException {@code BAD_SIGNATURE} naming what is missing or malformed
   */
  static RequestSignature parse(
      String header, String method, String target, byte[] bodySha256, PeerId home)
      throws PeerException {
    if (header == null) {
      throw bad("the request has no Bamqp-Signature header");
    }
    if (header.length() > MAX_LENGTH) {
      throw bad("the Bamqp-Signature header is too long");
    }
    Map<String, String> fields = new HashMap<>();
    for (String part : header.split(";")) {
      int eq = part.indexOf('=');
      if (eq < 0
          || fields.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim()) != null) {
        throw bad("malformed Bamqp-Signature header");
      }
    }
    try {
      return new RequestSignature(
          method,
          target,
          bodySha256,
          home,
          PeerId.parse(required(fields, "aud")),
          Long.parseLong(required(fields, "t")),
          DECODER.decode(required(fields, "n")),
          DECODER.decode(required(fields, "sig")));
    } catch (IllegalArgumentException e) {
      throw bad("malformed Bamqp-Signature header: " + e.getMessage());
    }
  }

  private static String required(Map<String, String> fields, String name) throws PeerException {
    String value = fields.get(name);
    if (value == null) {
      throw bad("the Bamqp-Signature header has no " + name);
    }
    return value;
  }

  private static PeerException bad(String detail) {
    return new PeerException(PeerErrorCode.BAD_SIGNATURE, detail);
  }
}
