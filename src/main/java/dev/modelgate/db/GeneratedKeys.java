package dev.modelgate.db;

import dev.modelgate.sql.Fragment;
import org.apache.ibatis.executor.Executor;
import org.apache.ibatis.executor.ExecutorException;
import org.apache.ibatis.executor.keygen.Jdbc3KeyGenerator;
import org.apache.ibatis.mapping.MappedStatement;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Reads the keys an INSERT generated through JDBC ({@code getGeneratedKeys}), for databases
 * without {@code INSERT … RETURNING} (MySQL 8, H2). Being a {@link Jdbc3KeyGenerator} makes
 * MyBatis prepare the statement with {@code RETURN_GENERATED_KEYS}.
 */
final class GeneratedKeys extends Jdbc3KeyGenerator {

    /** An INSERT to run and the keys it generated, filled in after it runs. */
    record Insert(Fragment statement, List<Object> keys) {
    }

    @Override
    public void processAfter(Executor executor, MappedStatement ms, Statement stmt, Object parameter) {
        Insert insert = (Insert) parameter;
        try (ResultSet rs = stmt.getGeneratedKeys()) {
            while (rs.next()) {
                insert.keys().add(rs.getObject(1));
            }
        } catch (SQLException e) {
            throw new ExecutorException("could not read generated keys", e);
        }
    }
}
