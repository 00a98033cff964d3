/**
 * A deterministic simulator that runs the real planner against modelled sources (rate, RTT, rate
 * changes, deaths) and a modelled client (maximum rate, bounded reorder buffer), and reports the
 * download's efficiency against what a perfect planner could do. {@link
 * io.bamqp.planner.sim.Simulator#run} is the entry point.
 */
package io.bamqp.planner.sim;
