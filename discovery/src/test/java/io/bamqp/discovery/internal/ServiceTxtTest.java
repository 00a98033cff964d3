package io.bamqp.discovery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bamqp.security.PeerId;
import java.net.InetAddress;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceTxtTest {
  private static final PeerId ID = PeerId.ofPublicKey(new byte[32]);
  private static final List<InetAddress> LOOPBACK = List.of(InetAddress.getLoopbackAddress());

  @Test
  void whatANodeAnnouncesReadsBackAsTheSameSighting() throws Exception {
    Map<String, String> txt = ServiceTxt.encode(ID, "1", true, 12.5);

    Sighting sighting = ServiceTxt.decode("bamqp-x", txt, LOOPBACK, 7432);

    assertThat(txt).containsEntry("id", ID.toString()).containsEntry("v", "1");
    assertThat(txt).containsEntry("sharing", "on").containsEntry("rate", "12.5");
    assertThat(sighting.id()).isEqualTo(ID);
    assertThat(sighting.sharing()).isTrue();
    assertThat(sighting.rateMbps()).isEqualTo(12.5);
    assertThat(sighting.addresses()).singleElement().hasToString("localhost/127.0.0.1:7432");
  }

  @Test
  void wholeRatesAreAnnouncedWithoutADecimalPoint() {
    assertThat(ServiceTxt.encode(ID, "1", false, 10)).containsEntry("rate", "10");
  }

  @Test
  void anAnnouncementWithoutIdOrWithABadOneIsMalformed() {
    assertThatThrownBy(() -> decode(Map.of("v", "1"), 7432)).hasMessageContaining("no 'id'");
    assertThatThrownBy(() -> decode(Map.of("id", "router-2"), 7432))
        .hasMessageContaining("bad 'id'")
        .hasMessageContaining("router-2");
  }

  @Test
  void badPortsSharingAndRatesAreMalformed() {
    Map<String, String> good = ServiceTxt.encode(ID, "1", true, 10);
    assertThatThrownBy(() -> decode(good, 0)).hasMessageContaining("port 0");
    assertThatThrownBy(() -> decode(with(good, "sharing", "yes"), 1))
        .hasMessageContaining("sharing");
    assertThatThrownBy(() -> decode(with(good, "rate", "fast"), 1)).hasMessageContaining("rate");
    assertThatThrownBy(() -> decode(with(good, "rate", "-1"), 1)).hasMessageContaining("rate");
    assertThatThrownBy(() -> decode(with(good, "rate", "Infinity"), 1))
        .hasMessageContaining("rate");
  }

  @Test
  void missingSharingAndRateMeanNotSharing() throws Exception {
    Sighting sighting = decode(Map.of("id", ID.toString()), 7432);
    assertThat(sighting.sharing()).isFalse();
    assertThat(sighting.rateMbps()).isZero();
  }

  @Test
  void oneAnnouncementKeepsAtMostTheAddressCap() throws Exception {
    List<InetAddress> many =
        Collections.nCopies(ServiceTxt.MAX_ADDRESSES + 5, InetAddress.getLoopbackAddress());
    Sighting sighting = ServiceTxt.decode("x", Map.of("id", ID.toString()), many, 1);
    assertThat(sighting.addresses()).hasSize(ServiceTxt.MAX_ADDRESSES);
  }

  private static Sighting decode(Map<String, String> txt, int port) throws Exception {
    return ServiceTxt.decode("bamqp-x", txt, LOOPBACK, port);
  }

  private static Map<String, String> with(Map<String, String> txt, String key, String value) {
    Map<String, String> copy = new HashMap<>(txt);
    copy.put(key, value);
    return copy;
  }
}
