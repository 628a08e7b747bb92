/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Astrolabe's SQL subset: a Boost Spirit X3 grammar whose semantic actions build an expression
 * tree on a stack, a static type check, and an evaluator over a zone's child rows.
 */
#include "astrolabe-sql.h"

#include <algorithm>
#include <boost/spirit/home/x3.hpp>
#include <cmath>
#include <functional>
#include <numeric>
#include <set>
#include <sstream>
#include <unordered_map>

namespace ns3
{

std::string
AstrolabeSqlError::ToString() const
{
    std::ostringstream os;
    os << "error at " << position << " near '" << token << "': " << message;
    return os.str();
}

namespace
{
using ExprPtr = std::shared_ptr<AstrolabeExpr>;

/// Thrown from semantic actions and the type check.
struct SqlFailure
{
    uint32_t position;
    std::string message;
};

/// The token that starts at `pos`: a word, a quoted string, a number, or one operator.
std::string
TokenAt(const std::string& text, uint32_t pos)
{
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos])))
    {
        ++pos;
    }
    if (pos >= text.size())
    {
        return "<end>";
    }
    auto isWord = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
    };
    size_t end = pos + 1;
    if (text[pos] == '\'')
    {
        while (end < text.size() && text[end] != '\'')
        {
            ++end;
        }
        end = std::min(end + 1, text.size());
    }
    else if (isWord(text[pos]))
    {
        while (end < text.size() && isWord(text[end]))
        {
            ++end;
        }
    }
    else if (end < text.size() && std::string("<>=!").find(text[pos]) != std::string::npos &&
             std::string("<>=").find(text[end]) != std::string::npos)
    {
        ++end;
    }
    return text.substr(pos, end - pos);
}

uint32_t
SkipSpace(const std::string& text, uint32_t pos)
{
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos])))
    {
        ++pos;
    }
    return pos;
}

/**
 * Reject text nested deeper than MAX_NESTING before the recursive-descent parser sees it.
 * Counts, at each point, open '(' plus the unary '-' / NOT prefixes not yet closed by an
 * operand; quoted strings are skipped. Conservative (may count a binary '-' after a keyword
 * as unary), never recursive.
 */
void
CheckNesting(const std::string& text)
{
    const uint32_t limit = AstrolabeQuery::MAX_NESTING;
    auto isWordStart = [](char c) {
        return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
    };
    auto isWord = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
    };
    std::vector<uint32_t> pending{0}; // unary prefixes open at each paren depth
    uint32_t total = 0;               // parens + pending unaries
    bool prefixPosition = true;       // the next '-' would be unary
    auto endOperand = [&]() {
        total -= pending.back();
        pending.back() = 0;
        prefixPosition = false;
    };
    auto fail = [](uint32_t pos, const std::string& what) {
        throw SqlFailure{pos,
                         "nesting deeper than " + std::to_string(AstrolabeQuery::MAX_NESTING) +
                             " levels at " + what};
    };
    for (uint32_t i = 0; i < text.size();)
    {
        char c = text[i];
        if (std::isspace(static_cast<unsigned char>(c)))
        {
            ++i;
        }
        else if (c == '\'')
        {
            size_t close = text.find('\'', i + 1);
            i = close == std::string::npos ? text.size() : static_cast<uint32_t>(close + 1);
            endOperand();
        }
        else if (c == '(')
        {
            pending.push_back(0);
            if (++total > limit)
            {
                fail(i, "'('");
            }
            prefixPosition = true;
            ++i;
        }
        else if (c == ')')
        {
            if (pending.size() > 1)
            {
                total -= pending.back() + 1;
                pending.pop_back();
            }
            endOperand();
            ++i;
        }
        else if (c == '-' && prefixPosition)
        {
            ++pending.back();
            if (++total > limit)
            {
                fail(i, "unary '-'");
            }
            ++i;
        }
        else if (isWordStart(c) || std::isdigit(static_cast<unsigned char>(c)))
        {
            uint32_t start = i;
            while (i < text.size() && isWord(text[i]))
            {
                ++i;
            }
            std::string w = text.substr(start, i - start);
            std::transform(w.begin(), w.end(), w.begin(), [](unsigned char ch) {
                return static_cast<char>(std::tolower(ch));
            });
            if (w == "not")
            {
                ++pending.back();
                if (++total > limit)
                {
                    fail(start, "NOT");
                }
                prefixPosition = true;
            }
            else if (w == "select" || w == "where" || w == "by" || w == "and" || w == "or" ||
                     w == "as" || w == "limit")
            {
                prefixPosition = true;
            }
            else
            {
                endOperand();
            }
        }
        else
        {
            prefixPosition = true; // an operator or ','
            ++i;
        }
    }
}

/// Throws when the tree is deeper than MAX_TREE_DEPTH; the recursion is bounded by the limit.
void
CheckTreeDepth(const ExprPtr& e, uint32_t depth)
{
    if (!e)
    {
        return;
    }
    if (depth > AstrolabeQuery::MAX_TREE_DEPTH)
    {
        throw SqlFailure{e->position,
                         "expression deeper than " +
                             std::to_string(AstrolabeQuery::MAX_TREE_DEPTH) + " operators"};
    }
    for (const auto& a : e->args)
    {
        CheckTreeDepth(a, depth + 1);
    }
}
} // namespace

/// Parse state shared by the semantic actions (parsing is single-threaded in ns-3).
struct AstrolabeSqlBuilder
{
    struct PendingAgg
    {
        std::string op;
        uint32_t position;
        int64_t n{0};
        bool hasN{false};
        bool star{false};
    };

    std::string::const_iterator begin;
    std::vector<ExprPtr> stack;
    std::vector<PendingAgg> aggs;
    AstrolabeQuery* query{nullptr};
    bool pendingDesc{false};

    void AddItem(const std::string& name, ExprPtr e)
    {
        query->m_items.push_back(AstrolabeQuery::Item{name, e});
    }

    std::vector<uint32_t> marks;

    uint32_t PopMark()
    {
        if (marks.empty())
        {
            throw SqlFailure{0, "internal parser error (no mark)"};
        }
        uint32_t m = marks.back();
        marks.pop_back();
        return m;
    }

    ExprPtr Pop()
    {
        if (stack.empty())
        {
            throw SqlFailure{0, "internal parser error (empty stack)"};
        }
        ExprPtr e = stack.back();
        stack.pop_back();
        return e;
    }

    static AstrolabeSqlBuilder*& Current()
    {
        static AstrolabeSqlBuilder* cur = nullptr;
        return cur;
    }
};

namespace astrolabe_sql_grammar
{
namespace x3 = boost::spirit::x3;

using Builder = AstrolabeSqlBuilder;

// In Boost 1.74, _where() in an action is the input *after* the match; positions are
// recovered from it and the length of what matched, or from x3::raw[] ranges.
template <typename Ctx>
uint32_t
Rest(Ctx& ctx)
{
    return static_cast<uint32_t>(x3::_where(ctx).begin() - Builder::Current()->begin);
}

template <typename Range>
uint32_t
Begin(const Range& r)
{
    return static_cast<uint32_t>(r.begin() - Builder::Current()->begin);
}

ExprPtr
Node(AstrolabeExpr::Kind k, const std::string& op, uint32_t pos, const std::string& tok)
{
    auto e = std::make_shared<AstrolabeExpr>();
    e->kind = k;
    e->op = op;
    e->position = pos;
    e->token = tok;
    return e;
}

// ---- actions
auto pushInt = [](auto& ctx) {
    auto r = x3::_attr(ctx);
    std::string t(r.begin(), r.end());
    auto e = Node(AstrolabeExpr::LITERAL, "", Begin(r), t);
    try
    {
        e->literal = AstrolabeValue(static_cast<int64_t>(std::stoll(t)));
    }
    catch (...)
    {
        throw SqlFailure{Begin(r), "integer out of range"};
    }
    Builder::Current()->stack.push_back(e);
};
auto pushDouble = [](auto& ctx) {
    auto r = x3::_attr(ctx);
    std::string t(r.begin(), r.end());
    auto e = Node(AstrolabeExpr::LITERAL, "", Begin(r), t);
    try
    {
        e->literal = AstrolabeValue(std::stod(t));
    }
    catch (...)
    {
        throw SqlFailure{Begin(r), "number out of range"};
    }
    Builder::Current()->stack.push_back(e);
};
auto pushString = [](auto& ctx) {
    auto r = x3::_attr(ctx);
    std::string t(r.begin(), r.end());
    auto e = Node(AstrolabeExpr::LITERAL, "", Begin(r), t);
    e->literal = AstrolabeValue(t.size() >= 2 ? t.substr(1, t.size() - 2) : std::string());
    Builder::Current()->stack.push_back(e);
};
auto pushTrue = [](auto& ctx) {
    auto e = Node(AstrolabeExpr::LITERAL, "", Rest(ctx) - 4, "true");
    e->literal = AstrolabeValue(true);
    Builder::Current()->stack.push_back(e);
};
auto pushFalse = [](auto& ctx) {
    auto e = Node(AstrolabeExpr::LITERAL, "", Rest(ctx) - 5, "false");
    e->literal = AstrolabeValue(false);
    Builder::Current()->stack.push_back(e);
};
auto pushNull = [](auto& ctx) {
    Builder::Current()->stack.push_back(Node(AstrolabeExpr::LITERAL, "", Rest(ctx) - 4, "null"));
};
auto pushAttr = [](auto& ctx) {
    std::string name = x3::_attr(ctx);
    auto e = Node(AstrolabeExpr::ATTRIBUTE, "", Rest(ctx) - name.size(), name);
    e->name = name;
    Builder::Current()->stack.push_back(e);
};

/// An operator was matched: remember where it starts (its spelling length back from the rest).
auto opMark = [](auto& ctx) {
    std::string op = x3::_attr(ctx);
    uint32_t len = op == "!=" ? 2 : op.size(); // "<>" is spelled with two characters too
    Builder::Current()->marks.push_back(Rest(ctx) - len);
};
auto minusMark = [](auto& ctx) { Builder::Current()->marks.push_back(Rest(ctx) - 1); };
auto notMark = [](auto& ctx) { Builder::Current()->marks.push_back(Rest(ctx) - 3); };

auto makeBinary = [](auto& ctx) {
    Builder* b = Builder::Current();
    ExprPtr rhs = b->Pop();
    ExprPtr lhs = b->Pop();
    uint32_t pos = b->PopMark();
    std::string op = x3::_attr(ctx);
    auto e = Node(AstrolabeExpr::BINARY, op, pos, TokenAt(b->query->GetText(), pos));
    e->args = {lhs, rhs};
    b->stack.push_back(e);
};
auto makeNeg = [](auto&) {
    Builder* b = Builder::Current();
    auto e = Node(AstrolabeExpr::UNARY, "-", b->PopMark(), "-");
    e->args = {b->Pop()};
    b->stack.push_back(e);
};
auto makeNot = [](auto&) {
    Builder* b = Builder::Current();
    auto e = Node(AstrolabeExpr::UNARY, "NOT", b->PopMark(), "NOT");
    e->args = {b->Pop()};
    b->stack.push_back(e);
};
auto aggBegin = [](auto& ctx) {
    Builder::PendingAgg p;
    p.op = x3::_attr(ctx);
    p.position = Rest(ctx) - p.op.size();
    Builder::Current()->aggs.push_back(p);
};
auto aggN = [](auto& ctx) {
    Builder::Current()->aggs.back().n = x3::_attr(ctx);
    Builder::Current()->aggs.back().hasN = true;
};
auto aggStar = [](auto&) { Builder::Current()->aggs.back().star = true; };
auto aggDone = [](auto&) {
    Builder* b = Builder::Current();
    Builder::PendingAgg p = b->aggs.back();
    b->aggs.pop_back();
    auto e =
        Node(AstrolabeExpr::AGGREGATE, p.op, p.position, TokenAt(b->query->GetText(), p.position));
    e->n = p.n;
    e->star = p.star;
    if (!p.star)
    {
        e->args = {b->Pop()};
    }
    bool counted = (p.op == "FIRST" || p.op == "RANDOM");
    if (counted != p.hasN)
    {
        throw SqlFailure{p.position,
                         counted ? p.op + " takes (n, attribute)"
                                 : p.op + " takes one argument, not (n, ...)"};
    }
    if (p.star && p.op != "COUNT")
    {
        throw SqlFailure{p.position, "only COUNT accepts *"};
    }
    if (counted && p.n < 1)
    {
        throw SqlFailure{p.position, p.op + " needs n >= 1"};
    }
    b->stack.push_back(e);
};
auto addItem = [](auto& ctx) {
    Builder* b = Builder::Current();
    b->AddItem(x3::_attr(ctx), b->Pop());
};
auto setDesc = [](auto&) { Builder::Current()->pendingDesc = true; };
auto setAsc = [](auto&) { Builder::Current()->pendingDesc = false; };

// ---- lexical pieces
const auto wordChar = x3::alnum | x3::char_('_');

template <typename T>
auto
Kw(T s)
{
    return x3::lexeme[x3::no_case[x3::lit(s)] >> !wordChar];
}

struct AggSymbols : x3::symbols<std::string>
{
    AggSymbols()
    {
        // lower-case keys: no_case[] folds the input before the lookup
        for (const char* s : {"MIN", "MAX", "SUM", "AVG", "COUNT", "OR", "AND", "FIRST", "RANDOM"})
        {
            std::string lower(s);
            std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
            add(lower, s);
        }
    }
};

const AggSymbols aggSymbols;

struct CmpSymbols : x3::symbols<std::string>
{
    CmpSymbols()
    {
        add("=", "=")("!=", "!=")("<>", "!=")("<", "<")("<=", "<=")(">", ">")(">=", ">=");
    }
};

const CmpSymbols cmpSymbols;

struct ArithSymbols : x3::symbols<std::string>
{
    explicit ArithSymbols(const std::string& ops)
    {
        for (char c : ops)
        {
            add(std::string(1, c), std::string(1, c));
        }
    }
};

const ArithSymbols sumSymbols("+-");
const ArithSymbols termSymbols("*/%");

const auto keyword =
    x3::lexeme[x3::no_case[x3::lit("select") | "as" | "where" | "order" | "by" | "limit" | "and" |
                           "or" | "not" | "asc" | "desc" | "true" | "false" | "null"] >>
               !wordChar];

const x3::rule<class ident_id, std::string> ident = "attribute name";
const x3::rule<class expr_id> expr = "expression";
const x3::rule<class and_id> andExpr = "expression";
const x3::rule<class not_id> notExpr = "expression";
const x3::rule<class cmp_id> cmpExpr = "expression";
const x3::rule<class sum_id> sumExpr = "expression";
const x3::rule<class term_id> termExpr = "expression";
const x3::rule<class unary_id> unaryExpr = "expression";
const x3::rule<class primary_id> primary = "expression";
const x3::rule<class agg_id> agg = "aggregate";
const x3::rule<class string_id, std::string> quoted = "string";

const auto ident_def = x3::lexeme[!keyword >> ((x3::alpha | x3::char_('_')) >> *wordChar)];
const auto quoted_def = x3::lexeme['\'' > *(x3::char_ - '\'') > '\''];

const auto orOp = x3::lexeme[x3::no_case[x3::lit("or")] >> !wordChar] >>
                  x3::attr(std::string("OR"));
const auto andOp = x3::lexeme[x3::no_case[x3::lit("and")] >> !wordChar] >>
                   x3::attr(std::string("AND"));
const auto expr_def = andExpr >> *((orOp[opMark] > andExpr)[makeBinary]);
const auto andExpr_def = notExpr >> *((andOp[opMark] > notExpr)[makeBinary]);
const auto notExpr_def = (Kw("not")[notMark] > notExpr)[makeNot] | cmpExpr;
const auto cmpExpr_def = sumExpr >> -((cmpSymbols[opMark] > sumExpr)[makeBinary]);
const auto sumExpr_def = termExpr >> *((sumSymbols[opMark] > termExpr)[makeBinary]);
const auto termExpr_def = unaryExpr >> *((termSymbols[opMark] > unaryExpr)[makeBinary]);
const auto unaryExpr_def = (x3::lit('-')[minusMark] > unaryExpr)[makeNeg] | primary;

const auto strictDouble = x3::real_parser<double, x3::strict_real_policies<double>>();
const auto aggHead = x3::lexeme[x3::no_case[aggSymbols] >> !wordChar] >> &x3::lit('(');
const auto agg_def = (aggHead[aggBegin] >> '(') >
                     ((x3::int64 >> ',' > expr)[aggN] | x3::lit('*')[aggStar] |
                      expr) > x3::lit(')')[aggDone];
const auto primary_def = agg | x3::raw[x3::lexeme[strictDouble >> !wordChar]][pushDouble] |
                         x3::raw[x3::lexeme[x3::int64 >> !wordChar]][pushInt] |
                         x3::raw[quoted][pushString] | Kw("true")[pushTrue] |
                         Kw("false")[pushFalse] | Kw("null")[pushNull] | ident[pushAttr] |
                         ('(' > expr > ')');

BOOST_SPIRIT_DEFINE(ident,
                    quoted,
                    expr,
                    andExpr,
                    notExpr,
                    cmpExpr,
                    sumExpr,
                    termExpr,
                    unaryExpr,
                    primary,
                    agg);

const auto item = (expr > Kw("as") > ident)[addItem];
const auto orderItem = expr >> (Kw("desc")[setDesc] | Kw("asc")[setAsc] | x3::eps[setAsc]);
} // namespace astrolabe_sql_grammar

bool
AstrolabeQuery::Parse(const std::string& text, AstrolabeQuery& query, AstrolabeSqlError& error)
{
    namespace x3 = boost::spirit::x3;
    using namespace astrolabe_sql_grammar;

    query = AstrolabeQuery();
    query.m_text = text;
    AstrolabeSqlBuilder builder;
    builder.begin = text.begin();
    builder.query = &query;
    AstrolabeSqlBuilder::Current() = &builder;

    auto whereAction = [&query, &builder](auto&) { query.m_where = builder.Pop(); };
    auto orderAction = [&query, &builder](auto&) {
        query.m_order.push_back(Order{builder.Pop(), builder.pendingDesc});
    };
    auto limitAction = [&query](auto& ctx) { query.m_limit = x3::_attr(ctx); };

    const auto grammar = Kw("select") > (item % ',') > -(Kw("where") > expr[whereAction]) >
                         -(Kw("order") > Kw("by") > (orderItem[orderAction] % ',')) >
                         -(Kw("limit") > x3::uint_[limitAction]) > x3::eoi;

    auto first = text.begin();
    bool ok = false;
    try
    {
        if (text.size() > MAX_TEXT)
        {
            throw SqlFailure{MAX_TEXT, "query longer than " + std::to_string(MAX_TEXT) + " bytes"};
        }
        CheckNesting(text);
        ok = x3::phrase_parse(first, text.end(), grammar, x3::space);
        if (!ok)
        {
            uint32_t pos = SkipSpace(text, static_cast<uint32_t>(first - text.begin()));
            throw SqlFailure{pos, "expected SELECT"};
        }
        // Static checks: attributes only inside aggregates in SELECT items; no aggregates in
        // WHERE / ORDER BY; operand types of literals.
        std::function<AstrolabeValue::Type(const ExprPtr&, bool, bool)> check;
        const auto UNKNOWN = AstrolabeValue::NIL;
        check = [&check, UNKNOWN](const ExprPtr& e, bool inAgg, bool rowContext) {
            switch (e->kind)
            {
            case AstrolabeExpr::LITERAL:
                return e->literal.GetType();
            case AstrolabeExpr::ATTRIBUTE:
                if (!inAgg && !rowContext)
                {
                    throw SqlFailure{e->position,
                                     "attribute '" + e->name +
                                         "' must be inside an aggregate (e.g. MIN(" + e->name +
                                         "))"};
                }
                return UNKNOWN;
            case AstrolabeExpr::UNARY: {
                auto t = check(e->args[0], inAgg, rowContext);
                if (e->op == "-" && t != UNKNOWN && t != AstrolabeValue::INT &&
                    t != AstrolabeValue::DOUBLE)
                {
                    throw SqlFailure{e->position,
                                     "type error: '-' needs a number, not " +
                                         AstrolabeValue::TypeName(t)};
                }
                if (e->op == "NOT" && t != UNKNOWN && t != AstrolabeValue::BOOL)
                {
                    throw SqlFailure{e->position,
                                     "type error: NOT needs a bool, not " +
                                         AstrolabeValue::TypeName(t)};
                }
                return e->op == "NOT" ? AstrolabeValue::BOOL : t;
            }
            case AstrolabeExpr::BINARY: {
                auto a = check(e->args[0], inAgg, rowContext);
                auto b = check(e->args[1], inAgg, rowContext);
                const std::string& op = e->op;
                auto isNum = [UNKNOWN](AstrolabeValue::Type t) {
                    return t == UNKNOWN || t == AstrolabeValue::INT || t == AstrolabeValue::DOUBLE;
                };
                if (op == "AND" || op == "OR")
                {
                    for (auto t : {a, b})
                    {
                        if (t != UNKNOWN && t != AstrolabeValue::BOOL)
                        {
                            throw SqlFailure{e->position,
                                             "type error: " + op + " needs bools, not " +
                                                 AstrolabeValue::TypeName(t)};
                        }
                    }
                    return AstrolabeValue::BOOL;
                }
                if (op == "=" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=")
                {
                    bool comparable =
                        a == UNKNOWN || b == UNKNOWN || a == b || (isNum(a) && isNum(b));
                    if (!comparable)
                    {
                        throw SqlFailure{e->position,
                                         "type error: cannot compare " +
                                             AstrolabeValue::TypeName(a) + " with " +
                                             AstrolabeValue::TypeName(b)};
                    }
                    return AstrolabeValue::BOOL;
                }
                if (!isNum(a) || !isNum(b))
                {
                    throw SqlFailure{e->position,
                                     "type error: '" + op + "' needs numbers, not " +
                                         AstrolabeValue::TypeName(isNum(a) ? b : a)};
                }
                if (a == UNKNOWN || b == UNKNOWN)
                {
                    return UNKNOWN;
                }
                if (op == "/")
                {
                    return AstrolabeValue::DOUBLE;
                }
                return (a == AstrolabeValue::INT && b == AstrolabeValue::INT)
                           ? AstrolabeValue::INT
                           : AstrolabeValue::DOUBLE;
            }
            case AstrolabeExpr::AGGREGATE: {
                if (inAgg)
                {
                    throw SqlFailure{e->position, "aggregates cannot be nested"};
                }
                if (rowContext)
                {
                    throw SqlFailure{e->position,
                                     "aggregate " + e->op + " not allowed in WHERE / ORDER BY"};
                }
                auto t = e->star ? UNKNOWN : check(e->args[0], true, true);
                const std::string& op = e->op;
                if ((op == "SUM" || op == "AVG") && t != UNKNOWN && t != AstrolabeValue::INT &&
                    t != AstrolabeValue::DOUBLE)
                {
                    throw SqlFailure{e->position,
                                     "type error: " + op + " needs numbers, not " +
                                         AstrolabeValue::TypeName(t)};
                }
                if ((op == "OR" || op == "AND") && t != UNKNOWN && t != AstrolabeValue::BOOL)
                {
                    throw SqlFailure{e->position,
                                     "type error: " + op + "() needs bools, not " +
                                         AstrolabeValue::TypeName(t)};
                }
                if ((op == "FIRST" || op == "RANDOM") && t != UNKNOWN &&
                    t != AstrolabeValue::ADDRESSES)
                {
                    throw SqlFailure{e->position,
                                     "type error: " + op + " needs a set of addresses, not " +
                                         AstrolabeValue::TypeName(t)};
                }
                if (op == "COUNT")
                {
                    return AstrolabeValue::INT;
                }
                if (op == "AVG")
                {
                    return AstrolabeValue::DOUBLE;
                }
                if (op == "OR" || op == "AND")
                {
                    return AstrolabeValue::BOOL;
                }
                if (op == "FIRST" || op == "RANDOM")
                {
                    return AstrolabeValue::ADDRESSES;
                }
                return t;
            }
            }
            return UNKNOWN;
        };
        for (const auto& it : query.m_items)
        {
            CheckTreeDepth(it.expr, 0);
        }
        CheckTreeDepth(query.m_where, 0);
        for (const auto& o : query.m_order)
        {
            CheckTreeDepth(o.expr, 0);
        }
        std::set<std::string> names;
        for (const auto& it : query.m_items)
        {
            if (AstrolabeRow::IsKeyAttribute(it.name))
            {
                throw SqlFailure{static_cast<uint32_t>(text.rfind(it.name)),
                                 "'" + it.name + "' is maintained by the system"};
            }
            if (!names.insert(it.name).second)
            {
                throw SqlFailure{static_cast<uint32_t>(text.rfind(it.name)),
                                 "output '" + it.name + "' appears twice"};
            }
            check(it.expr, false, false);
        }
        if (query.m_where)
        {
            auto t = check(query.m_where, false, true);
            if (t != UNKNOWN && t != AstrolabeValue::BOOL)
            {
                throw SqlFailure{query.m_where->position,
                                 "type error: WHERE needs a bool, not " +
                                     AstrolabeValue::TypeName(t)};
            }
        }
        for (const auto& o : query.m_order)
        {
            check(o.expr, false, true);
        }
    }
    catch (const x3::expectation_failure<std::string::const_iterator>& e)
    {
        error.position = static_cast<uint32_t>(e.where() - text.begin());
        error.position = SkipSpace(text, error.position);
        error.token = TokenAt(text, error.position);
        std::string which = e.which();
        if (which == "eoi")
        {
            which = "end of query, ',', WHERE, ORDER BY or LIMIT";
        }
        error.message = "expected " + which;
        AstrolabeSqlBuilder::Current() = nullptr;
        return false;
    }
    catch (const SqlFailure& f)
    {
        error.position = SkipSpace(text, f.position);
        error.token = TokenAt(text, error.position);
        error.message = f.message;
        AstrolabeSqlBuilder::Current() = nullptr;
        return false;
    }
    AstrolabeSqlBuilder::Current() = nullptr;
    // intern the names the evaluator looks up in every row of every zone, every round
    std::function<void(const ExprPtr&)> intern = [&intern](const ExprPtr& e) {
        if (!e)
        {
            return;
        }
        if (e->kind == AstrolabeExpr::ATTRIBUTE)
        {
            e->attr = AstrolabeName(e->name);
        }
        for (const auto& a : e->args)
        {
            intern(a);
        }
    };
    for (auto& it : query.m_items)
    {
        it.key = AstrolabeName(it.name);
        intern(it.expr);
    }
    intern(query.m_where);
    for (const auto& o : query.m_order)
    {
        intern(o.expr);
    }
    return true;
}

const std::string&
AstrolabeQuery::GetText() const
{
    return m_text;
}

const std::vector<AstrolabeQuery::Item>&
AstrolabeQuery::GetItems() const
{
    return m_items;
}

std::vector<std::string>
AstrolabeQuery::GetOutputNames() const
{
    std::vector<std::string> names;
    for (const auto& it : m_items)
    {
        names.push_back(it.name);
    }
    return names;
}

bool
AstrolabeQuery::UsesRandom() const
{
    std::function<bool(const ExprPtr&)> has = [&has](const ExprPtr& e) {
        if (!e)
        {
            return false;
        }
        if (e->kind == AstrolabeExpr::AGGREGATE && e->op == "RANDOM")
        {
            return true;
        }
        return std::any_of(e->args.begin(), e->args.end(), has);
    };
    return std::any_of(m_items.begin(), m_items.end(), [&has](const Item& i) {
        return has(i.expr);
    });
}

// ---------------------------------------------------------------- evaluation

namespace
{
struct EvalFailure
{
    std::string message;
};

AstrolabeValue
Arith(const std::string& op,
      const AstrolabeValue& a,
      const AstrolabeValue& b,
      const AstrolabeExpr& e)
{
    if (a.IsNull() || b.IsNull())
    {
        return AstrolabeValue();
    }
    if (op == "AND" || op == "OR")
    {
        if (a.GetType() != AstrolabeValue::BOOL || b.GetType() != AstrolabeValue::BOOL)
        {
            throw EvalFailure{"type error at '" + e.token + "': " + op + " needs bools, got " +
                              a.ToString() + " and " + b.ToString()};
        }
        return op == "AND" ? AstrolabeValue(a.GetBool() && b.GetBool())
                           : AstrolabeValue(a.GetBool() || b.GetBool());
    }
    if (op == "=" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=")
    {
        bool comparable = a.GetType() == b.GetType() || (a.IsNumber() && b.IsNumber());
        if (!comparable)
        {
            throw EvalFailure{"type error at '" + e.token + "': cannot compare " + a.ToString() +
                              " with " + b.ToString()};
        }
        int c = AstrolabeValue::Compare(a, b);
        bool r = op == "="    ? c == 0
                 : op == "!=" ? c != 0
                 : op == "<"  ? c < 0
                 : op == "<=" ? c <= 0
                 : op == ">"  ? c > 0
                              : c >= 0;
        return AstrolabeValue(r);
    }
    if (!a.IsNumber() || !b.IsNumber())
    {
        throw EvalFailure{"type error at '" + e.token + "': '" + op + "' needs numbers, got " +
                          a.ToString() + " and " + b.ToString()};
    }
    bool ints = a.GetType() == AstrolabeValue::INT && b.GetType() == AstrolabeValue::INT;
    if (op == "/")
    {
        return b.GetDouble() == 0.0 ? AstrolabeValue()
                                    : AstrolabeValue(a.GetDouble() / b.GetDouble());
    }
    if (op == "%")
    {
        if (!ints || b.GetInt() == 0)
        {
            return ints ? AstrolabeValue()
                        : AstrolabeValue(std::fmod(a.GetDouble(), b.GetDouble()));
        }
        return AstrolabeValue(a.GetInt() % b.GetInt());
    }
    if (ints)
    {
        int64_t x = a.GetInt();
        int64_t y = b.GetInt();
        return AstrolabeValue(op == "+" ? x + y : op == "-" ? x - y : x * y);
    }
    double x = a.GetDouble();
    double y = b.GetDouble();
    return AstrolabeValue(op == "+" ? x + y : op == "-" ? x - y : x * y);
}

AstrolabeValue
EvalRow(const AstrolabeExpr& e, const AstrolabeRow& row)
{
    switch (e.kind)
    {
    case AstrolabeExpr::LITERAL:
        return e.literal;
    case AstrolabeExpr::ATTRIBUTE:
        return row.Get(e.attr);
    case AstrolabeExpr::UNARY: {
        AstrolabeValue v = EvalRow(*e.args[0], row);
        if (v.IsNull())
        {
            return v;
        }
        if (e.op == "NOT")
        {
            if (v.GetType() != AstrolabeValue::BOOL)
            {
                throw EvalFailure{"type error at 'NOT': needs a bool, got " + v.ToString()};
            }
            return AstrolabeValue(!v.GetBool());
        }
        if (v.GetType() == AstrolabeValue::INT)
        {
            return AstrolabeValue(-v.GetInt());
        }
        if (v.GetType() == AstrolabeValue::DOUBLE)
        {
            return AstrolabeValue(-v.GetDouble());
        }
        throw EvalFailure{"type error at '-': needs a number, got " + v.ToString()};
    }
    case AstrolabeExpr::BINARY:
        return Arith(e.op, EvalRow(*e.args[0], row), EvalRow(*e.args[1], row), e);
    case AstrolabeExpr::AGGREGATE:
        break;
    }
    throw EvalFailure{"aggregate in row context"};
}

AstrolabeValue
EvalAggregate(const AstrolabeExpr& e,
              const std::vector<const AstrolabeRow*>& rows,
              Ptr<UniformRandomVariable> rng)
{
    const std::string& op = e.op;
    if (op == "COUNT" && e.star)
    {
        return AstrolabeValue(static_cast<int64_t>(rows.size()));
    }
    // The argument's value in every row, by pointer: a plain attribute points into the row
    // (FIRST(k, contacts) over a zone would otherwise copy every row's address set).
    const AstrolabeExpr& arg = *e.args[0];
    const bool direct =
        arg.kind == AstrolabeExpr::ATTRIBUTE && !AstrolabeRow::IsKeyAttribute(arg.name);
    std::vector<AstrolabeValue> computed;
    computed.reserve(direct ? 0 : rows.size()); // never reallocated: vals points into it
    std::vector<std::pair<const AstrolabeValue*, const AstrolabeRow*>> vals;
    vals.reserve(rows.size());
    for (const AstrolabeRow* r : rows)
    {
        const AstrolabeValue* v;
        if (direct)
        {
            v = r->Find(arg.attr);
        }
        else
        {
            computed.push_back(EvalRow(arg, *r));
            v = &computed.back();
        }
        if (v && !v->IsNull())
        {
            vals.emplace_back(v, r);
        }
    }
    auto typeError = [&e](const AstrolabeValue& v, const AstrolabeRow* r, const std::string& want) {
        throw EvalFailure{"type error in " + e.op + " at " + std::to_string(e.position) + ": " +
                          want + " expected, zone " + r->GetId() + " has " + v.ToString()};
    };
    if (op == "COUNT")
    {
        return AstrolabeValue(static_cast<int64_t>(vals.size()));
    }
    if (op == "MIN" || op == "MAX")
    {
        if (vals.empty())
        {
            return AstrolabeValue();
        }
        const AstrolabeValue* best = vals[0].first;
        for (const auto& [v, r] : vals)
        {
            if (v->GetType() != best->GetType() && !(v->IsNumber() && best->IsNumber()))
            {
                typeError(*v, r, AstrolabeValue::TypeName(best->GetType()));
            }
            int c = AstrolabeValue::Compare(*v, *best);
            if ((op == "MIN" && c < 0) || (op == "MAX" && c > 0))
            {
                best = v;
            }
        }
        return *best;
    }
    if (op == "SUM" || op == "AVG")
    {
        bool ints = true;
        int64_t isum = 0;
        double dsum = 0;
        double wsum = 0;
        for (const auto& [v, r] : vals)
        {
            if (!v->IsNumber())
            {
                typeError(*v, r, "a number");
            }
            double w = op == "AVG" ? static_cast<double>(r->GetNMembers()) : 1.0;
            ints = ints && v->GetType() == AstrolabeValue::INT;
            isum += v->GetInt();
            dsum += v->GetDouble() * w;
            wsum += w;
        }
        if (op == "SUM")
        {
            return ints ? AstrolabeValue(isum) : AstrolabeValue(dsum);
        }
        return wsum > 0 ? AstrolabeValue(dsum / wsum) : AstrolabeValue();
    }
    if (op == "OR" || op == "AND")
    {
        bool acc = op == "AND";
        for (const auto& [v, r] : vals)
        {
            if (v->GetType() != AstrolabeValue::BOOL)
            {
                typeError(*v, r, "a bool");
            }
            acc = op == "AND" ? (acc && v->GetBool()) : (acc || v->GetBool());
        }
        return AstrolabeValue(acc);
    }
    // FIRST / RANDOM over sets of addresses
    AstrolabeAddressSet all;
    for (const auto& [v, r] : vals)
    {
        if (v->GetType() != AstrolabeValue::ADDRESSES)
        {
            typeError(*v, r, "a set of addresses");
        }
        for (const auto& a : v->GetAddresses())
        {
            if (std::find(all.begin(), all.end(), a) == all.end())
            {
                all.push_back(a);
            }
        }
    }
    size_t n = std::min<size_t>(static_cast<size_t>(e.n), all.size());
    if (op == "RANDOM")
    {
        if (!rng)
        {
            throw EvalFailure{"RANDOM needs a random stream"};
        }
        for (size_t i = 0; i < n; ++i) // partial Fisher-Yates
        {
            size_t j = i + rng->GetInteger(0, static_cast<uint32_t>(all.size() - i - 1));
            std::swap(all[i], all[j]);
        }
    }
    all.resize(n);
    return AstrolabeValue(all);
}

AstrolabeValue
EvalTop(const AstrolabeExpr& e,
        const std::vector<const AstrolabeRow*>& rows,
        Ptr<UniformRandomVariable> rng)
{
    switch (e.kind)
    {
    case AstrolabeExpr::LITERAL:
        return e.literal;
    case AstrolabeExpr::AGGREGATE:
        return EvalAggregate(e, rows, rng);
    case AstrolabeExpr::UNARY: {
        AstrolabeExpr lit;
        lit.literal = EvalTop(*e.args[0], rows, rng);
        AstrolabeExpr u = e;
        u.args = {std::make_shared<AstrolabeExpr>(lit)};
        return EvalRow(u, AstrolabeRow());
    }
    case AstrolabeExpr::BINARY:
        return Arith(e.op, EvalTop(*e.args[0], rows, rng), EvalTop(*e.args[1], rows, rng), e);
    case AstrolabeExpr::ATTRIBUTE:
        break;
    }
    throw EvalFailure{"attribute outside aggregate"};
}
} // namespace

bool
AstrolabeQuery::Evaluate(const std::vector<AstrolabeRow>& rows,
                         Ptr<UniformRandomVariable> rng,
                         std::map<std::string, AstrolabeValue>& out,
                         std::string& error) const
{
    std::vector<const AstrolabeRow*> ptrs;
    ptrs.reserve(rows.size());
    for (const auto& r : rows)
    {
        ptrs.push_back(&r);
    }
    Outputs values;
    if (!Evaluate(ptrs, rng, values, error))
    {
        return false;
    }
    for (const auto& [name, v] : values)
    {
        out[name] = v;
    }
    return true;
}

bool
AstrolabeQuery::Evaluate(const std::vector<const AstrolabeRow*>& rows,
                         Ptr<UniformRandomVariable> rng,
                         Outputs& out,
                         std::string& error) const
{
    try
    {
        std::vector<const AstrolabeRow*> sel;
        sel.reserve(rows.size());
        for (const AstrolabeRow* r : rows)
        {
            if (!m_where)
            {
                sel.push_back(r);
                continue;
            }
            AstrolabeValue w = EvalRow(*m_where, *r);
            if (!w.IsNull() && w.GetType() != AstrolabeValue::BOOL)
            {
                throw EvalFailure{"type error: WHERE gave " + w.ToString() + " for zone " +
                                  r->GetId()};
            }
            if (w.GetBool())
            {
                sel.push_back(r);
            }
        }
        if (!m_order.empty())
        {
            // one flat array of sort keys, row by row; a stable sort of row indices by them
            const size_t m = m_order.size();
            std::vector<AstrolabeValue> keys;
            keys.reserve(sel.size() * m);
            for (const AstrolabeRow* r : sel)
            {
                for (const auto& o : m_order)
                {
                    keys.push_back(EvalRow(*o.expr, *r));
                }
            }
            std::vector<size_t> idx(sel.size());
            std::iota(idx.begin(), idx.end(), 0);
            std::stable_sort(idx.begin(), idx.end(), [this, &keys, m](size_t a, size_t b) {
                for (size_t i = 0; i < m; ++i)
                {
                    const auto& x = keys[a * m + i];
                    const auto& y = keys[b * m + i];
                    if (x.IsNull() != y.IsNull())
                    {
                        return y.IsNull(); // nulls last either way
                    }
                    int c = AstrolabeValue::Compare(x, y);
                    if (c != 0)
                    {
                        return m_order[i].descending ? c > 0 : c < 0;
                    }
                }
                return false;
            });
            std::vector<const AstrolabeRow*> sorted;
            sorted.reserve(sel.size());
            for (size_t i : idx)
            {
                sorted.push_back(sel[i]);
            }
            sel.swap(sorted);
        }
        if (m_limit >= 0 && sel.size() > static_cast<size_t>(m_limit))
        {
            sel.resize(m_limit);
        }
        out.clear();
        out.reserve(m_items.size());
        for (const auto& item : m_items)
        {
            out.emplace_back(item.key, EvalTop(*item.expr, sel, rng));
        }
    }
    catch (const EvalFailure& f)
    {
        error = f.message;
        return false;
    }
    return true;
}

// ---------------------------------------------------------------- AFC

bool
AstrolabeAfc::Init(const std::string& name,
                   const std::string& text,
                   int64_t issued,
                   int64_t expires,
                   uint32_t maxOutputBytes,
                   const std::string& issuer,
                   AstrolabeSqlError& error)
{
    m_name = name;
    m_text = text;
    m_issued = issued;
    m_expires = expires;
    m_maxOutputBytes = maxOutputBytes;
    m_issuer = issuer;
    if (name.empty() || name.size() > 64)
    {
        error = AstrolabeSqlError{0, name, "AFC name must be 1..64 characters"};
        m_query.reset();
        return false;
    }
    m_query = ParseShared(text, error);
    return m_query != nullptr;
}

namespace
{
/// query text -> the query parsed from it, while some AFC holds it
using QueryCache = std::unordered_map<std::string, std::weak_ptr<const AstrolabeQuery>>;

QueryCache&
Queries()
{
    static QueryCache* cache = new QueryCache(); // never destroyed, like its users may not be
    return *cache;
}

/// Takes a query out of the cache with its last AFC.
struct QueryDeleter
{
    std::string text;

    void operator()(const AstrolabeQuery* q) const
    {
        auto it = Queries().find(text);
        if (it != Queries().end() && it->second.expired())
        {
            Queries().erase(it);
        }
        delete q;
    }
};
} // namespace

std::shared_ptr<const AstrolabeQuery>
AstrolabeAfc::ParseShared(const std::string& text, AstrolabeSqlError& error)
{
    // Every agent holds the same few AFCs, and every gossip that carries one is decoded and
    // its text checked: parse each text once and share the (immutable) result.
    auto it = Queries().find(text);
    if (it != Queries().end())
    {
        if (auto q = it->second.lock())
        {
            return q;
        }
    }
    auto* parsed = new AstrolabeQuery();
    if (!AstrolabeQuery::Parse(text, *parsed, error))
    {
        delete parsed;
        return nullptr;
    }
    std::shared_ptr<const AstrolabeQuery> q(parsed, QueryDeleter{text});
    Queries()[text] = q;
    return q;
}

const std::string&
AstrolabeAfc::GetName() const
{
    return m_name;
}

const std::string&
AstrolabeAfc::GetText() const
{
    return m_text;
}

int64_t
AstrolabeAfc::GetIssued() const
{
    return m_issued;
}

int64_t
AstrolabeAfc::GetExpires() const
{
    return m_expires;
}

uint32_t
AstrolabeAfc::GetMaxOutputBytes() const
{
    return m_maxOutputBytes;
}

const std::string&
AstrolabeAfc::GetIssuer() const
{
    return m_issuer;
}

const AstrolabeQuery&
AstrolabeAfc::GetQuery() const
{
    static const AstrolabeQuery empty;
    return m_query ? *m_query : empty;
}

bool
AstrolabeAfc::IsValid() const
{
    return m_query != nullptr;
}

bool
AstrolabeAfc::Supersedes(const AstrolabeAfc& other) const
{
    if (m_issued != other.m_issued)
    {
        return m_issued > other.m_issued;
    }
    if (m_issuer != other.m_issuer)
    {
        return m_issuer > other.m_issuer;
    }
    return m_text > other.m_text;
}

uint32_t
AstrolabeAfc::GetSerializedSize() const
{
    return 1 + m_name.size() + 2 + m_text.size() + 8 + 8 + 4 + 2 + m_issuer.size();
}

std::string
AstrolabeAfc::SystemAfcText(uint32_t k)
{
    std::ostringstream os;
    os << "SELECT SUM(nmembers) AS nmembers, MAX(depth)+1 AS depth, FIRST(" << k
       << ", contacts) AS contacts, FIRST(" << k << ", servers) AS servers ORDER BY load";
    return os.str();
}

} // namespace ns3
