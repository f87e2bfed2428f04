#include "data_bridge/core/fk_setup.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <tuple>

#include "data_bridge/core/error.hpp"

namespace data_bridge {

namespace {

class TargetLexer {
  public:
    explicit TargetLexer(const std::string& text) : text_(text) {}

    [[noreturn]] void fail(const std::string& why) const {
        throw Error(sqlstate::kInvalidParameterValue,
                    fmt::format("invalid foreign key target \"{}\"", text_), why,
                    "Write the target as \"table\", \"table.column\", \"schema.table.column\" or "
                    "\"schema.table(column, ...)\".");
    }

    void skip_space() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])))
            pos_++;
    }

    bool at_end() {
        skip_space();
        return pos_ >= text_.size();
    }

    bool accept(char c) {
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == c) {
            pos_++;
            return true;
        }
        return false;
    }

    std::string identifier() {
        skip_space();
        if (pos_ >= text_.size())
            fail("An identifier is missing at the end.");
        if (text_[pos_] == '"')
            return quoted();
        std::string out;
        while (pos_ < text_.size()) {
            char c = text_[pos_];
            if (c == '.' || c == '(' || c == ')' || c == ',' || c == '"' ||
                std::isspace(static_cast<unsigned char>(c))) {
                break;
            }
            // Unquoted identifiers fold to lower case, as in SQL (ASCII letters only).
            out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
            pos_++;
        }
        if (out.empty())
            fail(fmt::format("An identifier is missing at position {}.", pos_ + 1));
        return out;
    }

  private:
    std::string quoted() {
        pos_++;  // the opening quote
        std::string out;
        while (pos_ < text_.size()) {
            char c = text_[pos_++];
            if (c != '"') {
                out.push_back(c);
            } else if (pos_ < text_.size() && text_[pos_] == '"') {
                out.push_back('"');  // "" inside quotes is one quote
                pos_++;
            } else {
                if (out.empty())
                    fail("A quoted identifier is empty.");
                return out;
            }
        }
        fail("A quoted identifier is not closed.");
    }

    const std::string& text_;
    std::size_t pos_ = 0;
};

std::string joined(const std::vector<std::string>& parts) {
    return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace

TargetRef parse_target(const std::string& text) {
    TargetLexer lexer(text);
    TargetRef target;
    if (lexer.at_end())
        lexer.fail("The target is empty.");
    target.name_parts.push_back(lexer.identifier());
    while (lexer.accept('.'))
        target.name_parts.push_back(lexer.identifier());
    if (lexer.accept('(')) {
        target.has_column_list = true;
        if (target.name_parts.size() > 2) {
            lexer.fail("Before a column list, give \"table\" or \"schema.table\".");
        }
        if (!lexer.accept(')')) {
            do {
                target.columns.push_back(lexer.identifier());
            } while (lexer.accept(','));
            if (!lexer.accept(')'))
                lexer.fail("The column list is not closed by \")\".");
        }
    } else if (target.name_parts.size() > 3) {
        lexer.fail("There are more than three dotted names.");
    }
    if (!lexer.at_end())
        lexer.fail("There is text after the target.");
    return target;
}

std::string set_not_null_sql(const std::string& quoted_table, const std::string& quoted_column,
                             bool not_null) {
    return fmt::format("ALTER TABLE {} ALTER COLUMN {} {} NOT NULL", quoted_table, quoted_column,
                       not_null ? "SET" : "DROP");
}

std::string add_constraint_sql(const ForeignKeyDdl& ddl) {
    return fmt::format(
        "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({}) "
        "ON DELETE {} ON UPDATE {}",
        ddl.source_table, ddl.constraint_name, joined(ddl.source_columns), ddl.target_table,
        joined(ddl.target_columns), fk_action_sql(ddl.on_delete), fk_action_sql(ddl.on_update));
}

std::string create_index_sql(const std::string& quoted_table,
                             const std::vector<std::string>& quoted_columns) {
    return fmt::format("CREATE INDEX ON {} ({})", quoted_table, joined(quoted_columns));
}

std::vector<const ForeignKey*> unindexed_keys(const FkGraph& graph,
                                              const std::optional<std::string>& schema) {
    std::vector<const ForeignKey*> keys;
    for (const ForeignKey* key : graph.all()) {
        if (key->indexed)
            continue;
        if (schema && key->source.schema != *schema)
            continue;
        keys.push_back(key);
    }
    std::sort(keys.begin(), keys.end(), [](const ForeignKey* a, const ForeignKey* b) {
        return std::tie(a->source.schema, a->source.name, a->name) <
               std::tie(b->source.schema, b->source.name, b->name);
    });
    return keys;
}

}  // namespace data_bridge
