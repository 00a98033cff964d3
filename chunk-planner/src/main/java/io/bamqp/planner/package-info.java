/**
 * The chunk planner: which source fetches which byte range of one download, and when.
 *
 * <p>{@link io.bamqp.planner.ChunkPlanner} is the whole API: events in, {@link
 * io.bamqp.planner.Action actions} out, time passed in. {@link io.bamqp.planner.sim} drives it
 * against modelled sources to measure policies without a network.
 */
package io.bamqp.planner;
