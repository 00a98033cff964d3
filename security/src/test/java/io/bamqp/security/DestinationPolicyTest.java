package io.bamqp.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class DestinationPolicyTest {
  private static final OwnSockets OWN = OwnSockets.read().listening(3128).listening(7432);
  private final DestinationPolicy strict = DestinationPolicy.create(List.of(), OWN);

  @Test
  void publicLiteralOnAStandardPortPassesAndIsPinned() throws Exception {
    Destination destination = strict.vet("GET", "http://93.184.216.34/files/x.iso?sig=abc");

    assertThat(destination.address()).isEqualTo(InetAddress.getByName("93.184.216.34"));
    assertThat(destination.port()).isEqualTo(80);
    assertThat(destination.pathAndQuery()).isEqualTo("/files/x.iso?sig=abc");
    assertThat(destination.hostHeader()).isEqualTo("93.184.216.34");
    assertThat(destination.redactedUrl()).isEqualTo("http://93.184.216.34/files/x.iso?…");
    assertThat(strict.vet("GET", "https://[2606:2800:220:1::1]/").tls()).isTrue();
  }

  @Test
  void aNameIsResolvedOnceAndTheCheckedAddressIsPinnedSoRebindingCannotSwapIt() throws Exception {
    // A hostile resolver: a public address for the check, then loopback for anyone who asks again.
    java.util.concurrent.atomic.AtomicInteger asked =
        new java.util.concurrent.atomic.AtomicInteger();
    DestinationPolicy rebinding =
        DestinationPolicy.create(
            List.of(),
            OWN,
            host ->
                new InetAddress[] {
                  InetAddress.getByName(
                      asked.getAndIncrement() == 0 ? "93.184.216.34" : "127.0.0.1")
                });

    Destination destination = rebinding.vet("GET", "http://rebind.example/f.iso");

    assertThat(asked).hasValue(1);
    assertThat(destination.address()).isEqualTo(InetAddress.getByName("93.184.216.34"));
    assertThat(destination.hostHeader()).isEqualTo("rebind.example");
  }

  @Test
  void aNameThatAlsoResolvesToLoopbackIsRefusedWhateverItsFirstAddress() {
    DestinationPolicy mixed =
        DestinationPolicy.create(
            List.of(),
            OWN,
            host ->
                new InetAddress[] {
                  InetAddress.getByName("93.184.216.34"), InetAddress.getByName("127.0.0.1")
                });

    assertThatThrownBy(() -> mixed.vet("GET", "http://mixed.example/f.iso"))
        .isInstanceOf(DestinationRefused.class)
        .hasMessageContaining("127.0.0.1");
  }

  @Test
  void onlyGetOfHttpOrHttpsWithoutUserInfo() {
    assertRefused("POST", "http://93.184.216.34/", "only GET");
    assertRefused("GET", "ftp://93.184.216.34/", "scheme 'ftp'");
    assertRefused("GET", "file:///etc/passwd", "scheme 'file'");
    assertRefused("GET", "example.com/x", "not an absolute URL");
    assertRefused("GET", "http://user:pw@93.184.216.34/", "user information");
    assertRefused("GET", "http://93.184.216.34/a b", "spaces or control characters");
  }

  @Test
  void nonStandardPortsAreRefused() {
    assertRefused("GET", "http://93.184.216.34:8080/", "port 8080 is not 80 or 443");
    assertRefused("GET", "http://93.184.216.34:0/", "bad port");
  }

  @Test
  void everySpecialPurposeBlockIsRefusedWithItsKind() {
    assertRefused("GET", "http://127.0.0.1/", "loopback");
    assertRefused("GET", "http://10.1.2.3/", "private");
    assertRefused("GET", "http://172.20.0.1/", "private");
    assertRefused("GET", "http://192.168.1.1/", "private");
    assertRefused("GET", "http://169.254.169.254/latest/meta-data/", "link-local");
    assertRefused("GET", "http://100.64.0.1/", "carrier-grade NAT");
    assertRefused("GET", "http://0.0.0.0/", "unspecified");
    assertRefused("GET", "http://0.1.2.3/", "'this network'");
    assertRefused("GET", "http://224.0.0.1/", "multicast");
    assertRefused("GET", "http://255.255.255.255/", "reserved or broadcast");
    assertRefused("GET", "http://240.0.0.1/", "reserved");
    assertRefused("GET", "http://[::1]/", "loopback");
    assertRefused("GET", "http://[fd00::1]/", "unique-local");
    assertRefused("GET", "http://[fe80::1]/", "link-local");
    assertRefused("GET", "http://[ff02::1]/", "multicast");
  }

  @Test
  void ipv6FormsThatEmbedIpv4AreRefused() {
    assertRefused("GET", "http://[::ffff:127.0.0.1]/", "loopback");
    assertRefused("GET", "http://[::ffff:10.0.0.1]/", "private");
    assertRefused("GET", "http://[::127.0.0.1]/", "IPv4-compatible");
    assertRefused("GET", "http://[64:ff9b::a00:1]/", "NAT64");
    assertRefused("GET", "http://[2002:7f00:1::1]/", "6to4");
    assertRefused("GET", "http://[2001:0:4136:e378::1]/", "Teredo");
  }

  @Test
  void obfuscatedIpv4LiteralsAreRefusedBeforeAnyLookup() {
    assertRefused("GET", "http://2130706433/", "not a canonical IPv4 address");
    assertRefused("GET", "http://0x7f.1/", "not a canonical IPv4 address");
    assertRefused("GET", "http://127.1/", "not a canonical IPv4 address");
    assertRefused("GET", "http://0177.0.0.1/", "not a canonical IPv4 address");
    assertRefused("GET", "http://127.000.000.001/", "not a canonical IPv4 address");
  }

  @Test
  void namesAreResolvedAndEveryAddressChecked() {
    assertRefused("GET", "http://localhost/", "loopback");
    assertRefused("GET", "http://LOCALHOST./", "loopback");
    assertRefused("GET", "http://exa_mple..com/", "not a host name");
  }

  @Test
  void malformedHostsAreRefusedBeforeAnyLookupWithTheRuleTheyBreak() {
    DestinationPolicy unresolvable =
        DestinationPolicy.create(
            List.of(),
            OWN,
            host -> {
              throw new AssertionError("looked up " + host);
            });

    for (String[] refused :
        new String[][] {
          {"http:///x", "the URL has no host"},
          {"http://./", "the URL has no host"},
          {"http://[]/", "the URL has no host"},
          {"http://%31%32%37.0.0.1/", "'%31%32%37.0.0.1' is not a host name"},
          {"http://B\u00fccher.example./", "'b\u00fccher.example' is not a host name"},
          {"http://evil.example\\.good.example/", "is not a host name"},
          {"http://[::1/", "bad IPv6 literal in '[::1'"},
          {"http://[::1]x/", "bad IPv6 literal in '[::1]x'"},
          {"http://[example.com]/", "bad IPv6 literal"},
          {"http://[fe80::1%25eth0]/", "bad IPv6 literal"},
          {"http://1:2::3:80/", "bad IPv6 literal"},
          {"http://93.184.216.34:65536/", "bad port in '93.184.216.34:65536'"},
          {"http://deadbeef/", "'deadbeef' is not a canonical IPv4 address"}
        }) {
      assertThatThrownBy(() -> unresolvable.vet("GET", refused[0]))
          .as(refused[0])
          .isInstanceOf(DestinationRefused.class)
          .hasMessageContaining(refused[1]);
    }
  }

  @Test
  void allowDestinationsOpensChosenBlocksOnAnyPort() throws Exception {
    DestinationPolicy testBed = DestinationPolicy.create(List.of(Cidr.parse("127.0.0.0/8")), OWN);

    Destination destination = testBed.vet("GET", "http://127.0.0.1:18080/files/1MiB");

    assertThat(destination.port()).isEqualTo(18080);
    assertThat(destination.hostHeader()).isEqualTo("127.0.0.1:18080");
    assertThatThrownBy(() -> testBed.vet("GET", "http://10.0.0.1/"))
        .hasMessageContaining("private");
  }

  @Test
  void theNodesOwnListeningSocketsStayClosedEvenWhenAllowed() {
    DestinationPolicy testBed = DestinationPolicy.create(List.of(Cidr.parse("127.0.0.0/8")), OWN);

    assertThatThrownBy(() -> testBed.vet("GET", "http://127.0.0.1:7432/bamqp/v1/jobs"))
        .isInstanceOf(DestinationRefused.class)
        .hasMessageContaining("own listening sockets");
  }

  @Test
  void everyAddressOfTheNodeIsClosedLikeLoopbackUnlessAllowedAndItsPortsStayClosedEvenThen()
      throws Exception {
    InetAddress wan = InetAddress.getByName("93.184.216.34");
    InetAddress lan = InetAddress.getByName("192.168.1.1");
    OwnSockets router = OwnSockets.read(() -> List.of(wan, lan), System::nanoTime).listening(8080);
    DestinationPolicy strictRouter = DestinationPolicy.create(List.of(), router);
    DestinationPolicy opened =
        DestinationPolicy.create(
            List.of(Cidr.parse("93.184.216.34/32"), Cidr.parse("192.168.1.0/24")), router);

    assertThatThrownBy(() -> strictRouter.vet("GET", "http://93.184.216.34/f.iso"))
        .isInstanceOf(DestinationRefused.class)
        .hasMessageContaining("this node's own address");
    assertThat(opened.vet("GET", "http://93.184.216.34/f.iso").address()).isEqualTo(wan);
    assertThat(opened.vet("GET", "http://192.168.1.1:9000/f.iso").address()).isEqualTo(lan);
    assertThatThrownBy(() -> opened.vet("GET", "http://192.168.1.1:8080/api/stats"))
        .hasMessageContaining("own listening sockets");
    assertThatThrownBy(() -> opened.vet("GET", "http://93.184.216.34:8080/"))
        .hasMessageContaining("own listening sockets");
  }

  @Test
  void anAddressTheNodeGotSinceItsLastReadIsRefusedAtOnce() throws Exception {
    InetAddress leased = InetAddress.getByName("93.184.216.34");
    java.util.concurrent.atomic.AtomicReference<List<InetAddress>> interfaces =
        new java.util.concurrent.atomic.AtomicReference<>(List.of());
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
    OwnSockets router = OwnSockets.read(interfaces::get, clock::get);
    DestinationPolicy policy = DestinationPolicy.create(List.of(), router);
    assertThat(policy.vet("GET", "http://93.184.216.34/f.iso").address()).isEqualTo(leased);

    interfaces.set(List.of(leased));
    clock.addAndGet(OwnSockets.MIN_REREAD_GAP.toNanos());

    assertThatThrownBy(() -> policy.vet("GET", "http://93.184.216.34/f.iso"))
        .hasMessageContaining("this node's own address");
  }

  private void assertRefused(String method, String url, String reason) {
    assertThatThrownBy(() -> strict.vet(method, url))
        .as(url)
        .isInstanceOf(DestinationRefused.class)
        .hasMessageContaining(reason);
  }
}
