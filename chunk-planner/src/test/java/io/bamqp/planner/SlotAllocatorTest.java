package io.bamqp.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.planner.SlotAllocator.Grant;
import io.bamqp.planner.SlotAllocator.Revoke;
import io.bamqp.planner.SlotAllocator.RevokeCheck;
import org.junit.jupiter.api.Test;

class SlotAllocatorTest {
  static final long MIB = 1L << 20;
  static final long S = 1_000_000_000L;

  private final SlotAllocator allocator = new SlotAllocator(2 * S, 2 * MIB);

  /** Line b with one slot, downloads 1 and 2 of 50 MiB each: the slot goes to download 1. */
  private void oneSlotHeldByTheFirstOfTwo() {
    allocator.line("b", 1, 1_000_000);
    allocator.downloadStarted(1, 50 * MIB, 0);
    allocator.downloadStarted(2, 50 * MIB, 0);
    assertThat(allocator.decide(0)).containsExactly(new Grant("b", 1));
  }

  @Test
  void freeSlotsGoToDownloadsWithWorkOneJobPerLinePerDownload() {
    allocator.line("b", 2, 1_000_000);
    allocator.downloadStarted(1, 50 * MIB, 0);
    assertThat(allocator.decide(0)).containsExactly(new Grant("b", 1));
    assertThat(allocator.decide(0)).isEmpty();
    allocator.downloadStarted(2, 50 * MIB, 0);
    assertThat(allocator.decide(0)).containsExactly(new Grant("b", 2));
    assertThat(allocator.slotsHeld()).isEqualTo(2);
  }

  @Test
  void aCheckJobTakesOnlyASlotNoWaitingDownloadCouldUseAndCountsAsHeld() {
    allocator.line("b", 2, 1_000_000);
    allocator.downloadStarted(1, 50 * MIB, 0);
    assertThat(allocator.decide(0)).containsExactly(new Grant("b", 1));
    assertThat(allocator.checkWanted("b", 1, 0)).as("the second slot is free").isTrue();
    assertThat(allocator.slotsHeld()).isEqualTo(2);
    assertThat(allocator.checkWanted("b", 1, 0)).as("no slot left").isFalse();

    allocator.downloadStarted(2, 50 * MIB, 0);
    assertThat(allocator.decide(0))
        .as("a download waits: the check job gives its slot back first")
        .containsExactly(new RevokeCheck("b", 1));
    assertThat(allocator.decide(0)).as("until the helper confirms the release").isEmpty();
    assertThat(allocator.checkWanted("b", 1, 0)).isFalse();
    allocator.returned("b");
    assertThat(allocator.decide(0)).containsExactly(new Grant("b", 2));
  }

  @Test
  void aCheckJobIsNotGrantedWhileADownloadWaitsForTheLine() {
    allocator.line("b", 1, 1_000_000);
    allocator.line("c", 1, 1_000_000);
    allocator.downloadStarted(1, 50 * MIB, 0);
    allocator.downloadStarted(2, 50 * MIB, 0);
    allocator.decide(0); // one line each
    allocator.blocked("c", 5 * S);
    allocator.released("c", 2); // c answered busy: download 2 waits for it
    assertThat(allocator.checkWanted("c", 1, S)).as("blocked by a busy answer").isFalse();
    assertThat(allocator.checkWanted("b", 2, S)).as("b serves download 1").isFalse();
    assertThat(allocator.checkWanted("c", 1, 6 * S)).as("download 2 waits for c").isFalse();
    assertThat(allocator.decide(6 * S)).containsExactly(new Grant("c", 2));
  }

  @Test
  void aCheckJobReleasedFreesItsSlotOnceReturnedOrAtOnceWhenTheHelperNeverHadIt() {
    allocator.line("b", 2, 1_000_000);
    allocator.downloadStarted(1, 50 * MIB, 0);
    allocator.downloadStarted(2, MIB, 0); // too little left to want a line
    assertThat(allocator.decide(0)).containsExactly(new Grant("b", 1));
    assertThat(allocator.checkWanted("b", 2, 0)).isTrue();
    allocator.checkReleased("b", 2, false, 0);
    assertThat(allocator.slotsHeld()).as("declined: free at once").isEqualTo(1);
    assertThat(allocator.checkWanted("b", 2, 0)).isTrue();
    allocator.checkReleased("b", 2, true, 0);
    assertThat(allocator.checkWanted("b", 2, 0)).as("its release is not confirmed yet").isFalse();
    allocator.returned("b");
    assertThat(allocator.checkWanted("b", 2, 0)).isTrue();
    allocator.downloadEnded(2, 0);
    assertThat(allocator.slotsHeld()).as("an ended download's check job goes too").isEqualTo(1);
    allocator.downloadStarted(3, 50 * MIB, 0);
    assertThat(allocator.decide(0)).as("once its release is confirmed").isEmpty();
    allocator.returned("b");
    assertThat(allocator.decide(0)).containsExactly(new Grant("b", 3));
  }

  @Test
  void aSlotLeftByADownloadWhoseNeighborStalledGoesToAnotherOnceReturned() {
    oneSlotHeldByTheFirstOfTwo();
    allocator.left("b", 1, S);
    assertThat(allocator.slotsHeld()).isZero();
    assertThat(allocator.decide(S)).as("until the helper confirms the release").isEmpty();
    allocator.returned("b");
    assertThat(allocator.decide(S)).containsExactly(new Grant("b", 2));
    allocator.left("b", 1, S); // not its slot any more: nothing changes
    assertThat(allocator.holdings().get("b")).containsExactly(2L);
    allocator.downloadEnded(2, 2 * S);
    allocator.returned("b");
    assertThat(allocator.decide(2 * S))
        .as("not back to the download it failed in before a while: it would fail again at once")
        .isEmpty();
    assertThat(allocator.decide(S + SlotAllocator.LEFT_RETRY_NANOS))
        .containsExactly(new Grant("b", 1));
  }

  @Test
  void anEndedDownloadsSlotGoesToAWaiterAtOnce() {
    oneSlotHeldByTheFirstOfTwo();
    assertThat(allocator.waiting()).isEqualTo(1);
    allocator.downloadEnded(1, 1);
    assertThat(allocator.decide(1)).as("its release is not confirmed yet").isEmpty();
    allocator.returned("b");
    assertThat(allocator.decide(1)).containsExactly(new Grant("b", 2));
    assertThat(allocator.waiting()).isZero();
  }

  @Test
  void aSlotMovesOnlyAfterAQuantumAndOnlyToADownloadThatTrailsByMoreThanOne() {
    allocator.line("b", 1, 1_000_000); // a quantum of bytes: 2 MB
    allocator.downloadStarted(1, 50 * MIB, 0);
    allocator.downloadStarted(2, 50 * MIB, 0);
    allocator.decide(0);
    allocator.progressed(1, 3_000_000, 47 * MIB, 0);
    assertThat(allocator.decide(S)).as("held for less than a quantum").isEmpty();
    allocator.progressed(2, 1_500_000, 48 * MIB, 0);
    assertThat(allocator.decide(3 * S)).as("trails by less than a quantum").isEmpty();
    allocator.progressed(2, 900_000, 48 * MIB, 0);
    assertThat(allocator.decide(3 * S)).containsExactly(new Revoke("b", 1));
    assertThat(allocator.decide(3 * S)).isEmpty();
    allocator.returned("b");
    assertThat(allocator.decide(3 * S)).containsExactly(new Grant("b", 2));
  }

  @Test
  void theTrailThatMovesASlotIsAQuantumOfOneSlotsBytesNotOfTheWholeLine() {
    allocator.line("b", 2, 2_000_000); // two slots of 1 MB/s: a quantum of one slot is 2 MB
    allocator.downloadStarted(1, 50 * MIB, 0);
    allocator.downloadStarted(2, 50 * MIB, 0);
    allocator.downloadStarted(3, 50 * MIB, 0);
    assertThat(allocator.decide(0)).containsExactly(new Grant("b", 1), new Grant("b", 2));
    allocator.progressed(1, 5_000_000, 45 * MIB, 0);
    allocator.progressed(2, 4_000_000, 46 * MIB, 0);
    allocator.progressed(3, 2_500_000, 47 * MIB, 0);
    // Download 3 trails download 1 by 2.5 MB: more than one slot's quantum, less than the line's.
    assertThat(allocator.decide(2 * S)).containsExactly(new Revoke("b", 1));
  }

  @Test
  void aNewcomerStartsLevelWithTheLeastServedInsteadOfStarvingTheOthers() {
    allocator.line("b", 1, 1_000_000);
    allocator.downloadStarted(1, 500 * MIB, 0);
    allocator.decide(0);
    allocator.progressed(1, 100 * MIB, 400 * MIB, 0);
    allocator.downloadStarted(2, 500 * MIB, 10 * S);
    assertThat(allocator.decide(10 * S)).isEmpty();
    allocator.progressed(2, 3_000_000, 497 * MIB, 0);
    allocator.progressed(1, 100 * MIB, 400 * MIB, 0);
    assertThat(allocator.decide(11 * S)).isEmpty();
  }

  @Test
  void aBusyLineGetsNoGrantUntilItsRetryTime() {
    allocator.line("b", 1, 1_000_000);
    allocator.downloadStarted(1, 50 * MIB, 0);
    assertThat(allocator.decide(0)).containsExactly(new Grant("b", 1));
    allocator.released("b", 1);
    allocator.blocked("b", S);
    assertThat(allocator.decide(S / 2)).isEmpty();
    assertThat(allocator.decide(S)).containsExactly(new Grant("b", 1));
  }

  @Test
  void aShrunkShareIsGivenBackByTheMostServedHolderOnceItHeldAQuantum() {
    allocator.line("b", 2, 1_000_000);
    allocator.downloadStarted(1, 50 * MIB, 0);
    allocator.downloadStarted(2, 50 * MIB, 0);
    allocator.decide(0);
    allocator.progressed(1, 9 * MIB, 41 * MIB, 0);
    allocator.progressed(2, 5 * MIB, 45 * MIB, 0);
    allocator.line("b", 1, 1_000_000);
    assertThat(allocator.decide(S)).isEmpty();
    assertThat(allocator.decide(2 * S)).containsExactly(new Revoke("b", 1));
    assertThat(allocator.holdings().get("b")).containsExactly(2L);
  }

  @Test
  void aDownloadHeldBackByItsClientOrNearlyDoneTakesNoLine() {
    allocator.homeLine(4_000_000);
    allocator.line("b", 2, 1_000_000);
    allocator.downloadStarted(1, 50 * MIB, 0);
    allocator.progressed(1, 0, 50 * MIB, 1_500_000); // its half of the home line: 2 MB/s
    allocator.downloadStarted(2, 50 * MIB, 0);
    allocator.progressed(2, 0, MIB, 0); // one MiB left
    assertThat(allocator.decide(0)).isEmpty();
    assertThat(allocator.waiting()).isZero();
    allocator.downloadStarted(3, 50 * MIB, 0);
    assertThat(allocator.decide(0)).contains(new Grant("b", 3)).doesNotContain(new Grant("b", 2));
  }

  @Test
  void aReleaseNeverConfirmedFreesTheSlotAfterTheReturnTimeout() {
    allocator.line("b", 1, 1_000_000);
    allocator.downloadStarted(1, 50 * MIB, 0);
    allocator.downloadStarted(2, 50 * MIB, 0);
    allocator.decide(0);
    allocator.downloadEnded(1, S);
    assertThat(allocator.decide(S + SlotAllocator.RETURN_TIMEOUT_NANOS - 1)).isEmpty();
    assertThat(allocator.decide(S + SlotAllocator.RETURN_TIMEOUT_NANOS))
        .containsExactly(new Grant("b", 2));
  }

  @Test
  void aDownloadThatTookEveryLineBeforeTheOthersCameGivesOneUpAfterASecond() {
    allocator.line("b", 1, 1_000_000);
    allocator.line("c", 1, 1_000_000);
    allocator.downloadStarted(1, 50 * MIB, 0);
    assertThat(allocator.decide(0)).containsExactly(new Grant("b", 1), new Grant("c", 1));
    allocator.downloadStarted(2, 50 * MIB, 0);
    assertThat(allocator.decide(S / 2)).isEmpty();
    assertThat(allocator.decide(S)).containsExactly(new Revoke("b", 1));
    allocator.returned("b");
    assertThat(allocator.decide(S)).containsExactly(new Grant("b", 2));
    assertThat(allocator.decide(10 * S)).as("one line each: even").isEmpty();
  }

  @Test
  void aLineThatLeavesNamesItsHolders() {
    allocator.line("b", 2, 1_000_000);
    allocator.downloadStarted(1, 50 * MIB, 0);
    allocator.decide(0);
    assertThat(allocator.lineGone("b")).containsExactly(1L);
    assertThat(allocator.slotsHeld()).isZero();
  }
}
