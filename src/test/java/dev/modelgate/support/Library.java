package dev.modelgate.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The library models (not the demo's) with a small data set whose answers are worked out by hand in the tests. */
public final class Library {
    private Library() {
    }

    public static String sdl() {
        try {
            return Files.readString(Path.of("src/test/resources/library.graphqls"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Fixture sqlite() {
        return on(TestDb.SQLITE);
    }

    public static Fixture on(TestDb db) {
        return load(Fixture.on(db, sdl()));
    }

    public static Fixture load(Fixture f) {
        return f.sql(
                "INSERT INTO authors (id, name, born, rating) VALUES (1, 'Ursula Le Guin', '1929-10-21', 4.5)",
                "INSERT INTO authors (id, name, born, rating) VALUES (2, 'Isaac Asimov', '1920-01-02', 4.2)",
                "INSERT INTO authors (id, name, born, rating) VALUES (3, 'Mary Beard', '1955-01-01', NULL)",
                "INSERT INTO authors (id, name, born, rating) VALUES (4, 'Nobody', NULL, NULL)",
                book(1, "A Wizard of Earthsea", "'FICTION'", "183", "9.99", f.timestamp("1968-11-01T00:00:00Z"), true, "1"),
                book(2, "The Dispossessed", "'FICTION'", "387", "12.50", f.timestamp("1974-05-01T00:00:00Z"), true, "1"),
                book(3, "The Lathe of Heaven", "'FICTION'", "184", "NULL", "NULL", false, "1"),
                book(4, "Foundation", "'FICTION'", "255", "8.00", f.timestamp("1951-06-01T00:00:00Z"), true, "2"),
                book(5, "I, Robot", "'FICTION'", "253", "7.50", f.timestamp("1950-12-02T00:00:00Z"), true, "2"),
                book(6, "The Intelligent Man''s Guide to Science", "'SCIENCE'", "NULL", "30.00", "NULL", false, "2"),
                book(7, "SPQR", "'HISTORY'", "608", "18.00", f.timestamp("2015-10-20T00:00:00Z"), true, "3"),
                book(8, "100% Pure_Fiction", "NULL", "10", "NULL", "NULL", true, "NULL"),
                "INSERT INTO tags (id, label) VALUES (1, 'classic'), (2, 'sci-fi'), (3, 'fantasy'), (4, 'rome')",
                "INSERT INTO book_tags (book_id, tag_id) VALUES (1, 1), (1, 3), (2, 2), (4, 1), (4, 2), (5, 2), (7, 4)",
                "INSERT INTO biographies (id, author_id, text) VALUES (1, 1, 'Born in Berkeley'), (2, 3, 'Classicist')").resetKeys();
    }

    private static String book(int id, String title, String genre, String pages, String price, String published, boolean inPrint, String author) {
        return "INSERT INTO books (id, title, genre, pages, price, published, in_print, author_id) VALUES ("
                + id + ", '" + title + "', " + genre + ", " + pages + ", " + price + ", " + published + ", " + (inPrint ? "TRUE" : "FALSE") + ", " + author + ")";
    }
}
