package dev.modelgate.ir;

/**
 * How a Date or DateTime field is truncated when rows are grouped by it: to the first instant
 * of its year, month, week (weeks start on Monday, ISO 8601), day or hour, in UTC. HOUR on a
 * Date is its day.
 */
public enum Truncation {
    YEAR, MONTH, WEEK, DAY, HOUR
}
