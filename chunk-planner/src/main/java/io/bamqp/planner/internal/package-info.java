/** The planner's implementation; not an API. */
package io.bamqp.planner.internal;
