import sys, collections
buckets=[('driver execute','com/mysql/cj/jdbc/ServerPreparedStatement.executeInternal'),('driver execute','com/mysql/cj/jdbc/ClientPreparedStatement.executeInternal'),('driver execute','org/postgresql/jdbc/PgPreparedStatement.execute'),
('mybatis+hikari other','org/apache/ibatis/session/defaults/DefaultSqlSession.selectList'),('session/conn','dev/modelgate/db/Session'),
('plan bind','dev/modelgate/ir/Planner.bind'),('sql render','dev/modelgate/sql/SelectRenderer'),('complete','dev/modelgate/exec/Run.complete'),
('graphql-java other','graphql/GraphQL.executeAsync'),('response json','dev/modelgate/server/HttpServer.respond'),('request log','ch/qos/logback'),
('request parse','io/javalin/http/servlet/JavalinServletContext.body'),('request parse','com/fasterxml/jackson/databind/ObjectMapper.readValue'),('HttpServer other','dev/modelgate/server/HttpServer.post'),
('javalin/servlet','org/eclipse/jetty/server/Handler$Wrapper.handle'),('jetty io+threads','')]
tot=0; c=collections.Counter()
for line in open(sys.argv[1]):
    stack,_,n=line.rstrip().rpartition(' '); n=int(n); tot+=n
    for name,pat in buckets:
        if pat in stack: c[name]+=n; break
for k,v in sorted(c.items(), key=lambda x:-x[1]): print(f"{100*v/tot:5.1f}% {k}")
