package dev.modelgate.error;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * "Did you mean …?": the names closest to a misspelled one, by edit distance, as graphql-js's
 * {@code suggestionList} picks them (a name within about a third of its length, or differing
 * only in case). Used for flags, commands, settings and GraphQL names alike.
 */
public final class Suggestions {
    private Suggestions() {
    }

    /** The closest candidate, or null when none is close enough. */
    public static String closest(String input, Collection<String> candidates) {
        List<String> all = list(input, candidates);
        return all.isEmpty() ? null : all.get(0);
    }

    /** The candidates close enough to {@code input}, closest first (at most five). */
    public static List<String> list(String input, Collection<String> candidates) {
        int threshold = Math.max(1, (int) Math.floor(input.length() * 0.4));
        record Near(String name, int distance) {
        }
        return candidates.stream()
                .filter(c -> !c.equals(input))
                .map(c -> new Near(c, distance(input, c)))
                .filter(n -> n.distance() <= threshold)
                .sorted(Comparator.comparingInt(Near::distance).thenComparing(Near::name))
                .limit(5)
                .map(Near::name)
                .toList();
    }

    /** Damerau-Levenshtein distance (a swap of two neighbours is one edit), case differences counting zero. */
    static int distance(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        if (x.equals(y)) {
            return 0;
        }
        int[][] d = new int[x.length() + 1][y.length() + 1];
        for (int i = 0; i <= x.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= y.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            for (int j = 1; j <= y.length(); j++) {
                int cost = x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && x.charAt(i - 1) == y.charAt(j - 2) && x.charAt(i - 2) == y.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[x.length()][y.length()];
    }
}
