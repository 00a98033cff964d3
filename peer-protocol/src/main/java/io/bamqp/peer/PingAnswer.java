package io.bamqp.peer;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A helper's answer to {@code GET /bamqp/v1/ping}: who it is and whether it shares now.
 *
 * <p>JSON: {@code {"peerId":"MFRGGZDF-MZTWQ2LK-NNWG23TP-OBYXE43U","sharing":true,
 * "rateBytesPerSec":1250000}}.
 *
 * @param peerId the helper's ID (home checks it against the ID it pinned)
 * @param sharing whether it accepts jobs now (its owner opted in)
 * @param rateBytesPerSec the rate it would commit to now, {@code >= 0}; 0 when not sharing
 */
public record PingAnswer(
    String peerId,
    @JsonProperty(required = true) boolean sharing,
    @JsonProperty(required = true) long rateBytesPerSec) {

  public PingAnswer {
    if (rateBytesPerSec < 0) {
      throw new IllegalArgumentException("rateBytesPerSec must not be negative");
    }
  }
}
