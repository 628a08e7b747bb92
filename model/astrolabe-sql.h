/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ASTROLABE_SQL_H
#define ASTROLABE_SQL_H

#include "astrolabe-value.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace astrolabe
{

/**
 * \ingroup gossip
 * A uniform random draw in [0, n), for n >= 1. The agent binds it to its random variable as
 * GetInteger(0, n - 1), so that moving a draw into a plain class keeps its arguments exactly.
 */
using Rng = std::function<uint32_t(uint32_t n)>;

/**
 * \ingroup gossip
 * \brief Where and why a query was rejected: the byte offset and the text of the offending
 * token, plus a message.
 */
struct SqlError
{
    uint32_t position{0}; //!< byte offset in the query text
    std::string token;    //!< the offending token ("<end>" at the end of the text)
    std::string message;  //!< what was expected / what is wrong
    /// "error at 17 near 'FROM': expected 'AS'"
    std::string ToString() const;
};

/**
 * \ingroup gossip
 * \brief One node of a parsed expression.
 */
struct Expr
{
    enum Kind
    {
        LITERAL,
        ATTRIBUTE,
        UNARY,     //!< op "-" or "NOT"
        BINARY,    //!< + - * / % = != < <= > >= AND OR
        AGGREGATE, //!< op MIN MAX SUM AVG COUNT OR AND FIRST RANDOM
    };

    Kind kind{LITERAL};
    std::string op;
    Value literal;
    std::string name;                        //!< attribute name
    Name attr;                               //!< the same, interned (ATTRIBUTE)
    std::vector<std::shared_ptr<Expr>> args; //!< operands (0..2)
    int64_t n{0};                            //!< FIRST/RANDOM count
    bool star{false};                        //!< COUNT(*)
    uint32_t position{0};
    std::string token;
};

/**
 * \ingroup gossip
 * \brief An aggregation query in Astrolabe's SQL subset, parsed with Boost Spirit X3.
 *
 * Grammar (keywords case-insensitive):
 * \verbatim
 query   := SELECT item {',' item} [WHERE expr] [ORDER BY order {',' order}] [LIMIT uint]
 item    := expr AS name
 order   := expr [ASC | DESC]
 expr    := and {OR and} ;  and := not {AND not} ;  not := NOT not | cmp
 cmp     := sum [('=' | '!=' | '<>' | '<' | '<=' | '>' | '>=') sum]
 sum     := term {('+' | '-') term} ;  term := unary {('*' | '/' | '%') unary}
 unary   := '-' unary | primary
 primary := agg | number | 'string' | TRUE | FALSE | NULL | name | '(' expr ')'
 agg     := (MIN|MAX|SUM|AVG|OR|AND) '(' expr ')' | COUNT '(' ('*' | expr) ')'
          | (FIRST|RANDOM) '(' uint ',' expr ')'
 \endverbatim
 * SELECT items are evaluated over the child rows of a zone and must use attributes only
 * inside aggregates; WHERE and ORDER BY are evaluated per row, before aggregation; LIMIT keeps
 * the first rows after ordering. AVG is weighted by each row's `nmembers`, so an average of
 * zone averages equals the average over all hosts.
 */
class Query
{
  public:
    struct Item
    {
        std::string name;
        std::shared_ptr<Expr> expr;
        Name key; //!< name, interned
    };

    /// Output attributes of one evaluation, in SELECT order.
    using Outputs = std::vector<std::pair<Name, Value>>;

    struct Order
    {
        std::shared_ptr<Expr> expr;
        bool descending{false};
    };

    /**
     * Parse and type-check a query.
     * \param text the query
     * \param[out] error set when it returns false
     * \param[out] query set when it returns true
     */
    static bool Parse(const std::string& text, Query& query, SqlError& error);

    /// Longest query text Parse accepts (bytes): bounds parse time and expression size.
    static constexpr uint32_t MAX_TEXT = 16384;
    /// Deepest nesting of '(' plus pending unary '-' / NOT that Parse accepts. The parser,
    /// the type check and the evaluator recurse per level, and query text arrives from the
    /// network, so unbounded nesting would let a sender overflow the stack.
    static constexpr uint32_t MAX_NESTING = 64;
    /// Deepest expression tree Parse accepts (long operator chains build left-deep trees).
    static constexpr uint32_t MAX_TREE_DEPTH = 256;

    /**
     * Evaluate over the rows of a zone's child table.
     * \param rows the child rows
     * \param rng what RANDOM() draws from (may be empty if the query has no RANDOM)
     * \param[out] out the output attributes, by name
     * \param[out] error a type error met in the data (e.g. SUM over a string)
     * \return false on a run-time type error
     */
    bool Evaluate(const std::vector<Row>& rows,
                  const Rng& rng,
                  std::map<std::string, Value>& out,
                  std::string& error) const;
    /// The same over rows held elsewhere (no copies), the outputs in SELECT order.
    bool Evaluate(const std::vector<const Row*>& rows,
                  const Rng& rng,
                  Outputs& out,
                  std::string& error) const;

    const std::string& GetText() const;
    const std::vector<Item>& GetItems() const;
    std::vector<std::string> GetOutputNames() const;
    bool UsesRandom() const;

  private:
    friend struct SqlBuilder;
    std::string m_text;
    std::vector<Item> m_items;
    std::shared_ptr<Expr> m_where;
    std::vector<Order> m_order;
    int64_t m_limit{-1};
};

} // namespace astrolabe
} // namespace ns3

#endif /* ASTROLABE_SQL_H */
