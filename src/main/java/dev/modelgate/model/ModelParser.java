package dev.modelgate.model;

import graphql.language.BooleanValue;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.DirectiveDefinition;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.IntValue;
import graphql.language.ListType;
import graphql.language.Node;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ObjectTypeExtensionDefinition;
import graphql.language.SourceLocation;
import graphql.language.StringValue;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.Value;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.MultiSourceReader;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads model definitions (SDL with Modelgate's directives) into a {@link Models} snapshot.
 * Every problem is collected and reported at once, each with file:line:column.
 */
public final class ModelParser {

    /** One schema file's text and the name it is reported under. */
    public record Source(String name, String text) {
    }

    private static final Set<String> FIELD_DIRECTIVES = Set.of(
            "id", "column", "unique", "index", "default", "belongsTo", "hasMany", "hasOne", "manyToMany", "renamedFrom");

    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, ObjectTypeDefinition> types = new LinkedHashMap<>();
    private final Map<String, EnumTypeDefinition> enumTypes = new LinkedHashMap<>();
    private final Map<String, SourceLocation> fieldLocations = new HashMap<>();
    private final List<ObjectTypeExtensionDefinition> extensions = new ArrayList<>();
    private final Map<String, List<Directive>> allowDirectives = new LinkedHashMap<>();
    private final List<Rename> renames = new ArrayList<>();

    private ModelParser() {
    }

    /** Reads every {@code *.graphqls} / {@code *.graphql} file of a file or folder. */
    public static Models parse(Path path) {
        return parse(readSources(path));
    }

    public static Models parse(List<Source> sources) {
        return new ModelParser().build(sources);
    }

    public static List<Source> readSources(Path path) {
        if (!Files.exists(path)) {
            throw new ModelException(List.of(new Problem(null, 0, 0, "no model files at " + path.toAbsolutePath() + ": give the folder or file of your models with --schema PATH (or MODELGATE_SCHEMA)")));
        }
        List<Path> files;
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.walk(path)) {
                files = s.filter(Files::isRegularFile)
                        .filter(p -> p.toString().endsWith(".graphqls") || p.toString().endsWith(".graphql"))
                        .sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            files = List.of(path);
        }
        if (files.isEmpty()) {
            throw new ModelException(List.of(new Problem(null, 0, 0, "no *.graphqls or *.graphql files in " + path)));
        }
        List<Source> sources = new ArrayList<>();
        for (Path f : files) {
            try {
                sources.add(new Source(f.toString(), Files.readString(f)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sources;
    }

    private Models build(List<Source> sources) {
        for (Source s : sources) {
            Document doc = parseDocument(s);
            if (doc != null) {
                doc.getDefinitions().forEach(this::collect);
            }
        }
        if (types.isEmpty() && problems.isEmpty()) {
            problems.add(new Problem(null, 0, 0, "no model types (types with @model) in the schema files"));
        }
        checkNames();
        List<EnumDef> enums = enumTypes.values().stream().map(this::enumDef).toList();
        List<Model> models = types.values().stream().map(this::model).toList();
        checkModels(models);
        List<SqlField> sqlFields = sqlFields(models);
        List<Allow> allows = new AllowParser(models, enums, problems).parse(allowDirectives);
        if (!problems.isEmpty()) {
            throw new ModelException(problems);
        }
        return new Models(models, enums, sqlFields, allows).withRenames(renames);
    }

    private Document parseDocument(Source s) {
        MultiSourceReader reader = MultiSourceReader.newMultiSourceReader().string(s.text(), s.name()).trackData(false).build();
        try {
            return new Parser().parseDocument(ParserEnvironment.newParserEnvironment().document(reader).build());
        } catch (InvalidSyntaxException e) {
            SourceLocation loc = e.getLocation();
            if (loc != null && loc.getSourceName() == null) {
                loc = new SourceLocation(loc.getLine(), loc.getColumn(), s.name());
            }
            Problem unclosed = unclosedBrace(s);
            problems.add(unclosed != null ? unclosed : Problem.at(loc == null ? new SourceLocation(1, 1, s.name()) : loc,
                    "syntax error: " + e.getMessage()));
            return null;
        }
    }

    private static final java.util.regex.Pattern TOP_LEVEL = java.util.regex.Pattern.compile("^(type|enum|extend|input|interface|union|scalar|directive|schema)\\b.*");

    /**
     * A block whose {@code {} is not closed before the next definition starts at the left margin:
     * the parser trips only on that next definition, so the problem is reported where the block opened.
     */
    private static Problem unclosedBrace(Source s) {
        int depth = 0;
        int openLine = 0;
        int openColumn = 0;
        String opener = null;
        String[] lines = s.text().split("\n", -1);
        boolean inBlockString = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (depth > 0 && !inBlockString && TOP_LEVEL.matcher(line).matches()) {
                return new Problem(s.name(), openLine, openColumn, opener + ": the { opened here is not closed before line " + (i + 1)
                        + " (" + line.trim() + "); add the missing }");
            }
            boolean inString = false;
            for (int c = 0; c < line.length(); c++) {
                char ch = line.charAt(c);
                if (line.startsWith("\"\"\"", c)) {
                    inBlockString = !inBlockString;
                    c += 2;
                } else if (inBlockString) {
                    continue;
                } else if (ch == '"') {
                    inString = !inString;
                } else if (inString) {
                    continue;
                } else if (ch == '#') {
                    break;
                } else if (ch == '{') {
                    if (depth == 0) {
                        openLine = i + 1;
                        openColumn = c + 1;
                        String head = line.substring(0, c).trim();
                        opener = head.isEmpty() ? "a block" : head.replaceAll("\\s*@.*", "").trim();
                    }
                    depth++;
                } else if (ch == '}') {
                    depth = Math.max(0, depth - 1);
                }
            }
        }
        return null;
    }

    /** A model or enum whose name the derived API uses already: say what to rename, keeping the table. */
    private void checkNames() {
        Set<String> all = new HashSet<>(types.keySet());
        all.addAll(enumTypes.keySet());
        types.forEach((name, t) -> t.getFieldDefinitions().stream().filter(fd -> fd.getName().equals("nodeId")).forEach(fd ->
                problem(fd, name + ".nodeId: every model with a key gets a field nodeId, its global id (Relay's Node); rename this field,"
                        + " e.g. to externalNodeId, and keep its column with @column(name: \"node_id\")")));
        types.forEach((name, t) -> {
            Set<String> others = new HashSet<>(all);
            others.remove(name);
            String reason = Inflector.clash(name, others);
            if (reason != null) {
                problem(t, name + ": " + reason + "; rename the type, e.g. " + Inflector.unclashed(name, all)
                        + ", and keep its table with @model(table: \"" + Inflector.tableOf(name) + "\") if it has none");
            }
        });
        enumTypes.forEach((name, e) -> {
            if (name.startsWith("__") || Inflector.RESERVED_TYPES.contains(name) && ScalarType.byGraphqlName(name) == null) {
                problem(e, name + ": " + Inflector.clash(name, Set.of()) + "; rename the enum");
            }
        });
    }

    private void collect(Definition<?> def) {
        if (def instanceof ObjectTypeExtensionDefinition ext) {
            extensions.add(ext);
        } else if (def instanceof ObjectTypeDefinition t) {
            if (types.containsKey(t.getName()) || enumTypes.containsKey(t.getName())) {
                problem(t, t.getName() + ": declared twice");
            } else if (t.getDirectives("model").isEmpty()) {
                problem(t, t.getName() + ": an object type needs @model(table: ...) to be a model");
            } else {
                types.put(t.getName(), t);
            }
        } else if (def instanceof EnumTypeDefinition e) {
            if (types.containsKey(e.getName()) || enumTypes.containsKey(e.getName())) {
                problem(e, e.getName() + ": declared twice");
            } else if (ScalarType.byGraphqlName(e.getName()) != null) {
                problem(e, e.getName() + ": an enum cannot take the name of a built-in scalar");
            } else {
                enumTypes.put(e.getName(), e);
            }
        } else if (!(def instanceof DirectiveDefinition)) {
            problem(def, def.getClass().getSimpleName().replace("Definition", "")
                    + " definitions are not supported in model files (models are object types with @model; enums are allowed)");
        }
    }

    private EnumDef enumDef(EnumTypeDefinition e) {
        List<String> values = e.getEnumValueDefinitions().stream().map(EnumValueDefinition::getName).toList();
        if (values.isEmpty()) {
            problem(e, e.getName() + ": an enum needs at least one value");
        }
        Map<String, String> stored = new LinkedHashMap<>();
        for (EnumValueDefinition v : e.getEnumValueDefinitions()) {
            String where = e.getName() + "." + v.getName();
            for (Directive d : v.getDirectives()) {
                if (!d.getName().equals("map")) {
                    problem(d, where + ": unknown enum value directive @" + d.getName() + " (only @map(name: \"...\"))");
                    continue;
                }
                String name = required(args(d, where, Set.of("name")), "name", where, d);
                if (name != null && !name.equals(v.getName())) {
                    stored.put(v.getName(), name);
                }
            }
        }
        if (new HashSet<>(values.stream().map(v -> stored.getOrDefault(v, v)).toList()).size() != values.size()) {
            problem(e, e.getName() + ": two values are stored as the same text");
        }
        return new EnumDef(e.getName(), values, description(e.getDescription()), stored);
    }

    private Model model(ObjectTypeDefinition t) {
        String name = t.getName();
        if (name.equals("Query") || name.equals("Mutation") || name.equals("Subscription")) {
            problem(t, name + ": is a root type name and cannot be a model");
        }
        for (Directive d : t.getDirectives()) {
            if (d.getName().equals("allow")) {
                allowDirectives.computeIfAbsent(name, k -> new ArrayList<>()).add(d);
            } else if (d.getName().equals("renamedFrom")) {
                renamedFrom(d, name, null);
            } else if (!d.getName().equals("model")) {
                problem(d, name + ": unknown type directive @" + d.getName());
            }
        }
        Directive md = t.getDirectives("model").get(0);
        Map<String, Value<?>> margs = args(md, name, Set.of("table", "plural", "readOnly"));
        String table = str(margs.get("table"), name, md);
        String plural = str(margs.get("plural"), name, md);
        boolean readOnly = Boolean.TRUE.equals(bool(margs.get("readOnly"), name, md));
        if (table == null) {
            table = Inflector.tableOf(name);
        }
        if (plural == null) {
            plural = Inflector.pluralField(name);
            if (plural.equals(Inflector.singularField(name))) {
                plural = plural + "List";
            }
        }
        List<Field> fields = new ArrayList<>();
        List<Relation> relations = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (FieldDefinition fd : t.getFieldDefinitions()) {
            if (!seen.add(fd.getName())) {
                problem(fd, name + "." + fd.getName() + ": declared twice");
                continue;
            }
            fieldLocations.put(name + "." + fd.getName(), fd.getSourceLocation());
            fieldOrRelation(name, fd, fields, relations);
        }
        long ids = fields.stream().filter(Field::id).count();
        if (ids == 0 && !readOnly) {
            problem(t, name + ": a model needs an @id field (several for a composite key); only a readOnly model (a view) may have none");
        }
        if (ids > 1) {   // a composite key is given by the rows, never generated
            fields.replaceAll(f -> f.id() && f.generated() ? f.withGenerated(false) : f);
        }
        return new Model(name, table, plural, description(t.getDescription()), fields, relations, readOnly);
    }

    private void fieldOrRelation(String model, FieldDefinition fd, List<Field> fields, List<Relation> relations) {
        String where = model + "." + fd.getName();
        for (Directive d : fd.getDirectives()) {
            if (!FIELD_DIRECTIVES.contains(d.getName())) {
                problem(d, where + ": unknown field directive @" + d.getName()
                        + (d.getName().equals("sql") ? " (@sql fields are declared in extend type " + model + " { … })" : ""));
            }
        }
        if (!fd.getInputValueDefinitions().isEmpty()) {
            problem(fd, where + ": model fields take no arguments (they are derived)");
        }
        for (Directive d : fd.getDirectives("renamedFrom")) {
            renamedFrom(d, model, fd.getName());
        }
        Type<?> type = fd.getType();
        boolean nullable = !(type instanceof NonNullType);
        Type<?> inner = nullable ? type : ((NonNullType) type).getType();
        boolean list = inner instanceof ListType;
        if (list) {
            inner = ((ListType) inner).getType();
            if (inner instanceof NonNullType nn) {
                inner = nn.getType();
            }
        }
        if (!(inner instanceof TypeName tn)) {
            problem(fd, where + ": nested lists are not supported");
            return;
        }
        String typeName = tn.getName();
        if (types.containsKey(typeName)) {
            relation(model, fd, typeName, list, nullable).ifPresent(relations::add);
            return;
        }
        List<String> relationDirectives = fd.getDirectives().stream().map(Directive::getName)
                .filter(n -> n.equals("belongsTo") || n.equals("hasMany") || n.equals("hasOne") || n.equals("manyToMany")).toList();
        if (!relationDirectives.isEmpty()) {
            problem(fd, where + ": @" + relationDirectives.get(0) + " needs a model type, but " + typeName + " is not a model");
            return;
        }
        ScalarType st = ScalarType.byGraphqlName(typeName);
        if (st == null && enumTypes.containsKey(typeName)) {
            st = ScalarType.ENUM;
        }
        if (st == null) {
            List<String> known = new ArrayList<>(types.keySet());
            known.addAll(enumTypes.keySet());
            java.util.Arrays.stream(ScalarType.values()).map(ScalarType::graphqlName).filter(java.util.Objects::nonNull).forEach(known::add);
            String near = dev.modelgate.error.Suggestions.closest(typeName, known);
            problem(tn, where + ": unknown type " + typeName + (near != null ? "; did you mean " + near + "?" : "")
                    + " (use Int, Long, Float, BigDecimal, String, Boolean, ID, Date, DateTime, LocalTime, JSON, Bytes, an enum or a model)");
            return;
        }
        Field f = scalarField(where, fd, st, typeName, nullable);
        if (list) {
            String raw = f.sqlTypeName();
            if (raw == null || !(raw.startsWith("SET") || f.sqlType().trim().endsWith("[]"))) {
                problem(fd, where + ": a list of scalars needs the type of its column, a MySQL SET or an array:"
                        + " @column(type: \"SET(...)\") or @column(type: \"TEXT[]\"); else use JSON or a related model");
                return;
            }
            if (f.id() || f.unique() || f.defaultValue() != null) {
                problem(fd, where + ": a list field cannot be a key, unique or have a @default");
                return;
            }
            f = new Field(f.name(), f.column(), f.type(), f.enumName(), f.nullable(), false, false, false, false, f.length(),
                    f.precision(), f.scale(), f.sqlType(), null, f.description(), true);
        }
        fields.add(f);
    }

    private Field scalarField(String where, FieldDefinition fd, ScalarType st, String typeName, boolean nullable) {
        boolean id = false;
        boolean generated = false;
        Directive idd = first(fd, "id");
        if (idd != null) {
            id = true;
            Map<String, Value<?>> a = args(idd, where, Set.of("generated"));
            Boolean g = bool(a.get("generated"), where, idd);
            generated = g == null || g;
        }
        String column = Inflector.snake(fd.getName());
        boolean zeroDates = false;
        String sqlType = null;
        Integer length = null;
        Integer precision = null;
        Integer scale = null;
        Directive cd = first(fd, "column");
        if (cd != null) {
            Map<String, Value<?>> a = args(cd, where, Set.of("name", "type", "length", "precision", "scale", "zeroDates"));
            Boolean z = bool(a.get("zeroDates"), where, cd);
            zeroDates = z != null && z;
            if (zeroDates && st != ScalarType.DATE && st != ScalarType.DATE_TIME) {
                problem(cd, where + ": zeroDates is for Date and DateTime fields (MySQL's 0000-00-00)");
            } else if (zeroDates && !nullable) {
                problem(cd, where + ": a zeroDates field reads zero dates as null, so it is nullable: declare it " + typeName + " without !");
            }
            String n = str(a.get("name"), where, cd);
            column = n != null ? n : column;
            sqlType = str(a.get("type"), where, cd);
            length = positive(a.get("length"), where, cd, "length");
            precision = positive(a.get("precision"), where, cd, "precision");
            scale = nonNegative(a.get("scale"), where, cd, "scale");
            if (scale != null && precision != null && scale > precision) {
                problem(cd, where + ": @column scale " + scale + " is larger than precision " + precision);
            }
        }
        Directive ud = first(fd, "unique");
        if (ud != null) {
            args(ud, where, Set.of());
        }
        Directive ix = first(fd, "index");
        if (ix != null) {
            args(ix, where, Set.of());
        }
        String def = null;
        String defSql = null;
        Directive dd = first(fd, "default");
        if (dd != null) {
            Map<String, Value<?>> a = args(dd, where, Set.of("value", "sql"));
            def = str(a.get("value"), where, dd);
            defSql = str(a.get("sql"), where, dd);
            if ((def == null) == (defSql == null)) {
                problem(dd, where + ": @default needs value: \"...\" (a literal) or sql: \"...\" (an SQL expression), one of them");
            } else if (def != null) {
                checkDefault(where, dd, st, typeName, def);
            }
        }
        // a generated key is a whole number: Int, Long, ID, or a BigDecimal of scale 0 (BIGINT UNSIGNED)
        generated &= st.integral() || st == ScalarType.ID || st == ScalarType.BIG_DECIMAL && scale != null && scale == 0;
        return new Field(fd.getName(), column, st, st == ScalarType.ENUM ? typeName : null, nullable && !id, id, generated,
                ud != null, ix != null, length, precision, scale, sqlType, def, description(fd.getDescription()), false, defSql, zeroDates);
    }

    private void checkDefault(String where, Node<?> at, ScalarType st, String typeName, String v) {
        String bad = null;
        try {
            switch (st) {
                case INT -> Integer.parseInt(v);
                case LONG, ID -> Long.parseLong(v);
                case FLOAT -> Double.parseDouble(v);
                case BIG_DECIMAL -> new java.math.BigDecimal(v);
                case BOOLEAN -> {
                    if (!v.equals("true") && !v.equals("false")) {
                        bad = "true or false";
                    }
                }
                case DATE -> {
                    if (!v.equals("now")) {
                        java.time.LocalDate.parse(v);
                    }
                }
                case DATE_TIME -> {
                    if (!v.equals("now")) {
                        java.time.OffsetDateTime.parse(v);
                    }
                }
                case ENUM -> {
                    if (!enumTypes.get(typeName).getEnumValueDefinitions().stream().anyMatch(e -> e.getName().equals(v))) {
                        bad = "a value of " + typeName;
                    }
                }
                default -> {
                }
            }
        } catch (RuntimeException e) {
            bad = "a " + typeName + " literal";
        }
        if (bad != null) {
            problem(at, where + ": @default value \"" + v + "\" is not " + bad);
        }
    }

    private java.util.Optional<Relation> relation(String model, FieldDefinition fd, String target, boolean list, boolean nullable) {
        String where = model + "." + fd.getName();
        List<Directive> rel = fd.getDirectives().stream()
                .filter(d -> Set.of("belongsTo", "hasMany", "hasOne", "manyToMany").contains(d.getName())).toList();
        if (rel.size() != 1) {
            problem(fd, where + ": a field of model type " + target
                    + " needs exactly one of @belongsTo, @hasMany, @hasOne, @manyToMany");
            return java.util.Optional.empty();
        }
        Directive d = rel.get(0);
        RelationKind kind = switch (d.getName()) {
            case "belongsTo" -> RelationKind.BELONGS_TO;
            case "hasMany" -> RelationKind.HAS_MANY;
            case "hasOne" -> RelationKind.HAS_ONE;
            default -> RelationKind.MANY_TO_MANY;
        };
        if (kind.toMany() != list) {
            problem(fd, where + ": @" + d.getName() + (list ? " needs a single " + target + ", not a list" : " needs a list type [" + target + "!]!"));
        }
        List<String> key;
        String table = null;
        List<String> otherKey = null;
        if (kind == RelationKind.MANY_TO_MANY) {
            Map<String, Value<?>> a = args(d, where, Set.of("table", "key", "otherKey"));
            table = required(a, "table", where, d);
            key = names(a, "key", where, d);
            otherKey = names(a, "otherKey", where, d);
        } else {
            Map<String, Value<?>> a = args(d, where, Set.of("key"));
            key = names(a, "key", where, d);
        }
        if (key == null || otherKey == null && kind == RelationKind.MANY_TO_MANY) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Relation(fd.getName(), kind, model, target, key, table,
                kind == RelationKind.MANY_TO_MANY ? key : null, otherKey, nullable || list, description(fd.getDescription())));
    }

    /** Checks that need every model: relation keys, clashing names. */
    private void checkModels(List<Model> models) {
        Map<String, Model> byName = new HashMap<>();
        models.forEach(m -> byName.put(m.name(), m));
        Map<String, String> tables = new HashMap<>();
        Map<String, String> rootFields = new HashMap<>();
        for (Model m : models) {
            String other = tables.putIfAbsent(m.table().toLowerCase(), m.name());
            if (other != null) {
                problemAt(m.name(), null, m.name() + ": table " + m.table() + " is also the table of " + other);
            }
            List<String> roots = Inflector.rootFields(m);
            for (String root : roots) {
                String clash = rootFields.putIfAbsent(root, m.name());
                if (clash != null) {
                    problemAt(m.name(), null, m.name() + ": its API name " + root + " is also used by " + clash + "; set @model(plural: ...)");
                }
            }
            Set<String> columns = new HashSet<>();
            for (Field f : m.fields()) {
                if (!columns.add(f.column().toLowerCase())) {
                    problemAt(m.name(), f.name(), m.name() + "." + f.name() + ": column " + f.column() + " is used by another field");
                }
            }
            for (Relation r : m.relations()) {
                checkRelation(m, r, byName.get(r.target()));
            }
        }
    }

    private void checkRelation(Model m, Relation r, Model target) {
        String where = m.name() + "." + r.name();
        if (target == null) {
            return;
        }
        switch (r.kind()) {
            case BELONGS_TO -> keyFields(m, r, where + ": @belongsTo key", m, r.key(), target);
            case HAS_MANY, HAS_ONE -> keyFields(m, r, where + ": " + (r.kind() == RelationKind.HAS_MANY ? "@hasMany" : "@hasOne")
                    + " key", target, r.key(), m);
            case MANY_TO_MANY -> {
                if (r.joinKey().stream().anyMatch(r.joinOtherKey()::contains)) {
                    problemAt(m.name(), r.name(), where + ": @manyToMany key and otherKey must be different columns");
                }
                columnsFor(m, r, where + ": @manyToMany key", r.joinKey(), m);
                columnsFor(m, r, where + ": @manyToMany otherKey", r.joinOtherKey(), target);
            }
        }
    }

    /** {@code names} are fields of {@code holder}, one per key field of {@code keyed}, of the same types in the same order. */
    private void keyFields(Model m, Relation r, String what, Model holder, List<String> names, Model keyed) {
        List<Field> fields = new ArrayList<>();
        for (String name : names) {
            var key = holder.field(name);
            if (key.isEmpty()) {
                problemAt(m.name(), r.name(), what + " \"" + name + "\" is not a field of " + holder.name());
            } else {
                fields.add(key.get());
            }
        }
        List<Field> pk = keyed.key();
        if (fields.size() < names.size()) {
            return;
        }
        if (pk.isEmpty()) {
            problemAt(m.name(), r.name(), what + ": " + keyed.name() + " has no @id, so nothing can reference it");
        } else if (names.size() != pk.size()) {
            problemAt(m.name(), r.name(), what + " names " + names.size() + " field(s) but the key of " + keyed.name()
                    + " has " + pk.size() + " (" + String.join(", ", pk.stream().map(Field::name).toList()) + ")");
        } else {
            for (int i = 0; i < fields.size(); i++) {
                sameType(m, r, fields.get(i), pk.get(i), holder.name(), keyed.name());
            }
        }
    }

    /** Join-table columns: one per key field of {@code keyed}. */
    private void columnsFor(Model m, Relation r, String what, List<String> columns, Model keyed) {
        int n = keyed.key().size();
        if (n == 0) {
            problemAt(m.name(), r.name(), what + ": " + keyed.name() + " has no @id, so nothing can link to it");
        } else if (columns.size() != n) {
            problemAt(m.name(), r.name(), what + " names " + columns.size() + " column(s) but the key of " + keyed.name() + " has " + n);
        }
    }

    private void sameType(Model m, Relation r, Field key, Field pk, String keyModel, String pkModel) {
        if (key.type() != pk.type()) {
            problemAt(m.name(), r.name(), m.name() + "." + r.name() + ": key " + keyModel + "." + key.name() + " is "
                    + key.graphqlType() + " but it holds " + pkModel + "." + pk.name() + ", which is " + pk.graphqlType());
        }
    }

    // ---- directive arguments ----

    private Map<String, Value<?>> args(Directive d, String where, Set<String> allowed) {
        Map<String, Value<?>> out = new LinkedHashMap<>();
        for (var a : d.getArguments()) {
            if (!allowed.contains(a.getName())) {
                problem(a, where + ": @" + d.getName() + " has no argument " + a.getName());
            } else {
                out.put(a.getName(), a.getValue());
            }
        }
        return out;
    }

    /** Records {@code @renamedFrom(name: "old")} of a model (field null) or a field. */
    private void renamedFrom(Directive d, String model, String field) {
        String where = field == null ? model : model + "." + field;
        String from = required(args(d, where, Set.of("name")), "name", where, d);
        if (from != null && !from.isBlank()) {
            renames.add(new Rename(model, field, from));
        }
    }

    /** A key argument: one name (a string) or several (a list of strings); null after a problem. */
    private List<String> names(Map<String, Value<?>> a, String name, String where, Directive d) {
        Value<?> v = a.get(name);
        if (v instanceof graphql.language.ArrayValue list) {
            List<String> out = new ArrayList<>();
            for (Value<?> item : list.getValues()) {
                String n = str(item, where, d);
                if (n == null || n.isBlank()) {
                    problem(d, where + ": @" + d.getName() + " " + name + " needs names of fields: [\"...\", ...]");
                    return null;
                }
                out.add(n);
            }
            if (out.isEmpty() || new HashSet<>(out).size() != out.size()) {
                problem(d, where + ": @" + d.getName() + " " + name + " needs one or more different names");
                return null;
            }
            return List.copyOf(out);
        }
        String one = required(a, name, where, d);
        return one == null || one.isBlank() ? null : List.of(one);
    }

    private String required(Map<String, Value<?>> a, String name, String where, Directive d) {
        String v = str(a.get(name), where, d);
        if (v == null || v.isBlank()) {
            problem(d, where + ": @" + d.getName() + " needs " + name + ": \"...\"");
        }
        return v;
    }

    private String str(Value<?> v, String where, Directive d) {
        if (v == null) {
            return null;
        }
        if (v instanceof StringValue s) {
            return s.getValue();
        }
        problem(v, where + ": @" + d.getName() + " expects a string here");
        return null;
    }

    private Boolean bool(Value<?> v, String where, Directive d) {
        if (v == null) {
            return null;
        }
        if (v instanceof BooleanValue b) {
            return b.isValue();
        }
        problem(v, where + ": @" + d.getName() + " expects true or false here");
        return null;
    }

    private Integer positive(Value<?> v, String where, Directive d, String name) {
        Integer i = intValue(v, where, d);
        if (i != null && i <= 0) {
            problem(v, where + ": @" + d.getName() + " " + name + " must be positive");
            return null;
        }
        return i;
    }

    private Integer nonNegative(Value<?> v, String where, Directive d, String name) {
        Integer i = intValue(v, where, d);
        if (i != null && i < 0) {
            problem(v, where + ": @" + d.getName() + " " + name + " must not be negative");
            return null;
        }
        return i;
    }

    private Integer intValue(Value<?> v, String where, Directive d) {
        if (v == null) {
            return null;
        }
        if (v instanceof IntValue i) {
            return i.getValue().intValueExact();
        }
        problem(v, where + ": @" + d.getName() + " expects an integer here");
        return null;
    }

    private static Directive first(FieldDefinition fd, String name) {
        List<Directive> ds = fd.getDirectives(name);
        return ds.isEmpty() ? null : ds.get(0);
    }

    // ---- @sql fields (extend type Query / Mutation / Model) ----

    private List<SqlField> sqlFields(List<Model> models) {
        Map<String, Model> byName = new HashMap<>();
        models.forEach(m -> byName.put(m.name(), m));
        List<SqlField> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ObjectTypeExtensionDefinition ext : extensions) {
            String owner = ext.getName();
            Model model = byName.get(owner);
            if (model == null && !owner.equals("Query") && !owner.equals("Mutation")) {
                problem(ext, "extend type " + owner + ": only Query, Mutation and models can be extended");
                continue;
            }
            if (!ext.getDirectives().isEmpty()) {
                problem(ext, "extend type " + owner + ": directives on a type extension are not supported");
            }
            for (FieldDefinition fd : ext.getFieldDefinitions()) {
                String where = owner + "." + fd.getName();
                Directive sql = first(fd, "sql");
                if (sql == null || fd.getDirectives().size() != 1) {
                    problem(fd, where + ": a field of extend type needs @sql(statement: \"Namespace.id\") and no other directive");
                    continue;
                }
                Map<String, Value<?>> a = args(sql, where, Set.of("statement", "batch"));
                String statement = required(a, "statement", where, sql);
                Boolean batch = a.containsKey("batch") ? bool(a.get("batch"), where, sql) : Boolean.FALSE;
                if (statement == null || batch == null) {
                    continue;
                }
                if (batch && model == null) {
                    problem(sql, where + ": batch: true is for computed fields of a model (the statement gets the parents' keys)");
                }
                if (!seen.add(where) || (model != null && (model.fields().stream().anyMatch(f -> f.name().equals(fd.getName()))
                        || model.relations().stream().anyMatch(r -> r.name().equals(fd.getName()))))) {
                    problem(fd, where + ": declared twice");
                    continue;
                }
                SqlField.TypeRef type = typeRef(fd.getType(), where, byName, false);
                List<SqlField.Arg> params = new ArrayList<>();
                for (var iv : fd.getInputValueDefinitions()) {
                    SqlField.TypeRef t = typeRef(iv.getType(), where + "(" + iv.getName() + ")", byName, true);
                    if (t != null) {
                        params.add(new SqlField.Arg(iv.getName(), t));
                    }
                }
                if (type != null) {
                    SourceLocation loc = fd.getSourceLocation();
                    out.add(new SqlField(owner, fd.getName(), description(fd.getDescription()), params, type, statement, batch,
                            loc == null ? where : loc.getSourceName() + ":" + loc.getLine() + ":" + loc.getColumn()));
                }
            }
        }
        return out;
    }

    /** A field or argument type of an @sql field: a scalar, an enum or (for results) a model, maybe in a list. */
    private SqlField.TypeRef typeRef(graphql.language.Type<?> t, String where, Map<String, Model> models, boolean input) {
        boolean nonNull = false;
        boolean list = false;
        boolean elementNonNull = false;
        if (t instanceof graphql.language.NonNullType nn) {
            nonNull = true;
            t = nn.getType();
        }
        if (t instanceof graphql.language.ListType lt) {
            list = true;
            t = lt.getType();
            if (t instanceof graphql.language.NonNullType nn) {
                elementNonNull = true;
                t = nn.getType();
            }
        }
        if (!(t instanceof graphql.language.TypeName tn)) {
            problem(t, where + ": lists of lists are not supported");
            return null;
        }
        String name = tn.getName();
        boolean known = ScalarType.byGraphqlName(name) != null || enumTypes.containsKey(name) || (!input && models.containsKey(name));
        if (!known) {
            problem(t, where + ": unknown type " + name + (input ? " (arguments take scalars and enums)" : ""));
            return null;
        }
        return new SqlField.TypeRef(name, list, nonNull, elementNonNull);
    }

    private static String description(graphql.language.Description d) {
        return d == null ? null : d.getContent();
    }

    private void problem(Node<?> node, String message) {
        problems.add(Problem.at(node.getSourceLocation(), message));
    }

    private void problemAt(String model, String field, String message) {
        SourceLocation loc = field == null ? types.get(model).getSourceLocation() : fieldLocations.get(model + "." + field);
        problems.add(Problem.at(loc, message));
    }
}
