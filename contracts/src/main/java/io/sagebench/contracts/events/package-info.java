/**
 * One record per {@link io.sagebench.contracts.EventType}, each component named like its schema property, so
 * producers build events as values and consumers read them with {@link io.sagebench.contracts.EventCodec}.
 *
 * <p>How schema types map to Java, the same in every record:
 * <ul>
 *   <li>a required property is a primitive where it can be; an optional or nullable one is boxed, and null means absent;</li>
 *   <li>{@code integer}: {@code int} for counts of things (attempts, runs, instances, GPUs, batch sizes), where 2^31
 *       is beyond any real value; {@code long} for sizes, samples, steps, seconds, parameters and seeds, which the
 *       schemas leave unbounded;</li>
 *   <li>{@code usd}: {@link java.math.BigDecimal}, because results-service writes prices and costs with the price
 *       book's exact digits; any other {@code number} is a {@code double};</li>
 *   <li>{@code instant}: {@link java.time.Instant}; an {@code enum}: a Java enum whose {@code wire()} is the JSON value;</li>
 *   <li>a nested object is a nested record only where the JSON nests it; a wide flat schema stays a flat record.</li>
 * </ul>
 * ContractTest checks the records against the schemas, so the two cannot drift apart unnoticed.
 */
package io.sagebench.contracts.events;
