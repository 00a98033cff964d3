package io.bamqp.proxy.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.Identity;
import io.bamqp.security.PeerId;
import io.bamqp.testbed.Await;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class LedgerTest {
  private static final PeerId PEER = PeerId.ofPublicKey(new byte[32]);
  private static final PeerId OTHER = Identity.generate().id();
  private static final String HELPER = "router2";

  @TempDir Path state;

  private final Vertx vertx = Vertx.vertx();
  private final SettableClock clock = new SettableClock(LocalDateTime.of(2026, 3, 31, 23, 59));

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void whatWasGivenAndReceivedSurvivesAReopen() throws Exception {
    Ledger ledger = open();
    ledger.given(PEER, 1_000);
    ledger.given(OTHER, 7);
    ledger.received(HELPER, 500);
    Await.result(ledger.close());

    LedgerSnapshot reopened = open().snapshot();
    assertThat(reopened.balance(PEER.toString())).isEqualTo(new Balance(1_000, 0, 1_000, 0, 1_000));
    assertThat(reopened.balance(OTHER.toString()).given()).isEqualTo(7);
    assertThat(reopened.balance(HELPER)).isEqualTo(new Balance(0, 500, 0, 500, 0));
    assertThat(reopened.totals()).isEqualTo(new Balance(1_007, 500, 1_007, 500, 1_007));
  }

  @Test
  void theFileIsTheOwnersAloneAndNoTemporaryFileIsLeft() throws Exception {
    Ledger ledger = open();
    ledger.given(PEER, 1);
    Await.result(ledger.save());

    Path file = state.resolve("ledger.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(state)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("ledger.json");
    }
  }

  @Test
  void aNewMonthStartsTheMonthlyFiguresAfreshAndKeepsTheTotals() {
    Ledger ledger = open();
    ledger.given(PEER, 1_000);
    ledger.received(HELPER, 300);
    Await.result(ledger.save());

    clock.set(LocalDateTime.of(2026, 4, 1, 0, 0, 30));
    ledger.given(PEER, 10);
    Await.result(ledger.save());

    LedgerSnapshot april = ledger.snapshot();
    assertThat(april.day()).isEqualTo(LocalDate.of(2026, 4, 1));
    assertThat(april.balance(PEER.toString())).isEqualTo(new Balance(1_010, 0, 10, 0, 10));
    assertThat(april.balance(HELPER)).isEqualTo(new Balance(0, 300, 0, 0, 0));
    assertThat(ledger.givenThisMonth()).isEqualTo(10);
  }

  @Test
  void aNewDayKeepsTheMonthButNotToday() {
    clock.set(LocalDateTime.of(2026, 3, 14, 23, 0));
    Ledger ledger = open();
    ledger.given(PEER, 1_000);
    Await.result(ledger.save());
    clock.set(LocalDateTime.of(2026, 3, 15, 1, 0));
    Await.result(ledger.save());
    assertThat(ledger.snapshot().balance(PEER.toString()))
        .isEqualTo(new Balance(1_000, 0, 1_000, 0, 0));
  }

  @Test
  void aLedgerSavedLastMonthOpensWithTheMonthlyFiguresAtZero() {
    Ledger march = open();
    march.given(PEER, 1_000);
    Await.result(march.close());

    clock.set(LocalDateTime.of(2026, 4, 2, 12, 0));
    Ledger april = open();
    assertThat(april.snapshot().balance(PEER.toString())).isEqualTo(new Balance(1_000, 0, 0, 0, 0));
    assertThat(april.givenThisMonth(PEER.toString())).isZero();
  }

  @Test
  void bytesCountForTheCapsBeforeTheyAreFolded() {
    Ledger ledger = open();
    ledger.given(PEER, 5);
    assertThat(ledger.givenThisMonth(PEER.toString())).isEqualTo(5);
    assertThat(ledger.givenThisMonth()).isEqualTo(5);
  }

  @Test
  void aCorruptFileIsMovedAsideAndTheLedgerStartsEmpty() throws Exception {
    Files.writeString(state.resolve("ledger.json"), "{\"version\": 1, \"peers\": {\"x\": tr");

    Ledger ledger = open();

    assertThat(ledger.snapshot().peers()).isEmpty();
    try (Stream<Path> files = Files.list(state)) {
      Path aside =
          files
              .filter(p -> p.getFileName().toString().startsWith("ledger.json.corrupt-"))
              .findFirst()
              .orElseThrow();
      assertThat(Files.readString(aside, StandardCharsets.UTF_8)).contains("\"x\": tr");
    }
    ledger.given(PEER, 3);
    Await.result(ledger.close());
    assertThat(open().snapshot().balance(PEER.toString()).given()).isEqualTo(3);
  }

  private Ledger open() {
    return Await.result(Ledger.open(vertx, state, clock, Duration.ofMinutes(1)));
  }
}
