package io.bamqp.it.bench;

/**
 * One row of the aggregation benchmark: which file, who downloads it and what happens half-way.
 *
 * @param name the row's label
 * @param fileBytes size of the file downloaded
 * @param client how the file is downloaded
 * @param event what happens to router 2 once the origin has sent half the file
 * @param goal the efficiency the issue asks for, or {@code NaN} when it sets none
 */
record Scenario(String name, long fileBytes, Client client, Event event, double goal) {
  /** The goal for steady scenarios. */
  static final double STEADY_GOAL = 0.95;

  /** The goal when a helper dies. */
  static final double DEATH_GOAL = 0.85;

  /** Who downloads. */
  enum Client {
    /** curl through the home node (router 1), which aggregates across the neighbors. */
    AGGREGATED,
    /** curl straight to the origin on router 1's line. */
    DIRECT_CURL,
    /** aria2c with 4 connections straight to the origin on router 1's line. */
    DIRECT_ARIA2C
  }

  /** What happens to router 2 once the origin has sent half the file. */
  enum Event {
    NONE,
    /** Router 2's node is closed. */
    HELPER_DIES,
    /** Router 2's line drops to half its rate. */
    HELPER_HALVES
  }

  /** A steady aggregated download. */
  static Scenario steady(String name, long fileBytes) {
    return new Scenario(name, fileBytes, Client.AGGREGATED, Event.NONE, STEADY_GOAL);
  }

  boolean direct() {
    return client != Client.AGGREGATED;
  }
}
