/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Astrolabe's SQL subset, the evaluator: WHERE, ORDER BY and LIMIT over a zone's child rows,
 * then the SELECT items and their aggregates.
 */
#include "astrolabe-sql.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ns3
{
namespace astrolabe
{

namespace
{
struct EvalFailure
{
    std::string message;
};

Value
Arith(const std::string& op, const Value& a, const Value& b, const Expr& e)
{
    if (a.IsNull() || b.IsNull())
    {
        return Value();
    }
    if (op == "AND" || op == "OR")
    {
        if (a.GetType() != Value::BOOL || b.GetType() != Value::BOOL)
        {
            throw EvalFailure{"type error at '" + e.token + "': " + op + " needs bools, got " +
                              a.ToString() + " and " + b.ToString()};
        }
        return op == "AND" ? Value(a.GetBool() && b.GetBool()) : Value(a.GetBool() || b.GetBool());
    }
    if (op == "=" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=")
    {
        bool comparable = a.GetType() == b.GetType() || (a.IsNumber() && b.IsNumber());
        if (!comparable)
        {
            throw EvalFailure{"type error at '" + e.token + "': cannot compare " + a.ToString() +
                              " with " + b.ToString()};
        }
        int c = Value::Compare(a, b);
        bool r = op == "="    ? c == 0
                 : op == "!=" ? c != 0
                 : op == "<"  ? c < 0
                 : op == "<=" ? c <= 0
                 : op == ">"  ? c > 0
                              : c >= 0;
        return Value(r);
    }
    if (!a.IsNumber() || !b.IsNumber())
    {
        throw EvalFailure{"type error at '" + e.token + "': '" + op + "' needs numbers, got " +
                          a.ToString() + " and " + b.ToString()};
    }
    bool ints = a.GetType() == Value::INT && b.GetType() == Value::INT;
    if (op == "/")
    {
        return b.GetDouble() == 0.0 ? Value() : Value(a.GetDouble() / b.GetDouble());
    }
    if (op == "%")
    {
        if (!ints || b.GetInt() == 0)
        {
            return ints ? Value() : Value(std::fmod(a.GetDouble(), b.GetDouble()));
        }
        // INT64_MIN % -1 overflows in C++; the answer is 0
        return b.GetInt() == -1 ? Value(int64_t{0}) : Value(a.GetInt() % b.GetInt());
    }
    if (ints)
    {
        // An integer result that does not fit 64 bits becomes a double, as in SQLite.
        int64_t x = a.GetInt();
        int64_t y = b.GetInt();
        int64_t r = 0;
        bool overflow = op == "+"   ? __builtin_add_overflow(x, y, &r)
                        : op == "-" ? __builtin_sub_overflow(x, y, &r)
                                    : __builtin_mul_overflow(x, y, &r);
        if (!overflow)
        {
            return Value(r);
        }
    }
    double x = a.GetDouble();
    double y = b.GetDouble();
    return Value(op == "+" ? x + y : op == "-" ? x - y : x * y);
}

Value
EvalRow(const Expr& e, const Row& row)
{
    switch (e.kind)
    {
    case Expr::LITERAL:
        return e.literal;
    case Expr::ATTRIBUTE:
        return row.Get(e.attr);
    case Expr::UNARY: {
        Value v = EvalRow(*e.args[0], row);
        if (v.IsNull())
        {
            return v;
        }
        if (e.op == "NOT")
        {
            if (v.GetType() != Value::BOOL)
            {
                throw EvalFailure{"type error at 'NOT': needs a bool, got " + v.ToString()};
            }
            return Value(!v.GetBool());
        }
        if (v.GetType() == Value::INT && v.GetInt() != INT64_MIN)
        {
            return Value(-v.GetInt());
        }
        if (v.IsNumber())
        {
            return Value(-v.GetDouble());
        }
        throw EvalFailure{"type error at '-': needs a number, got " + v.ToString()};
    }
    case Expr::BINARY:
        return Arith(e.op, EvalRow(*e.args[0], row), EvalRow(*e.args[1], row), e);
    case Expr::AGGREGATE:
        break;
    }
    throw EvalFailure{"aggregate in row context"};
}

Value
EvalAggregate(const Expr& e, const std::vector<const Row*>& rows, const Rng& rng)
{
    const std::string& op = e.op;
    if (op == "COUNT" && e.star)
    {
        return Value(static_cast<int64_t>(rows.size()));
    }
    // The argument's value in every row, by pointer: a plain attribute points into the row
    // (FIRST(k, contacts) over a zone would otherwise copy every row's address set).
    const Expr& arg = *e.args[0];
    const bool direct = arg.kind == Expr::ATTRIBUTE && !Row::IsKeyAttribute(arg.name);
    std::vector<Value> computed;
    computed.reserve(direct ? 0 : rows.size()); // never reallocated: vals points into it
    std::vector<std::pair<const Value*, const Row*>> vals;
    vals.reserve(rows.size());
    for (const Row* r : rows)
    {
        const Value* v;
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
    auto typeError = [&e](const Value& v, const Row* r, const std::string& want) {
        throw EvalFailure{"type error in " + e.op + " at " + std::to_string(e.position) + ": " +
                          want + " expected, zone " + r->GetId() + " has " + v.ToString()};
    };
    if (op == "COUNT")
    {
        return Value(static_cast<int64_t>(vals.size()));
    }
    if (op == "MIN" || op == "MAX")
    {
        if (vals.empty())
        {
            return Value();
        }
        const Value* best = vals[0].first;
        for (const auto& [v, r] : vals)
        {
            if (v->GetType() != best->GetType() && !(v->IsNumber() && best->IsNumber()))
            {
                typeError(*v, r, Value::TypeName(best->GetType()));
            }
            int c = Value::Compare(*v, *best);
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
            // A sum of integers that leaves 64 bits is carried on as a double.
            ints = ints && v->GetType() == Value::INT &&
                   !__builtin_add_overflow(isum, v->GetInt(), &isum);
            dsum += v->GetDouble() * w;
            wsum += w;
        }
        if (op == "SUM")
        {
            return ints ? Value(isum) : Value(dsum);
        }
        return wsum > 0 ? Value(dsum / wsum) : Value();
    }
    if (op == "OR" || op == "AND")
    {
        bool acc = op == "AND";
        for (const auto& [v, r] : vals)
        {
            if (v->GetType() != Value::BOOL)
            {
                typeError(*v, r, "a bool");
            }
            acc = op == "AND" ? (acc && v->GetBool()) : (acc || v->GetBool());
        }
        return Value(acc);
    }
    // FIRST / RANDOM over sets of addresses
    AddressSet all;
    for (const auto& [v, r] : vals)
    {
        if (v->GetType() != Value::ADDRESSES)
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
            size_t j = i + rng(static_cast<uint32_t>(all.size() - i));
            std::swap(all[i], all[j]);
        }
    }
    all.resize(n);
    return Value(all);
}

Value
EvalTop(const Expr& e, const std::vector<const Row*>& rows, const Rng& rng)
{
    switch (e.kind)
    {
    case Expr::LITERAL:
        return e.literal;
    case Expr::AGGREGATE:
        return EvalAggregate(e, rows, rng);
    case Expr::UNARY: {
        Expr lit;
        lit.literal = EvalTop(*e.args[0], rows, rng);
        Expr u = e;
        u.args = {std::make_shared<Expr>(lit)};
        return EvalRow(u, Row());
    }
    case Expr::BINARY:
        return Arith(e.op, EvalTop(*e.args[0], rows, rng), EvalTop(*e.args[1], rows, rng), e);
    case Expr::ATTRIBUTE:
        break;
    }
    throw EvalFailure{"attribute outside aggregate"};
}
} // namespace

bool
Query::Evaluate(const std::vector<Row>& rows,
                const Rng& rng,
                std::map<std::string, Value>& out,
                std::string& error) const
{
    std::vector<const Row*> ptrs;
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
Query::Evaluate(const std::vector<const Row*>& rows,
                const Rng& rng,
                Outputs& out,
                std::string& error) const
{
    try
    {
        std::vector<const Row*> sel;
        sel.reserve(rows.size());
        for (const Row* r : rows)
        {
            if (!m_where)
            {
                sel.push_back(r);
                continue;
            }
            Value w = EvalRow(*m_where, *r);
            if (!w.IsNull() && w.GetType() != Value::BOOL)
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
            std::vector<Value> keys;
            keys.reserve(sel.size() * m);
            for (const Row* r : sel)
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
                    int c = Value::Compare(x, y);
                    if (c != 0)
                    {
                        return m_order[i].descending ? c > 0 : c < 0;
                    }
                }
                return false;
            });
            std::vector<const Row*> sorted;
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

} // namespace astrolabe
} // namespace ns3
