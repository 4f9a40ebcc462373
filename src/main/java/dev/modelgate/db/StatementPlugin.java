package dev.modelgate.db;

import org.apache.ibatis.executor.statement.StatementHandler;
import org.apache.ibatis.plugin.Interceptor;

/**
 * A MyBatis plugin on statement handlers only. MyBatis offers every plugin each executor and
 * handler it makes, per statement, and each wrap costs reflection; ours wrap just the one.
 */
interface StatementPlugin extends Interceptor {
    @Override
    default Object plugin(Object target) {
        return target instanceof StatementHandler ? Interceptor.super.plugin(target) : target;
    }
}
