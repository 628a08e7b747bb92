/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ASTROLABE_SQL_H
#define ASTROLABE_SQL_H

#include "astrolabe-value.h"

#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"

#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief Where and why a query was rejected: the byte offset and the text of the offending
 * token, plus a message.
 */
struct AstrolabeSqlError
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
struct AstrolabeExpr
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
    AstrolabeValue literal;
    std::string name;                                 //!< attribute name
    AstrolabeName attr;                               //!< the same, interned (ATTRIBUTE)
    std::vector<std::shared_ptr<AstrolabeExpr>> args; //!< operands (0..2)
    int64_t n{0};                                     //!< FIRST/RANDOM count
    bool star{false};                                 //!< COUNT(*)
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
class AstrolabeQuery
{
  public:
    struct Item
    {
        std::string name;
        std::shared_ptr<AstrolabeExpr> expr;
        AstrolabeName key; //!< name, interned
    };

    /// Output attributes of one evaluation, in SELECT order.
    using Outputs = std::vector<std::pair<AstrolabeName, AstrolabeValue>>;

    struct Order
    {
        std::shared_ptr<AstrolabeExpr> expr;
        bool descending{false};
    };

    /**
     * Parse and type-check a query.
     * \param text the query
     * \param[out] error set when it returns false
     * \param[out] query set when it returns true
     */
    static bool Parse(const std::string& text, AstrolabeQuery& query, AstrolabeSqlError& error);

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
     * \param rng the stream RANDOM() draws from (may be null if the query has no RANDOM)
     * \param[out] out the output attributes, by name
     * \param[out] error a type error met in the data (e.g. SUM over a string)
     * \return false on a run-time type error
     */
    bool Evaluate(const std::vector<AstrolabeRow>& rows,
                  Ptr<UniformRandomVariable> rng,
                  std::map<std::string, AstrolabeValue>& out,
                  std::string& error) const;
    /// The same over rows held elsewhere (no copies), the outputs in SELECT order.
    bool Evaluate(const std::vector<const AstrolabeRow*>& rows,
                  Ptr<UniformRandomVariable> rng,
                  Outputs& out,
                  std::string& error) const;

    const std::string& GetText() const;
    const std::vector<Item>& GetItems() const;
    std::vector<std::string> GetOutputNames() const;
    bool UsesRandom() const;

  private:
    friend struct AstrolabeSqlBuilder;
    std::string m_text;
    std::vector<Item> m_items;
    std::shared_ptr<AstrolabeExpr> m_where;
    std::vector<Order> m_order;
    int64_t m_limit{-1};
};

/**
 * \ingroup gossip
 * \brief An aggregation function certificate: a named query with `issued`, optional expiry and
 * an output-size cap. When two AFCs of the same name meet, the one with the larger issued wins
 * (ties: the larger issuer, then text, so every agent picks the same one).
 */
class AstrolabeAfc
{
  public:
    AstrolabeAfc() = default;
    /**
     * \param expires issuer-clock time (us) after which the AFC is dropped; 0 = never
     * \param maxOutputBytes cap on the size of what it adds to a row (0: MaxMessageSize / 8)
     * \param[out] error set when the text does not parse
     * \return true if it parsed
     */
    bool Init(const std::string& name,
              const std::string& text,
              int64_t issued,
              int64_t expires,
              uint32_t maxOutputBytes,
              const std::string& issuer,
              AstrolabeSqlError& error);

    const std::string& GetName() const;
    const std::string& GetText() const;
    int64_t GetIssued() const;
    int64_t GetExpires() const;
    uint32_t GetMaxOutputBytes() const;
    const std::string& GetIssuer() const;
    const AstrolabeQuery& GetQuery() const;
    bool IsValid() const;
    /// True if this one should replace `other` of the same name.
    bool Supersedes(const AstrolabeAfc& other) const;
    uint32_t GetSerializedSize() const;

    /**
     * The query parsed from `text`, shared with every other AFC of the same text (parsed once).
     * \return null, with `error` set, if it does not parse
     */
    static std::shared_ptr<const AstrolabeQuery> ParseShared(const std::string& text,
                                                             AstrolabeSqlError& error);

    /**
     * The built-in system AFC (name "system"): the paper's SUM(nmembers), MAX(depth)+1 and
     * FIRST(k, contacts/servers), with the child rows ordered by `load` (nulls last) so that
     * FIRST picks the k least-loaded representatives.
     */
    static std::string SystemAfcText(uint32_t k = 3);

  private:
    std::string m_name;
    std::string m_text;
    int64_t m_issued{0};
    int64_t m_expires{0};
    uint32_t m_maxOutputBytes{0};
    std::string m_issuer;
    std::shared_ptr<const AstrolabeQuery> m_query; //!< shared by every AFC of the same text
};

} // namespace ns3

#endif /* ASTROLABE_SQL_H */
