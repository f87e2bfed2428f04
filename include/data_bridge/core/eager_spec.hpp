// The spec of fetch_with_relations(), read and checked without PostgreSQL: every error names
// its place in the spec ("relations[1].relations[0].foreign_key").
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "data_bridge/core/json_value.hpp"
#include "data_bridge/core/row_queries.hpp"

namespace data_bridge {

enum class FilterOp {
    kEq,
    kNeq,
    kLt,
    kLte,
    kGt,
    kGte,
    kIn,
    kNotIn,
    kIs,
    kIsNull,
    kLike,
    kNotLike,
    kILike,
    kNotILike,
    kContains,
    kContainedBy,
    kOverlaps,
    kMatch,
};
const char* filter_op_name(FilterOp op);

struct FilterTerm {
    std::string column;
    FilterOp op = FilterOp::kEq;
    // A scalar; an array for in/not_in; null/true/false for is, a boolean for is_null; an array
    // or a string for contains/contained_by/overlaps (an object too for the first two, for a
    // jsonb column); the query string for match.
    JsonValue value;
    std::string path;
    std::string config;  // match: the text search configuration; empty: the server's default
};

struct RelationSpec;

// A filter: terms combined with and/or/not, to any depth, and exists/not_exists conditions on
// related rows. The root is kAll; no children means no filter.
struct FilterNode {
    enum class Kind { kTerm, kAll, kAny, kNot, kExists } kind = Kind::kAll;
    FilterTerm term;                   // kTerm
    std::vector<FilterNode> children;  // kAll, kAny; kNot has exactly one
    // kExists: the related table (its options hold only the related rows' filter), and whether
    // it is not_exists.
    std::shared_ptr<const RelationSpec> relation;
    bool negated = false;
};

enum class JoinType { kLeft, kInner, kRight, kFull };

// A relation rendered as one aggregate of its related rows: {"sum": "total"}.
enum class AggregateFunction { kCount, kCountDistinct, kSum, kAvg, kMin, kMax };
const char* aggregate_function_name(AggregateFunction function);
struct Aggregate {
    AggregateFunction function = AggregateFunction::kCount;
    std::string column;  // "*" only for count
};
enum class Direction { kInfer, kManyToOne, kOneToMany };

struct QueryOptions {
    FilterNode filter;
    std::vector<OrderTerm> order_by;
    // Keyset pagination (the top level only): the rows after the one with these values of the
    // order's columns, {"column": value, ...}; values may be null.
    std::optional<JsonValue> after;
    std::optional<long long> limit;
    long long offset = 0;
    std::optional<std::vector<std::string>> select_columns;
};

// A many-to-many relation's junction table: the related rows are those the junction's rows
// point at. Each key is the junction's foreign-key columns (or one constraint name); unnamed, it
// is inferred from the foreign keys between the junction and each side.
struct ThroughSpec {
    std::string table;
    std::vector<std::string> source_key;  // to the parent's table; empty: inferred
    std::vector<std::string> target_key;  // to the related table; empty: inferred
    std::vector<std::string> columns;     // junction columns rendered with each related row
    std::string as;                       // their key in the row; empty: the junction's name
};

struct RelationSpec {
    std::string path;  // "relations[0]"
    std::string name;
    std::string table;
    std::optional<std::string> foreign_key;
    std::optional<std::string> reference_column;
    std::optional<ThroughSpec> through;
    JoinType join = JoinType::kLeft;
    Direction direction = Direction::kInfer;
    bool count = false;
    bool one = false;  // render one row (the first in order) or null, not an array
    // Each distinct related row once, in the result's "shared" lists: the relation's value is
    // the row's place in the list of its name (see EagerRelation::shared).
    bool shared = false;
    // "recursive": {"as": "array"}: the chain of rows (ancestors) as one array, nearest first.
    bool chain_as_array = false;
    // A level of an expanded recursive relation (every level shares the relation's `path`): a
    // row that is one of its own ancestors on this relation is rendered once more, with
    // `cycle_mark` set to true, and not followed further.
    bool recursive = false;
    std::string cycle_mark;
    std::optional<Aggregate> aggregate;
    QueryOptions options;
    std::vector<RelationSpec> relations;
};

struct FetchSpec {
    std::string table;
    std::optional<JsonValue> id;
    QueryOptions options;
    std::vector<RelationSpec> relations;
};

// How deep relations may nest: deeper specs are refused with 54001 while parsing, before any
// step that recurses over them.
inline constexpr int kMaxRelationDepth = 64;
// How many relations one load may hold once recursive relations are expanded (54001 past it).
inline constexpr std::size_t kMaxRelations = 1000;

// Throws Error 22023 naming the place for anything malformed.
FetchSpec parse_fetch_spec(const JsonValue& spec);
// Throws 22023 when two relations of one level share a name (they would be one jsonb key).
void check_relation_names(const std::vector<RelationSpec>& relations);
std::vector<RelationSpec> parse_relations(const JsonValue& relations, const std::string& path);
FilterNode parse_filter(const JsonValue& filter, const std::string& path);

// The shape of a spec: everything the statement's text depends on (the top level's limit
// included: it is written into the text), and nothing of the values it binds. Equal shapes on
// unchanged catalogs give the same statement, so it can be remembered.
std::string spec_shape(const QueryOptions& options, const std::vector<RelationSpec>& relations);

// The values a spec binds, in the order the statement numbers its parameters: for each level,
// its filter values, then its after values (those not null, in the object's order), then its
// limit (below the top), then its offset (when not 0), then its relations in order.
struct SpecValue {
    enum Kind { kText, kInt8, kTextArray, kJson } kind = kText;
    std::string text;
    long long integer = 0;
    std::vector<std::string> texts;
    JsonValue json;  // kJson: bound as jsonb
};
void spec_values(const QueryOptions& options, const std::vector<RelationSpec>& relations,
                 std::vector<SpecValue>& out);

}  // namespace data_bridge
