package dev.modelgate.model;

import java.util.Map;
import java.util.Set;

/**
 * The one naming authority: snake_case, camelCase and English plurals. Every
 * table default, GraphQL type, field and argument name is made here.
 */
public final class Inflector {
    private static final Map<String, String> IRREGULAR = Map.ofEntries(
            Map.entry("person", "people"), Map.entry("man", "men"), Map.entry("woman", "women"),
            Map.entry("child", "children"), Map.entry("tooth", "teeth"), Map.entry("foot", "feet"),
            Map.entry("mouse", "mice"), Map.entry("goose", "geese"), Map.entry("ox", "oxen"),
            Map.entry("criterion", "criteria"), Map.entry("phenomenon", "phenomena"),
            Map.entry("leaf", "leaves"), Map.entry("knife", "knives"), Map.entry("life", "lives"),
            Map.entry("wife", "wives"), Map.entry("half", "halves"), Map.entry("wolf", "wolves"),
            Map.entry("shelf", "shelves"), Map.entry("thief", "thieves"), Map.entry("loaf", "loaves"),
            Map.entry("hero", "heroes"), Map.entry("potato", "potatoes"), Map.entry("tomato", "tomatoes"),
            Map.entry("echo", "echoes"), Map.entry("analysis", "analyses"), Map.entry("basis", "bases"),
            Map.entry("thesis", "theses"), Map.entry("crisis", "crises"), Map.entry("diagnosis", "diagnoses"),
            Map.entry("axis", "axes"), Map.entry("index", "indexes"), Map.entry("matrix", "matrices"),
            Map.entry("vertex", "vertices"), Map.entry("quiz", "quizzes"), Map.entry("cache", "caches"),
            Map.entry("niche", "niches"), Map.entry("movie", "movies"), Map.entry("cookie", "cookies"),
            Map.entry("pie", "pies"), Map.entry("tie", "ties"), Map.entry("lie", "lies"),
            Map.entry("zombie", "zombies"), Map.entry("calorie", "calories"), Map.entry("selfie", "selfies"),
            Map.entry("status", "statuses"), Map.entry("bus", "buses"), Map.entry("campus", "campuses"),
            Map.entry("virus", "viruses"), Map.entry("bonus", "bonuses"), Map.entry("census", "censuses"),
            Map.entry("focus", "focuses"), Map.entry("apparatus", "apparatuses"), Map.entry("alias", "aliases"),
            Map.entry("canvas", "canvases"), Map.entry("atlas", "atlases"), Map.entry("gas", "gases"));
    private static final Map<String, String> IRREGULAR_SINGULAR = invert(IRREGULAR);
    private static final Set<String> UNCOUNTABLE = Set.of(
            "sheep", "fish", "series", "species", "news", "equipment", "information", "rice", "money",
            "deer", "data", "metadata", "aircraft", "software", "feedback", "staff", "media");

    private Inflector() {
    }

    /** {@code stateId} → {@code state_id}, {@code HTTPServer} → {@code http_server}, {@code City} → {@code city}. */
    public static String snake(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean prevLowerOrDigit = i > 0 && (Character.isLowerCase(name.charAt(i - 1)) || Character.isDigit(name.charAt(i - 1)));
                boolean acronymEnd = i > 0 && Character.isUpperCase(name.charAt(i - 1))
                        && i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
                if ((prevLowerOrDigit || acronymEnd) && out.length() > 0 && out.charAt(out.length() - 1) != '_') {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code state_id} → {@code stateId}. */
    public static String camel(String snake) {
        return lowerFirst(pascal(snake));
    }

    /** {@code user_visits} → {@code UserVisits}. */
    public static String pascal(String snake) {
        StringBuilder out = new StringBuilder();
        boolean up = true;
        for (char c : snake.toCharArray()) {
            if (c == '_' || c == '-' || c == ' ') {
                up = true;
            } else {
                out.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return out.toString();
    }

    public static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    public static String upperFirst(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** English plural of the last word: {@code City} → {@code Cities}, {@code user_visit} → {@code user_visits}. */
    public static String plural(String name) {
        return onLastWord(name, true);
    }

    /** English singular of the last word: {@code cities} → {@code city}, {@code people} → {@code person}. */
    public static String singular(String name) {
        return onLastWord(name, false);
    }

    /** Default table of a model type: {@code City} → {@code cities}. */
    public static String tableOf(String typeName) {
        return plural(snake(typeName));
    }

    /** Default API plural of a model type: {@code City} → {@code cities}, {@code Person} → {@code people}. */
    public static String pluralField(String typeName) {
        return lowerFirst(plural(typeName));
    }

    /** The field name of a model's by-key lookup: {@code City} → {@code city}. */
    public static String singularField(String typeName) {
        return lowerFirst(typeName);
    }

    /** A model name for a table: {@code cities}, {@code CITIES} → {@code City}; {@code user_visits}, {@code UserVisits} → {@code UserVisit}. */
    public static String modelOfTable(String table) {
        return pascal(singular(snake(table).toLowerCase()));
    }

    // ---- names of the derived API ----

    /**
     * Type names the API has whatever the models: GraphQL's scalars and root types, Modelgate's own
     * scalars, and the types every schema shares (their filters are {@code <Scalar>Filter}).
     */
    public static final java.util.Set<String> RESERVED_TYPES = java.util.Set.of(
            "String", "Int", "Float", "Boolean", "ID", "Query", "Mutation", "Subscription",
            "Long", "BigDecimal", "Date", "DateTime", "JSON", "LocalTime", "Bytes",
            "SortOrder", "PageInfo", "Node", "Truncate", "DateTruncate");

    /** What the types derived for a model add to its name ({@code City} → {@code CityWhere}, …); an enum's filter adds {@code Filter}. */
    public static final java.util.List<String> DERIVED_SUFFIXES = java.util.List.of(
            "Where", "OrderBy", "Aggregate", "SumFields", "AvgFields", "MinFields", "MaxFields", "CreateInput", "UpdateInput",
            "IncInput", "MutationResult", "LinkCreateInput", "LinkUpdateInput", "Key", "Filter",
            "Field", "Group", "GroupKey", "Having", "SumHaving", "AvgHaving", "MinHaving", "MaxHaving", "GroupOrderBy",
            "SumOrderBy", "AvgOrderBy", "MinOrderBy", "MaxOrderBy", "OrderByScalar", "Connection", "Edge", "Truncate");

    /**
     * Why a model named {@code name} cannot have that name beside the models and enums named
     * {@code others}: it is a built-in or shared type, reserved by GraphQL ({@code __}), or a type
     * derived for another of them ({@code StateWhere} beside {@code State}); null when it is free.
     */
    public static String clash(String name, java.util.Collection<String> others) {
        if (name.startsWith("__")) {
            return "names starting with __ are reserved by GraphQL";
        }
        if (RESERVED_TYPES.contains(name)) {
            return name + " is a type every derived API has (a built-in scalar, a root or shared type)";
        }
        for (String suffix : DERIVED_SUFFIXES) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                String base = name.substring(0, name.length() - suffix.length());
                if (RESERVED_TYPES.contains(base) && suffix.equals("Filter")) {
                    return name + " is the filter input of the scalar " + base;
                }
                if (others.contains(base)) {
                    return name + " is the " + suffix + " type derived for " + base;
                }
            }
            if (name.contains("CreateWithout") && name.endsWith("Input") && others.contains(name.substring(0, name.indexOf("CreateWithout")))) {
                return name + " is an input derived for " + name.substring(0, name.indexOf("CreateWithout"));
            }
        }
        return null;
    }

    /** A free model name for a table whose derived one clashes: {@code String} → {@code StringRow}, then {@code StringRow2}, … */
    public static String unclashed(String name, java.util.Collection<String> others) {
        String base = name.replaceFirst("^_+", "");   // __Secret → SecretRow: the reserved prefix goes
        String candidate = base + "Row";
        for (int i = 2; clash(candidate, others) != null || others.contains(candidate); i++) {
            candidate = base + "Row" + i;
        }
        return candidate;
    }

    public static String whereType(Model m) {
        return m.name() + "Where";
    }

    public static String orderByType(Model m) {
        return m.name() + "OrderBy";
    }

    public static String aggregateType(Model m) {
        return m.name() + "Aggregate";
    }

    /** {@code CitySumFields}, {@code CityAvgFields}, … for fn = Sum, Avg, Min, Max. */
    public static String aggregateFieldsType(Model m, String fn) {
        return m.name() + fn + "Fields";
    }

    /** The filter input of a field: {@code IntFilter}, {@code StringFilter}, {@code ColorFilter} (enum). */
    public static String filterType(Field f) {
        return f.graphqlType() + "Filter";
    }

    public static String listField(Model m) {
        return m.plural();
    }

    public static String byIdField(Model m) {
        return singularField(m.name());
    }

    public static String aggregateField(Model m) {
        return m.plural() + "Aggregate";
    }

    public static String relationAggregateField(Relation r) {
        return r.name() + "Aggregate";
    }

    // ---- grouping and connections ----

    /** {@code citiesGroupBy}. */
    public static String groupByField(Model m) {
        return m.plural() + "GroupBy";
    }

    public static String relationGroupByField(Relation r) {
        return r.name() + "GroupBy";
    }

    /** {@code citiesConnection}. */
    public static String connectionField(Model m) {
        return m.plural() + "Connection";
    }

    public static String relationConnectionField(Relation r) {
        return r.name() + "Connection";
    }

    /** The root fields a model gets, each a name no other model's may take. */
    public static java.util.List<String> rootFields(Model m) {
        java.util.List<String> out = new java.util.ArrayList<>(java.util.List.of(listField(m), m.plural() + "Aggregate", groupByField(m)));
        if (m.keyed()) {   // a keyless model has no lookup by key, and no cursor to page by
            out.add(singularField(m.name()));
            out.add(connectionField(m));
        }
        return out;
    }

    /** {@code CityField}: the enum of a model's fields, for {@code by}. */
    public static String fieldEnum(Model m) {
        return m.name() + "Field";
    }

    public static String groupType(Model m) {
        return m.name() + "Group";
    }

    public static String groupKeyType(Model m) {
        return m.name() + "GroupKey";
    }

    public static String havingType(Model m) {
        return m.name() + "Having";
    }

    /** {@code CitySumHaving}, … for fn = Sum, Avg, Min, Max. */
    public static String havingFieldsType(Model m, String fn) {
        return m.name() + fn + "Having";
    }

    public static String groupOrderByType(Model m) {
        return m.name() + "GroupOrderBy";
    }

    /** {@code CitySumOrderBy}, … for fn = Sum, Avg, Min, Max. */
    public static String aggregateOrderByType(Model m, String fn) {
        return m.name() + fn + "OrderBy";
    }

    /** {@code CityOrderByScalar}: a sort order per field of the model, no relation. */
    public static String orderByScalarType(Model m) {
        return m.name() + "OrderByScalar";
    }

    /** {@code CityTruncate}: a truncation per Date and DateTime field. */
    public static String truncateType(Model m) {
        return m.name() + "Truncate";
    }

    public static String connectionType(Model m) {
        return m.name() + "Connection";
    }

    public static String edgeType(Model m) {
        return m.name() + "Edge";
    }

    // ---- mutation names ----

    public static String createField(Model m) {
        return "create" + m.name();
    }

    public static String createManyField(Model m) {
        return "create" + upperFirst(m.plural());
    }

    public static String updateField(Model m) {
        return "update" + m.name();
    }

    public static String updateManyField(Model m) {
        return "update" + upperFirst(m.plural());
    }

    public static String upsertField(Model m) {
        return "upsert" + m.name();
    }

    public static String deleteField(Model m) {
        return "delete" + m.name();
    }

    public static String deleteManyField(Model m) {
        return "delete" + upperFirst(m.plural());
    }

    public static String createInputType(Model m) {
        return m.name() + "CreateInput";
    }

    /** The input of a child created under its parent, without the key that points back: {@code CityCreateWithoutStateInput}. */
    public static String createWithoutInputType(Model target, String inverseName) {
        return target.name() + "CreateWithout" + upperFirst(inverseName) + "Input";
    }

    public static String updateInputType(Model m) {
        return m.name() + "UpdateInput";
    }

    public static String incInputType(Model m) {
        return m.name() + "IncInput";
    }

    public static String mutationResultType(Model m) {
        return m.name() + "MutationResult";
    }

    /** {@code {connect, create}} for a many-to-many relation on create. */
    public static String linkCreateInputType(Model target) {
        return target.name() + "LinkCreateInput";
    }

    /** {@code {connect, disconnect}} for a many-to-many relation on update. */
    /** {@code CityUpdateManyWithoutStateInput}: what an update does to a parent's has-many children. */
    public static String updateManyWithoutInputType(Model child, String inverseName) {
        return child.name() + "UpdateManyWithout" + upperFirst(inverseName) + "Input";
    }

    /** {@code ProfileUpdateOneWithoutUserInput}: what an update does to a parent's has-one child. */
    public static String updateOneWithoutInputType(Model child, String inverseName) {
        return child.name() + "UpdateOneWithout" + upperFirst(inverseName) + "Input";
    }

    /** {@code CityUpdateWhereInput}: {where, set} for the children an update changes. */
    public static String updateWhereInputType(Model m) {
        return m.name() + "UpdateWhereInput";
    }

    /** {@code StateConnectOrCreateInput}: the row a belongs-to relation is pointed at by an update. */
    public static String connectOrCreateInputType(Model target) {
        return target.name() + "ConnectOrCreateInput";
    }

    public static String linkUpdateInputType(Model target) {
        return target.name() + "LinkUpdateInput";
    }

    private static String onLastWord(String name, boolean toPlural) {
        int start = lastWordStart(name);
        String head = name.substring(0, start);
        String word = name.substring(start);
        if (word.isEmpty()) {
            return name;
        }
        boolean capital = Character.isUpperCase(word.charAt(0));
        String lower = word.toLowerCase();
        String changed = toPlural ? pluralWord(lower) : singularWord(lower);
        boolean allCaps = word.length() > 1 && word.equals(word.toUpperCase());
        if (allCaps) {
            changed = changed.toUpperCase();
        } else if (capital) {
            changed = upperFirst(changed);
        }
        return head + changed;
    }

    private static int lastWordStart(String name) {
        for (int i = name.length() - 1; i > 0; i--) {
            char c = name.charAt(i);
            if (c == '_') {
                return i + 1;
            }
            if (Character.isUpperCase(c) && Character.isLowerCase(name.charAt(i - 1))) {
                return i;
            }
        }
        return 0;
    }

    static String pluralWord(String w) {
        if (UNCOUNTABLE.contains(w)) {
            return w;
        }
        String irregular = IRREGULAR.get(w);
        if (irregular != null) {
            return irregular;
        }
        if (w.endsWith("s") || w.endsWith("x") || w.endsWith("z") || w.endsWith("ch") || w.endsWith("sh")) {
            return w + "es";
        }
        if (w.endsWith("y") && w.length() > 1 && !isVowel(w.charAt(w.length() - 2))) {
            return w.substring(0, w.length() - 1) + "ies";
        }
        return w + "s";
    }

    static String singularWord(String w) {
        if (UNCOUNTABLE.contains(w)) {
            return w;
        }
        String irregular = IRREGULAR_SINGULAR.get(w);
        if (irregular != null) {
            return irregular;
        }
        if (w.endsWith("ies") && w.length() > 3) {
            return w.substring(0, w.length() - 3) + "y";
        }
        if (w.endsWith("sses") || w.endsWith("shes") || w.endsWith("ches") || w.endsWith("xes") || w.endsWith("zes")) {
            return w.substring(0, w.length() - 2);
        }
        if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is") && w.length() > 1) {
            return w.substring(0, w.length() - 1);
        }
        return w;
    }

    private static boolean isVowel(char c) {
        return "aeiou".indexOf(c) >= 0;
    }

    private static Map<String, String> invert(Map<String, String> map) {
        Map<String, String> out = new java.util.HashMap<>();
        map.forEach((k, v) -> out.put(v, k));
        return Map.copyOf(out);
    }
}
