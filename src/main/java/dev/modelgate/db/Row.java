package dev.modelgate.db;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A row as a map: names shared by every row of a result, values in an array. What a hash map per
 * row costs in entries, hashing and resizing (a tenth of a thousand-row request's CPU, profile in
 * docs/benchmarks/peers.md) this does not; lookups scan a handful of names. Iterates in column
 * order. Values can be replaced; names are fixed.
 */
public final class Row extends AbstractMap<String, Object> {
    private final String[] names;
    private final Object[] values;

    /** {@code names} unique and shared, not copied; {@code values} as long as {@code names}. */
    public Row(String[] names, Object[] values) {
        if (names.length != values.length) {
            throw new IllegalArgumentException(names.length + " names for " + values.length + " values");
        }
        this.names = names;
        this.values = values;
    }

    private int index(Object name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Object get(Object name) {
        int i = index(name);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object name) {
        return index(name) >= 0;
    }

    @Override
    public int size() {
        return names.length;
    }

    /** Replaces the value of an existing name; a new name is refused (the names are shared). */
    @Override
    public Object put(String name, Object value) {
        int i = index(name);
        if (i < 0) {
            throw new UnsupportedOperationException("no column " + name + " in this row");
        }
        Object old = values[i];
        values[i] = value;
        return old;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < names.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (i >= names.length) {
                            throw new NoSuchElementException();
                        }
                        int at = i++;
                        return new SimpleImmutableEntry<>(names[at], values[at]);
                    }
                };
            }

            @Override
            public int size() {
                return names.length;
            }
        };
    }
}
