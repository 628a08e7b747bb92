/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Astrolabe's SQL subset, the parser: a Boost Spirit X3 grammar whose semantic actions build an
 * expression tree on a stack, bounds on nesting and tree depth, and a static type check. (All of
 * Spirit is here: it is the slow part to compile.)
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
namespace astrolabe
{

std::string
SqlError::ToString() const
{
    std::ostringstream os;
    os << "error at " << position << " near '" << token << "': " << message;
    return os.str();
}

namespace
{
using ExprPtr = std::shared_ptr<Expr>;

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
    const uint32_t limit = Query::MAX_NESTING;
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
                         "nesting deeper than " + std::to_string(Query::MAX_NESTING) +
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
    if (depth > Query::MAX_TREE_DEPTH)
    {
        throw SqlFailure{e->position,
                         "expression deeper than " + std::to_string(Query::MAX_TREE_DEPTH) +
                             " operators"};
    }
    for (const auto& a : e->args)
    {
        CheckTreeDepth(a, depth + 1);
    }
}

/// A type the static check cannot know: an attribute's, or what depends on it.
constexpr Value::Type kUnknown = Value::NIL;

/// The static checks: attributes only inside aggregates in SELECT items, no aggregates in
/// WHERE / ORDER BY, operand types of literals. \return the type of e (kUnknown: known only from
/// the data)
Value::Type
TypeCheck(const ExprPtr& e, bool inAgg, bool rowContext)
{
    switch (e->kind)
    {
    case Expr::LITERAL:
        return e->literal.GetType();
    case Expr::ATTRIBUTE:
        if (!inAgg && !rowContext)
        {
            throw SqlFailure{e->position,
                             "attribute '" + e->name + "' must be inside an aggregate (e.g. MIN(" +
                                 e->name + "))"};
        }
        return kUnknown;
    case Expr::UNARY: {
        auto t = TypeCheck(e->args[0], inAgg, rowContext);
        if (e->op == "-" && t != kUnknown && t != Value::INT && t != Value::DOUBLE)
        {
            throw SqlFailure{e->position,
                             "type error: '-' needs a number, not " + Value::TypeName(t)};
        }
        if (e->op == "NOT" && t != kUnknown && t != Value::BOOL)
        {
            throw SqlFailure{e->position,
                             "type error: NOT needs a bool, not " + Value::TypeName(t)};
        }
        return e->op == "NOT" ? Value::BOOL : t;
    }
    case Expr::BINARY: {
        auto a = TypeCheck(e->args[0], inAgg, rowContext);
        auto b = TypeCheck(e->args[1], inAgg, rowContext);
        const std::string& op = e->op;
        auto isNum = [](Value::Type t) {
            return t == kUnknown || t == Value::INT || t == Value::DOUBLE;
        };
        if (op == "AND" || op == "OR")
        {
            for (auto t : {a, b})
            {
                if (t != kUnknown && t != Value::BOOL)
                {
                    throw SqlFailure{e->position,
                                     "type error: " + op + " needs bools, not " +
                                         Value::TypeName(t)};
                }
            }
            return Value::BOOL;
        }
        if (op == "=" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=")
        {
            bool comparable = a == kUnknown || b == kUnknown || a == b || (isNum(a) && isNum(b));
            if (!comparable)
            {
                throw SqlFailure{e->position,
                                 "type error: cannot compare " + Value::TypeName(a) + " with " +
                                     Value::TypeName(b)};
            }
            return Value::BOOL;
        }
        if (!isNum(a) || !isNum(b))
        {
            throw SqlFailure{e->position,
                             "type error: '" + op + "' needs numbers, not " +
                                 Value::TypeName(isNum(a) ? b : a)};
        }
        if (a == kUnknown || b == kUnknown)
        {
            return kUnknown;
        }
        if (op == "/")
        {
            return Value::DOUBLE;
        }
        return (a == Value::INT && b == Value::INT) ? Value::INT : Value::DOUBLE;
    }
    case Expr::AGGREGATE: {
        if (inAgg)
        {
            throw SqlFailure{e->position, "aggregates cannot be nested"};
        }
        if (rowContext)
        {
            throw SqlFailure{e->position,
                             "aggregate " + e->op + " not allowed in WHERE / ORDER BY"};
        }
        auto t = e->star ? kUnknown : TypeCheck(e->args[0], true, true);
        const std::string& op = e->op;
        if ((op == "SUM" || op == "AVG") && t != kUnknown && t != Value::INT && t != Value::DOUBLE)
        {
            throw SqlFailure{e->position,
                             "type error: " + op + " needs numbers, not " + Value::TypeName(t)};
        }
        if ((op == "OR" || op == "AND") && t != kUnknown && t != Value::BOOL)
        {
            throw SqlFailure{e->position,
                             "type error: " + op + "() needs bools, not " + Value::TypeName(t)};
        }
        if ((op == "FIRST" || op == "RANDOM") && t != kUnknown && t != Value::ADDRESSES)
        {
            throw SqlFailure{e->position,
                             "type error: " + op + " needs a set of addresses, not " +
                                 Value::TypeName(t)};
        }
        if (op == "COUNT")
        {
            return Value::INT;
        }
        if (op == "AVG")
        {
            return Value::DOUBLE;
        }
        if (op == "OR" || op == "AND")
        {
            return Value::BOOL;
        }
        if (op == "FIRST" || op == "RANDOM")
        {
            return Value::ADDRESSES;
        }
        return t;
    }
    }
    return kUnknown;
}
} // namespace

/// Parse state shared by the semantic actions (parsing is single-threaded in ns-3).
struct SqlBuilder
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
    Query* query{nullptr};
    bool pendingDesc{false};

    void AddItem(const std::string& name, ExprPtr e)
    {
        query->m_items.push_back(Query::Item{name, e});
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

    static SqlBuilder*& Current()
    {
        static SqlBuilder* cur = nullptr;
        return cur;
    }
};

namespace sql_grammar
{
namespace x3 = boost::spirit::x3;

using Builder = SqlBuilder;

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
Node(Expr::Kind k, const std::string& op, uint32_t pos, const std::string& tok)
{
    auto e = std::make_shared<Expr>();
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
    auto e = Node(Expr::LITERAL, "", Begin(r), t);
    try
    {
        e->literal = Value(static_cast<int64_t>(std::stoll(t)));
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
    auto e = Node(Expr::LITERAL, "", Begin(r), t);
    try
    {
        e->literal = Value(std::stod(t));
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
    auto e = Node(Expr::LITERAL, "", Begin(r), t);
    e->literal = Value(t.size() >= 2 ? t.substr(1, t.size() - 2) : std::string());
    Builder::Current()->stack.push_back(e);
};
auto pushTrue = [](auto& ctx) {
    auto e = Node(Expr::LITERAL, "", Rest(ctx) - 4, "true");
    e->literal = Value(true);
    Builder::Current()->stack.push_back(e);
};
auto pushFalse = [](auto& ctx) {
    auto e = Node(Expr::LITERAL, "", Rest(ctx) - 5, "false");
    e->literal = Value(false);
    Builder::Current()->stack.push_back(e);
};
auto pushNull = [](auto& ctx) {
    Builder::Current()->stack.push_back(Node(Expr::LITERAL, "", Rest(ctx) - 4, "null"));
};
auto pushAttr = [](auto& ctx) {
    std::string name = x3::_attr(ctx);
    auto e = Node(Expr::ATTRIBUTE, "", Rest(ctx) - name.size(), name);
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
    auto e = Node(Expr::BINARY, op, pos, TokenAt(b->query->GetText(), pos));
    e->args = {lhs, rhs};
    b->stack.push_back(e);
};
auto makeNeg = [](auto&) {
    Builder* b = Builder::Current();
    auto e = Node(Expr::UNARY, "-", b->PopMark(), "-");
    e->args = {b->Pop()};
    b->stack.push_back(e);
};
auto makeNot = [](auto&) {
    Builder* b = Builder::Current();
    auto e = Node(Expr::UNARY, "NOT", b->PopMark(), "NOT");
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
    auto e = Node(Expr::AGGREGATE, p.op, p.position, TokenAt(b->query->GetText(), p.position));
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
} // namespace sql_grammar

bool
Query::Parse(const std::string& text, Query& query, SqlError& error)
{
    namespace x3 = boost::spirit::x3;
    using namespace sql_grammar;

    query = Query();
    query.m_text = text;
    SqlBuilder builder;
    builder.begin = text.begin();
    builder.query = &query;
    SqlBuilder::Current() = &builder;

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
        // Spirit's character classes assert on bytes outside ASCII (a debug build aborts on
        // one SQL datagram); the grammar is ASCII, so such a byte is a syntax error here.
        for (size_t i = 0; i < text.size(); ++i)
        {
            if (static_cast<unsigned char>(text[i]) > 0x7f)
            {
                throw SqlFailure{static_cast<uint32_t>(i), "a byte outside ASCII"};
            }
        }
        CheckNesting(text);
        ok = x3::phrase_parse(first, text.end(), grammar, x3::space);
        if (!ok)
        {
            uint32_t pos = SkipSpace(text, static_cast<uint32_t>(first - text.begin()));
            throw SqlFailure{pos, "expected SELECT"};
        }
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
            if (Row::IsKeyAttribute(it.name))
            {
                throw SqlFailure{static_cast<uint32_t>(text.rfind(it.name)),
                                 "'" + it.name + "' is maintained by the system"};
            }
            if (!names.insert(it.name).second)
            {
                throw SqlFailure{static_cast<uint32_t>(text.rfind(it.name)),
                                 "output '" + it.name + "' appears twice"};
            }
            TypeCheck(it.expr, false, false);
        }
        if (query.m_where)
        {
            auto t = TypeCheck(query.m_where, false, true);
            if (t != kUnknown && t != Value::BOOL)
            {
                throw SqlFailure{query.m_where->position,
                                 "type error: WHERE needs a bool, not " + Value::TypeName(t)};
            }
        }
        for (const auto& o : query.m_order)
        {
            TypeCheck(o.expr, false, true);
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
        SqlBuilder::Current() = nullptr;
        return false;
    }
    catch (const SqlFailure& f)
    {
        error.position = SkipSpace(text, f.position);
        error.token = TokenAt(text, error.position);
        error.message = f.message;
        SqlBuilder::Current() = nullptr;
        return false;
    }
    SqlBuilder::Current() = nullptr;
    // intern the names the evaluator looks up in every row of every zone, every round
    std::function<void(const ExprPtr&)> intern = [&intern](const ExprPtr& e) {
        if (!e)
        {
            return;
        }
        if (e->kind == Expr::ATTRIBUTE)
        {
            e->attr = Name(e->name);
        }
        for (const auto& a : e->args)
        {
            intern(a);
        }
    };
    for (auto& it : query.m_items)
    {
        it.key = Name(it.name);
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
Query::GetText() const
{
    return m_text;
}

const std::vector<Query::Item>&
Query::GetItems() const
{
    return m_items;
}

std::vector<std::string>
Query::GetOutputNames() const
{
    std::vector<std::string> names;
    for (const auto& it : m_items)
    {
        names.push_back(it.name);
    }
    return names;
}

bool
Query::UsesRandom() const
{
    std::function<bool(const ExprPtr&)> has = [&has](const ExprPtr& e) {
        if (!e)
        {
            return false;
        }
        if (e->kind == Expr::AGGREGATE && e->op == "RANDOM")
        {
            return true;
        }
        return std::any_of(e->args.begin(), e->args.end(), has);
    };
    return std::any_of(m_items.begin(), m_items.end(), [&has](const Item& i) {
        return has(i.expr);
    });
}

} // namespace astrolabe
} // namespace ns3
