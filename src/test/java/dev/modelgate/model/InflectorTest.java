package dev.modelgate.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InflectorTest {

    @ParameterizedTest
    @CsvSource({"City,cities", "Person,people", "State,states", "Status,statuses", "Box,boxes", "Match,matches",
            "UserVisit,userVisits", "Leaf,leaves", "Category,categories", "Day,days", "Child,children", "News,news"})
    void pluralField(String type, String plural) {
        assertEquals(plural, Inflector.pluralField(type));
    }

    @ParameterizedTest
    @CsvSource({"City,cities", "Person,people", "UserVisit,user_visits", "HTTPServer,http_servers", "OrderLine2,order_line2s"})
    void tableOf(String type, String table) {
        assertEquals(table, Inflector.tableOf(type));
    }

    @ParameterizedTest
    @CsvSource({"cities,City", "people,Person", "user_visits,UserVisit", "statuses,Status", "addresses,Address",
            "boxes,Box", "movies,Movie", "news,News", "categories,Category", "buses,Bus"})
    void modelOfTable(String table, String model) {
        assertEquals(model, Inflector.modelOfTable(table));
    }

    @ParameterizedTest
    @CsvSource({"stateId,state_id", "createdAt,created_at", "name,name", "userID,user_id", "address2Line,address2_line"})
    void snake(String camel, String snake) {
        assertEquals(snake, Inflector.snake(camel));
        assertEquals(camel.replace("ID", "Id"), Inflector.camel(snake));
    }
}
